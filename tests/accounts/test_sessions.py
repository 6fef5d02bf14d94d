"""Sessions end on the server: logout, a password change or reset, deactivation and a role change end
every session of the account, a copied session cookie with them."""

import pytest
from sqlalchemy import select

from planner.accounts.models import User
from tests.conftest import login
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "a brand new secret phrase"


def _copy_of_session(app, client):
    """A second browser holding a copy of `client`'s session cookie (a stolen or a second session)."""
    domain = app.config.get("SERVER_NAME") or "localhost"
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session", domain=domain).value, domain=domain)
    assert other.get("/account").status_code == 200
    return other


def test_logout_ends_the_session_on_the_server(app, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    client = app.test_client()
    login(client, user.email)
    copy = _copy_of_session(app, client)
    response = client.post("/logout", follow_redirects=True)
    assert "logged out (on every device)" in response.get_data(as_text=True)
    assert copy.get("/account").status_code == 302  # to the login page
    login(client, user.email)  # and a new login works
    assert client.get("/account").status_code == 200


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    client = app.test_client()
    login(client, user.email)
    copy = _copy_of_session(app, client)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert copy.get("/account").status_code == 302


@pytest.mark.parametrize("change", ["deactivate", "role"])
def test_an_administrators_change_ends_the_users_sessions(change, app, login_as, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    client = app.test_client()
    login(client, user.email)
    data = {"email": user.email, "name": user.name, "role": "state", "region": str(user.region_id),
            "is_active": "y"}
    if change == "deactivate":
        data.pop("is_active")
    else:
        data.update(role="prefecture", region=str(factories.region("JP-22").id))
    assert login_as("admin").post(f"/admin/users/{user.id}/edit", data=data).status_code == 302
    assert client.get("/account").status_code == 302


def test_a_session_from_before_tokens_is_anonymous(app, factories, database):
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what a session carried before
        session["_fresh"] = True
    assert client.get("/account").status_code == 302


def test_an_administrator_sets_a_temporary_password(app, login_as, factories, database):
    user = factories.user("prefecture", "JP-22")
    database.session.commit()
    client = app.test_client()
    for _ in range(5):  # locked out
        client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 429
    admin = login_as("admin")
    assert "Set a temporary password" in admin.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    response = admin.post(f"/admin/users/{user.id}/password", data={"password": "short"})
    assert response.status_code == 400
    response = admin.post(f"/admin/users/{user.id}/password", data={"password": "temporary phrase 2026"})
    assert response.status_code == 302
    response = client.post("/login", data={"email": user.email, "password": "temporary phrase 2026"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
    assert login_as("state", "IN-GJ").get(f"/admin/users/{user.id}/password").status_code == 403


def test_an_administrator_cannot_lock_themselves_out_nor_remove_the_last_administrator(login_as, factories,
                                                                                        database):
    admin = login_as("admin")
    me = admin.user
    own = {"email": me.email, "name": me.name, "role": "admin", "region": ""}
    response = admin.post(f"/admin/users/{me.id}/edit", data=own)  # not active
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    response = admin.post(f"/admin/users/{me.id}/edit", data={**own, "is_active": "y", "role": "delegate"})
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    database.session.expire_all()
    assert database.session.get(User, me.id).is_active and database.session.get(User, me.id).role == "admin"
    # another administrator may, while one stays active
    other = login_as("admin")
    assert other.post(f"/admin/users/{me.id}/edit", data=own).status_code == 302
    assert database.session.scalars(select(User).where(User.role == "admin", User.is_active)).all() == [
        database.session.get(User, other.user.id)]
