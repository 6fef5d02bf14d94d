"""Sanitising of user-supplied strings before they reach a calendar or a mail header.

Names, titles and addresses come from users. Anything that becomes an iCalendar
parameter (CN) or a mail header must be one line with no control characters and
no double quotes; free texts (SUMMARY, DESCRIPTION, LOCATION, mail bodies) may
keep their line breaks, which the serialisers escape or encode.

Pure functions: str in, str out. No Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import lru_cache

__all__ = [
    "clean_line",
    "clean_text",
    "normalize_email",
    "clean_uid",
    "clean_url",
    "clean_message_id",
    "clean_header_name",
]

# Bidirectional embedding/override/isolate controls: invisible, and used to make a
# name or a subject read differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that break a line somewhere: CR, LF, VT, FF, NEL, LINE/PARAGRAPH SEPARATOR.
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x85\u2028\u2029")
_SPACES = re.compile(r"[ \t]+")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


# str.translate tables doing what the character loops in clean_line and clean_text describe (Cc is exactly
# U+0000-U+001F and U+007F-U+009F, so the tables are complete): one C-level pass instead of a Python loop.
_CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + sorted(_BIDI_CONTROLS)
assert all(_is_control(ch) for ch in _CONTROLS)
_LINE_TABLE = {ord(ch): None for ch in _CONTROLS}
_LINE_TABLE.update({ord(ch): " " for ch in (*_LINE_BREAKS, "\t")})
_LINE_TABLE[ord('"')] = None
_TEXT_TABLE = {ord(ch): None for ch in _CONTROLS}
_TEXT_TABLE.update({ord(ch): "\n" for ch in _LINE_BREAKS})
_TEXT_TABLE[ord("\t")] = " "
# The characters clean_text changes (LF stays LF): a text without any is returned as it is. The translation
# looks every character up in the table, which cost more than rendering a mail's body; a search for these
# characters is a plain scan.
_TEXT_CHANGES = re.compile("[" + re.escape("".join(chr(c) for c, to in _TEXT_TABLE.items() if to != chr(c))) + "]")
# A control character or a line break anywhere (what _is_control or _LINE_BREAKS accept), in one C-level search.
_CONTROL_OR_BREAK = re.compile("[" + re.escape("".join(sorted({*_CONTROLS, *_LINE_BREAKS}))) + "]")


def clean_line(value: object) -> str:
    """One line of text safe for a parameter value (CN) or a header.

    Line breaks and tabs become a space, other control characters and double
    quotes are removed, runs of spaces collapse and the ends are trimmed.

    >>> clean_line('Taro\\r\\nATTENDEE:mailto:x@evil.example "boss"\\x00')
    'Taro ATTENDEE:mailto:x@evil.example boss'
    """
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).translate(_LINE_TABLE)).strip()


def clean_text(value: object) -> str:
    """Multi-line text (SUMMARY, DESCRIPTION, LOCATION, mail bodies).

    Line endings are normalised to LF (CRLF, lone CR and the Unicode line
    separators all become LF) and kept; a tab becomes a space; every other
    control character is removed. Escaping is left to the serialiser.

    >>> clean_text('IST 06:30\\r\\nJST 10:00\\x07')
    'IST 06:30\\nJST 10:00'
    """
    if value is None:
        return ""
    text = str(value)
    if not _TEXT_CHANGES.search(text):
        return text
    return text.replace("\r\n", "\n").translate(_TEXT_TABLE)


def normalize_email(value: object) -> str:
    """Validate an email address and return it normalised.

    Surrounding spaces and a ``mailto:`` prefix are removed and the domain is
    lower-cased (IDNA-encoded if it is not ASCII). The local part must be ASCII
    (SMTPUTF8 is not assumed). Raises :class:`ValueError` for anything that is
    not a single plain ``local@domain`` address, in particular for a CR, LF or
    any other control character, whitespace, quotes or angle brackets.

    >>> normalize_email('  MAILTO:Taro.Yamada@Pref.Shizuoka.LG.JP ')
    'Taro.Yamada@pref.shizuoka.lg.jp'
    """
    if not isinstance(value, str):
        raise ValueError(f"email address must be a string, not {type(value).__name__}")
    return _normalize_email(str(value))


@lru_cache(maxsize=4096)
def _normalize_email(value: str) -> str:
    """normalize_email for a str, memoised: an address is normalised several times per invite (calendar,
    message headers, outbox row), and the RFC 5322 parser check below costs a few hundred microseconds."""
    if _CONTROL_OR_BREAK.search(value):
        raise ValueError(f"email address contains a control character: {value!r}")
    address = value.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    if not address or len(address) > 254:
        raise ValueError(f"invalid email address: {value!r}")
    if any(ch.isspace() or ch in '"<>(),;:[]\\' for ch in address):
        raise ValueError(f"invalid email address: {value!r}")
    local, sep, domain = address.rpartition("@")
    if not sep or not local or not domain or "@" in local:
        raise ValueError(f"invalid email address: {value!r}")
    if not local.isascii():
        raise ValueError(f"non-ASCII local part is not supported: {value!r}")
    if len(local) > 64 or local.startswith(".") or local.endswith(".") or ".." in local:
        raise ValueError(f"invalid email address: {value!r}")
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ValueError(f"invalid email domain: {value!r}") from exc
    labels = domain.split(".")
    if len(labels) < 2 or not all(
        re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels
    ):
        raise ValueError(f"invalid email domain: {value!r}")
    normalised = f"{local}@{domain}"
    try:  # the standard library's RFC 5322 parser must agree
        Address(addr_spec=normalised)
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise ValueError(f"invalid email address: {value!r}") from exc
    return normalised


def _reject_controls(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {type(value).__name__}")
    if _CONTROL_OR_BREAK.search(value):
        raise ValueError(f"{what} contains a control character: {value!r}")
    return value


def clean_uid(value: object) -> str:
    """A UID is stored with the meeting and never changes: reject, don't repair.

    Raises :class:`ValueError` for an empty UID or one with control characters.
    """
    uid = _reject_controls(value, "UID").strip()
    if not uid:
        raise ValueError("UID must not be empty")
    return uid


def clean_url(value: object) -> str:
    """An absolute http(s) URL without whitespace or control characters."""
    url = _reject_controls(value, "URL").strip()
    if not re.fullmatch(r"https?://[^\s\"<>]+", url, flags=re.IGNORECASE):
        raise ValueError(f"invalid URL: {value!r}")
    return url


def clean_message_id(value: object) -> str:
    """A Message-ID of the form ``<left@right>`` (printable ASCII, no spaces)."""
    mid = _reject_controls(value, "Message-ID").strip()
    if not re.fullmatch(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\[\]]+>", mid):
        raise ValueError(f"invalid Message-ID: {value!r}")
    return mid


def clean_header_name(value: object) -> str:
    """A header field name: printable ASCII without space or colon (RFC 5322 §2.2)."""
    name = _reject_controls(value, "header name")
    if not re.fullmatch(r"[!-9;-~]+", name):
        raise ValueError(f"invalid header name: {value!r}")
    return name
