"""The navigation, fitted to the role: each entry names the roles that see it."""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from planner.core.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    roles: frozenset
    prefix: str  # endpoints starting with this mark the entry active
    group: str | None = None  # entries of a group share one dropdown (keeps the bar on one line)


NAV = [
    NavEntry("partnerships.index", _l("Partnerships"), STAFF_ROLES, "partnerships.", "partnerships"),
    NavEntry("regions.index", _l("Regions"), STAFF_ROLES, "regions.", "partnerships"),
    NavEntry("delegations.index", _l("Delegations"), STAFF_ROLES, "delegations.", "delegations"),
    NavEntry("exchanges.index", _l("Exchange tracker"), STAFF_ROLES, "exchanges.", "delegations"),
    NavEntry("people.index", _l("People"), STAFF_ROLES, "people.", "delegations"),
    NavEntry("itinerary.venues", _l("Venues"), STAFF_ROLES, "itinerary.venue", "delegations"),
    NavEntry("firms.index", _l("Firms"), STAFF_ROLES, "firms.", "business"),
    NavEntry("matchmaking.index", _l("B2B sessions"), STAFF_ROLES, "matchmaking.", "business"),
    NavEntry("followups.dashboard", _l("Dashboard"), STAFF_ROLES, "followups.dashboard", "outcomes"),
    NavEntry("followups.index", _l("Follow-ups"), STAFF_ROLES, "followups.", "outcomes"),
    NavEntry("followups.agreements", _l("Agreements"), STAFF_ROLES, "followups.agreement", "outcomes"),
    NavEntry("itinerary.my_agenda", _l("My agenda"), frozenset({Role.DELEGATE}), "itinerary."),
    NavEntry("matchmaking.mine", _l("My B2B meetings"), frozenset({Role.DELEGATE}), "matchmaking."),
    NavEntry("accounts.profile", _l("My profile"), frozenset({Role.DELEGATE}), "accounts."),
    NavEntry("admin.users", _l("Users"), frozenset({Role.ADMIN}), "admin.users", "admin"),
    NavEntry("admin.audit_log", _l("Audit log"), frozenset({Role.ADMIN}), "admin.audit", "admin"),
    NavEntry("followups.rates", _l("Exchange rates"), frozenset({Role.ADMIN}), "followups.rates", "admin"),
    NavEntry("outbox.index", _l("Email log"), STAFF_ROLES, "outbox.", "admin"),
]


# The bar holds a few groups so it stays on one line at 1280 px (the home page is the brand link).
GROUP_LABELS = {
    "partnerships": _l("Partnerships"), "delegations": _l("Delegations"), "business": _l("Firms & B2B"),
    "outcomes": _l("Outcomes"), "admin": _l("Administration"),
}


def nav_items() -> list[dict]:
    """Top-level entries in order; a group appears once, where its first entry stands, with its children.
    The entry (and its group) whose prefix the current endpoint starts with is marked active."""
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    visible = [entry for entry in NAV if current_user.role in entry.roles]
    # one entry is the current page's: the one with the longest matching prefix ("followups.rates" is the
    # exchange rates, not the follow-ups too)
    current = max((entry for entry in visible if endpoint.startswith(entry.prefix)),
                  key=lambda entry: len(entry.prefix), default=None)
    items, groups = [], {}
    for entry in visible:
        link = {"url": url_for(entry.endpoint), "label": entry.label, "active": entry is current,
                "children": None}
        if entry.group is None:
            items.append(link)
        elif entry.group in groups:
            groups[entry.group]["children"].append(link)
            groups[entry.group]["active"] |= link["active"]
        else:
            groups[entry.group] = {"label": GROUP_LABELS[entry.group], "children": [link], "active": link["active"]}
            items.append(groups[entry.group])
    return items
