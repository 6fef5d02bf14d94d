import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user
from sqlalchemy import or_, select

from planner.accounts.forms import NewUserForm, ResetPasswordForm, UserForm
from planner.accounts.models import User
from planner.accounts.operations import create_user, reset_password, update_user
from planner.accounts.recovery import link_minutes, role_language, send_reset, send_welcome
from planner.core.access import load
from planner.core.audit import AuditEntry
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import ROLE_LABELS, admin_required
from planner.core.timefmt import display_language
from planner.core.views import Page, commit_or_report, name_search, page_arg
from planner.delegations import forms as delegation_forms
from planner.extensions import db
from planner.firms import forms as firm_forms
from planner.followups import forms as followup_forms
from planner.itinerary import forms as itinerary_forms
from planner.matchmaking import forms as matchmaking_forms
from planner.outbox import views as outbox_views
from planner.partnerships import forms as partnership_forms
from planner.regions.models import Region
from planner.regions.operations import all_regions

# What the log's record types are, in the page's language (the filter keeps the tables' names as its values);
# a type without a label here is shown as recorded.
RECORD_LABELS = {
    "users": _l("User account"), "partnerships": _l("Partnership"), "delegations": _l("Delegation"),
    "delegation_regions": _l("Delegation region"), "delegation_members": _l("Delegation member"),
    "people": _l("Person"), "firms": _l("Firm"), "firm_contacts": _l("Firm contact"),
    "firm_imports": _l("Firm import"), "spreadsheet_imports": _l("Spreadsheet import"),
    "venues": _l("Venue"), "events": _l("Event"),
    "event_attendees": _l("Event attendee"), "b2b_sessions": _l("B2B session"), "b2b_tables": _l("B2B table"),
    "b2b_participants": _l("B2B participant"), "b2b_requests": _l("Meeting request"),
    "b2b_meetings": _l("B2B meeting"), "b2b_solver_runs": _l("Scheduler run"),
    "calendar_invites": _l("Calendar invite"), "calendar_invite_recipients": _l("Invite recipient"),
    "calendar_feeds": _l("Calendar feed"), "followups": _l("Follow-up"), "followup_entries": _l("Follow-up entry"),
    "followup_feedback_requests": _l("Feedback request"), "followup_feedback_answers": _l("Feedback answer"),
    "agreements": _l("Agreement (MoU, LoI)"), "agreement_status_changes": _l("Agreement status change"),
    "exchange_rates": _l("Exchange rate"), "outbox_messages": _l("E-mail message"),
}
# What the log's actions say, in the page's language.  An action without a label here is shown as recorded.
ACTION_LABELS = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"), "login": _l("logged in"),
    "password_changed": _l("changed their password"), "password_reset": _l("temporary password set"),
    "password_reset_by_mail": _l("set a new password with a mailed link"),
    "retry": _l("queued again"), "merge": _l("merged a duplicate into it"),
    "merge-archive": _l("merged into another firm, archived"), "merge-delete": _l("merged into another firm, deleted"),
    "status": _l("status changed"), "cancel": _l("cancelled"), "confirm": _l("confirmed"), "move": _l("moved"),
    "swap": _l("swapped"), "restore": _l("restored"), "apply_schedule": _l("schedule applied"),
    "assign_interpreters": _l("interpreters assigned"), "interpreters": _l("interpreter pool changed"),
    "complete": _l("marked as completed"), "reopen": _l("reopened"), "accepted": _l("accepted"),
    "declined": _l("declined"),
}

# What recorded codes mean, in the page's language: the log keeps the codes (stable whatever the language), the
# page shows "MoU", "Signed", "Prefecture office" rather than mou, signed, prefecture.
VALUE_LABELS = {
    ("users", "role"): ROLE_LABELS, ("partnerships", "status"): partnership_forms.STATUS_LABELS,
    ("delegations", "status"): delegation_forms.STATUS_LABELS,
    ("delegations", "direction"): delegation_forms.DIRECTION_LABELS,
    ("delegations", "invite_language"): delegation_forms.INVITE_LANGUAGE_LABELS,
    ("delegation_members", "role"): delegation_forms.ROLE_LABELS,
    ("people", "preferred_language"): delegation_forms.LANGUAGE_LABELS,
    ("firms", "status"): firm_forms.STATUS_LABELS, ("firms", "size_class"): firm_forms.SIZE_LABELS,
    ("firms", "industry"): firm_forms.INDUSTRY_LABELS, ("firm_contacts", "language"): firm_forms.LANGUAGE_LABELS,
    ("events", "kind"): itinerary_forms.KIND_LABELS, ("venues", "country"): itinerary_forms.COUNTRY_LABELS,
    ("b2b_requests", "status"): matchmaking_forms.REQUEST_STATUS_LABELS,
    ("b2b_requests", "day_part"): matchmaking_forms.DAY_PART_LABELS,
    ("b2b_meetings", "status"): matchmaking_forms.MEETING_STATUS_LABELS,
    ("b2b_meetings", "day_part"): matchmaking_forms.DAY_PART_LABELS,
    ("followups", "stage"): followup_forms.STAGE_LABELS, ("agreements", "kind"): followup_forms.KIND_LABELS,
    ("agreements", "status"): followup_forms.AGREEMENT_STATUS_LABELS,
    ("outbox_messages", "status"): outbox_views.STATUS_LABELS, ("outbox_messages", "kind"): outbox_views.KIND_LABELS,
}


def change_text(object_type: str, field: str, value) -> str:
    """A recorded old or new value as the log page shows it: a code by its label, a list of names joined, and
    nothing (none, an empty text, an empty list) as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    labels = VALUE_LABELS.get((object_type, field), {})
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    return str(value)


def _region_choices():
    regions = all_regions()
    return [("", _("— none —"))] + [(region.id, f"{region.code} {region.display_name}") for region in regions]


@admin_required
def users():
    query = (request.args.get("q") or "").strip()
    stmt = select(User).order_by(User.role, User.email)
    if query:
        stmt = stmt.where(or_(*name_search(query, (User.name,), (User.email,))))
    return render_template("admin/users.html", page=Page(stmt, page_arg()), q=query)


@admin_required
def new_user():
    form = NewUserForm()
    form.region.choices = _region_choices()
    if form.validate_on_submit():
        try:
            if form.send_link.data and not form.is_active.data:
                raise DomainError(_("An inactive account cannot use the link: make it active, or give an "
                                    "initial password instead."), "send_link")
            # with the link, a password nobody knows until the holder chooses theirs
            password = secrets.token_urlsafe(32) if form.send_link.data else form.password.data
            user = create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                               password=password,
                               region=db.session.get(Region, form.region.data) if form.region.data else None)
            user.must_change_password = not form.send_link.data
            user.is_active = form.is_active.data
            if form.send_link.data:
                send_welcome(user, role_language(user, display_language()))
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("A user with this e-mail address exists already."), "email"):
                flash(_("User %(email)s created; a link to choose a password is mailed to them.", email=user.email)
                      if form.send_link.data else _("User %(email)s created.", email=user.email), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@admin_required
def edit_user(user_id: int):
    user = load(User, user_id, edit=True)
    form = UserForm(data={"email": user.email, "name": user.name, "role": user.role, "region": user.region_id,
                          "is_active": user.is_active})
    form.region.choices = _region_choices()
    # the login cannot change: shown as such, not offered for editing and then refused
    form.email.render_kw = {**(form.email.render_kw or {}), "readonly": True}
    form.email.description = _("The e-mail address is the login and cannot be changed.")
    if form.validate_on_submit():
        try:
            if form.email.data.strip().lower() != user.email:
                raise DomainError(_("The e-mail address is the login and cannot be changed."), "email")
            old_region = user.region
            released = update_user(user, name=form.name.data, role=form.role.data, is_active=form.is_active.data,
                                   region=db.session.get(Region, form.region.data) if form.region.data else None,
                                   editor=current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("User %(email)s saved.", email=user.email), "success")
            if released:
                flash(_released_message(len(released), user, old_region), "warning")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


def _released_message(count: int, user: User, old_region: Region | None) -> str:
    if old_region is None:
        return ngettext("%(num)d open follow-up owned by %(name)s now has no owner.",
                        "%(num)d open follow-ups owned by %(name)s now have no owner.", count, name=user.name)
    return ngettext("%(num)d open follow-up of %(region)s owned by %(name)s now has no owner.",
                    "%(num)d open follow-ups of %(region)s owned by %(name)s now have no owner.", count,
                    region=old_region.display_name, name=user.name)


@admin_required
def send_password_link(user_id: int):
    """Mail the user a link to set a new password themselves (nobody else learns it)."""
    user = load(User, user_id, edit=True)
    if not user.is_active:
        flash(_("%(email)s is inactive: a link would not work. Make the account active first.", email=user.email),
              "warning")
    else:
        send_reset(user, role_language(user, display_language()))
        db.session.commit()
        flash(_("A link to choose a new password was mailed to %(email)s. It works for %(minutes)d minutes.",
                email=user.email, minutes=link_minutes()), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@admin_required
def reset_user_password(user_id: int):
    """A temporary password for a user who forgot theirs or is locked out (to be given by a separate
    channel); the user chooses their own at the next login, and every session of the account ends."""
    user = load(User, user_id, edit=True)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(user, form.password.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            if user.id == current_user.id:  # their own: this session goes on (the others ended)
                login_user(user)
            flash(_("%(email)s has a temporary password now; they choose their own at the next login.",
                    email=user.email), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/reset_password.html", form=form, user=user), status


@admin_required
def audit_log():
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    object_type = (request.args.get("type") or "").strip()
    actor = (request.args.get("actor") or "").strip()
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if actor:  # the login recorded, or the account's name now
        named = select(User.id).where(or_(*name_search(actor, (User.name,))))
        stmt = stmt.where(or_(*name_search(actor, (), (AuditEntry.actor_label,)), AuditEntry.actor_id.in_(named)))
    types = db.session.scalars(select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type))
    page = Page(stmt, page_arg())
    # who acted, by name: the entry keeps the login as it was then
    actor_ids = {entry.actor_id for entry in page.items if entry.actor_id}
    actors = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} \
        if actor_ids else {}
    return render_template("admin/audit.html", page=page, types=list(types), actors=actors,
                           object_type=object_type, actor=actor, action_labels=ACTION_LABELS,
                           record_labels=RECORD_LABELS, change_text=change_text)
