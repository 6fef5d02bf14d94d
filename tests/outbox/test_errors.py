"""The email log's reading of delivery errors, from the errors the SMTP transport itself stores."""

import smtplib

import pytest

from planner.outbox.errors import ADDRESS, LATER, REFUSED, SETUP, STOPPED, error_kind
from planner.outbox.transport import _smtp_error
from planner.outbox.worker import LOST_LEASE_ERROR


@pytest.mark.parametrize(("exc", "kind"), [
    (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"5.1.1 user unknown")}), ADDRESS),
    (smtplib.SMTPRecipientsRefused({"a@b.example": (451, b"4.7.1 greylisted")}), LATER),
    (smtplib.SMTPAuthenticationError(535, b"5.7.8 Username and Password not accepted"), SETUP),
    (smtplib.SMTPSenderRefused(553, b"5.7.1 sender not allowed", "planner@x.example"), REFUSED),
    (smtplib.SMTPDataError(554, b"5.6.0 message refused"), REFUSED),
    (smtplib.SMTPDataError(452, b"4.3.1 insufficient storage"), LATER),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), SETUP),
    (ConnectionRefusedError(111, "Connection refused"), SETUP),
    (TimeoutError("timed out"), SETUP),
    (smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."), SETUP),
])
def test_each_transport_error_reads_as_what_a_cell_can_do_about_it(exc, kind):
    assert error_kind(str(_smtp_error(exc))) == kind


def test_no_error_and_a_stopped_worker():
    assert error_kind("") is None and error_kind("  ") is None
    assert error_kind(LOST_LEASE_ERROR) == STOPPED
