"""Phone numbers as people write them: checked loosely, never reformatted.

Accepted: digits with spaces, dashes, dots, slashes and brackets, an optional leading '+', and an extension
('ext. 12', 'x12', '内線12'); full-width digits read as digits. Refused: text that is not a number at all
('ask reception', an e-mail address pasted in the wrong box), or fewer than 6 digits. ``phone_is_valid`` is
pure; ``check_phone`` raises the form's error; ``plain_phone`` is what is stored: as written, but in ordinary
width ('０２２－２６８７' is stored '022-2687', which searches, the CSV exports and a phone's dialler read).
"""

import re
import unicodedata

# dashes as typed in Japan too: the minus sign, the long-vowel mark ー, hyphens and dashes
_NUMBER = re.compile(r"^\+?[\d\s().\-/\u2010-\u2015\u2212\u30fc]+(?:\s*(?:ext\.?|x|#|内線)\s*\d{1,6})?$",
                     re.IGNORECASE)


MAX_LENGTH = 50  # the columns' width (people.phone, firm_contacts.phone)


def plain_phone(text: str) -> str:
    """NFKC (full-width digits and dashes), and every decimal digit as its ASCII one (Devanagari ९१ is 91)."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    return "".join(str(unicodedata.decimal(char)) if not char.isascii() and unicodedata.decimal(char, None)
                   is not None else char for char in folded)


def phone_is_valid(text: str) -> bool:
    """A phone number as people write it, that fits the columns once stored (``plain_phone``)."""
    plain = plain_phone(text)
    if not plain:
        return True
    return bool(_NUMBER.match(plain)) and sum(char.isdigit() for char in plain) >= 6 and len(plain) <= MAX_LENGTH


def check_phone(text: str, field: str = "phone") -> None:
    """The operations' check: a DomainError at ``field`` for what is not a phone number."""
    from flask_babel import gettext as _

    from planner.core.errors import DomainError

    if len(plain_phone(text)) > MAX_LENGTH:  # '⒇' is one character typed and four stored
        raise DomainError(_("Enter at most %(n)d characters.", n=MAX_LENGTH), field)
    if not phone_is_valid(text):
        raise DomainError(_("Enter a phone number in digits, e.g. +81 53 000 0000 (spaces, dashes and brackets "
                            "allowed)."), field)
