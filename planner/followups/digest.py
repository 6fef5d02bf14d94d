"""The weekly digest: each owner's open follow-ups that are overdue or due within 7 days, by mail (outbox)."""

from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from planner.accounts.models import User
from planner.core.access import scope_clause
from planner.core.timefmt import format_date
from planner.extensions import db
from planner.followups.feedback import external_url
from planner.followups.models import FollowUp
from planner.outbox.operations import enqueue_notice

DUE_WITHIN_DAYS = 7


def followups_for_digest(today: date) -> dict:
    """{owner: [follow-up, ...]} of open, owned follow-ups due on or before today + 7 days, earliest first;
    only those the owner may still see (an owner moved to another region, or made a delegate, keeps the
    ownership on record but is not mailed another region's titles and next actions)."""
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    due = select(FollowUp).where(FollowUp.is_open.is_(True), FollowUp.due_date.is_not(None),
                                 FollowUp.due_date <= horizon)
    owners = db.session.scalars(select(User).where(User.is_active.is_(True), User.id.in_(
        due.with_only_columns(FollowUp.owner_id).where(FollowUp.owner_id.is_not(None)))).order_by(User.id))
    grouped = {}
    for owner in owners:
        followups = db.session.scalars(due.where(FollowUp.owner_id == owner.id, scope_clause(FollowUp, owner))
                                       .order_by(FollowUp.due_date, FollowUp.id)).unique().all()
        if followups:
            grouped[owner] = list(followups)
    return grouped


def _line(followup: FollowUp, today: date) -> str:
    late = (today - followup.due_date).days
    when = (_("overdue by %(n)d days", n=late) if late > 0 else
            _("due today") if late == 0 else _("due %(day)s", day=format_date(followup.due_date)))
    action = followup.next_action or _("(no next action written)")
    return f"- {followup.title}: {action} — {when}\n  {external_url('followups.view', followup_id=followup.id)}"


def _digest(owner, followups, today: date, overdue: int) -> tuple[str, str]:
    """A digest's subject and text, in the current locale."""
    lines = [_("Dear %(name)s,", name=owner.name), "",
             _("Your open follow-ups that are overdue (%(late)d) or due within %(days)d days (%(soon)d):",
               late=overdue, days=DUE_WITHIN_DAYS, soon=len(followups) - overdue), ""]
    lines += [_line(f, today) for f in followups]
    lines += ["", _("All your follow-ups: %(url)s", url=external_url("followups.index", owner="me", status="open"))]
    return _("Follow-ups due: %(n)d (%(late)d overdue)", n=len(followups), late=overdue), "\n".join(lines)


def send_digests(today: date) -> dict[str, int]:
    """Queue one digest per owner, in the owner's interface language; returns {owner e-mail: number listed}."""
    sent = {}
    for owner, followups in followups_for_digest(today).items():
        overdue = sum(1 for f in followups if f.due_date < today)
        with force_locale(owner.locale if owner.locale in ("en", "ja") else "en"):
            subject, text_body = _digest(owner, followups, today, overdue)
        # the owner's own region only: the digest lists all of the owner's follow-ups, and a region named
        # by one of them (Shizuoka) could read in the email log the others (a Gujarat–Yamanashi deal)
        enqueue_notice(to_email=owner.email, to_name=owner.name, subject=subject, text_body=text_body,
                       related_type="followup_digest", related_id=owner.id,
                       regions=[owner.region] if owner.region is not None else [])
        sent[owner.email] = len(followups)
    return sent
