"""What a delivery error means for the person reading the email log.

The worker stores the mail server's own words (``last_error``: "recipient refused: 550 5.1.1 …",
"ConnectionRefusedError: [Errno 111] …", "535 5.7.8 …"). A state cell or prefecture office cannot act on
those; it needs to know whether the address is wrong (which it can correct) or the planner's mail set-up is
(which its administrator corrects). Administrators see the server's words as well.
"""

import re

from flask_babel import lazy_gettext as _l

from planner.outbox.worker import LOST_LEASE_ERROR

# The kinds, in words a cell or office can act on.
ADDRESS, LATER, SETUP, REFUSED, STOPPED = "address", "later", "setup", "refused", "stopped"

EXPLANATIONS = {
    ADDRESS: _l("The recipient's mail server does not accept this address. Check the person's e-mail address, "
                "then send the message again."),
    LATER: _l("The mail server asked the planner to try again later; it will, by itself."),
    SETUP: _l("The planner could not hand the message to its mail server: a problem of the planner's mail "
              "set-up, not of the recipient's address. The message is kept and goes out once it is fixed."),
    REFUSED: _l("The mail server refused the message."),
    STOPPED: _l("The sending stopped before it finished. The message can be sent again from its page."),
}

# SMTP answers to the planner's own login (RFC 4954): wrong password, TLS needed, authentication required
_LOGIN_CODES = {"530", "534", "535", "538"}


def error_kind(last_error: str) -> str | None:
    """The kind of a stored delivery error, or None when there is none."""
    error = (last_error or "").strip()
    if not error:
        return None
    if error == LOST_LEASE_ERROR:
        return STOPPED
    refused = re.match(r"recipient refused: (\d{3})\b", error)
    if refused:
        return ADDRESS if refused.group(1).startswith("5") else LATER
    answer = re.match(r"(\d{3})\b", error)
    if answer:
        code = answer.group(1)
        if code in _LOGIN_CODES:
            return SETUP
        return LATER if code.startswith("4") else REFUSED
    return SETUP  # no answer from a server: unreachable, TLS, a connection lost, a mailbox folder not writable


def explain(last_error: str) -> str:
    kind = error_kind(last_error)
    return str(EXPLANATIONS[kind]) if kind else ""
