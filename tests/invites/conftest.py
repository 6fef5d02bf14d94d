"""Fixtures for the invite tests: a real SMTP server (aiosmtpd) on 127.0.0.1,
and a factory for a typical meeting.

``smtp_server`` is meant to be reused by the outbox tests: it yields an object
with ``.host``, ``.port``, ``.messages`` (raw bytes of each mail as received),
``.envelopes`` (sender, recipients, bytes) and ``.wait_for(n, timeout)``.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from planner.invites import Attendee, CalendarEvent, Organizer

TOKYO = ZoneInfo("Asia/Tokyo")

ORGANIZER_EMAIL = "cell@gujarat-invest.example"


@dataclass(frozen=True)
class ReceivedEnvelope:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


class _RecordingHandler:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list[ReceivedEnvelope] = []
        self._changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        data = envelope.original_content or envelope.content
        with self._changed:
            self.envelopes.append(ReceivedEnvelope(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(data)))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[ReceivedEnvelope]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.envelopes) >= count, timeout):
                raise AssertionError(
                    f"expected {count} message(s) within {timeout}s, got {len(self.envelopes)}"
                )
            return list(self.envelopes)


class SMTPServer:
    """A running aiosmtpd server on 127.0.0.1 that records what it receives."""

    def __init__(self, controller: Controller, handler: _RecordingHandler) -> None:
        self._controller = controller
        self._handler = handler
        self.host: str = controller.hostname
        self.port: int = controller.port

    @property
    def envelopes(self) -> list[ReceivedEnvelope]:
        return list(self._handler.envelopes)

    @property
    def messages(self) -> list[bytes]:
        return [envelope.data for envelope in self._handler.envelopes]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until ``count`` messages have arrived; AssertionError on timeout."""
        return [envelope.data for envelope in self._handler.wait_for(count, timeout)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp_server() -> tuple[Controller, _RecordingHandler]:
    """Start aiosmtpd on a free loopback port (a few tries against port races)."""
    last_error: Exception | None = None
    for _ in range(5):
        handler = _RecordingHandler()
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=_free_port(),
            server_hostname="smtp.test.example",  # avoids a getfqdn() DNS lookup
            ready_timeout=5.0,
        )
        try:
            controller.start()
        except Exception as exc:  # port taken between _free_port() and bind
            last_error = exc
            continue
        return controller, handler
    raise RuntimeError(f"could not start the test SMTP server: {last_error}")


@pytest.fixture
def smtp_server():
    controller, handler = start_smtp_server()
    try:
        yield SMTPServer(controller, handler)
    finally:
        controller.stop()


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
