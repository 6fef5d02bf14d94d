"""Sanitising of names, texts and addresses before they reach a calendar or a header."""

from __future__ import annotations

import pytest

from planner.invites.text import (
    clean_header_name,
    clean_line,
    clean_message_id,
    clean_text,
    clean_url,
    normalize_email,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Priya Shah", "Priya Shah"),
        ("山田 太郎", "山田 太郎"),
        ("  Taro \r\n Yamada  ", "Taro Yamada"),
        ("Taro\rYamada", "Taro Yamada"),
        ("Taro\nBcc: mallory@evil.example", "Taro Bcc: mallory@evil.example"),
        ('The "Boss" Yamada', "The Boss Yamada"),
        ("Null\x00Byte\x1b[0m\x7f", "NullByte[0m"),
        ("Tab\tand\x0bvertical\x0cform\x85nel\u2028ls\u2029ps", "Tab and vertical form nel ls ps"),
        ("\u202eevil\u202c", "evil"),
        (None, ""),
        ("", ""),
    ],
)
def test_clean_line_gives_one_line_without_controls_or_quotes(raw, expected):
    assert clean_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IST 06:30\r\nJST 10:00", "IST 06:30\nJST 10:00"),
        ("a\rb\nc\r\n\r\nd", "a\nb\nc\n\nd"),
        ("line\u2028sep", "line\nsep"),
        ("bell\x07 esc\x1b nul\x00 del\x7f", "bell esc nul del"),
        ("tab\there", "tab here"),
        ('quotes "stay" in texts', 'quotes "stay" in texts'),
        ("静岡県\n商談会", "静岡県\n商談会"),
        (None, ""),
    ],
)
def test_clean_text_keeps_newlines_and_strips_other_controls(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("priya.shah@ahmedabad-tools.example", "priya.shah@ahmedabad-tools.example"),
        ("  Taro.Yamada@Suzuki-Seiki.EXAMPLE ", "Taro.Yamada@suzuki-seiki.example"),
        ("mailto:cell@gujarat-invest.example", "cell@gujarat-invest.example"),
        ("MAILTO:cell@gujarat-invest.example", "cell@gujarat-invest.example"),
        ("first+tag@pref.shizuoka.lg.jp", "first+tag@pref.shizuoka.lg.jp"),
        ("info@静岡.jp", "info@xn--4it797k.jp"),
    ],
)
def test_normalize_email_returns_plain_normalised_address(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "taro@suzuki-seiki.example\r\nBcc: mallory@evil.example",
        "taro@suzuki-seiki.example\n",
        "\rtaro@suzuki-seiki.example",
        "taro\x00@suzuki-seiki.example",
        "taro yamada@suzuki-seiki.example",
        "Taro <taro@suzuki-seiki.example>",
        '"taro"@suzuki-seiki.example',
        "taro@suzuki-seiki.example,mallory@evil.example",
        "taro@suzuki-seiki.example;x",
        "taro",
        "@suzuki-seiki.example",
        "taro@",
        "taro@localhost",
        "taro@@suzuki-seiki.example",
        "taro..yamada@suzuki-seiki.example",
        ".taro@suzuki-seiki.example",
        "taro@-bad-.example",
        "山田@suzuki-seiki.example",
        "",
        "   ",
        None,
        42,
    ],
)
def test_normalize_email_rejects_invalid_or_injected_address(raw):
    with pytest.raises(ValueError):
        normalize_email(raw)


def test_clean_url_accepts_https_and_rejects_other_schemes_and_controls():
    assert clean_url(" https://planner.example/m/42?x=1 ") == "https://planner.example/m/42?x=1"
    for bad in ("javascript:alert(1)", "https://a.example/\r\nX: y", "https://a .example", "ftp://a.example"):
        with pytest.raises(ValueError):
            clean_url(bad)


def test_clean_message_id_accepts_angle_addr_and_rejects_injection():
    assert clean_message_id("<outbox-123.invite@planner.example>") == "<outbox-123.invite@planner.example>"
    for bad in (
        "outbox-123@planner.example",
        "<outbox-123@planner.example>\r\nBcc: mallory@evil.example",
        "<outbox 123@planner.example>",
        "<outbox-123>",
        "<a@b><c@d>",
    ):
        with pytest.raises(ValueError):
            clean_message_id(bad)


def test_clean_header_name_accepts_field_names_and_rejects_others():
    assert clean_header_name("X-Planner-Outbox-Id") == "X-Planner-Outbox-Id"
    for bad in ("X Bad", "X-Bad:", "X-Bad\r\nBcc", "", "X-日本"):
        with pytest.raises(ValueError):
            clean_header_name(bad)


@pytest.mark.parametrize("seed", range(5))
def test_clean_text_shortcut_for_clean_text_changes_nothing(seed):
    """clean_text returns a text with nothing to clean as it is; anything else goes through the table."""
    import random

    from planner.invites import text

    alphabet = [chr(c) for c in range(0xA5)] + list("\u2028\u2029\u202e\u2066日本語 ")
    rng = random.Random(seed)
    for _ in range(4000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert text.clean_text(value) == value.replace("\r\n", "\n").translate(text._TEXT_TABLE)
