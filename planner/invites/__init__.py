"""Calendar invites and their email messages (pure builders: values in, bytes out).

No Flask and no database here; the outbox worker and the feed view call these.
See shared INVITES.md for the rules they implement.
"""

from .ical import (
    DEFAULT_PRODID,
    METHODS,
    Attendee,
    CalendarEvent,
    Organizer,
    build_calendar,
    calendar_method,
)
from .mime import ATTACHMENT_FILENAME, build_invite_message, build_plain_message, message_bytes
from .text import clean_line, clean_text, normalize_email

__all__ = [
    "ATTACHMENT_FILENAME",
    "DEFAULT_PRODID",
    "METHODS",
    "Attendee",
    "CalendarEvent",
    "Organizer",
    "build_calendar",
    "build_invite_message",
    "build_plain_message",
    "calendar_method",
    "clean_line",
    "clean_text",
    "message_bytes",
    "normalize_email",
]
