"""Name badges for a delegation's members and hosts, printed on A4 and cut out: read by both sides, so each
badge carries both scripts (the romanised name and the Japanese one, the region's English and Japanese names,
the role in both languages) whatever the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from planner.delegations.forms import ROLE_LABELS
from planner.i18n.names import INDIAN_REGIONS_JA, affiliation


@dataclass(frozen=True)
class Badge:
    name: str
    name_ja: str  # "" when the person has none
    position: str  # title, organisation
    region: str
    region_ja: str
    role: str  # "Head of delegation"
    role_ja: str  # "団長"
    side: str  # "sending" or "host": the colour of the badge's band


def role_words(role: str) -> tuple[str, str]:
    """The role in English and in Japanese, from the catalogue."""
    words = []
    for language in ("en", "ja"):
        with force_locale(language):
            words.append(str(ROLE_LABELS.get(role, role)))
    return words[0], words[1]


def badges(delegation) -> list[Badge]:
    """One badge per member, in order of precedence (the delegation's own order)."""
    cards = []
    for member in delegation.members:
        person, region = member.person, member.person.home_region
        english, japanese = role_words(member.role)
        cards.append(Badge(
            name=person.name, name_ja=person.name_ja if person.name_ja != person.name else "",
            position=", ".join(part for part in (person.title, affiliation(person)) if part),
            region=region.name if region else "",
            region_ja=(region.name_ja or INDIAN_REGIONS_JA.get(region.code, "")) if region else "",
            role=english, role_ja=japanese, side="host" if member.role == "host" else "sending"))
    return cards
