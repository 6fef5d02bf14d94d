"""The email log: administrators see every message, state cells and prefecture offices theirs."""

import email
import email.policy
import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.core.access import load, scoped_select
from planner.core.errors import DomainError
from planner.core.forms import Form
from planner.core.roles import staff_required
from planner.core.views import Page, page_arg
from planner.delegations.models import Delegation
from planner.extensions import db
from planner.invites import ATTACHMENT_FILENAME
from planner.outbox.filters import about_delegation, to_recipient
from planner.outbox.models import MESSAGE_KINDS, MESSAGE_STATUSES, OutboxMessage
from planner.outbox.operations import retry_message, stuck_mail

STATUS_LABELS = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}
KIND_LABELS = {"invite": _l("Invite"), "update": _l("Update"), "cancel": _l("Cancellation"),
               "notice": _l("Notice")}
SHOWN_HEADERS = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "Content-Type")


# A recipient's own links (answer an invite, give feedback, subscribe to a calendar, set a forgotten password):
# whoever holds one acts as the recipient, so the log shows them without their secret (staff of the other side
# read it).
PERSONAL_LINK = re.compile(
    r"(/(?:invites/rsvp|outcomes/feedback|calendar|password/reset)/)[A-Za-z0-9_.~%=-]{8,}")


def hide_personal_links(text: str) -> str:
    return PERSONAL_LINK.sub(lambda match: match.group(1) + "…", text)


def _preview(raw: bytes) -> tuple[list[tuple[str, str]], str]:
    """The message's main headers (decoded) and its text part, for display (the template escapes them),
    personal links cut (``hide_personal_links``)."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    headers = [(name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name] is not None]
    body = parsed.get_body(preferencelist=("plain",))
    try:
        text = body.get_content() if body is not None else ""
    except (LookupError, ValueError):  # an unknown charset or damaged part: show nothing rather than fail
        text = ""
    return headers, hide_personal_links(text)


MAX_QUERY = 100


@staff_required
def index():
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    recipient = " ".join(request.args.get("recipient", "").split())[:MAX_QUERY]
    delegations = list(db.session.execute(scoped_select(Delegation).with_only_columns(
        Delegation.id, Delegation.title, Delegation.title_ja, Delegation.start_date).order_by(Delegation.start_date.desc(),
                                                                         Delegation.id.desc())))
    delegation_id = request.args.get("delegation", type=int)
    if delegation_id not in {row.id for row in delegations}:  # another region's, or none: no filter
        delegation_id = None
    stmt = scoped_select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status in MESSAGE_STATUSES:
        stmt = stmt.where(OutboxMessage.status == status)
    if kind in MESSAGE_KINDS:
        stmt = stmt.where(OutboxMessage.kind == kind)
    if delegation_id:
        stmt = stmt.where(about_delegation(delegation_id))
    if recipient:
        stmt = stmt.where(to_recipient(recipient, current_user))
    return render_template("outbox/index.html", page=Page(stmt, page_arg()), status=status, kind=kind,
                           delegations=delegations, delegation_id=delegation_id, recipient=recipient,
                           status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
                           stuck=stuck_mail(scoped_select(OutboxMessage)))


@staff_required
def view(message_id: int):
    message = load(OutboxMessage, message_id)
    headers, text = _preview(message.raw)
    return render_template("outbox/view.html", message=message, headers=headers, text=text,
                           status_labels=STATUS_LABELS, kind_labels=KIND_LABELS, form=Form())


@staff_required
def ics(message_id: int):
    message = load(OutboxMessage, message_id)
    if message.ics is None:
        abort(404)
    return Response(message.ics, content_type=f"text/calendar; charset=utf-8; method={message.calendar_method}",
                    headers={"Content-Disposition": f'attachment; filename="{ATTACHMENT_FILENAME}"'})


@staff_required
def retry(message_id: int):
    message = load(OutboxMessage, message_id, edit=True)
    form = Form()
    if form.validate_on_submit():
        try:
            retry_message(message)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("The message to %(to)s is queued again.", to=message.to_email), "success")
        return redirect(url_for("outbox.view", message_id=message_id))
    return render_template("outbox/retry.html", message=message, form=form, status_labels=STATUS_LABELS)
