"""An event's dietary sheet, for the kitchen or the restaurant: how many of those coming eat which diet, what
each diet rules out (in English and Japanese, whatever the page's language: planner/delegations/diets.py),
and each diner's allergies and other needs as recorded.

Those who declined the event's invite are not counted (they are named, so that a late change of mind is seen);
everyone else is: an invite not answered yet is a guest the kitchen must still plan for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.delegations.diets import BY_KEY, DIETS, Diet
from planner.delegations.models import Person
from planner.itinerary.models import Event

# The sheet's captions, English with Japanese: the same on every page whatever its language (a kitchen in
# Japan or in India reads it), so not in the translation catalogue.
CAPTIONS = {
    "title": ("Dietary sheet", "お食事に関する配慮のお願い"),
    "cancelled": ("CANCELLED: not to be prepared", "中止になりました(手配不要)"),
    "event": ("Event", "行事"), "when": ("Date and time", "日時"),
    "venue": ("Venue", "会場"), "guests": ("Guests", "人数"), "diet": ("Diet", "食事制限"),
    "rules_out": ("Not to be served", "提供できない食材"), "plain": ("No particular diet", "特になし"),
    "total": ("Total", "合計"), "name": ("Name", "氏名"), "notes": ("Allergies and other needs", "アレルギー・その他"),
    "declined": ("Declined, not counted", "欠席（人数に含まず）"),
}


@dataclass
class Diner:
    person: Person
    diet: Diet | None  # None: no particular diet
    notes: str  # allergies and anything else, as typed


@dataclass
class DietarySheet:
    diners: list[Diner] = field(default_factory=list)  # in the event's order of attendees
    declined: list[Person] = field(default_factory=list)
    counts: list[tuple[Diet, int]] = field(default_factory=list)  # the diets someone eats, in the list's order

    @property
    def plain(self) -> int:
        """How many have no particular diet."""
        return sum(1 for diner in self.diners if diner.diet is None)

    @property
    def dashi_matters(self) -> bool:
        """Someone coming eats no fish, so the kitchen must hear that fish stock is fish."""
        return any(diner.diet is not None and diner.diet.vegetarian for diner in self.diners)


def guests(event: Event) -> tuple[list[Person], list[Person]]:
    """Those coming (everyone but who declined the invite: an unanswered one is still expected) and those who
    declined, in the event's order of attendees."""
    answers = {link.person_id: link.rsvp for link in event.attendee_links}
    coming, declined = [], []
    for person in event.attendees:
        (declined if answers.get(person.id) == "declined" else coming).append(person)
    return coming, declined


def dietary_sheet(event: Event) -> DietarySheet:
    coming, declined = guests(event)
    sheet = DietarySheet(declined=declined)
    for person in coming:
        sheet.diners.append(Diner(person, BY_KEY.get(person.diet), (person.dietary or "").strip()))
    eaten = [diner.diet.key for diner in sheet.diners if diner.diet is not None]
    sheet.counts = [(diet, eaten.count(diet.key)) for diet in DIETS if diet.key in eaten]
    return sheet
