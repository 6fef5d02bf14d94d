"""Journeys through the foundation: an administrator creates an account; the new user sets a password and
records a partnership; another state's office cannot reach it by URL."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, log_out, open_menu


def test_admin_creates_a_cell_user_who_sets_a_password_and_edits_a_partnership(page, live_server, shot):
    log_in(page, live_server, "admin@demo.planner")
    open_menu(page, "Administration", "Users")
    page.get_by_role("link", name="New user").click()
    page.get_by_label("E-mail").fill("kavya@indextb.example")
    page.get_by_label("Name").fill("Kavya Mehta")
    page.get_by_label("Role").select_option("state")
    page.get_by_label("Region").select_option(label="IN-GJ Gujarat")
    page.get_by_label("Mail the user a link to choose their password").uncheck()  # an initial password instead
    page.get_by_label("Initial password").fill("first-password-1")
    shot(page, "01-new-user-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("User kavya@indextb.example created.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "kavya@indextb.example", "first-password-1")
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.get_by_label("Current password").fill("first-password-1")
    page.get_by_label("New password", exact=True).fill("my own phrase 2026")
    page.get_by_label("Repeat the new password").fill("my own phrase 2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    open_menu(page, "Partnerships", "Partnerships")
    shot(page, "02-partnerships")
    page.get_by_role("link", name="Gujarat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("静岡県")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Notes").fill("Hamamatsu suppliers meet Sanand OEMs; hydrogen working group.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Partnership Gujarat–Shizuoka saved.")).to_be_visible()
    shot(page, "03-partnership")


def test_another_states_office_gets_not_found_for_a_partnership_edit_by_url(page, live_server, shot):
    log_in(page, live_server, "gujarat@demo.planner")
    open_menu(page, "Partnerships", "Partnerships")
    page.get_by_role("link", name="Maharashtra", exact=True).click()
    edit_url = page.url + "/edit"
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    response = page.goto(edit_url)
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    shot(page, "01-not-found")


def test_wrong_password_shows_the_error_at_the_field(page, live_server, shot):
    page.goto(live_server.url("/login"))
    page.get_by_label("E-mail").fill("ehime@demo.planner")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#password-error")).to_have_text("E-mail or password is wrong.")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-describedby", "password-error")
    shot(page, "01-login-error")
    # a summary at the top of the form has the focus and leads to the field
    summary = page.get_by_role("alert").filter(has_text="Please correct the marked fields:")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Password").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()


def test_a_long_unbroken_name_wraps_and_a_table_wider_than_a_phone_shows_it_scrolls(page, live_server, shot):
    # a 200-character name (the field allows it) pushed e-mail, role and Edit off the users page at 1366 px; on a
    # phone nothing showed that the follow-ups and agreements tables went on beyond the screen's edge
    log_in(page, live_server, "admin@demo.planner")
    page.goto(live_server.url("/admin/users/new"))
    page.get_by_label("E-mail").fill("long.name@indextb.example")
    page.get_by_label("Name").fill("Q" * 200)
    page.get_by_label("Role").select_option("state")
    page.get_by_label("Region").select_option(label="IN-GJ Gujarat")
    page.get_by_label("Mail the user a link to choose their password").uncheck()  # an initial password instead
    page.get_by_label("Initial password").fill("first-password-1")
    page.get_by_role("button", name="Save").click()
    page.goto(live_server.url("/admin/users"))
    row = page.locator("tr", has_text="long.name@indextb.example")
    assert row.get_by_role("link", name="Edit").bounding_box()["x"] + 20 < 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "01-users-with-a-long-name")
    log_out(page)

    log_in(page, live_server, "gujarat@demo.planner")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url("/outcomes/followups/"))
    box = page.locator(".table-responsive").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the table fits: nothing to show"
    attachments = box.evaluate("b => getComputedStyle(b).backgroundAttachment")
    assert attachments.split(", ") == ["local", "local", "scroll", "scroll"]  # covers scroll, shadows stay
    assert box.evaluate("b => getComputedStyle(b.querySelector('td')).backgroundColor") == "rgba(0, 0, 0, 0)"
    shot(page, "02-followups-at-390")
