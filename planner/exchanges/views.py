
from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from planner.core.roles import staff_required
from planner.core.timefmt import display_language, today_ist
from planner.delegations.forms import DIRECTION_LABELS
from planner.exchanges.chart import delegations_chart_svg
from planner.exchanges.queries import reports, year_name
from planner.exchanges.tracker import BASES

# The years a page exists for: visits are dated 2000–2100, and a fiscal year is named by the calendar year it
# starts in (January 2000 lies in FY1999-00).
FIRST_YEAR, LAST_YEAR = 1999, 2100


def _basis_arg() -> str | None:
    basis = request.args.get("basis")
    return basis if basis in BASES else None


def _chart_rows(year_reports) -> list[dict]:
    return [{"label": report.label, **report.by_direction} for report in year_reports]


@staff_required
def index():
    settings, year_reports = reports(_basis_arg())
    return render_template("exchanges/index.html", settings=settings, reports=year_reports,
                           rows=_chart_rows(year_reports), direction_labels=DIRECTION_LABELS,
                           bases=BASES, language=display_language())


@staff_required
def year(year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    settings, (report,) = reports(_basis_arg(), years=[year])
    basis = settings["basis"]
    return render_template("exchanges/year.html", settings=settings, report=report,
                           direction_labels=DIRECTION_LABELS, bases=BASES, today=today_ist(),
                           previous_label=year_name(year - 1, basis) if year > FIRST_YEAR else None,
                           next_label=year_name(year + 1, basis) if year < LAST_YEAR else None)


@staff_required
def chart():
    settings, year_reports = reports(_basis_arg())
    title = _("Delegations per year and direction, fiscal years (April–March)") if settings["basis"] == "fiscal" \
        else _("Delegations per year and direction, calendar years")
    svg = delegations_chart_svg(_chart_rows(year_reports), DIRECTION_LABELS, title=title,
                                legend=_("{direction}: {status}"),
                                status_labels={"completed": _("completed"), "confirmed": _("confirmed")},
                                ylabel=_("Delegations"))
    # the address names the language (the index page's <img> passes it): a cached English chart is not shown
    # on the Japanese page after the switch
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=60"})
