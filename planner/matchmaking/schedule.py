"""Read-side of a session: slots in venue time with IST and JST, the tables × slots grid, per-firm agendas,
per-table sheets, the CSV export, and the meetings a person attends or interprets (their agenda)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from planner.core.access import scope_clause
from planner.core.spreadsheets import spreadsheet_text
from planner.core.timefmt import IST, JST, zone_label
from planner.delegations.models import Person
from planner.extensions import db
from planner.i18n.names import local_name
from planner.matchmaking.forms import MEETING_STATUS_LABELS, PRIORITY_LABELS
from planner.matchmaking.models import (
    B2BParticipant,
    B2BSession,
    B2BTable,
    Meeting,
    participant_representatives,
)
from planner.matchmaking.operations import slot_plan
from planner.matchmaking.slots import Slot, slot_instants


@dataclass(frozen=True)
class SlotTime:
    number: int
    is_morning: bool
    local: str  # "14:00–14:20"
    ist: str
    jst: str
    zone: str  # the venue's zone label, e.g. JST
    # the slot's start and end at the venue (aware): the dates of the CSV's times
    starts_at: datetime | None = field(default=None, compare=False)
    ends_at: datetime | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.local} {self.zone} ({self.ist} IST · {self.jst} JST)"

    def gap_until(self, later: "SlotTime") -> str:
        """'12:00–13:00 JST': from this slot's end to `later`'s start, in venue time (the lunch break's row)."""
        return f"{self.local.split('–')[1]}–{later.local.split('–')[0]} {self.zone}"


def _span(start, end) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def slot_time(session: B2BSession, slot: Slot) -> SlotTime:
    zone = session.event.zone
    day = session.event.local_start.date()
    start, end = slot_instants(day, slot, zone)
    return SlotTime(slot.number, slot.is_morning, _span(start, end), _span(start.astimezone(IST), end.astimezone(IST)),
                    _span(start.astimezone(JST), end.astimezone(JST)), zone_label(session.event.timezone), start, end)


def slot_times(session: B2BSession) -> list[SlotTime]:
    return [slot_time(session, slot) for slot in slot_plan(session).slots]


def session_day(session: B2BSession):
    return session.event.local_start.date()


def participants(session: B2BSession, side: str | None = None) -> list[B2BParticipant]:
    stmt = select(B2BParticipant).where(B2BParticipant.session_id == session.id)
    if side:
        stmt = stmt.where(B2BParticipant.side == side)
    return sorted(db.session.scalars(stmt).unique(), key=lambda p: (p.side, p.firm.name.lower()))


def session_meetings(session: B2BSession, *, include_cancelled: bool = False, viewer=None) -> list[Meeting]:
    """The session's meetings; with `viewer`, only those that user may see: organisers see them all, a cell or
    office whose firm merely takes part sees its own firms' meetings, not the rest of the session."""
    stmt = select(Meeting).where(Meeting.session_id == session.id)
    if viewer is not None:
        stmt = stmt.where(scope_clause(Meeting, viewer))
    if not include_cancelled:
        stmt = stmt.where(Meeting.status != "cancelled")
    return sorted(db.session.scalars(stmt).unique(),
                  key=lambda m: (m.slot is None, m.slot or 0, m.table.number if m.table else 0, m.id))


def grid(session: B2BSession, viewer=None) -> dict[tuple[int, int], Meeting]:
    """(slot, table id) -> the meeting there (those `viewer` may see, when given)."""
    return {(m.slot, m.table_id): m for m in session_meetings(session, viewer=viewer) if m.status == "scheduled"}


def table_sheet(table: B2BTable, viewer=None) -> list[tuple[SlotTime, Meeting | None]]:
    session = table.session
    at_table = {slot: m for (slot, table_id), m in grid(session, viewer).items() if table_id == table.id}
    return [(time, at_table.get(time.number)) for time in slot_times(session)]


def breaks_of(meetings: list[Meeting]) -> int:
    """Idle slots between a firm's first and last meeting."""
    slots = sorted(m.slot for m in meetings if m.slot is not None)
    return (slots[-1] - slots[0] + 1 - len(slots)) if slots else 0


# The column names are fixed (for spreadsheets and tools); the words and names are in the user's language.
# As in the itinerary's CSV, "date" is the venue's date and every time carries its own date: a late slot's IST
# or JST date can differ from the venue's.
CSV_HEADER = ["date", "slot", "venue time", "IST", "JST", "table", "Indian firm", "Japanese firm", "priority",
              "interpreter", "status", "uid", "sequence"]


def _dated_span(start: datetime, end: datetime, zone) -> str:
    """'2026-10-13 06:50–07:10' in `zone` (the end's date too when the span crosses midnight there)."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else \
        f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


def _csv_times(time: SlotTime | None) -> list[str]:
    """The date, venue time, IST and JST cells of a meeting in this slot (empty for a meeting not placed)."""
    if time is None:
        return ["", "", "", ""]
    venue = time.starts_at.tzinfo
    return [time.starts_at.date().isoformat(), f"{_dated_span(time.starts_at, time.ends_at, venue)} {time.zone}",
            _dated_span(time.starts_at, time.ends_at, IST), _dated_span(time.starts_at, time.ends_at, JST)]


def _interpreter_cell(meeting: Meeting) -> str:
    if meeting.interpreter is not None:
        return spreadsheet_text(local_name(meeting.interpreter))
    return str(_l("needed, none assigned")) if meeting.needs_interpreter else str(_l("no"))


def schedule_csv(session: B2BSession, viewer=None) -> str:
    """The schedule as CSV (the meetings `viewer` may see, when given); names go through `spreadsheet_text`, so
    that a firm or table named like a formula stays text in a spreadsheet."""
    times = {time.number: time for time in slot_times(session)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for meeting in session_meetings(session, viewer=viewer):
        time = times.get(meeting.slot)
        date, venue, ist, jst = _csv_times(time)
        writer.writerow([
            date, meeting.slot or "", venue, ist, jst, spreadsheet_text(meeting.table.name) if meeting.table else "",
            spreadsheet_text(local_name(meeting.indian.firm)), spreadsheet_text(local_name(meeting.japanese.firm)),
            str(PRIORITY_LABELS.get(meeting.priority, meeting.priority)), _interpreter_cell(meeting),
            str(MEETING_STATUS_LABELS.get(meeting.status, meeting.status)), meeting.uid, meeting.sequence])
    return out.getvalue()


# A person's agenda: the meetings they attend or interpret ------------------------------------------------


@dataclass
class AgendaMeeting:
    meeting: Meeting
    time: object  # SlotTime
    day: object  # the session's date at the venue


def interpreted_meetings(person: Person, user) -> list[AgendaMeeting]:
    """The scheduled meetings `person` interprets, for their agenda: all of them when it is the person's own
    account, else those `user` may see."""
    return _agenda_meetings(person, user, Meeting.interpreter_id == person.id)


def attended_meetings(person: Person, user) -> list[AgendaMeeting]:
    """The scheduled meetings of the firms `person` represents, for their agenda (a delegate saw only the
    session's block there, the meetings two pages away); the same visibility as ``interpreted_meetings``."""
    represented = select(participant_representatives.c.participant_id).where(
        participant_representatives.c.person_id == person.id)
    return _agenda_meetings(person, user, or_(Meeting.indian_participant_id.in_(represented),
                                              Meeting.japanese_participant_id.in_(represented)))


def _agenda_meetings(person: Person, user, which) -> list[AgendaMeeting]:
    from planner.delegations.models import Delegation
    from planner.itinerary.models import Event

    stmt = (select(Meeting).join(B2BSession, B2BSession.id == Meeting.session_id)
            .join(Event, Event.id == B2BSession.event_id)
            .join(Delegation, Delegation.id == Event.delegation_id)
            .where(which, Meeting.status == "scheduled", Event.status == "scheduled",
                   Delegation.status != "cancelled"))
    if person.user_id is None or person.user_id != getattr(user, "id", None):
        stmt = stmt.where(scope_clause(Meeting, user))
    rows = []
    for meeting in db.session.scalars(stmt).unique():
        plan = slot_plan(meeting.session)
        if meeting.slot is not None and 1 <= meeting.slot <= len(plan):
            rows.append(AgendaMeeting(meeting, slot_time(meeting.session, plan.slot(meeting.slot)),
                                      meeting.session.event.local_start.date()))
    return sorted(rows, key=lambda row: (row.meeting.session.event.starts_at, row.meeting.slot))
