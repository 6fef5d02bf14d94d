"""The dashboard's charts, drawn server-side as SVG with matplotlib (as the exchange tracker's; no CDN)."""

from matplotlib.figure import Figure

from planner.core.charts import figure_svg, with_japanese_fonts

FUNNEL_COLOURS = ("#1f3a68", "#3d5f96", "#e88a1a", "#2e7d4f")
PARTNERSHIP_COLOURS = ("#1f3a68", "#e88a1a", "#2e7d4f", "#8e3b7a", "#5a6b7b", "#c0392b", "#16a085")


@with_japanese_fonts
def funnel_svg(steps: list[tuple[str, int]], *, title: str = "") -> bytes:
    """Horizontal bars, widest first: [(label, count), ...] top to bottom."""
    figure = Figure(figsize=(6.5, 2.8), dpi=100)
    axes = figure.add_subplot()
    labels = [label for label, _count in steps][::-1]
    counts = [count for _label, count in steps][::-1]
    bars = axes.barh(range(len(steps)), counts, color=list(FUNNEL_COLOURS[:len(steps)])[::-1])
    axes.bar_label(bars, padding=3)
    axes.set_yticks(range(len(steps)), labels)
    axes.set_xlim(0, max(counts, default=0) * 1.15 + 1)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title)
    return figure_svg(figure)


@with_japanese_fonts
def agreements_svg(years: list[str], partnerships: list[str], counts: dict, *, title: str = "",
                   ylabel: str = "Agreements") -> bytes:
    """Stacked bars per year, one colour per partnership."""
    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    axes = figure.add_subplot()
    bottoms = [0] * len(years)
    for index, partnership in enumerate(partnerships):
        values = [counts.get((year, partnership), 0) for year in years]
        axes.bar(range(len(years)), values, 0.6, bottom=bottoms, label=partnership,
                 color=PARTNERSHIP_COLOURS[index % len(PARTNERSHIP_COLOURS)])
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_xticks(range(len(years)), years)
    axes.set_ylim(0, max(bottoms, default=0) + 1)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    if partnerships:
        axes.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    if title:
        axes.set_title(title)
    return figure_svg(figure)
