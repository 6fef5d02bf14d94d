"""Load, authorise, act: every object a view touches is loaded through the user's tenant scope.

A tenant-scoped model defines two class methods returning SQL conditions for a user:
``visible_to(user)`` (may see it) and ``editable_by(user)`` (may change it). Anything outside the scope is
answered 404, so a user cannot even learn that another region's record exists (flaskr's ``get_post``).
"""

from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select
from werkzeug.routing import IntegerConverter

from planner.extensions import db

M = TypeVar("M")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on every database; larger numbers cannot name a row


class IdConverter(IntegerConverter):
    """<int:…> in every route: a number no row can have is no match (404) before any query sees it.  SQLite
    cannot even bind one beyond 64 bits (OverflowError, a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def scope_clause(model, user=None, *, edit: bool = False):
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return false()
    return model.editable_by(user) if edit else model.visible_to(user)


def scoped_select(model, user=None, *, edit: bool = False) -> Select:
    """A SELECT of `model` restricted to what `user` (default: the current user) may see or edit."""
    return select(model).where(scope_clause(model, user, edit=edit))


def load(model: type[M], ident, *, edit: bool = False, user=None) -> M:
    """The `model` row with primary key `ident` if the user may see (or, with edit=True, change) it; else 404."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < ident <= MAX_ID:
        abort(404)
    obj = db.session.scalars(scoped_select(model, user, edit=edit).where(model.id == ident)).first()
    if obj is None:
        abort(404)
    return obj


def can_see(obj, user=None) -> bool:
    """Whether the user may see `obj`, by the same SQL condition the loader uses."""
    model = type(obj)
    return db.session.scalar(select(model.id).where(model.id == obj.id, scope_clause(model, user))) is not None


def can_edit(obj, user=None) -> bool:
    """Whether the user may change `obj`, decided by the same SQL condition the loader uses."""
    model = type(obj)
    stmt = select(model.id).where(model.id == obj.id, scope_clause(model, user, edit=True))
    return db.session.scalar(stmt) is not None
