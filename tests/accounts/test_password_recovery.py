"""A forgotten password: the login page's link, a mail over real SMTP with a link that works once and for an
hour, the same answer whether or not the address has an account, at most three mails an hour to an address,
every session ended and failed logins forgotten when the new password is set, and the link kept out of the
email log."""

import email
import email.policy
import re
import time
from datetime import timedelta

from sqlalchemy import func, select

from planner.accounts.models import LoginFailure
from planner.accounts.recovery import RELATED_TYPE, make_token, reset_with_link
from planner.core.audit import AuditEntry
from planner.core.types import utcnow
from planner.outbox.models import OutboxMessage
from planner.outbox.transport import SMTPTransport
from planner.outbox.worker import send_pass
from tests.conftest import login
from tests.factories import TEST_PASSWORD
from tests.mail_server import smtp_server  # noqa: F401 (fixture)

LINK = re.compile(r"http://127\.0\.0\.1:5000(/password/reset/[A-Za-z0-9._-]+)")
NEW_PASSWORD = "a new phrase of several words"


def _mails(to: str) -> list[OutboxMessage]:
    from planner.extensions import db

    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == to)
                                   .order_by(OutboxMessage.id)))


def _text(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _ask(client, address: str):
    return client.post("/password/forgot", data={"email": address})


def test_the_login_page_offers_the_link_and_a_mail_over_smtp_sets_a_new_password(app, client, factories,
                                                                                   database, smtp_server):  # noqa: F811
    user = factories.user("prefecture", "JP-22", email="k.ito@pref.shizuoka.example", name="Kenta Ito")
    database.session.commit()
    login_page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in login_page and "Forgot your password?" in login_page

    page = _ask(client, "  K.Ito@Pref.Shizuoka.example ").get_data(as_text=True)
    assert "If K.Ito@Pref.Shizuoka.example is the address of an active account" in page
    transport = SMTPTransport(host=smtp_server.host, port=smtp_server.port, use_tls=False, use_ssl=False,
                              username=None, password=None, timeout=5, envelope_from="bounces@planner.example")
    send_pass(transport)
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ("k.ito@pref.shizuoka.example",)
    received = email.message_from_bytes(envelope.data, policy=email.policy.default)
    assert str(received["Subject"]) == "Reset your Delegation Planner password"
    text = _text(envelope.data)
    assert text.startswith("Dear Kenta Ito,\n") and "within 60 minutes" in text
    path = LINK.search(text).group(1)

    form = client.get(path)
    assert form.status_code == 200 and "For the account k.ito@pref.shizuoka.example." in form.get_data(as_text=True)
    assert (form.headers["Cache-Control"], form.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    client.get(path)  # opening it again (a mail scanner, a second look) changes nothing
    response = client.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 200
    login(fresh, user.email, NEW_PASSWORD)
    # the link worked once
    again = client.get(path)
    assert again.status_code == 410 and "The link was used already" in again.get_data(as_text=True)
    actions = database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id)))
    assert "password_reset_by_mail" in list(actions)


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_mail(client, factories, database):
    user = factories.user("state", "IN-GJ", email="former@gujarat.example")
    user.is_active = False
    database.session.commit()
    # the same page but for the address, and the CSRF token of the language switcher (it carries the second
    # it was made in)
    answers = {address: re.sub(r'name="csrf_token" value="[^"]*"', "", _ask(client, address).get_data(
                   as_text=True).replace(address, "ADDRESS"))
               for address in ("former@gujarat.example", "nobody@gujarat.example")}
    assert answers["former@gujarat.example"] == answers["nobody@gujarat.example"]
    assert "is the address of an active account" in answers["nobody@gujarat.example"]
    assert database.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_an_unknown_address_is_answered_no_sooner_than_an_account(app, client, factories, database, monkeypatch):
    # an account's answer wrote a mail (7 ms), an unknown address's did not (3 ms): the time told them apart
    monkeypatch.setitem(app.config, "PASSWORD_RESET_ANSWER_SECONDS", 0.25)
    user = factories.user("state", "IN-GJ", email="known@gujarat.example")
    database.session.commit()
    took = {}
    for address in ("known@gujarat.example", "unknown@gujarat.example"):
        started = time.monotonic()
        assert _ask(client, address).status_code == 200
        took[address] = time.monotonic() - started
    assert min(took.values()) >= 0.25
    assert len(_mails(user.email)) == 1


def test_a_bad_address_is_refused_at_the_field(client, database):
    response = _ask(client, "not an address")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="email-error"' in page
    assert database.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_at_most_three_mails_an_hour_go_to_one_address(client, factories, database):
    user = factories.user("state", "IN-UP")
    database.session.commit()
    for _attempt in range(5):
        assert _ask(client, user.email).status_code == 200
    assert len(_mails(user.email)) == 3


def test_one_client_address_may_ask_only_so_often_for_any_addresses(app, client, factories, database):
    # three mails an hour to one address, but no limit on addresses: one client could have the planner mail
    # links to address after address
    app.config["PASSWORD_RESET_MAX_PER_ADDRESS"] = 4
    users = [factories.user("state", "IN-UP") for _ in range(6)]
    database.session.commit()
    here = {"REMOTE_ADDR": "203.0.113.50"}
    for user in users[:3]:
        assert client.post("/password/forgot", data={"email": user.email}, environ_base=here).status_code == 200
    assert client.post("/password/forgot", data={"email": "nobody@example.org"},
                       environ_base=here).status_code == 200  # unknown addresses count too
    refused = client.post("/password/forgot", data={"email": users[3].email}, environ_base=here)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many links were asked for from your network in the last hour." in page
    assert 'id="email"' in page and "is-invalid" in page  # at the field, the form still there
    assert _mails(users[3].email) == []
    # another client is not held back
    assert client.post("/password/forgot", data={"email": users[4].email},
                       environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code == 200
    assert len(_mails(users[4].email)) == 1


def test_a_deactivated_accounts_link_does_not_work_again_when_it_is_reactivated(client, factories, database):
    from planner.accounts.operations import update_user

    admin = factories.user("admin")
    user = factories.user("state", "IN-UP")
    database.session.commit()
    link = make_token(user, utcnow() + timedelta(minutes=30))
    assert client.get(f"/password/reset/{link}").status_code == 200
    update_user(user, name=user.name, role=user.role, region=user.region, is_active=False, editor=admin)
    database.session.commit()
    assert client.get(f"/password/reset/{link}").status_code == 410
    update_user(user, name=user.name, role=user.role, region=user.region, is_active=True, editor=admin)
    database.session.commit()
    response = client.post(f"/password/reset/{link}", data={"new_password": NEW_PASSWORD,
                                                           "confirm_password": NEW_PASSWORD})
    assert response.status_code == 410  # the link asked for before the account was switched off stays dead
    database.session.refresh(user)
    from planner.accounts.passwords import verify_password

    assert verify_password(user.password_hash, TEST_PASSWORD)


def test_logging_out_ends_the_links_asked_for_before(app, factories, database):
    user = factories.user("state", "IN-UP")
    database.session.commit()
    link = make_token(user, utcnow() + timedelta(minutes=30))
    browser = app.test_client()
    login(browser, user.email, TEST_PASSWORD)
    browser.post("/logout")
    response = app.test_client().get(f"/password/reset/{link}")
    assert response.status_code == 410


def test_an_expired_a_forged_and_a_superseded_link_are_refused(client, factories, database, app):
    user = factories.user("delegate")
    database.session.commit()
    expired = make_token(user, utcnow() - timedelta(minutes=1))
    response = client.get(f"/password/reset/{expired}")
    assert response.status_code == 410 and "The link has expired." in response.get_data(as_text=True)
    assert client.post(f"/password/reset/{expired}", data={
        "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}).status_code == 410

    valid = make_token(user, utcnow() + timedelta(minutes=30))
    forged = valid[:-3] + ("AAA" if not valid.endswith("AAA") else "BBB")
    assert client.get(f"/password/reset/{forged}").status_code == 404

    # an administrator's temporary password since: the older link works no more
    from planner.accounts.operations import reset_password

    reset_password(user, "temporary password 1")
    database.session.commit()
    response = client.get(f"/password/reset/{valid}")
    assert response.status_code == 410 and "the account has changed since it was sent (a new password" in response.get_data(as_text=True)
    database.session.refresh(user)
    assert user.must_change_password  # the refused link changed nothing


def test_a_short_or_mistyped_password_is_refused_at_its_field_and_the_link_still_works(client, factories,
                                                                                      database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    path = f"/password/reset/{make_token(user, utcnow() + timedelta(minutes=30))}"
    short = client.post(path, data={"new_password": "short", "confirm_password": "short"})
    assert short.status_code == 200 and 'id="new_password-error"' in short.get_data(as_text=True)
    differ = client.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "!"})
    assert "The two new passwords differ." in differ.get_data(as_text=True)
    assert client.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}).status_code == 302


def test_the_new_password_ends_every_session_and_forgets_the_failed_logins(app, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    elsewhere = app.test_client()
    login(elsewhere, user.email)
    for attempt in range(5):
        app.test_client().post("/login", data={"email": user.email, "password": f"wrong {attempt}"})
    assert database.session.scalar(select(func.count()).where(LoginFailure.email == user.email)) == 5
    reset_with_link(make_token(user, utcnow() + timedelta(minutes=30)), NEW_PASSWORD)
    database.session.commit()
    assert elsewhere.get("/").status_code == 302  # the other browser's session ended
    assert database.session.scalar(select(func.count()).where(LoginFailure.email == user.email)) == 0
    login(app.test_client(), user.email, NEW_PASSWORD)


def test_the_mail_is_in_the_holders_language_and_the_email_log_hides_the_link(client, factories, database,
                                                                             login_as):
    user = factories.user("prefecture", "JP-22", name="鈴木 一郎")
    user.locale = "ja"
    database.session.commit()
    _ask(client, user.email)  # asked from an English page: the holder's own language wins
    (message,) = _mails(user.email)
    assert message.subject == "訪問団プランナーのパスワード再設定"
    assert _text(message.raw).startswith("鈴木 一郎 様\n")
    assert message.related_type == RELATED_TYPE and not message.regions  # only administrators see it

    admin = login_as("admin")
    page = admin.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "/password/reset/…" in page and not LINK.search(page)
    office = login_as("prefecture", "JP-22")
    assert office.get(f"/outbox/{message.id}").status_code == 404


def test_a_logged_in_user_asking_is_sent_to_change_their_password(login_as):
    client = login_as("delegate")
    response = client.get("/password/forgot")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")



def test_a_new_account_can_be_opened_with_a_mailed_link_nobody_else_knows(app, login_as, factories, database):
    admin = login_as("admin")
    form = admin.get("/admin/users/new").get_data(as_text=True)
    (checkbox,) = re.findall(r'<input[^>]*name="send_link"[^>]*>', form)
    assert " checked " in checkbox  # the link is the default
    shizuoka = factories.region("JP-22")
    response = admin.post("/admin/users/new", data={
        "email": "h.sato@pref.shizuoka.example", "name": "佐藤 花子", "role": "prefecture",
        "region": str(shizuoka.id), "send_link": "y", "password": "", "is_active": "y"})
    assert response.status_code == 302
    (message,) = _mails("h.sato@pref.shizuoka.example")
    assert message.subject == "訪問団プランナーのアカウント"  # a prefecture office's first mail is in Japanese
    text = _text(message.raw)
    assert "3日以内" in text and "http://127.0.0.1:5000/login" in text
    path = LINK.search(text).group(1)

    holder = app.test_client()
    assert holder.post(path, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}).status_code == 302
    login(holder, "h.sato@pref.shizuoka.example", NEW_PASSWORD)
    assert holder.get("/").status_code == 200  # not sent to change a password they chose themselves


def test_without_the_link_the_initial_password_is_required_and_checked(login_as, factories, database):
    admin = login_as("admin")
    base = {"email": "plain@example.org", "name": "Plain", "role": "delegate", "is_active": "y"}
    missing = admin.post("/admin/users/new", data={**base, "password": ""}).get_data(as_text=True)
    assert 'id="password-error"' in missing and "This field is required." in missing
    short = admin.post("/admin/users/new", data={**base, "password": "short"}).get_data(as_text=True)
    assert "Use at least 10 characters." in short
    assert not _mails("plain@example.org")
    both = admin.post("/admin/users/new", data={**base, "send_link": "y", "password": "initial password 1"})
    assert "The link is ticked: leave this empty" in both.get_data(as_text=True)
    inactive = admin.post("/admin/users/new", data={**base, "send_link": "y", "is_active": ""})
    assert "An inactive account cannot use the link" in inactive.get_data(as_text=True)
    assert not _mails("plain@example.org")


def test_an_administrator_mails_an_existing_user_a_link_instead_of_a_temporary_password(login_as, factories,
                                                                                       database):
    user = factories.user("state", "IN-GJ", name="Rakesh Desai")
    database.session.commit()
    admin = login_as("admin")
    page = admin.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert f'action="/admin/users/{user.id}/password-link"' in page
    response = admin.post(f"/admin/users/{user.id}/password-link", follow_redirects=True)
    assert f"A link to choose a new password was mailed to {user.email}" in response.get_data(as_text=True)
    (message,) = _mails(user.email)
    assert message.subject == "Reset your Delegation Planner password"
    database.session.refresh(user)
    assert not user.must_change_password  # the current password works until the holder sets a new one
    user.is_active = False
    database.session.commit()
    refused = admin.post(f"/admin/users/{user.id}/password-link", follow_redirects=True)
    assert "is inactive: a link would not work" in refused.get_data(as_text=True)
    assert len(_mails(user.email)) == 1


def test_a_link_used_between_opening_its_form_and_sending_it_is_refused_not_a_500(client, factories, database,
                                                                                 monkeypatch):
    # the page checks the link, then the locked save checks it again: a use in between (another tab, a race)
    # made the second check raise past the view
    from planner.accounts import views

    user = factories.user("state", "IN-GJ")
    database.session.commit()
    token = make_token(user, utcnow() + timedelta(minutes=30))
    reset_with_link(token, "the first new password")
    database.session.commit()
    monkeypatch.setattr(views, "account_for", lambda _token, **_kw: user)  # the page's check, done before the use
    response = client.post(f"/password/reset/{token}", data={"new_password": NEW_PASSWORD,
                                                            "confirm_password": NEW_PASSWORD})
    assert response.status_code == 410 and "The link was used already" in response.get_data(as_text=True)
    login(client, user.email, "the first new password")
