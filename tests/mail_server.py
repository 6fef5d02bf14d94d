"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests, shared by the invite and outbox tests.

``smtp_server`` (a fixture, re-exported by the conftests that use it) yields an :class:`SMTPServer` with
``.host``, ``.port``, ``.messages`` (raw bytes of each mail as received), ``.envelopes`` (sender, recipients,
bytes, connection number), ``.wait_for(n, timeout)``, and for fault tests ``.stop()`` / ``.start()`` (the
same port again), ``.delay`` (seconds the server waits before accepting each message), ``.refused``
(recipients it answers 550), ``.deferred`` (451, try again later) and ``.closing`` (421, closing the
connection).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class ReceivedEnvelope:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    session: int = 0  # which SMTP connection brought it (numbered from 1 in order of arrival)


class _RecordingHandler:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list[ReceivedEnvelope] = []
        self.delay = 0.0
        self.refused: set[str] = set()  # recipients answered "550" at RCPT
        self.deferred: set[str] = set()  # recipients answered "451" (try again later) at RCPT
        self.closing: set[str] = set()  # recipients answered "421" (closing the connection) at RCPT
        self._session_count = 0
        self._changed = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        if address in self.deferred:
            return "451 4.3.0 Mailbox busy, try again later"
        if address in self.closing:
            return "421 4.7.0 Too many messages, try again later, closing connection"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        data = envelope.original_content or envelope.content
        with self._changed:
            number = getattr(session, "test_number", None)
            if number is None:
                self._session_count += 1
                number = session.test_number = self._session_count
            self.envelopes.append(
                ReceivedEnvelope(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(data), number))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[ReceivedEnvelope]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.envelopes) >= count, timeout):
                raise AssertionError(
                    f"expected {count} message(s) within {timeout}s, got {len(self.envelopes)}"
                )
            return list(self.envelopes)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _controller(handler: _RecordingHandler, port: int) -> Controller:
    return Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        server_hostname="smtp.test.example",  # avoids a getfqdn() DNS lookup
        ready_timeout=5.0,
    )


def start_smtp_server() -> tuple[Controller, _RecordingHandler]:
    """Start aiosmtpd on a free loopback port (a few tries against port races)."""
    last_error: Exception | None = None
    for _ in range(5):
        handler = _RecordingHandler()
        controller = _controller(handler, _free_port())
        try:
            controller.start()
        except Exception as exc:  # port taken between _free_port() and bind
            last_error = exc
            continue
        return controller, handler
    raise RuntimeError(f"could not start the test SMTP server: {last_error}")


class SMTPServer:
    """A running aiosmtpd server on 127.0.0.1 that records what it receives."""

    def __init__(self, controller: Controller, handler: _RecordingHandler) -> None:
        self._controller: Controller | None = controller
        self._handler = handler
        self.host: str = controller.hostname
        self.port: int = controller.port

    @property
    def envelopes(self) -> list[ReceivedEnvelope]:
        return list(self._handler.envelopes)

    @property
    def messages(self) -> list[bytes]:
        return [envelope.data for envelope in self._handler.envelopes]

    @property
    def refused(self) -> set[str]:
        return self._handler.refused

    @property
    def deferred(self) -> set[str]:
        return self._handler.deferred

    @property
    def closing(self) -> set[str]:
        return self._handler.closing

    @property
    def delay(self) -> float:
        return self._handler.delay

    @delay.setter
    def delay(self, seconds: float) -> None:
        self._handler.delay = seconds

    def wait_for(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until ``count`` messages have arrived; AssertionError on timeout."""
        return [envelope.data for envelope in self._handler.wait_for(count, timeout)]

    def stop(self) -> None:
        """Take the server down (connections to its port are refused until :meth:`start`)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def start(self) -> None:
        """Bring the server back on the same port, keeping what it received so far."""
        if self._controller is None:
            controller = _controller(self._handler, self.port)
            controller.start()
            self._controller = controller


@pytest.fixture
def smtp_server():
    controller, handler = start_smtp_server()
    server = SMTPServer(controller, handler)
    try:
        yield server
    finally:
        server.stop()
