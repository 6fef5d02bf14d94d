"""The audit log: who changed what, when, with old and new values — written in the same transaction as the change.

Models opt in with ``__audited__ = True`` (and may hide fields with ``__audit_redact__``). A session hook records
every insert, update and delete of such models after each flush; explicit actions (a status change, a login)
add their own entry with :func:`record_action`. Nothing here commits: the entries live or die with the change.
"""

import contextvars
import enum
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

# Who acts outside a request (CLI commands, workers): a label such as "cli:seed".
_background_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("background_actor", default=None)


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(255))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    object_label: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(1000), default="")

    __table_args__ = (db.Index("ix_audit_entries_object", "object_type", "object_id"),)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}#{self.object_id} by {self.actor_label}>"


class acting_as:
    """Context manager naming the actor of changes made outside a request: ``with acting_as("cli:demo"): ...``."""

    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self._token = _background_actor.set(self.label)
        return self

    def __exit__(self, *exc):
        _background_actor.reset(self._token)


def current_actor() -> tuple[int | None, str]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    label = _background_actor.get()
    if label:
        return None, label
    return None, "anonymous" if has_request_context() else "system"


def actor_text(label: str) -> str:
    """An entry's actor label for display, in the page's language: the labels of changes made outside a
    request ("system", "cli:demo", "feedback: <person> (<firm>)") are recorded in English."""
    from flask_babel import gettext as _

    label = label or ""
    if label == "system":
        return _("the planner itself")
    if label == "anonymous":
        return _("someone not logged in")
    if label.startswith("cli:"):
        return _("command line (%(command)s)", command=label[4:])
    if label.startswith("feedback: "):
        return _("feedback from %(who)s", who=label[len("feedback: "):])
    return label


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return sorted(_text(item) for item in value)
    return _text(value)


def _text(value) -> str:
    """A related record (a sector, a region) as recorded: in English whatever the editor's language, so the
    log does not mix languages from one entry to the next."""
    if has_app_context() and "babel" in current_app.extensions:
        with force_locale("en"):
            return str(value)
    return str(value)


def _object_identity(obj) -> tuple[str, str, str]:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    object_id = ",".join(str(part) for part in ident)
    return obj.__tablename__, object_id, str(getattr(obj, "audit_label", lambda: repr(obj))())[:255]


def _changes(obj, *, created: bool) -> dict:
    redacted = set(getattr(obj, "__audit_redact__", ()))
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        history = state.attrs[key].history
        if created:
            value = getattr(obj, key)
            if value is None or key == "id":
                continue
            changes[key] = {"old": None, "new": "(set)" if key in redacted else _plain(value)}
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            if key in redacted:
                changes[key] = {"old": "(hidden)", "new": "(changed)"}
            else:
                changes[key] = {"old": _plain(old), "new": _plain(new)}
    for rel in state.mapper.relationships:
        if not rel.uselist or rel.viewonly:
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            current = getattr(obj, rel.key)
            changes[rel.key] = {
                "old": _plain([*(set(current) - set(history.added)), *history.deleted]),
                "new": _plain(list(current)),
            }
    return changes


def _entry(obj, action: str, changes: dict, note: str = "") -> dict:
    actor_id, actor_label = current_actor()
    object_type, object_id, label = _object_identity(obj)
    return {
        "at": utcnow(),
        "actor_id": actor_id,
        "actor_label": actor_label[:255],
        "object_type": object_type,
        "object_id": object_id,
        "object_label": label,
        "action": action,
        "changes": changes,
        "note": note[:1000],
    }


def record_action(obj, action: str, *, note: str = "", changes: dict | None = None) -> None:
    """Add an explicit audit entry (e.g. "confirm", "cancel", "login") to the current transaction."""
    db.session.flush()
    db.session.execute(insert(AuditEntry), [_entry(obj, action, changes or {}, note)])


@event.listens_for(Session, "after_flush")
def _audit_flush(session, flush_context):
    rows = []
    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(_entry(obj, "create", _changes(obj, created=True)))
    for obj in session.dirty:
        if getattr(obj, "__audited__", False) and session.is_modified(obj, include_collections=True):
            changes = _changes(obj, created=False)
            if changes:
                rows.append(_entry(obj, "update", changes))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            rows.append(_entry(obj, "delete", {}))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
