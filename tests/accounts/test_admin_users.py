import re

from sqlalchemy import select

from planner.accounts.models import User
from planner.core.audit import AuditEntry


def test_admin_creates_a_state_cell_user_bound_to_a_state(login_as, factories, database):
    admin = login_as("admin")
    gujarat = factories.region("IN-GJ")
    response = admin.post("/admin/users/new", data={
        "email": "New.Cell@Example.org", "name": "New Cell", "role": "state", "region": str(gujarat.id),
        "password": "initial password 1", "is_active": "y"})
    assert response.status_code == 302
    user = database.session.scalar(select(User).where(User.email == "new.cell@example.org"))
    assert (user.role, user.region.code, user.must_change_password) == ("state", "IN-GJ", True)
    audit = database.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id), AuditEntry.action == "create"))
    assert audit.actor_label == admin.user.email
    assert audit.changes["password_hash"] == {"old": None, "new": "(set)"}


def test_prefecture_user_needs_a_japanese_prefecture(login_as, factories, database):
    admin = login_as("admin")
    response = admin.post("/admin/users/new", data={
        "email": "wrong@example.org", "name": "Wrong", "role": "prefecture",
        "region": str(factories.region("IN-GJ").id), "password": "initial password 1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a Japanese prefecture for this role." in page
    assert database.session.scalar(select(User).where(User.email == "wrong@example.org")) is None


def test_state_user_without_region_is_refused(login_as, database):
    response = login_as("admin").post("/admin/users/new", data={
        "email": "noregion@example.org", "name": "No region", "role": "state", "region": "",
        "password": "initial password 1"})
    assert "must be bound to a region" in response.get_data(as_text=True)


def test_duplicate_email_is_refused_at_the_field(login_as, factories, database):
    existing = factories.user("admin")
    response = login_as("admin").post("/admin/users/new", data={
        "email": existing.email, "name": "Again", "role": "delegate", "password": "initial password 1"})
    assert "A user with this e-mail address exists already." in response.get_data(as_text=True)


def test_admin_edits_role_and_region_and_the_audit_log_shows_old_and_new(login_as, factories, database):
    admin = login_as("admin")
    user = factories.user("state", "IN-GJ")
    database.session.commit()
    response = admin.post(f"/admin/users/{user.id}/edit", data={
        "email": user.email, "name": "Renamed", "role": "prefecture", "region": str(factories.region("JP-22").id),
        "is_active": "y"})
    assert response.status_code == 302
    entry = database.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id), AuditEntry.action == "update")
    ).first()
    assert entry.changes["role"] == {"old": "state", "new": "prefecture"}
    assert entry.changes["name"] == {"old": "Test state", "new": "Renamed"}
    page = admin.get("/admin/audit?type=users").get_data(as_text=True)
    assert "Renamed" in page
    # records and fields named in words, not as tables and columns
    assert f"User account #{user.id}" in page and '<option value="users" selected>User account</option>' in page
    assert "users #" not in page and '<span title="role">role</span>' in page


def test_user_pages_are_for_administrators_only(login_as):
    for role, region in (("state", "IN-GJ"), ("prefecture", "JP-22"), ("delegate", None)):
        client = login_as(role, region)
        assert client.get("/admin/users").status_code == 403
        assert client.get("/admin/audit").status_code == 403


def test_edit_page_of_unknown_user_is_404(login_as):
    assert login_as("admin").get("/admin/users/999999/edit").status_code == 404


def test_the_audit_log_says_what_happened_in_the_pages_language(login_as, database):
    admin = login_as("admin")  # its login is on record
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "<td>logged in" in page and "<td>login" not in page
    admin.user.locale = "ja"
    database.session.commit()
    assert "<td>ログイン" in admin.get("/admin/audit").get_data(as_text=True)


def test_an_account_keeps_a_name_when_an_administrator_edits_it(factories, database):
    import pytest

    from planner.accounts.operations import update_user
    from planner.core.errors import DomainError

    user = factories.user("state", "IN-GJ")
    for name, message in (("   ", "Enter the name."), ("n" * 201, "A name has at most 200 characters.")):
        with pytest.raises(DomainError) as refused:
            update_user(user, name=name, role="state", region=user.region, is_active=True)
        assert (refused.value.field, refused.value.message) == ("name", message)


def test_an_address_pasted_with_spaces_around_it_is_taken_as_the_address(login_as, factories, database):
    admin = login_as("admin")
    response = admin.post("/admin/users/new", data={
        "email": "  pasted@example.org ", "name": "Pasted", "role": "delegate", "region": "",
        "password": "initial password 1", "is_active": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert database.session.scalar(select(User).where(User.email == "pasted@example.org")) is not None


def test_the_edit_form_shows_the_login_address_as_read_only(login_as, factories, database):
    user = factories.user("state", "IN-GJ", email="cell@example.in")
    database.session.commit()
    page = login_as("admin").get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="email"[^>]*>', page).group(0)
    assert "readonly" in field and 'value="cell@example.in"' in field
    assert "The e-mail address is the login and cannot be changed." in page
    assert "readonly" not in re.search(r'<input[^>]*id="email"[^>]*>', login_as("admin").get(
        "/admin/users/new").get_data(as_text=True)).group(0)


def test_the_audit_log_names_who_acted_and_finds_them_by_name(login_as, factories, database):
    # 'gujarat-cell-7@example.in' said less to an administrator than the account's name and region
    cell = login_as("state", "IN-GJ")
    cell.user.name = "Nisha Trivedi"
    database.session.commit()
    assert cell.post("/people/new", data={"name": "Audited Person", "preferred_language": "en"}).status_code == 302
    admin = login_as("admin")
    page = admin.get("/admin/audit?type=people").get_data(as_text=True)
    row = re.search(r"<tr>\s*<td[^>]*>.*?</td>\s*<td>(.*?)</td>", page, re.S).group(1)
    assert "Nisha Trivedi" in row and cell.user.email in row and "Gujarat" in row
    found = admin.get("/admin/audit?actor=trivedi").get_data(as_text=True)
    assert "Audited Person" in found
    assert "Audited Person" not in admin.get("/admin/audit?actor=nobody-by-that-name").get_data(as_text=True)


def test_the_account_search_reads_names_as_the_people_search_does_and_a_percent_is_a_percent(login_as, factories,
                                                                                            database):
    # '%' and '_' were wildcards ('%' listed every account); 鈴木一郎 did not find 鈴木 一郎
    factories.user("prefecture", "JP-22", email="suzuki@pref.example.jp", name="鈴木 一郎")
    factories.user("state", "IN-GJ", email="nisha_t@example.in", name="Nisha Trivedi")
    database.session.commit()
    admin = login_as("admin")

    def found(query):
        page = admin.get("/admin/users", query_string={"q": query}).get_data(as_text=True)
        return sorted(email for email in ("suzuki@pref.example.jp", "nisha_t@example.in") if email in page)

    assert found("鈴木一郎") == found("鈴木　一郎") == found("ｓｕｚｕｋｉ") == ["suzuki@pref.example.jp"]
    assert found("nisha_t") == found("trivedi nisha") == ["nisha_t@example.in"]
    assert found("%") == found("nisha%t") == []
    cell = login_as("state", "IN-GJ")
    assert cell.post("/people/new", data={"name": "Audited Person", "preferred_language": "en"}).status_code == 302
    for actor, listed in (("", True), ("%", False), (cell.user.email[:3] + "%", False)):
        audit = admin.get("/admin/audit", query_string={"actor": actor}).get_data(as_text=True)
        assert ("Audited Person" in audit) == listed and ("Nothing recorded yet." in audit) != listed, actor
