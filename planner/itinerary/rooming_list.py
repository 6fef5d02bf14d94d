"""A hotel stay's rooming list (ルーミングリスト), for the hotel: the group, the dates, and a line per guest with
the name as in the passport (what the front desk checks), the Japanese name, and what breakfast and the room
must allow for (diet, allergies, accessibility).

Built from a stay event (kind "stay", check-in to check-out on the hotel's clock) and its attendees; those who
declined the invite are named apart, not counted. Bilingual whatever the page's language, as the stay schedule
and the dietary sheet: a hotel in Japan or in India reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.delegations.diets import BY_KEY, Diet
from planner.delegations.models import Person
from planner.itinerary.dietary_sheet import guests
from planner.itinerary.models import Event

CAPTIONS = {
    "title": ("Rooming list", "ルーミングリスト"),
    "cancelled": ("CANCELLED: not to be prepared", "中止になりました(手配不要)"),
    "hotel": ("Hotel", "ホテル"), "group": ("Group", "団体名"),
    "check_in": ("Check-in", "チェックイン"), "check_out": ("Check-out", "チェックアウト"), "nights": ("Nights", "泊数"),
    "guests": ("Guests", "人数"), "room_nights": ("Room nights, one room each", "延べ室泊数(1人1室)"),
    "name": ("Name as in passport", "氏名(旅券表記)"), "name_ja": ("Name in Japanese", "日本語氏名"),
    "diet": ("Diet (breakfast)", "食事制限(朝食)"), "needs": ("Allergies, accessibility", "アレルギー・配慮事項"),
    "declined": ("Cancelled, not counted", "キャンセル(人数に含まず)"),
}


@dataclass
class Guest:
    person: Person
    diet: Diet | None
    needs: str  # allergies and accessibility needs, as typed


@dataclass
class RoomingList:
    nights: int
    guests: list[Guest] = field(default_factory=list)
    declined: list[Person] = field(default_factory=list)

    @property
    def room_nights(self) -> int:
        return self.nights * len(self.guests)


def rooming_list(event: Event) -> RoomingList:
    coming, declined = guests(event)
    nights = max(0, (event.local_end.date() - event.local_start.date()).days)
    return RoomingList(nights, [Guest(person, BY_KEY.get(person.diet),
                                      "; ".join(part for part in ((person.dietary or "").strip(),
                                                                  (person.accessibility or "").strip()) if part))
                                for person in coming], declined)
