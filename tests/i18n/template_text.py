"""Finds user-visible text in templates that is not inside a translation call.

Jinja comments, statements and expressions are removed first (text inside `{{ _('...') }}` is translated; text
inside other expressions is data), then HTML comments, <script>/<style> bodies and tags; what remains between the
tags is what a person reads, as are the literal parts of title/placeholder/aria-label/alt attributes. Any word
with a letter in it that is not on the allow-list is reported.
"""

import re
from pathlib import Path

# Words that read the same in every language: time zones, codes, units and symbols.
ALLOWED_WORDS = {"IST", "JST", "UTC", "CSV", "XLSX", "PDF", "ICS", "iCal", "B2B", "MoU", "LoI", "NDA", "ID", "OK",
                 "INR", "JPY", "USD", "EN", "x", "×", "h", "min", "ics", "METHOD"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "aria-description", "data-confirm")

JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
ATTRIBUTE = re.compile(r"""\b(""" + "|".join(VISIBLE_ATTRIBUTES) + r""")\s*=\s*("([^"]*)"|'([^']*)')""", re.IGNORECASE)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
WORD = re.compile(r"[^\s]+")


def _words(text: str) -> list[str]:
    found = []
    for word in WORD.findall(ENTITY.sub(" ", text)):
        stripped = word.strip(".,:;!?()[]{}'\"“”‘’—–-·/|*+=#%…")
        if stripped and any(ch.isalpha() for ch in stripped) and stripped not in ALLOWED_WORDS:
            found.append(stripped)
    return found


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line number, word) for every visible word outside the translation functions."""
    # Replace markup by spaces of the same shape so that line numbers survive.
    def blank(match):
        return re.sub(r"[^\n]", " ", match.group(0))

    text = JINJA.sub(blank, source)
    text = HTML_COMMENT.sub(blank, text)
    text = SCRIPT_STYLE.sub(blank, text)
    problems = []
    for tag in TAG.finditer(text):
        line = text.count("\n", 0, tag.start()) + 1
        for attribute in ATTRIBUTE.finditer(tag.group(0)):
            value = attribute.group(3) if attribute.group(3) is not None else attribute.group(4)
            problems.extend((line, word) for word in _words(value))
    text = TAG.sub(blank, text)
    for number, line in enumerate(text.splitlines(), start=1):
        problems.extend((number, word) for word in _words(line))
    return problems


def scan_templates(root: Path) -> dict[str, list[tuple[int, str]]]:
    report = {}
    for path in sorted(root.rglob("*.html")):
        problems = untranslated_text(path.read_text(encoding="utf-8"))
        if problems:
            report[str(path.relative_to(root))] = problems
    return report
