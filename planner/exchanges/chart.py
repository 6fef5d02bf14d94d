"""The delegations-per-year chart, drawn server-side as SVG with matplotlib (no browser library, no CDN)."""

import io

from matplotlib.figure import Figure

DIRECTION_COLOURS = {"IN_JP": ("#e88a1a", "#f6c78f"), "JP_IN": ("#1f3a68", "#8fa3c7")}


def delegations_chart_svg(rows: list[dict], direction_labels: dict, *, title: str = "") -> bytes:
    """rows: [{"label": "2025", ("IN_JP", "completed"): 2, ("IN_JP", "confirmed"): 1, ...}, ...].

    One pair of bars per year (India → Japan, Japan → India); completed solid, confirmed stacked lighter.
    """
    figure = Figure(figsize=(7.5, 3.4), dpi=100)
    axes = figure.add_subplot()
    positions = range(len(rows))
    tallest = max((sum(row.get((d, s), 0) for s in ("completed", "confirmed")) for row in rows
                   for d in DIRECTION_COLOURS), default=0)
    width = 0.38
    for offset, direction in ((-width / 2, "IN_JP"), (width / 2, "JP_IN")):
        dark, light = DIRECTION_COLOURS[direction]
        completed = [row.get((direction, "completed"), 0) for row in rows]
        confirmed = [row.get((direction, "confirmed"), 0) for row in rows]
        xs = [x + offset for x in positions]
        label = str(direction_labels[direction])
        axes.bar(xs, completed, width, color=dark, label=f"{label}: completed")
        axes.bar(xs, confirmed, width, bottom=completed, color=light, label=f"{label}: confirmed")
    axes.set_ylim(0, tallest + 1)
    axes.set_xticks(list(positions), [row["label"] for row in rows])
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel("Delegations")
    if title:
        axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
