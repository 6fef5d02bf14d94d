"""Where the worker hands messages over: an SMTP server, or .eml files in a folder.

Both send the stored bytes unchanged. A transport is opened once per batch (one SMTP connection) and used as
a context manager: ``with transport.open() as connection: connection.send(delivery)``. Failures are raised
as :class:`DeliveryError`; ``permanent`` (a 5xx answer) means trying again will not help.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path

from planner.invites import normalize_email


@dataclass(frozen=True)
class Delivery:
    """One claimed message, as the worker sends it (plain values: no session needed)."""

    id: int
    message_id: str
    to_email: str
    raw: bytes
    attempts: int  # including this one
    created_at: datetime


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, connection_lost: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.connection_lost = connection_lost


def _smtp_error(exc: Exception) -> DeliveryError:
    # 421: the server is closing the connection (smtplib closes it too), typically "try again later" from
    # a rate limit; the messages after this one go back untried instead of failing on a closed connection
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        code, text = answers[0] if answers else (0, b"")
        return DeliveryError(f"recipient refused: {code} {_text(text)}", permanent=500 <= code < 600,
                             connection_lost=code == 421)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"connection lost: {exc}", connection_lost=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"{exc.smtp_code} {_text(exc.smtp_error)}", permanent=500 <= exc.smtp_code < 600,
                             connection_lost=exc.smtp_code == 421)
    if isinstance(exc, OSError | smtplib.SMTPException):  # timeouts, resets, refused connections
        return DeliveryError(f"{type(exc).__name__}: {exc}", connection_lost=True)
    raise exc


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class SMTPTransport:
    """SMTP with the Flask-Mail settings, through smtplib (Flask-Mail's message class cannot set method=)."""

    def __init__(self, *, host: str, port: int, use_tls: bool, use_ssl: bool, username: str | None,
                 password: str | None, timeout: float, envelope_from: str):
        self.host, self.port = host, port
        self.use_tls, self.use_ssl = use_tls, use_ssl
        self.username, self.password = username, password
        self.timeout = timeout
        self.envelope_from = envelope_from

    def describe(self) -> str:
        return f"SMTP {self.host}:{self.port}"

    def open(self) -> _SMTPConnection:
        return _SMTPConnection(self)


class _SMTPConnection:
    def __init__(self, transport: SMTPTransport):
        self.transport = transport
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _SMTPConnection:
        t = self.transport
        # gethostname(), not smtplib's default getfqdn(), which may wait on DNS.
        local = socket.gethostname() or "localhost"
        try:
            if t.use_ssl:
                smtp = smtplib.SMTP_SSL(t.host, t.port, local_hostname=local, timeout=t.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(t.host, t.port, local_hostname=local, timeout=t.timeout)
            self.smtp = smtp
            if t.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if t.username:
                smtp.login(t.username, t.password or "")
        except Exception as exc:
            self._close()
            error = _smtp_error(exc)
            error.connection_lost = True  # nothing can be sent on this connection
            raise error from exc
        return self

    def send(self, delivery: Delivery) -> None:
        assert self.smtp is not None
        try:
            self.smtp.sendmail(self.transport.envelope_from, [delivery.to_email], delivery.raw)
        except Exception as exc:
            raise _smtp_error(exc) from exc

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except Exception:  # the connection is gone anyway
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc) -> None:
        self._close()


class FileTransport:
    """Writes each message as ``<mailbox>/<created>-outbox-<id>.eml`` (development: no mail server needed).

    A resend overwrites the same file, and files appear whole (written aside, then renamed).
    """

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    def describe(self) -> str:
        return f".eml files in {self.directory}"

    def open(self) -> FileTransport:
        return self

    def __enter__(self) -> FileTransport:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(f"cannot create {self.directory}: {exc}", connection_lost=True) from exc
        return self

    def __exit__(self, *exc) -> None:
        return None

    def path_for(self, delivery: Delivery) -> Path:
        return self.directory / f"{delivery.created_at:%Y%m%d-%H%M%S}-outbox-{delivery.id}.eml"

    def send(self, delivery: Delivery) -> None:
        target = self.path_for(delivery)
        try:
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".outbox-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(delivery.raw)
            os.replace(temporary, target)
        except OSError as exc:
            raise DeliveryError(f"cannot write {target}: {exc}", connection_lost=True) from exc


def envelope_sender(config) -> str:
    """MAIL_DEFAULT_SENDER's address (Flask-Mail allows "Name <addr>" or a (name, addr) pair), else the
    organiser's address."""
    value = config.get("MAIL_DEFAULT_SENDER") or config["ORGANIZER_EMAIL"]
    if isinstance(value, tuple | list):
        value = value[1]
    return normalize_email(parseaddr(value)[1] or value)


def transport_from_config(config) -> SMTPTransport | FileTransport:
    """SMTP when MAIL_SERVER is set; otherwise .eml files in MAILBOX_DIR."""
    if not config.get("MAIL_SERVER"):
        return FileTransport(config["MAILBOX_DIR"])
    return SMTPTransport(
        host=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]), use_tls=bool(config["MAIL_USE_TLS"]),
        use_ssl=bool(config["MAIL_USE_SSL"]), username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"), timeout=float(config["MAIL_TIMEOUT_SECONDS"]),
        envelope_from=envelope_sender(config))
