from planner.accounts.models import User
from planner.accounts.passwords import hash_password, verify_password
from tests.conftest import login


def test_passwords_are_stored_as_argon2id_hashes(app, factories, database):
    user = factories.user("admin")
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "correct horse battery")
    assert not verify_password(user.password_hash, "correct horse batterY")


def test_verify_password_is_false_for_a_garbled_hash(app, database):
    assert verify_password("not-a-hash", "whatever") is False
    assert hash_password("x" * 12) != hash_password("x" * 12)  # salted


def test_user_changes_own_password(login_as, database):
    client = login_as("state", "IN-TN")
    response = client.post("/account/password", data={
        "current_password": "correct horse battery", "new_password": "a brand new phrase",
        "confirm_password": "a brand new phrase"})
    assert response.status_code == 302
    client.post("/logout")
    login(client, client.user.email, "a brand new phrase")


def test_password_change_with_wrong_current_password_is_refused_at_the_field(login_as, database):
    client = login_as("state", "IN-TN")
    response = client.post("/account/password", data={
        "current_password": "not my password", "new_password": "a brand new phrase",
        "confirm_password": "a brand new phrase"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This is not your current password." in page
    database.session.expire_all()
    assert verify_password(database.session.get(User, client.user.id).password_hash, "correct horse battery")


def test_guessing_the_current_password_is_throttled_like_a_login(login_as, database):
    # whoever holds an open session could guess the password without limit on this page
    client = login_as("state", "IN-TN")
    wrong = {"current_password": "not my password", "new_password": "a brand new phrase",
             "confirm_password": "a brand new phrase"}
    for _ in range(5):  # the per-account limit of failed logins
        assert "This is not your current password." in client.post("/account/password", data=wrong).get_data(
            as_text=True)
    right = {**wrong, "current_password": "correct horse battery"}
    page = client.post("/account/password", data=right).get_data(as_text=True)
    assert "Too many wrong passwords." in page
    database.session.expire_all()
    assert verify_password(database.session.get(User, client.user.id).password_hash, "correct horse battery")


def test_password_change_refuses_a_short_or_mismatched_password(login_as):
    client = login_as("prefecture", "JP-38")
    short = client.post("/account/password", data={
        "current_password": "correct horse battery", "new_password": "short", "confirm_password": "short"})
    assert "Field must be between 10 and 1000 characters long." in short.get_data(as_text=True)
    mismatch = client.post("/account/password", data={
        "current_password": "correct horse battery", "new_password": "long enough one",
        "confirm_password": "long enough two"})
    assert "The two new passwords differ." in mismatch.get_data(as_text=True)


def test_user_who_must_change_password_is_sent_to_the_password_page(login_as, database):
    client = login_as("state", "IN-GJ")
    client.user.must_change_password = True
    database.session.commit()
    response = client.get("/partnerships/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
