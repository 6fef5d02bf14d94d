from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from planner.core.access import scoped_select
from planner.core.roles import Role
from planner.core.timefmt import today_ist
from planner.core.types import utcnow
from planner.extensions import db
from planner.home import overview
from planner.partnerships.models import Partnership


@login_required
def index():
    if current_user.role == Role.DELEGATE:
        return redirect(url_for("itinerary.my_agenda"))
    own = []
    if current_user.region_id:
        own = db.session.scalars(scoped_select(Partnership, edit=True).order_by(Partnership.id)).unique().all()
    counts = dict(db.session.execute(
        select(Partnership.status, func.count()).group_by(Partnership.status)).all())
    today = today_ist()
    followups, overdue = overview.followups_due(current_user, today)
    return render_template("home/index.html", own_partnerships=own, counts=counts, today=today,
                           events=overview.upcoming_events(current_user, utcnow()),
                           requests=overview.requests_to_answer(current_user),
                           followups=followups, overdue=overdue, failed=overview.failed_mails(current_user),
                           upcoming_days=overview.UPCOMING_DAYS, due_soon_days=overview.DUE_SOON_DAYS)
