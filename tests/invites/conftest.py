"""Fixtures for the invite tests: a real SMTP server (aiosmtpd) on 127.0.0.1
(``smtp_server``, from tests/mail_server.py, shared with the outbox tests) and a
factory for a typical meeting.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.invites import Attendee, CalendarEvent, Organizer
from tests.mail_server import SMTPServer, smtp_server, start_smtp_server  # noqa: F401 (fixture re-exported)

TOKYO = ZoneInfo("Asia/Tokyo")

ORGANIZER_EMAIL = "cell@gujarat-invest.example"


# --- a typical meeting ---------------------------------------------------------


def _event(**overrides) -> CalendarEvent:
    values = dict(
        uid="b2b-meeting-42@planner.example",
        sequence=0,
        summary="B2B: Suzuki Seiki × Ahmedabad Tools",
        description=(
            "Gujarat–Shizuoka B2B session, table 3\n"
            "IST: Mon 2 Jun 2025, 06:30–06:50\n"
            "JST: Mon 2 Jun 2025, 10:00–10:20"
        ),
        location="Granship, Shizuoka, table 3",
        start=datetime(2025, 6, 2, 10, 0, tzinfo=TOKYO),
        end=datetime(2025, 6, 2, 10, 20, tzinfo=TOKYO),
        tzid="Asia/Tokyo",
        organizer=Organizer(ORGANIZER_EMAIL, "Gujarat Investment Cell"),
        attendees=(
            Attendee("taro.yamada@suzuki-seiki.example", "山田 太郎"),
            Attendee("priya.shah@ahmedabad-tools.example", "Priya Shah"),
        ),
    )
    values.update(overrides)
    return CalendarEvent(**values)


@pytest.fixture
def make_event():
    """``make_event(**overrides)`` -> a CalendarEvent for a B2B meeting on
    2 June 2025, 10:00–10:20 Asia/Tokyo (01:00 UTC, 06:30 IST)."""
    return _event
