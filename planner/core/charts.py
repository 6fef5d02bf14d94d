"""What the server-side SVG charts (matplotlib) share: fonts that draw Japanese, and the SVG bytes."""

import functools
import importlib.util
import io
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

# DejaVu Sans (matplotlib's own) has no Japanese: labels of the Japanese pages drew as empty boxes.
# Matplotlib falls back along the list glyph by glyph, to IPAexGothic, which the matplotlib-fontja
# package ships (IPA Font License), so no system font is needed.  Its file is registered here; the
# package itself is not imported, as that would set the font for the whole process.  Glyphs are
# written into the SVG as paths, so the browser needs no font either.
FONT_FAMILY = ["DejaVu Sans", "IPAexGothic"]
_FONTJA = importlib.util.find_spec("matplotlib_fontja")
font_manager.fontManager.addfont(str(Path(_FONTJA.submodule_search_locations[0]) / "fonts" / "ipaexg.ttf"))


def with_japanese_fonts(draw):
    """Runs a chart function with FONT_FAMILY (text takes its font when it is created)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"font.family": FONT_FAMILY}):
            return draw(*args, **kwargs)

    return wrapper


def figure_svg(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
