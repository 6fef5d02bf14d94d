"""From an itinerary event or a B2B meeting, as plain values, to what an invite says, in a language.

Pure: no Flask and no database. :class:`Subject` is filled by planner.invites.subjects; the email bodies are
templates (templates/invites/) rendered with :func:`body_context`; the calendar object comes from
:func:`calendar_event` and planner.invites.ical.build_calendar, for the email, the .ics download and the feed.

A language is "en", "ja" or :data:`BOTH` (the organiser's bilingual choice: the Japanese text first, then
the English). Labels are translated by the caller's ``translate(language, message)``
(planner.invites.language.translate reads the app's catalogue); without one they stay English. Only SUMMARY and
DESCRIPTION, and LOCATION when the venue has a Japanese name, differ between languages: UID, SEQUENCE, times
and attendees are the same, so every language variant is the same calendar event. An event's title, its
delegation's title and its venue's name may each have a Japanese version (``*_ja``): a Japanese text gets it,
an English one the text as entered, a bilingual one both ("日本語 / English") when they differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.core.bilingual import both, in_language
from planner.core.timefmt import IST, JST, format_local, zone_label
from planner.invites.ical import Attendee, CalendarEvent, Organizer

BOTH = "both"  # Subject.invite_language and a text's language: Japanese first, then English
SEPARATOR = "-" * 40  # between the Japanese and the English text (DESCRIPTION, mail text)

Translate = Callable[[str, str], str]  # (language, message) -> the message in that language


def untranslated(language: str, message: str) -> str:
    return message


def _(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is used, by the caller's ``translate``."""
    return message


MEETING_TITLE = _("B2B: %(first)s × %(second)s")
VENUE_TIME = _("Venue time")
WHERE = _("Venue")  # as the mail text labels it
ORGANISER = _("Organiser")


@dataclass(frozen=True)
class Recipient:
    person_id: int
    email: str
    name: str
    firm_index: int | None = None  # B2B: which of Subject.firms the person represents
    language: str = "en"  # the person's preferred language: their mail's subject, text and dates
    name_ja: str = ""  # the person's Japanese name, where given
    # whether the person logs in to the planner (a delegate account): only then does 'Your agenda' lead
    # anywhere but a login page they have no password for
    has_account: bool = False

    def name_in(self, language: str) -> str:
        """How a mail in ``language`` addresses the person: 山田 花子 in Japanese, where given."""
        return self.name_ja if language == "ja" and self.name_ja else self.name

    @property
    def mailbox_name(self) -> str:
        """The name on the To: line, in the person's own language."""
        return self.name_in(self.language)


@dataclass(frozen=True)
class Firm:
    name: str
    representatives: tuple[str, ...] = ()
    name_ja: str = ""  # the firm's Japanese name, where one is given
    representatives_ja: tuple[str, ...] = ()  # the same people by their Japanese names (else the romanised)

    def in_language(self, language: str) -> Firm:
        """The firm as a reader of ``language`` sees it: by its Japanese names in Japanese, where given."""
        if language != "ja":
            return self
        return Firm(self.name_ja or self.name, self.representatives_ja or self.representatives)


@dataclass(frozen=True)
class Subject:
    """One event or meeting as its invites describe it. ``start``/``end`` are aware; ``tzid`` is the venue's."""

    kind: str  # "event" or "meeting"
    object_id: int
    uid: str
    sequence: int
    title: str
    start: datetime
    end: datetime
    tzid: str
    active: bool  # on people's calendars (scheduled, and the delegation confirmed)
    recipients: tuple[Recipient, ...] = ()
    venue_name: str = ""
    venue_address: str = ""
    table: str = ""
    delegation: str = ""
    organiser_contact: str = ""
    notes: str = ""
    firms: tuple[Firm, ...] = ()  # B2B: (Indian firm, Japanese firm)
    invite_language: str = "recipient"  # the organiser's choice: each recipient's language, or BOTH
    interpreter_id: int | None = None  # B2B: the person assigned to interpret (a recipient without a firm)
    interpreter: str = ""
    interpreter_ja: str = ""
    regions: tuple = field(default=(), compare=False)  # Region rows, for the email log's scope only
    end_tzid: str = ""  # the clock the end is on when not the start's (a flight's arrival)
    cancel_reason: str = ""  # what the organiser gave as the reason for calling it off: in the CANCEL mail
    title_ja: str = ""  # an event's title for Japanese readers ("": the title)
    venue_name_ja: str = ""
    delegation_ja: str = ""

    @property
    def related_type(self) -> str:
        return "event" if self.kind == "event" else "b2b_meeting"


def in_text_language(text: str, text_ja: str, language: str) -> str:
    """A text entered with an optional Japanese version, as a text in ``language`` shows it."""
    return both(text, text_ja) if language == BOTH else in_language(text, text_ja, language)


def venue_name(subject: Subject, language: str = "en") -> str:
    return in_text_language(subject.venue_name, subject.venue_name_ja, language)


def delegation_title(subject: Subject, language: str = "en") -> str:
    """The delegation (for an event) or the B2B session (for a meeting) it belongs to."""
    return in_text_language(subject.delegation, subject.delegation_ja, language)


def location(subject: Subject, language: str = "en") -> str:
    parts = [venue_name(subject, language), subject.venue_address, subject.table]
    return ", ".join(part for part in parts if part)


def _span(start: datetime, end: datetime, zone, language: str | None = None) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    same_day = local_start.date() == local_end.date()
    return (f"{format_local(local_start, language=language)}–"
            f"{format_local(local_end, with_date=not same_day, language=language)}")


def _local_span(subject: Subject, language: str | None) -> str:
    """The time on the venue's clock; a flight from its departure's clock to its arrival's: '01:30 IST–14:45
    JST', as the itinerary shows it."""
    if not subject.end_tzid or subject.end_tzid == subject.tzid:
        return f"{_span(subject.start, subject.end, ZoneInfo(subject.tzid), language)} {zone_label(subject.tzid)}"
    start, end = subject.start.astimezone(ZoneInfo(subject.tzid)), subject.end.astimezone(ZoneInfo(subject.end_tzid))
    return (f"{format_local(start, language=language)} {zone_label(subject.tzid)}–"
            f"{format_local(end, with_date=start.date() != end.date(), language=language)} "
            f"{zone_label(subject.end_tzid)}")


def earlier_time(subject: Subject, start: datetime, end: datetime, tzid: str, language: str | None = None) -> str:
    """The time an update replaces, on the venue's clock and on the other side's: 'Tue 13 Oct 2026, 10:00–11:00
    JST · Tue 13 Oct 2026, 06:30–07:30 IST' (both IST and JST when the venue keeps neither). Start and end on
    the start's clock: the invite keeps no earlier end zone, and a flight's reads right on both lines anyway
    ('01:30–11:15 IST · 05:00–14:45 JST')."""
    when = times(replace(subject, start=start, end=end, tzid=tzid, end_tzid=""), language)
    others = [label for label, zone in (("IST", "Asia/Kolkata"), ("JST", "Asia/Tokyo")) if zone != tzid]
    return " · ".join([when["local"], *(f"{when[label.lower()]} {label}" for label in others)])


def times(subject: Subject, language: str | None = None) -> dict[str, str]:
    """The time at the venue, in IST and in JST, as people read them (in ``language``, else the locale's)."""
    return {"local": _local_span(subject, language),
            "ist": _span(subject.start, subject.end, IST, language),
            "jst": _span(subject.start, subject.end, JST, language), "zone": subject.tzid}


def counterpart(subject: Subject, recipient: Recipient | None, language: str = "en") -> Firm | None:
    """The firm across the table from the recipient (B2B meetings), as a reader of ``language`` sees it."""
    if len(subject.firms) != 2 or recipient is None or recipient.firm_index is None:
        return None
    return subject.firms[1 - recipient.firm_index].in_language(language)


def interpreter_name(subject: Subject, language: str) -> str:
    return (subject.interpreter_ja or subject.interpreter) if language == "ja" else subject.interpreter


def interpreting(subject: Subject, recipient: Recipient | None, language: str = "en") -> tuple[Firm, ...]:
    """The two firms, when the recipient is the meeting's interpreter (nobody across the table: both sides)."""
    if recipient is None or subject.interpreter_id is None or recipient.person_id != subject.interpreter_id:
        return ()
    return tuple(firm.in_language(language) for firm in subject.firms)


def languages(language: str) -> tuple[str, ...]:
    """The languages a text in ``language`` is written in, in order."""
    return ("ja", "en") if language == BOTH else (language,)


def recipient_language(subject: Subject, recipient: Recipient) -> str:
    """What the recipient's mail and calendar are written in: BOTH when the organiser chose it, else theirs."""
    return BOTH if subject.invite_language == BOTH else recipient.language


def title(subject: Subject, language: str = "en", translate: Translate = untranslated) -> str:
    """SUMMARY and the mail's heading. Itinerary events keep the title as entered; a B2B meeting's title names
    the firms, in Japanese by their Japanese names. BOTH: "日本語 / English" when the two differ."""
    if language == BOTH:
        japanese, english = title(subject, "ja", translate), title(subject, "en", translate)
        return english if japanese == english else f"{japanese} / {english}"
    if language == "ja" and subject.kind == "meeting" and len(subject.firms) == 2:
        first, second = (firm.in_language("ja").name for firm in subject.firms)
        return translate("ja", MEETING_TITLE) % {"first": first, "second": second}
    return in_language(subject.title, subject.title_ja, language)


def _firm_line(firm: Firm) -> str:
    return firm.name + (f" ({', '.join(firm.representatives)})" if firm.representatives else "")


def _details(subject: Subject, language: str, translate: Translate) -> str:
    when = times(subject, language=language)
    lines = [title(subject, language, translate)]
    if subject.firms:
        lines.append(" × ".join(_firm_line(firm.in_language(language)) for firm in subject.firms))
    if subject.delegation:
        lines.append(delegation_title(subject, language))
    lines += [f"{translate(language, VENUE_TIME)}: {when['local']}", f"IST: {when['ist']}",
              f"JST: {when['jst']}"]
    if location(subject):
        lines.append(f"{translate(language, WHERE)}: {location(subject, language)}")
    if subject.organiser_contact:
        lines.append(f"{translate(language, ORGANISER)}: {subject.organiser_contact}")
    return "\n".join(lines)


def description(subject: Subject, language: str = "en", translate: Translate = untranslated) -> str:
    """DESCRIPTION: what, who, when (venue time, IST, JST, dates as the language writes them), where and the
    organiser; under BOTH the Japanese block, a separator line, the English block. The organiser's notes (as
    entered, in no particular language) follow once."""
    text = f"\n{SEPARATOR}\n".join(_details(subject, part, translate) for part in languages(language))
    if subject.notes:
        text += "\n\n" + subject.notes
    return text


def calendar_event(subject: Subject, organizer: Organizer, attendees: Sequence[Recipient], *, sequence: int,
                   cancelled: bool = False, url: str | None = None, language: str = "en",
                   translate: Translate = untranslated, answers: Mapping[int, str] | None = None) -> CalendarEvent:
    """``answers``: each attendee's PARTSTAT by person id (a feed shows them); without, NEEDS-ACTION, as an invite
    asks [r6]."""
    answers = answers or {}
    return CalendarEvent(
        uid=subject.uid, sequence=sequence, summary=title(subject, language, translate), start=subject.start,
        end=subject.end, tzid=subject.tzid, organizer=organizer,
        attendees=tuple(Attendee(r.email, r.name, partstat=answers.get(r.person_id, "NEEDS-ACTION"))
                        for r in attendees),
        description=description(subject, language, translate), location=location(subject, language),
        status="CANCELLED" if cancelled else "CONFIRMED", url=url,
        categories=("B2B",) if subject.kind == "meeting" else (), end_tzid=subject.end_tzid or None)


READER_LANGUAGES = ("en", "ja")


def reader_fingerprint(subject: Subject, language: str) -> str:
    """What a change must alter for a reader of ``language`` ("en" or "ja") who holds the invite to get an
    update: time, place, title and status as that reader's invite gives them. A Japanese title or venue name
    changes what Japanese readers read only, and the English one, once a Japanese version is given, what English
    readers read only. The English reader's is the fingerprint invites had before there were Japanese versions."""
    # Not the end zone: the instants carry the change, and flights invited before invites gave it would all
    # get an update (their answers reset) on their next unrelated change
    text = "\x1f".join([subject.start.isoformat(), subject.end.isoformat(), subject.tzid,
                        in_language(subject.title, subject.title_ja, language), location(subject, language),
                        str(subject.active)])
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(subject: Subject) -> str:
    """The one fingerprint invites sent before readers' fingerprints were kept have (the English reader's, and
    the Japanese versions when given): only to recognise such an invite as unchanged."""
    text = "\x1f".join([subject.start.isoformat(), subject.end.isoformat(), subject.tzid, subject.title,
                        location(subject), str(subject.active)])
    text += "".join(f"\x1f{name}={value}" for name, value in (("title_ja", subject.title_ja),
                                                              ("venue_ja", subject.venue_name_ja)) if value)
    return hashlib.sha256(text.encode()).hexdigest()


def changed_languages(subject: Subject, stored: str, stored_ja: str) -> frozenset[str]:
    """The reader languages whose invite reads differently now than when it was last sent, from the stored
    English (``stored``) and Japanese (``stored_ja``) readers' fingerprints. An invite sent before the Japanese
    reader's was kept (``stored_ja`` "") has the one :func:`fingerprint`: Japanese readers read the English
    text then unless it had Japanese versions, so they alone get an update for a Japanese version given since."""
    if stored_ja:
        return frozenset(language for language, before in zip(READER_LANGUAGES, (stored, stored_ja), strict=True)
                         if before != reader_fingerprint(subject, language))
    if stored == fingerprint(subject):
        return frozenset()
    if stored == reader_fingerprint(subject, "en"):  # it had no Japanese version, and has one now
        # Japanese readers read the English text then: theirs is new only when it differs (a venue whose
        # Japanese name is typed as its English one reads the same)
        return frozenset({"ja"}) if reader_fingerprint(subject, "ja") != stored else frozenset()
    return frozenset(READER_LANGUAGES)


def reads_changed(changed: frozenset[str], language: str) -> bool:
    """Whether a recipient whose mail is in ``language`` ("en", "ja" or BOTH) reads a change among ``changed``."""
    return any(part in changed for part in languages(language))


def body_context(subject: Subject, recipient: Recipient, *, language: str, method: str, is_update: bool,
                 translate: Translate = untranslated, earlier: tuple[datetime, datetime, str] | None = None,
                 more_changed: frozenset[str] = frozenset()) -> dict:
    """What the mail's details show in one language (templates/invites/_email_details.*): what, when (venue
    time, IST, JST), where, table, counterpart (or, for the interpreter, both firms), the interpreter and
    organiser. The answer links, the agenda link and the notes
    come once per mail, after the details in each language."""
    return {"subject": subject, "title": title(subject, language, translate), "recipient": recipient,
            "method": method, "when": times(subject, language), "where": location(subject, language),
            "venue_name": venue_name(subject, language), "delegation": delegation_title(subject, language),
            "counterpart": counterpart(subject, recipient, language),
            "interpreting": " × ".join(_firm_line(firm) for firm in interpreting(subject, recipient, language)),
            "interpreter": interpreter_name(subject, language), "language": language,
            "is_update": is_update, "is_cancel": method == "CANCEL",
            "greeting_name": recipient.name_in(language),
            "reason": subject.cancel_reason if method == "CANCEL" and not subject.active else "",
            # an update that moved it: the time it replaces ((start, end, zone) as the recipient last had it)
            "earlier": earlier_time(subject, *earlier, language=language) if is_update and earlier else "",
            # ... and the place or title changed as well, for a reader of this language
            "more_changed": bool(is_update and earlier and language in more_changed),
            # a CANCEL while the event or meeting goes on: this recipient was taken off it (or it now goes to
            # another address), which 'This meeting is cancelled' misstated
            "is_removed": method == "CANCEL" and subject.active}
