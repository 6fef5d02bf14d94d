"""A user who forgot their password sets a new one from the login page and the mailed link (the mail through
the live server's real SMTP server), then logs in with it; the link does not work a second time."""

import email
import email.policy
import re

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, log_in, run_planner

ACCOUNT = "wakayama@demo.planner"  # no other journey logs in as Wakayama's office
NEW_PASSWORD = "kishu ume and a harbour view"


def test_a_forgotten_password_is_set_again_from_the_mailed_link(page, live_server, shot):
    page.goto(live_server.url("/login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(ACCOUNT)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Look in your mail")
    shot(page, "01-link-sent")

    run_planner(["outbox", "send"], live_server.env)
    mails = [email.message_from_bytes(envelope.data, policy=email.policy.default)
             for envelope in live_server.smtp.envelopes if ACCOUNT in envelope.rcpt_tos]
    (mail,) = [m for m in mails if str(m["Subject"]) == "Reset your Delegation Planner password"]
    link = re.search(r"(http://\S+/password/reset/\S+)", mail.get_body(("plain",)).get_content()).group(1)

    page.goto(link)
    expect(page.get_by_text(f"For the account {ACCOUNT}.")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    shot(page, "02-new-password")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your new password is set. Log in with it.")).to_be_visible()

    log_in(page, live_server, ACCOUNT, DEMO_PASSWORD)
    expect(page.get_by_text("E-mail or password is wrong.")).to_be_visible()
    log_in(page, live_server, ACCOUNT, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
