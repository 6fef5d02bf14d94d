"""The Japanese catalogue is complete: every extracted message translated, nothing fuzzy, placeholders intact,
and the compiled .mo the app reads is the .po as it stands."""

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from planner import PROJECT_ROOT

CATALOGUE = PROJECT_ROOT / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def _key(message_id, context):
    return (context, message_id if isinstance(message_id, str) else message_id[0])


def extracted_messages() -> set:
    """What `make messages` extracts (babel.cfg's mapping), run in-process."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(_key(message, context))
    return found


def test_japanese_catalogue_has_no_untranslated_or_fuzzy_message():
    catalogue = _catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == [], f"{len(problems)} messages untranslated or fuzzy (make catalog-update, then translate)"


def test_japanese_catalogue_holds_every_extracted_message():
    in_catalogue = {_key(message.id, message.context) for message in _catalogue() if message.id}
    missing = sorted(extracted_messages() - in_catalogue, key=str)
    assert missing == [], f"run `make catalog-update` and translate: {missing[:20]}"


def test_japanese_catalogue_keeps_every_placeholder():
    problems = [(message.id, [str(error) for error in errors]) for message, errors in _catalogue().check()]
    assert problems == []


def _entries(messages) -> dict:
    entries = {}
    for message in messages:
        if not message.id:
            continue
        context, message_id = _key(message.id, message.context)
        if isinstance(context, bytes):  # read_mo leaves the context undecoded
            context = context.decode("utf-8")
        if context is None and "\x04" in message_id:  # how a .mo file stores a pgettext context
            context, message_id = message_id.split("\x04", 1)
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
        entries[(context, message_id)] = strings
    return entries


def test_compiled_catalogue_matches_the_po_file():
    with COMPILED.open("rb") as handle:
        compiled = _entries(read_mo(handle))
    source = _entries(_catalogue())
    assert compiled == source, "run `make catalog-compile` (the .mo is older than the .po)"


def test_extraction_finds_template_and_python_messages():
    found = extracted_messages()
    assert (None, "Delegation Planner") in found  # templates/base.html
    assert (None, "Please log in to see this page.") in found  # planner/app_setup.py
    assert ("regions", "Sending") in found  # pgettext in a template
