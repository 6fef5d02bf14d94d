import pytest
from sqlalchemy import func, select

from planner.accounts.models import LoginFailure, User
from planner.core.audit import AuditEntry
from tests.conftest import login
from tests.factories import TEST_PASSWORD


def test_login_with_right_password_redirects_home_and_records_the_login(client, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    response = client.post("/login", data={"email": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert client.get("/").status_code == 200
    actions = database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id)))
    assert "login" in list(actions)


def test_login_with_wrong_password_shows_the_error_at_the_field_and_counts_a_failure(client, factories, database):
    user = factories.user("prefecture", "JP-22")
    database.session.commit()
    response = client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "E-mail or password is wrong." in page and 'id="password-error"' in page
    assert database.session.scalar(select(func.count()).where(LoginFailure.email == user.email)) == 1


def test_five_failures_for_one_account_stop_that_address_not_the_owner_elsewhere(app, factories, database):
    # five wrong passwords from anyone locked the owner out too: anyone could keep any account locked
    user = factories.user("state", "IN-UP")
    database.session.commit()
    for attempt in range(5):
        client = app.test_client()  # a fresh client each time: the limit lives in the database, not the session
        response = client.post("/login", data={"email": user.email, "password": f"wrong {attempt}"},
                               environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert response.status_code == 200
    response = app.test_client().post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                                      environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    assert "Too many failed logins" in response.get_data(as_text=True)
    owner = app.test_client().post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                                   environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert owner.status_code == 302


def test_guesses_spread_over_many_addresses_lock_the_account(app, factories, database):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    user = factories.user("state", "IN-TN")
    database.session.commit()
    for attempt in range(limit):  # one or two guesses per address, never five from one
        response = app.test_client().post("/login", data={"email": user.email, "password": f"wrong {attempt}"},
                                          environ_base={"REMOTE_ADDR": f"10.0.{attempt // 2}.1"})
        assert response.status_code == 200
    response = app.test_client().post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                                      environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429


def test_login_is_refused_with_429_after_too_many_failures_from_one_address(app, factories, database):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        victim = factories.user("admin")
        database.session.commit()
        for n in range(3):
            app.test_client().post("/login", data={"email": f"guess{n}@example.org", "password": "x"},
                                   environ_base={"REMOTE_ADDR": "192.0.2.7"})
        blocked = app.test_client().post("/login", data={"email": victim.email, "password": TEST_PASSWORD},
                                         environ_base={"REMOTE_ADDR": "192.0.2.7"})
        elsewhere = app.test_client().post("/login", data={"email": victim.email, "password": TEST_PASSWORD},
                                           environ_base={"REMOTE_ADDR": "192.0.2.8"})
        assert (blocked.status_code, elsewhere.status_code) == (429, 302)
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 30


def test_successful_login_clears_the_accounts_failures(client, factories, database):
    user = factories.user("state", "IN-MH")
    database.session.commit()
    client.post("/login", data={"email": user.email, "password": "wrong password"})
    login(client, user.email)
    assert database.session.scalar(select(func.count()).where(LoginFailure.email == user.email)) == 0


def test_login_clears_what_the_session_held_before(client, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_token}"


def test_session_cookie_is_httponly_and_samesite_lax(client, factories, database):
    user = factories.user("admin")
    database.session.commit()
    cookie = login(client, user.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_deployed_behind_https(app, factories, database):
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        user = factories.user("admin")
        database.session.commit()
        cookie = login(app.test_client(), user.email).headers["Set-Cookie"]
        assert "Secure" in cookie
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


def test_disabled_account_cannot_log_in(client, factories, database):
    user = factories.user("state", "IN-GJ")
    user.is_active = False
    database.session.commit()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200 and "E-mail or password is wrong." in response.get_data(as_text=True)


def test_logout_needs_a_post_and_ends_the_session(login_as):
    client = login_as("admin")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/partnerships/").status_code == 302  # back to the login page


def test_login_does_not_follow_a_next_link_to_another_site(client, factories, database):
    user = factories.user("admin")
    database.session.commit()
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] in ("/", "http://planner.test/")


def test_pages_need_a_login(client):
    response = client.get("/partnerships/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_updates_last_login_time(client, factories, database):
    user = factories.user("admin")
    database.session.commit()
    login(client, user.email)
    database.session.expire_all()
    assert database.session.get(User, user.id).last_login_at is not None


def test_a_next_with_a_line_break_goes_home_after_the_login(client, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    response = client.post("/login?next=/%0d%0aX-Evil:%201", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "X-Evil" not in response.headers


@pytest.mark.parametrize("request_", [
    ("post", "/login", {"email": "a\x00b@example.org", "password": "x"}),
    ("get", "/admin/users?q=a%00b", None),
    ("get", "/admin/audit?actor=a%00b", None),
    ("get", "/regions/IN%00", None),
    ("post", "/admin/users/new", {"name": "A\x00B", "email": "ab@example.org", "role": "admin",
                                  "password": "long enough password"}),
])
def test_a_nul_character_anywhere_is_a_bad_request(request_, login_as, database):
    # PostgreSQL refuses NUL in text: these were 500s there, the login one for anyone
    method, url, data = request_
    client = login_as("admin")
    response = getattr(client, method)(url, data=data) if data else getattr(client, method)(url)
    assert response.status_code == 400
    assert "The request could not be understood." in response.get_data(as_text=True)


def test_a_deactivated_account_costs_a_password_check_like_any_other(client, factories, database, monkeypatch):
    # it answered in 3 ms where others took 100+ (the check was skipped): which accounts exist but are
    # deactivated could be told by the time
    from planner.accounts import operations

    calls = []
    real = operations.verify_password
    monkeypatch.setattr(operations, "verify_password", lambda *args: calls.append(1) or real(*args))
    user = factories.user("state", "IN-GJ")
    user.is_active = False
    database.session.commit()
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert calls == [1]


def test_trusted_proxies_is_read_from_the_environment(monkeypatch, tmp_path):
    from planner.config import from_environment

    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == 1


def test_password_managers_are_told_which_field_is_which(client, login_as):
    page = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    page = login_as("delegate").get("/account/password").get_data(as_text=True)
    assert page.count('autocomplete="new-password"') == 2 and page.count('autocomplete="current-password"') == 1
