"""The weekly digest: each owner's open follow-ups that are overdue or due within 7 days, by mail (outbox)."""

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.timefmt import format_date
from planner.extensions import db
from planner.followups.feedback import external_url
from planner.followups.models import FollowUp
from planner.outbox.operations import enqueue_notice

DUE_WITHIN_DAYS = 7


def followups_for_digest(today: date) -> dict:
    """{owner: [follow-up, ...]} of open, owned follow-ups due on or before today + 7 days, earliest first."""
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    stmt = (select(FollowUp).where(FollowUp.is_open.is_(True), FollowUp.owner_id.is_not(None),
                                   FollowUp.due_date.is_not(None), FollowUp.due_date <= horizon)
            .order_by(FollowUp.owner_id, FollowUp.due_date, FollowUp.id))
    grouped = defaultdict(list)
    for followup in db.session.scalars(stmt).unique():
        if followup.owner.is_active:
            grouped[followup.owner].append(followup)
    return dict(grouped)


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
