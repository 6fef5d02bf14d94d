"""The outcome dashboard: per partnership and year, with its two charts (SVG, each with its table)."""

from datetime import date

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from planner.core.roles import Role, staff_required
from planner.core.timefmt import today_ist
from planner.core.views import int_arg, refused_arg
from planner.exchanges.queries import tracker_settings
from planner.exchanges.tracker import BASES, year_of
from planner.extensions import db
from planner.followups.charts import agreements_svg, funnel_svg
from planner.followups.dashboard import agreements_by_year, build_dashboard
from planner.followups.forms import AGREEMENT_STATUS_LABELS, FUNNEL_LABELS, KIND_LABELS, STAGE_LABELS
from planner.followups.money import RateTable
from planner.partnerships.models import Partnership


def _starting_partnership(own: list[Partnership]) -> Partnership:
    """A cell or office starts on its own active partnership, the most recent if it has several (the first by
    title opened on a proposed pair with nothing in it); with none active, on the first of its own."""
    active = [p for p in own if p.status == "active"]
    if not active:
        return own[0]
    return max(active, key=lambda p: p.since or date.min)  # max keeps the first of equals: by title


def _arguments() -> dict:
    today = today_ist()
    # the year as the office counts it (PLANNER_YEAR_BASIS), as the exchange tracker does, unless chosen
    basis = tracker_settings(request.args.get("basis", ""))["basis"]
    year = int_arg("year", 2000, 2100) or year_of(today, basis)
    partnerships = sorted(db.session.scalars(select(Partnership)).unique().all(), key=lambda p: p.title)
    chosen = request.args.get("partnership", "")
    if chosen == "all":
        partnership_id = None
    elif int_arg("partnership") in {p.id for p in partnerships}:
        partnership_id = int_arg("partnership")
    else:
        own = [p for p in partnerships if current_user.region_id in (p.state_id, p.prefecture_id)]
        partnership_id = _starting_partnership(own).id if own and current_user.role != Role.ADMIN else None
    return {"today": today, "basis": basis, "year": year, "partnership_id": partnership_id,
            "partnerships": partnerships, "year_refused": refused_arg("year", 2000, 2100)}


@staff_required
def dashboard():
    args = _arguments()
    rates = RateTable.load()
    board = build_dashboard(current_user, year=args["year"], basis=args["basis"],
                            partnership_id=args["partnership_id"], today=args["today"], rates=rates)
    years, partnership_labels, counts = agreements_by_year(current_user, args["basis"])
    return render_template("followups/dashboard.html", board=board, rates=rates, years=years,
                           partnership_labels=partnership_labels, counts=counts, bases=BASES,
                           stage_labels=STAGE_LABELS, funnel_labels=FUNNEL_LABELS, kind_labels=KIND_LABELS,
                           status_labels=AGREEMENT_STATUS_LABELS, **args)


def _svg(data: bytes) -> Response:
    return Response(data, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=60"})


@staff_required
def funnel_chart():
    args = _arguments()
    board = build_dashboard(current_user, year=args["year"], basis=args["basis"],
                            partnership_id=args["partnership_id"], today=args["today"])
    steps = [(str(FUNNEL_LABELS[key]), count) for key, count in board.funnel]
    return _svg(funnel_svg(steps, title=_("From meetings to investments, %(year)s", year=board.label)))


@staff_required
def agreements_chart():
    args = _arguments()
    years, partnerships, counts = agreements_by_year(current_user, args["basis"])
    return _svg(agreements_svg(years, partnerships, counts, title=_("Agreements signed per year and partnership"),
                               ylabel=_("Agreements")))
