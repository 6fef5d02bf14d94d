"""The navigation, fitted to the role: each entry names the roles that see it."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.core.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    roles: frozenset
    prefix: str  # endpoints starting with this mark the entry active


NAV = [
    NavEntry("home.index", _l("Overview"), STAFF_ROLES, "home."),
    NavEntry("partnerships.index", _l("Partnerships"), STAFF_ROLES, "partnerships."),
    NavEntry("regions.index", _l("Regions"), STAFF_ROLES, "regions."),
    NavEntry("accounts.profile", _l("My profile"), frozenset({Role.DELEGATE}), "accounts."),
    NavEntry("admin.users", _l("Users"), frozenset({Role.ADMIN}), "admin.users"),
    NavEntry("admin.audit_log", _l("Audit log"), frozenset({Role.ADMIN}), "admin.audit"),
]


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    return [{"url": url_for(entry.endpoint), "label": entry.label, "prefix": entry.prefix}
            for entry in NAV if current_user.role in entry.roles]
