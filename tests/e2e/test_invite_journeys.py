"""Journeys 4 and 5 of the browser tests: a delegate answers an invite from the mail; the organiser moves and
cancels B2B meetings and the delegates receive the update and the CANCEL."""

import email
import email.policy
import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, log_out, run_planner

MEHUL = "mehul.shah@example.in"


def _deliver(live_server) -> None:
    run_planner(["outbox", "send"], live_server.env)


def _parsed(live_server):
    return [email.message_from_bytes(envelope.data, policy=email.policy.default)
            for envelope in live_server.smtp.envelopes]


def _calendar(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode()
    return ""


def _field(calendar: str, name: str) -> str:
    unfolded = calendar.replace("\r\n ", "").replace("\n ", "")
    return re.search(rf"^{name}[;:](.*)$", unfolded, re.MULTILINE).group(1).strip()


def test_delegate_accepts_an_invite_from_the_mail_and_both_sides_see_the_answer(page, live_server, shot):
    _deliver(live_server)
    invites = [m for m in _parsed(live_server) if m["To"].addresses[0].addr_spec == MEHUL
               and "METHOD:REQUEST" in _calendar(m) and "B2B" not in str(m["Subject"])]
    assert invites, "the demo itinerary's invites did not reach Mehul Shah"
    invite = invites[0]
    text = invite.get_body(("plain",)).get_content()
    accept = re.search(r"Accept: (http://\S+)", text).group(1)
    title = _field(_calendar(invite), "SUMMARY")

    page.goto(accept)  # as a mail reader would: not logged in
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Nothing is recorded until you press the button.")).to_be_visible()
    shot(page, "01-confirm-page")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("your answer “Accept” is recorded")).to_be_visible()

    log_in(page, live_server, "delegate@demo.planner")
    row = page.locator("tr", has=page.get_by_role("link", name=title, exact=True))
    expect(row.get_by_text("accepted")).to_be_visible()
    shot(page, "02-delegate-agenda")
    # signed in, the agenda answers too: Mehul changes his mind to tentative
    expect(row.get_by_role("button", name="Accept")).to_have_attribute("aria-pressed", "true")
    row.get_by_role("button", name="Tentative").click()
    expect(page.get_by_text("Your answer “Tentative” is recorded.")).to_be_visible()
    expect(row.get_by_text("tentative", exact=True)).to_be_visible()
    log_out(page)

    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/delegations/"))
    page.get_by_role("link", name="Gujarat delegation to Shizuoka 2026").click()
    page.get_by_role("link", name=title, exact=True).first.click()
    attendee = page.locator("dd div", has_text="Mehul Shah")
    expect(attendee.get_by_text("tentative")).to_be_visible()
    shot(page, "03-organiser-sees-answer")


def _new_messages(live_server, since: int):
    return [email.message_from_bytes(envelope.data, policy=email.policy.default)
            for envelope in live_server.smtp.envelopes[since:]]


def _demo_session(page, live_server):
    page.goto(live_server.url("/b2b/"))
    page.locator("main").get_by_role("link", name=re.compile("B2B")).first.click()
    expect(page.get_by_role("heading", name="Meetings")).to_be_visible()


def test_organiser_moves_and_cancels_meetings_and_delegates_get_update_and_cancel(page, live_server, shot):
    _deliver(live_server)  # whatever is queued (demo invites) goes first
    log_in(page, live_server, "gujarat@demo.planner")
    _demo_session(page, live_server)
    # Meetings whose invites went out (the Answers column names the invited representatives).
    scheduled = page.locator("tr", has=page.get_by_role("link", name="Swap")).filter(has_text="no answer yet")
    first_pair = scheduled.nth(0).locator("td").nth(2).inner_text(), scheduled.nth(0).locator("td").nth(3).inner_text()

    # Move the first scheduled meeting to the first slot and table that the conflict check accepts.
    before = len(live_server.smtp.envelopes)
    scheduled.nth(0).get_by_role("link", name="Move").click()
    move_form = page.url
    slots = [o for o in page.get_by_label("Slot").locator("option").all_inner_texts()]
    tables = [o for o in page.get_by_label("Table").locator("option").all_inner_texts() if o.strip()]
    moved = False
    for slot in reversed(slots):
        for table in tables:
            if not slot.strip():
                continue
            page.get_by_label("Slot").select_option(label=slot)
            page.get_by_label("Table").select_option(label=table)
            page.get_by_role("button", name="Save").click()
            page.wait_for_load_state("networkidle")
            if page.url != move_form:  # saved: back to the schedule; refused: the form again, with the error
                moved = True
                break
        if moved:
            break
    assert moved, "no free slot and table accepted the move"
    shot(page, "01-after-move")
    _deliver(live_server)
    updates = _new_messages(live_server, before)
    assert updates, "the move sent no update"
    for message in updates:
        calendar = _calendar(message)
        assert _field(calendar, "METHOD") == "REQUEST" and int(_field(calendar, "SEQUENCE")) >= 1
        assert first_pair[0] in calendar or first_pair[1] in calendar.replace("\r\n ", "")
    uid = {_field(_calendar(m), "UID") for m in updates}
    assert len(uid) == 1

    # Cancel another meeting: its delegates receive a CANCEL.
    _demo_session(page, live_server)
    before = len(live_server.smtp.envelopes)
    target = page.locator("tr", has=page.get_by_role("link", name="Swap")).filter(has_text="no answer yet").nth(0)
    target.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Cancel the meeting").click()
    page.wait_for_load_state("networkidle")
    shot(page, "02-after-cancel")
    _deliver(live_server)
    cancels = _new_messages(live_server, before)
    assert cancels, "the cancel sent nothing"
    for message in cancels:
        calendar = _calendar(message)
        assert _field(calendar, "METHOD") == "CANCEL" and _field(calendar, "STATUS") == "CANCELLED"
        assert message.get_body(("calendar",)).get_param("method") == "CANCEL"


def test_invite_mails_fit_a_phone_screen(browser, live_server):
    # on a 390 px phone the organiser's long addresses pushed the HTML part wider than the screen, and a
    # wrapped Decline button overlapped the line above it (a walk-through)
    _deliver(live_server)
    mails = [m for m in _parsed(live_server) if m["To"].addresses[0].addr_spec == MEHUL]
    assert mails, "the demo's invites did not reach Mehul Shah"
    cancel = next(m for m in mails if "METHOD:CANCEL" in _calendar(m))
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="en-GB")
    try:
        phone = context.new_page()
        for mail in (cancel, mails[0]):
            phone.set_content(mail.get_body(("html",)).get_content())
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, str(mail["Subject"])
        boxes = [phone.get_by_role("link", name=name).bounding_box() for name in ("Accept", "Tentative", "Decline")]
        for upper, lower in zip(boxes, boxes[1:], strict=False):  # side by side, or the next one wholly below
            assert lower["y"] == upper["y"] or lower["y"] >= upper["y"] + upper["height"]
    finally:
        context.close()
