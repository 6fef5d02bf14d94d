"""Name and website normalisation for duplicate detection: pure functions."""

import re
import unicodedata
from urllib.parse import urlsplit

# Legal forms, compared after lower-casing and removing punctuation; longest first so "pvt ltd" goes before "ltd".
LEGAL_SUFFIXES = sorted({
    "private limited", "pvt ltd", "pvt", "limited", "ltd", "llp", "llc", "co ltd", "co", "company", "inc",
    "incorporated", "corp", "corporation", "kk", "kabushiki kaisha", "kabushikigaisha", "yk", "yugen kaisha",
    "gk", "godo kaisha", "opc", "plc", "gmbh",
}, key=len, reverse=True)
JAPANESE_LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "㈱", "㈲")

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """'Hamamatsu Seiki Co., Ltd.', 'HAMAMATSU SEIKI K.K.' and 'Ｈａｍａｍａｔｓｕ Seiki' all give 'hamamatsu seiki'."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for form in JAPANESE_LEGAL_FORMS:
        text = text.replace(unicodedata.normalize("NFKC", form).casefold(), " ")
    text = text.replace("&", " and ")
    # "k.k." → "kk", "co., ltd." → "co ltd": dots vanish inside abbreviations, other punctuation splits words.
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    changed = True
    while changed and text:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if text == suffix:
                break
            if text.endswith(" " + suffix):
                text = text[: -len(suffix) - 1].rstrip()
                changed = True
                break
            if text.startswith(suffix + " ") and suffix in ("kk", "yk", "gk"):
                text = text[len(suffix) + 1:].lstrip()
                changed = True
                break
    return text.replace(" ", "")[:200] if _is_cjk_only(text) else text[:200]


def _is_cjk_only(text: str) -> bool:
    return bool(text) and all(not ch.isascii() or ch == " " for ch in text)


_LABEL = re.compile(r"(?!-)[\w-]{1,63}(?<!-)")
_TLD = re.compile(r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})")


def website_domain(url: str) -> str:
    """'https://www.hamamatsu-seiki.co.jp/en/' → 'hamamatsu-seiki.co.jp'; '' when there is no usable host, or
    the address is not a web page's (javascript://host/%0a… has a host, and ran as script from the link)."""
    text = (url or "").strip()
    if not text or re.search(r"[\s\x00-\x1f\x7f]", text):  # a line break or space inside is no address
        return ""
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or parts.username is not None:
        return ""  # 'a@b.co' is an e-mail address; user@host in a web address hides the real host
    host = host.strip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    # DNS labels (internationalised ones too) and a top-level domain of letters: not '1.5' or 'co., ltd.'
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels) \
            or not _TLD.fullmatch(labels[-1]):
        return ""
    return host


_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def half_width(text: str) -> str:
    """Letters, digits, signs and spaces typed full-width (ＫＯＦＵ　ＴＥＸＴＩＬＥ, as the Japanese input method
    leaves them on) in their plain forms; kana and kanji as they are."""
    return (text or "").translate(_HALF_WIDTH)


def certifications_text(items) -> str:
    """Certifications as stored: each once, joined by "; "."""
    return "; ".join(dict.fromkeys(c.strip() for c in items if c.strip()))


def reading(text: str) -> str:
    """A firm's reading as stored: NFKC (ﾊﾏﾏﾂ → ハママツ) and in katakana (はままつ → ハママツ), the script of
    フリガナ boxes: readings kept as each office typed them sorted apart, hiragana before all katakana."""
    plain = unicodedata.normalize("NFKC", text or "").strip()
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in plain)


# A person's reading once normalised: katakana (ー and ・ of foreign names too) and the spaces between names.
_KATAKANA_READING = re.compile(r"[\u30a1-\u30ff\u31f0-\u31ff ]*")


def person_reading(text: str) -> str:
    """A person's reading (フリガナ) as stored: a firm's ``reading`` (NFKC, hiragana in katakana) with the spaces
    between the names one space each (スズキ　　イチロウ → スズキ イチロウ), so that family names sort alone."""
    return " ".join(reading(text).split())


def is_katakana_reading(text: str) -> bool:
    """``text`` (a ``person_reading``) is kana only: no letters, kanji or digits, which are no reading."""
    return _KATAKANA_READING.fullmatch(text) is not None


READING_LENGTH = 200  # the people.name_kana column


def checked_person_reading(text: str) -> tuple[str, str | None]:
    """``person_reading`` of ``text`` and what is wrong with it, for the caller to word: None, "not_kana"
    (letters, kanji or digits) or "too_long" (㌔ reads キロ: a reading grows when it is normalised)."""
    kana = person_reading(text)
    if not is_katakana_reading(kana):
        return kana, "not_kana"
    return kana, ("too_long" if len(kana) > READING_LENGTH else None)


def search_variants(text: str) -> list[str]:
    """What a search for ``text`` looks for: its NFKC form (ﾊﾏﾏﾂ → ハママツ, ｈａｍａ → hama), and with its kana
    in the other script too (しみず ↔ シミズ): readings are stored in katakana (`reading`), and people type
    either."""
    plain = unicodedata.normalize("NFKC", text).strip()
    katakana = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in plain)
    hiragana = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in plain)
    return list(dict.fromkeys(variant for variant in (plain, katakana, hiragana) if variant))


def name_patterns(text: str) -> list[str]:
    """LIKE patterns (escape '\\') a search for a person's name looks with: the text as typed and its
    ``search_variants``, any spacing between the words, two words in either order (Suzuki Ichiro for Ichiro
    Suzuki)."""
    from planner.core.views import like_pattern

    variants = list(dict.fromkeys([text, *search_variants(text)]))
    variants += [" ".join(reversed(variant.split())) for variant in variants if len(variant.split()) == 2]
    return [like_pattern(variant) for variant in dict.fromkeys(variants)]
