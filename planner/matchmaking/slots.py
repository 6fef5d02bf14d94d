"""Slot generation for a B2B session: a pure function of the session's settings (no Flask, no database).

Slots follow each other with a fixed length and a pause between them. An optional lunch break splits the day:
a slot that would overlap the break starts after it instead. Slots that start before the break are the morning
(the solver's ``morning_slots``); the rest are the afternoon.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MAX_SLOTS = 60
DAY = timedelta(days=1)


def N_(message: str) -> str:
    """Marks `message` for the translation catalogue; the web layer translates it (this module has no Flask)."""
    return message


class SlotSettingsError(ValueError):
    """The settings cannot produce a valid day of slots; `field` names the setting at fault. `message` is the
    untranslated text with %(name)s placeholders for `params`; str() gives it filled in, in English."""

    def __init__(self, message: str, field: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params, self.field = message, params, field


@dataclass(frozen=True)
class Slot:
    number: int  # 1-based, as the solver numbers them
    start: time
    end: time
    is_morning: bool


@dataclass(frozen=True)
class SlotPlan:
    slots: tuple[Slot, ...]
    morning_slots: int | None  # None without a lunch break (the solver then knows no morning/afternoon)

    def slot(self, number: int) -> Slot:
        return self.slots[number - 1]

    def __len__(self) -> int:
        return len(self.slots)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def generate_slots(first_start: time, slot_minutes: int, pause_minutes: int = 0, *, count: int | None = None,
                   day_end: time | None = None, lunch_start: time | None = None,
                   lunch_minutes: int | None = None, strict: bool = False) -> SlotPlan:
    """The slots of one day. Give either `count` (number of slots) or `day_end` (no slot ends after it).
    ``strict`` (settings being saved): the day must hold a slot, and a lunch break must fall between two
    slots.  Not for reading the slots of a session saved before those rules (its pages would fail)."""
    if not 5 <= slot_minutes <= 240:
        raise SlotSettingsError(N_("A slot lasts from 5 to 240 minutes."), "slot_minutes")
    if not 0 <= pause_minutes <= 120:
        raise SlotSettingsError(N_("A pause lasts from 0 to 120 minutes."), "pause_minutes")
    if (count is None) == (day_end is None):
        raise SlotSettingsError(N_("Give either the number of slots or the end of the day."), "slot_count")
    if count is not None and not 1 <= count <= MAX_SLOTS:
        raise SlotSettingsError(N_("A session has from 1 to %(n)d slots."), "slot_count", n=MAX_SLOTS)
    if (lunch_start is None) != (lunch_minutes is None):
        raise SlotSettingsError(N_("Give both the start and the length of the lunch break, or neither."),
                                "lunch_minutes")
    if lunch_minutes is not None and not 1 <= lunch_minutes <= 240:
        raise SlotSettingsError(N_("A lunch break lasts from 1 to 240 minutes."), "lunch_minutes")
    start = _minutes(first_start)
    # a slot ends at 23:59 at the latest: a time of day has no 24:00
    end_limit = _minutes(day_end) if day_end is not None else 24 * 60 - 1
    if day_end is not None and end_limit < start + slot_minutes:
        raise SlotSettingsError(N_("The day ends before the first slot does."), "day_end")
    lunch_from = _minutes(lunch_start) if lunch_start is not None else None
    lunch_until = lunch_from + lunch_minutes if lunch_from is not None else None
    if lunch_from is not None and lunch_from < start:
        raise SlotSettingsError(N_("The lunch break starts before the first slot."), "lunch_start")

    slots: list[Slot] = []
    lunch_taken = lunch_from is None
    while count is None or len(slots) < count:
        if not lunch_taken and start + slot_minutes > lunch_from:
            start, lunch_taken = max(start, lunch_until), True
        end = start + slot_minutes
        if end > end_limit:
            if count is not None:
                raise SlotSettingsError(N_("The slots must end before midnight; use fewer or shorter slots."),
                                        "slot_count")
            break
        if len(slots) >= MAX_SLOTS:
            raise SlotSettingsError(N_("A session has at most %(n)d slots; the day is too long."), "day_end",
                                    n=MAX_SLOTS)
        slots.append(Slot(len(slots) + 1, _clock(start), _clock(end), not lunch_taken))
        start = end + pause_minutes
    if strict and not slots:  # a lunch break took the only room there was
        raise SlotSettingsError(N_("No slot fits into the day; start earlier, end later or shorten the lunch "
                                   "break."), "day_end")
    morning = None if lunch_from is None else sum(1 for s in slots if s.is_morning)
    if strict and morning is not None and not 0 < morning < len(slots):
        # a break before the first slot or after the last splits nothing: every slot would count as
        # morning (or afternoon), and an afternoon-only meeting could never be placed
        raise SlotSettingsError(N_("The lunch break must fall between two slots of the day."), "lunch_start")
    return SlotPlan(tuple(slots), morning)


def slot_instants(day: date, slot: Slot, zone) -> tuple[datetime, datetime]:
    """The slot's start and end as aware datetimes in the venue's zone."""
    return datetime.combine(day, slot.start, zone), datetime.combine(day, slot.end, zone)
