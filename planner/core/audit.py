"""The audit log: who changed what, when, with old and new values — written in the same transaction as the change.

Models opt in with ``__audited__ = True`` (and may hide fields with ``__audit_redact__``, or leave bookkeeping out
with ``__audit_ignore__``). A session hook records every insert, update and delete of such models after each flush;
explicit actions (a status change, a login) add their own entry with :func:`record_action`. Nothing here commits:
the entries live or die with the change.

Related records are recorded by name, as a person reads them (a firm's name, a partnership's title), not as ids
or Python reprs: a model names itself with ``audit_label()``, else ``str()``.
"""

import contextvars
import enum
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, event, insert, inspect, select
from sqlalchemy.orm import MANYTOONE, Mapped, Session, mapped_column

from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

# Who acts outside a request (CLI commands, workers): a label such as "cli:seed".
_background_actor: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar(
    "background_actor", default=None)


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
    """Context manager naming the actor of changes made outside a request: ``with acting_as("cli:demo"): ...``;
    or, given a user, that user while nobody is logged in yet (a login's own bookkeeping)."""

    def __init__(self, who):
        self.actor = (None, who) if isinstance(who, str) else (who.id, who.email)

    def __enter__(self):
        self._token = _background_actor.set(self.actor)
        return self

    def __exit__(self, *exc):
        _background_actor.reset(self._token)


def current_actor() -> tuple[int | None, str]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    actor = _background_actor.get()
    if actor:
        return actor
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
    """A related record (a sector, a firm, a status change) by name, as recorded: in English whatever the
    editor's language, so the log does not mix languages from one entry to the next.  Its ``audit_label()``,
    else its ``str()``; a record with neither reads as its kind and number, never as a Python repr."""
    if has_app_context() and "babel" in current_app.extensions:
        with force_locale("en"):
            return _name(value)
    return _name(value)


def _name(value) -> str:
    if hasattr(value, "audit_label"):
        return str(value.audit_label())
    if type(value).__str__ is not object.__str__:
        return str(value)
    mapper = inspect(value, raiseerr=False)
    if mapper is not None and hasattr(mapper, "mapper"):
        ident = ",".join(str(part) for part in mapper.mapper.primary_key_from_instance(value))
        return f"{type(value).__name__} #{ident}"
    return str(value)


def _references(mapper) -> dict:
    """{foreign-key column: the relationship it loads} of a model's many-to-one relationships."""
    found = {}
    for rel in mapper.relationships:
        if rel.direction is MANYTOONE and len(rel.local_columns) == 1:
            (column,) = rel.local_columns
            attr = mapper.get_property_by_column(column)
            found[attr.key] = rel
    return found


def _referenced(session, rel, ident):
    """A foreign key's value as the record it points to: "Gujarat–Shizuoka (#1)" rather than 1 (read from the
    session's identity map, where the record usually is; during a flush, so the read does not flush again)."""
    if ident is None:
        return None
    target = session.get(rel.mapper.class_, ident)
    return f"{_text(target)} (#{ident})" if target is not None else ident


def _object_identity(obj) -> tuple[str, str, str]:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    object_id = ",".join(str(part) for part in ident)
    return obj.__tablename__, object_id, str(getattr(obj, "audit_label", lambda: repr(obj))())[:255]


def _changes(obj, *, created: bool) -> dict:
    redacted = set(getattr(obj, "__audit_redact__", ()))
    ignored = set(getattr(obj, "__audit_ignore__", ()))
    state = inspect(obj)
    references = _references(state.mapper)

    def plain(key, value):
        return _referenced(state.session, references[key], value) if key in references else _plain(value)

    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in ignored:
            continue
        history = state.attrs[key].history
        if created:
            value = getattr(obj, key)
            if value is None or key == "id":
                continue
            changes[key] = {"old": None, "new": "(set)" if key in redacted else plain(key, value)}
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            if key in redacted:
                changes[key] = {"old": "(hidden)", "new": "(changed)"}
            else:
                changes[key] = {"old": plain(key, old), "new": plain(key, new)}
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


def last_action(obj, action: str) -> AuditEntry | None:
    """The latest explicit entry ``action`` on ``obj``: who cancelled an event, when, and the reason they gave
    (the note), which the event's page shows."""
    object_type, object_id, _label = _object_identity(obj)
    return db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id, AuditEntry.action == action)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))


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
