"""Texts entered in English with an optional Japanese version (a delegation's or event's title, a venue's name):
which one a reader gets."""

from planner.core.timefmt import display_language


def in_language(text: str, text_ja: str, language: str | None = None) -> str:
    """The Japanese version for a Japanese reader when there is one, else the text as entered. ``language``:
    the reader's ('en', 'ja'); by default the page's."""
    language = language or display_language()
    return text_ja if language == "ja" and text_ja else text


def both(text: str, text_ja: str) -> str:
    """'日本語 / English' for a mail in both languages; one of them when the other is missing or the same."""
    return f"{text_ja} / {text}" if text_ja and text_ja != text else text
