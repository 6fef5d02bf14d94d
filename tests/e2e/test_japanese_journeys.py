"""The Japanese interface in a real browser: a prefecture office switches to 日本語 in the header, works through
its pages in Japanese (dates like 2026年12月7日(月), prefectures in Japanese script), prints an agenda with the
vendored Noto Sans JP, and switches back. Screenshots go to test-artifacts/e2e/ (a few are in README.md)."""

import re
from email import message_from_bytes, policy

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu, run_planner

JAPANESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\)")


def _switch(page, label: str):
    page.locator("form.language-switch:visible").get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("networkidle")


def test_prefecture_office_works_in_japanese(page, live_server, shot):
    log_in(page, live_server, "shizuoka@demo.planner")
    try:
        _switch(page, "日本語")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")
        shot(page, "01-home")

        open_menu(page, "友好交流", "友好交流")
        expect(page.get_by_role("heading", level=1)).to_have_text("州・県の友好交流")
        expect(page.get_by_role("cell", name="静岡県", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="グジャラート州", exact=True)).to_be_visible()
        shot(page, "02-partnerships")

        open_menu(page, "訪問団", "訪問団")
        expect(page.get_by_role("heading", level=1)).to_have_text("訪問団")
        expect(page.locator("main table")).to_contain_text(JAPANESE_DATE)
        shot(page, "03-delegations")
        page.get_by_role("link", name="グジャラート州経済ミッション 静岡訪問 2026").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("main")).to_contain_text("訪問の方向")
        shot(page, "04-delegation")

        page.get_by_role("link", name="印刷用日程表").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("main")).to_contain_text(JAPANESE_DATE)
        page.emulate_media(media="print")
        # The printout's Japanese is drawn with the vendored Noto Sans JP (served from /static, not a CDN).
        assert page.evaluate("document.fonts.check('16px \"Noto Sans JP\"', '静岡県訪問団')")
        assert page.evaluate("""[...document.fonts].some(f => f.family.includes('Noto Sans JP')
                                 && f.status === 'loaded')""")
        shot(page, "05-agenda-print")
        page.emulate_media(media="screen")

        open_menu(page, "企業・商談会", "企業")
        expect(page.get_by_role("heading", level=1)).to_have_text("企業一覧")
        shot(page, "06-firm-directory")

        # The B2B table sheet prints in Japanese, with both clocks
        open_menu(page, "企業・商談会", "商談会")
        page.get_by_role("link", name="浜松サプライヤー商談会").first.click()
        page.get_by_role("link", name="割当表", exact=True).click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_contain_text("割当表")
        page.locator("main p", has_text="テーブル表:").get_by_role("link").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("main table")).to_contain_text("IST")
        expect(page.locator("main table")).to_contain_text("JST")
        page.emulate_media(media="print")
        shot(page, "07-table-sheet-print")
        page.emulate_media(media="screen")

        # WTForms' own messages come in Japanese too
        page.goto(live_server.url("/firms/new"))
        page.locator("form.needs-validation, main form").last.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text("この項目は必須です。").first).to_be_visible()
        shot(page, "08-firm-form-errors")
    finally:
        _switch(page, "EN")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_japanese_delegate_receives_the_b2b_invite_in_japanese(page, live_server, shot):
    """The demo's B2B invites delivered to a real SMTP server: Kenta Ito (Japanese) reads the mail and the
    calendar entry in Japanese; the HTML part is shown in the browser as a mail client would."""
    run_planner(["outbox", "send"], live_server.env)
    invites = [message_from_bytes(envelope.data, policy=policy.default) for envelope in live_server.smtp.envelopes
               if "k.ito@example.jp" in envelope.rcpt_tos]
    mail = next(m for m in invites if m["Subject"].startswith("【招待】商談:"))
    calendar = next(part for part in mail.walk() if part.get_content_type() == "text/calendar")
    event = Calendar.from_ical(calendar.get_payload(decode=True)).walk("VEVENT")[0]
    assert calendar.get_param("charset") == "UTF-8" and calendar["Content-Transfer-Encoding"] == "base64"
    assert str(event["SUMMARY"]).startswith("商談:") and "現地時刻: " in str(event["DESCRIPTION"])

    page.set_content(mail.get_body(("html",)).get_content())
    expect(page.locator("body")).to_contain_text("商談相手")
    expect(page.get_by_role("link", name="承諾する")).to_be_visible()
    expect(page.locator("body")).to_contain_text(JAPANESE_DATE)
    shot(page, "09-invite-mail")
