"""Journey 6 of the browser tests: after the B2B session a delegate answers the feedback mail; the follow-up it
creates appears on the organiser's dashboard with its owner and due date."""

import email
import email.policy
import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, log_out, run_planner

MEHUL = "mehul.shah@example.in"


def test_delegate_answers_the_feedback_mail_and_the_follow_up_reaches_the_dashboard(page, live_server, shot):
    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/b2b/"))
    page.locator("main").get_by_role("link", name=re.compile("B2B")).first.click()
    session_id = re.search(r"/b2b/(\d+)", page.url).group(1)
    # the demo's session lies ahead, in December; feedback is asked once it has taken place: move it back
    with sqlite3.connect(live_server.instance / "e2e.sqlite3") as connection:
        connection.execute("UPDATE events SET starts_at = datetime(starts_at, '-90 days'), "
                           "ends_at = datetime(ends_at, '-90 days') WHERE id = "
                           "(SELECT event_id FROM b2b_sessions WHERE id = ?)", (session_id,))
    page.goto(live_server.url(f"/outcomes/b2b/{session_id}/feedback"))
    page.get_by_role("button", name="Send feedback requests").click()
    shot(page, "01-feedback-requests-sent")
    log_out(page)

    before = len(live_server.smtp.envelopes)
    run_planner(["outbox", "send"], live_server.env)
    bodies = [email.message_from_bytes(e.data, policy=email.policy.default).get_body(("plain",)).get_content()
              for e in live_server.smtp.envelopes[before:] if MEHUL in e.rcpt_tos]
    links = [m.group(1) for body in bodies if (m := re.search(r"(http://\S+/outcomes/feedback/\S+)", body))]
    assert links, "no feedback request reached Mehul Shah"
    link = links[0]

    page.goto(link)  # from the mail, not logged in
    block = page.locator("fieldset").first
    counterpart = block.locator("legend").inner_text().split(" (")[0].strip()
    stage = block.locator("select[id^=stage-]")
    meeting_id = stage.get_attribute("id").removeprefix("stage-")
    page.locator(f"label[for=rating-{meeting_id}-5]").click()
    stage.select_option(label="Negotiation started")
    shot(page, "02-feedback-form")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text(re.compile("[Tt]hank you"))).to_be_visible()

    # The organiser's dashboard: the meeting's follow-up, at the stage the delegate chose, with owner and due date.
    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/outcomes/"))
    row = page.locator("#open-followups tr", has_text=counterpart).filter(has_text="Negotiation started")
    expect(row.first).to_be_visible()
    cells = row.first.locator("td")
    assert cells.nth(3).inner_text().strip() not in ("", "—"), "the follow-up has no owner"
    assert re.match(r"^\w{3} \d{1,2} \w{3} \d{4}$", cells.nth(4).inner_text().strip()), "no due date"
    shot(page, "03-dashboard")
