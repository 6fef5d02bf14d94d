from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from planner.core.roles import staff_required
from planner.delegations.forms import DIRECTION_LABELS
from planner.exchanges.chart import delegations_chart_svg
from planner.exchanges.queries import reports
from planner.exchanges.tracker import BASES, year_label


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
                           bases=BASES)


@staff_required
def year(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    settings, (report,) = reports(_basis_arg(), years=[year])
    return render_template("exchanges/year.html", settings=settings, report=report,
                           direction_labels=DIRECTION_LABELS, bases=BASES, today=date.today(),
                           previous_label=year_label(year - 1, settings["basis"]),
                           next_label=year_label(year + 1, settings["basis"]))


@staff_required
def chart():
    settings, year_reports = reports(_basis_arg())
    title = _("Delegations per year and direction, fiscal years (April–March)") if settings["basis"] == "fiscal" \
        else _("Delegations per year and direction, calendar years")
    svg = delegations_chart_svg(_chart_rows(year_reports), DIRECTION_LABELS, title=title,
                                legend=_("{direction}: {status}"),
                                status_labels={"completed": _("completed"), "confirmed": _("confirmed")},
                                ylabel=_("Delegations"))
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=60"})
