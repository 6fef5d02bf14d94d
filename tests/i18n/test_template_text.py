"""No template shows text a person reads outside the translation functions."""

from planner import PROJECT_ROOT
from tests.i18n.template_text import scan_templates, untranslated_text


def test_templates_have_no_text_outside_translation_calls():
    report = scan_templates(PROJECT_ROOT / "templates")
    assert report == {}, "wrap these in {{ _('...') }}: " + "; ".join(
        f"{path}:{line} {word!r}" for path, problems in report.items() for line, word in problems[:5])


def test_checker_flags_plain_text_between_tags():
    assert untranslated_text("<p>\n  Save the <b>form</b></p>") == [(2, "Save"), (2, "the"), (2, "form")]


def test_checker_flags_literal_visible_attributes():
    assert untranslated_text('<nav aria-label="breadcrumb"><input placeholder="{{ x }} e.g. Kobe"></nav>') == [
        (1, "breadcrumb"), (1, "e.g"), (1, "Kobe")]


def test_checker_accepts_translated_text_expressions_and_allowed_words():
    source = ("{# a comment #}{% if x %}<p title=\"{{ _('Hint') }}\">{{ _('Save the form') }} {{ firm.name }}"
              " IST · JST — 10:00</p>{% endif %}<script>let text = 'not shown';</script><!-- note -->")
    assert untranslated_text(source) == []
