"""The four roles and the decorators that guard views by role."""

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required


class Role(StrEnum):
    ADMIN = "admin"
    STATE = "state"
    PREFECTURE = "prefecture"
    DELEGATE = "delegate"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def needs_region(self) -> bool:
        return self in (Role.STATE, Role.PREFECTURE)

    @property
    def region_country(self) -> str | None:
        """The country whose region a user of this role is bound to."""
        return {Role.STATE: "IN", Role.PREFECTURE: "JP"}.get(self)


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.STATE: _l("State investment cell"),
    Role.PREFECTURE: _l("Prefecture office"),
    Role.DELEGATE: _l("Delegate"),
}

STAFF_ROLES = frozenset({Role.ADMIN, Role.STATE, Role.PREFECTURE})


def roles_required(*roles: Role):
    """Let a logged-in user with one of `roles` through; everyone else logged in gets 403."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    return roles_required(*STAFF_ROLES)(view)


def admin_required(view):
    return roles_required(Role.ADMIN)(view)
