"""The delegations-per-year chart, drawn server-side as SVG with matplotlib (no browser library, no CDN)."""

from matplotlib.figure import Figure

from planner.core.charts import figure_svg, with_japanese_fonts

DIRECTION_COLOURS = {"IN_JP": ("#e88a1a", "#f6c78f"), "JP_IN": ("#1f3a68", "#8fa3c7")}


@with_japanese_fonts
def delegations_chart_svg(rows: list[dict], direction_labels: dict, *, title: str = "",
                          legend: str = "{direction}: {status}", status_labels: dict | None = None,
                          ylabel: str = "Delegations") -> bytes:
    """rows: [{"label": "2025", ("IN_JP", "completed"): 2, ("IN_JP", "confirmed"): 1, ...}, ...].

    One pair of bars per year (India → Japan, Japan → India); completed solid, confirmed stacked lighter.
    The words come from the caller, in the page's language (``legend`` with ``{direction}`` and
    ``{status}``, ``status_labels`` for "completed" and "confirmed").
    """
    status_labels = status_labels or {"completed": "completed", "confirmed": "confirmed"}
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
        axes.bar(xs, completed, width, color=dark,
                 label=legend.format(direction=label, status=status_labels["completed"]))
        axes.bar(xs, confirmed, width, bottom=completed, color=light,
                 label=legend.format(direction=label, status=status_labels["confirmed"]))
    axes.set_ylim(0, tallest + 1)
    axes.set_xticks(list(positions), [row["label"] for row in rows])
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel(ylabel)
    if title:
        axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return figure_svg(figure)
