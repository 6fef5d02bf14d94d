"""Journeys through delegations (issue 3): a state cell plans a visit end to end, a clash is caught and accepted
explicitly, the visit is confirmed; the demo delegate sees only their own agenda."""

import email
import email.policy
import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu, run_planner


def test_state_cell_plans_a_delegation_end_to_end(page, live_server, shot):
    log_in(page, live_server, "gujarat@demo.planner")
    open_menu(page, "Delegations", "Delegations")
    page.get_by_role("link", name="Plan a delegation").click()
    page.get_by_label("Title", exact=True).fill("Gujarat ceramics delegation to Shizuoka")
    page.get_by_label("First day").fill("2027-05-10")
    page.get_by_label("Last day").fill("2027-05-12")
    page.get_by_label("Shizuoka (静岡県)", exact=True).check()
    shot(page, "01-delegation-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Delegation Gujarat ceramics delegation to Shizuoka planned.")).to_be_visible()

    page.get_by_role("link", name="Someone new: record a person").click()
    page.get_by_label("Name", exact=True).fill("Nirav Patel")
    page.get_by_label("Organisation").fill("Morbi Ceramics Cluster")
    page.get_by_label("E-mail").fill("nirav.patel@morbi-ceramics.example")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Person").select_option(label="Ichiro Suzuki (鈴木 一郎) — Shizuoka Prefecture, "
                                                     "International Affairs Division")
    page.get_by_label("Role").select_option("host")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("cell", name="Nirav Patel")).to_be_visible()
    shot(page, "02-members")

    page.get_by_role("link", name="Gujarat ceramics delegation to Shizuoka").first.click()
    for title, start, end in (("Tile plant visit", "2027-05-11T10:00", "2027-05-11T12:00"),
                              ("Lunch with the mayor", "2027-05-11T11:30", "2027-05-11T13:00")):
        page.get_by_role("link", name="Add event").click()
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Venue", exact=True).select_option(
            label="Act City Hamamatsu, Congress Center, Hamamatsu (Asia/Tokyo)")
        page.get_by_label("Starts (local time)").fill(start)
        page.get_by_label("Ends (local time)").fill(end)
        page.get_by_label(re.compile("^Nirav Patel")).check()
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Person double-booked")).to_be_visible()
    shot(page, "03-clash")
    # Resolved rather than accepted: lunch moves to after the plant visit.
    page.get_by_label("Starts (local time)").fill("2027-05-11T12:15")
    page.get_by_label("Ends (local time)").fill("2027-05-11T13:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Person double-booked")).to_have_count(0)
    expect(page.get_by_text("06:30–08:30 IST · 10:00–12:00 JST")).to_be_visible()

    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Action").select_option("confirm")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Delegation is now Confirmed.")).to_be_visible()
    shot(page, "04-delegation")

    # Confirming sent the invites: the outbox worker delivers one per event to the attendee.
    before = len(live_server.smtp.envelopes)
    run_planner(["outbox", "send"], live_server.env)
    arrived = [email.message_from_bytes(e.data, policy=email.policy.default)
               for e in live_server.smtp.envelopes[before:] if "nirav.patel@morbi-ceramics.example" in e.rcpt_tos]
    summaries = sorted(m.get_body(("calendar",)).get_content().split("SUMMARY:")[1].split("\r\n")[0]
                       for m in arrived)
    assert summaries == ["Lunch with the mayor", "Tile plant visit"]
    assert {m.get_body(("calendar",)).get_param("method") for m in arrived} == {"REQUEST"}


def test_demo_delegate_sees_only_their_agenda(page, live_server, shot):
    log_in(page, live_server, "delegate@demo.planner")
    expect(page).to_have_url(re.compile(r"/agenda$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mehul Shah")
    expect(page.get_by_text("Plant visit: Enshu Seimitsu, Hamamatsu")).to_be_visible()
    expect(page.get_by_text("Welcome reception")).to_have_count(0)  # UP–Yamanashi: not his delegation
    shot(page, "01-my-agenda")
    response = page.goto(live_server.url("/delegations/"))
    assert response.status == 403


def test_another_states_user_gets_not_found_for_a_delegation_by_url(page, live_server, shot):
    log_in(page, live_server, "gujarat@demo.planner")
    open_menu(page, "Delegations", "Delegations")
    page.get_by_role("link", name="Gujarat delegation to Shizuoka 2026").click()
    delegation_url = page.url
    assert re.search(r"/delegations/\d+$", delegation_url)
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, "maharashtra@demo.planner")
    response = page.goto(delegation_url)
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("Gujarat delegation to Shizuoka 2026")).to_have_count(0)
    shot(page, "01-not-found")


def test_a_form_is_sent_once_however_often_save_is_pressed(page, live_server):
    # two clicks on Save while the first was on its way recorded two of everything (a browser walk-through)
    log_in(page, live_server, "tamilnadu@demo.planner")
    page.goto(live_server.url("/people/new"))
    page.get_by_label("Name", exact=True).fill("Double Click Tester")
    sent = page.evaluate("""() => {
        const form = document.querySelector("main form[method=post]");
        let sent = 0;
        // after the page's own listeners: count what would leave, and keep it here
        document.addEventListener("submit", (event) => { if (!event.defaultPrevented) sent += 1;
                                                         event.preventDefault(); });
        form.requestSubmit(); form.requestSubmit(); form.requestSubmit();
        return sent;
    }""")
    assert sent == 1
