from sqlalchemy import select

from planner.core.audit import AuditEntry, acting_as, record_action


def _entries(database, obj):
    return list(database.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == obj.__tablename__, AuditEntry.object_id == str(obj.id)).order_by(AuditEntry.id)))


def test_creating_an_audited_record_writes_a_create_entry_with_its_values(factories, database):
    with acting_as("cli:test"):
        partnership = factories.partnership("IN-UP", "JP-19", agreement_title="MoU on hydrogen")
    (entry,) = _entries(database, partnership)
    assert (entry.action, entry.actor_label, entry.object_label) == ("create", "cli:test", "Uttar Pradesh–Yamanashi")
    assert entry.changes["agreement_title"] == {"old": None, "new": "MoU on hydrogen"}
    assert entry.changes["since"] == {"old": None, "new": "2023-05-16"}


def test_updating_records_only_the_changed_fields_with_old_and_new(factories, database):
    partnership = factories.partnership("IN-AP", "JP-16", notes="first")
    partnership.notes = "second"
    partnership.status = "active"  # unchanged value: not recorded
    database.session.flush()
    update = _entries(database, partnership)[-1]
    assert update.action == "update"
    assert set(update.changes) == {"notes"}
    assert update.changes["notes"] == {"old": "first", "new": "second"}


def test_changing_focus_sectors_is_recorded_as_names(factories, database):
    from planner.regions.models import Sector

    partnership = factories.partnership("IN-MH", "JP-30")
    steel = database.session.scalar(select(Sector).where(Sector.code == "steel"))
    partnership.focus_sectors = [steel]
    database.session.flush()
    update = _entries(database, partnership)[-1]
    assert update.changes["focus_sectors"] == {"old": [], "new": ["Steel"]}


def test_audit_entries_vanish_with_a_rolled_back_change(app, factories, database):
    nested = database.session.begin_nested()
    partnership = factories.partnership("IN-KA", "JP-23")
    ident = partnership.id
    nested.rollback()
    assert database.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "partnerships", AuditEntry.object_id == str(ident))) is None


def test_explicit_actions_are_recorded_with_a_note(factories, database):
    partnership = factories.partnership("IN-KL", "JP-26")
    record_action(partnership, "status_change", note="signed in Kyoto", changes={"status": {"old": "a", "new": "b"}})
    entry = _entries(database, partnership)[-1]
    assert (entry.action, entry.note, entry.changes["status"]["new"]) == ("status_change", "signed in Kyoto", "b")


def test_deleting_an_audited_record_writes_a_delete_entry(factories, database):
    partnership = factories.partnership("IN-RJ", "JP-27")
    ident = partnership.id
    database.session.delete(partnership)
    database.session.flush()
    actions = list(database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "partnerships", AuditEntry.object_id == str(ident)).order_by(AuditEntry.id)))
    assert actions == ["create", "delete"]


def test_related_records_are_recorded_in_english_whatever_the_editors_language(app, factories, database):
    # an edit on a Japanese page recorded 食品加工・養鶏, one on an English page "Food processing and poultry"
    from flask_babel import force_locale

    from planner.regions.models import Sector

    partnership = factories.partnership("IN-MH", "JP-30")
    food = database.session.scalar(select(Sector).where(Sector.code == "food"))
    with app.test_request_context(), force_locale("ja"):
        assert str(food) != "Food processing and poultry"  # the sector reads in Japanese here
        partnership.focus_sectors = [food]
        database.session.flush()
    update = _entries(database, partnership)[-1]
    assert update.changes["focus_sectors"] == {"old": [], "new": ["Food processing and poultry"]}


def test_actor_labels_of_changes_made_outside_a_request_read_in_the_pages_language(app):
    from flask_babel import force_locale

    from planner.core.audit import actor_text

    with app.test_request_context():
        assert [actor_text(label) for label in ("system", "cli:followups", "feedback: Mehul Shah (Kutch Auto)",
                                                "asha@demo.planner")] == [
            "the planner itself", "command line (followups)", "feedback from Mehul Shah (Kutch Auto)",
            "asha@demo.planner"]
        with force_locale("ja"):
            assert actor_text("cli:demo") == "コマンドライン（demo）"


def test_related_records_and_collections_are_recorded_by_name_not_as_ids_or_reprs(factories, database):
    # the log read "firms: [] → ["<Firm 122 'Hosur…' active>"]", "status changes: ['<AgreementStatusChange 9
    # signed 2026-11-01>']" and "partnership: — → 1"
    partnership = factories.partnership("IN-GJ", "JP-22")
    firm = factories.firm("JP-22", name="Suzuki Seiki")
    agreement = factories.agreement(firms=[firm], partnership_=partnership, kind="mou")
    (entry,) = _entries(database, agreement)
    assert entry.changes["firms"] == {"old": [], "new": ["Suzuki Seiki (JP-22)"]}
    assert entry.changes["status_changes"]["new"] == ["Signed 2026-03-01"]
    assert entry.changes["partnership_id"] == {"old": None, "new": f"Gujarat–Shizuoka (#{partnership.id})"}
    assert entry.changes["kind"] == {"old": None, "new": "mou"}  # codes stay codes: the page labels them


def test_the_log_page_shows_names_and_labels(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22")
    firm = factories.firm("JP-22", name="Suzuki Seiki")
    factories.agreement(firms=[firm], partnership_=partnership, kind="mou", title="MoU on gears")
    database.session.commit()
    html = login_as("admin").get("/admin/audit?type=agreements").get_data(as_text=True)
    assert "kind</span>: <span class=\"text-muted\">—</span> → MoU</div>" in html
    assert "firms</span>: <span class=\"text-muted\">—</span> → Suzuki Seiki (JP-22)</div>" in html
    assert "→ Signed 2026-03-01</div>" in html and "→ Gujarat–Shizuoka (#" in html
    assert "&lt;Firm" not in html and "&lt;AgreementStatusChange" not in html and "[" not in html.split(
        "audit-table")[1]


def test_a_login_is_one_entry_by_the_user_who_logged_in(app, factories, database, monkeypatch):
    # every login added "someone not logged in … last login at: …" beside the login itself
    from tests.conftest import login

    user = factories.user("state", "IN-GJ")
    database.session.commit()
    login(app.test_client(), user.email)
    entries = _entries(database, user)
    assert [(e.action, e.actor_id) for e in entries] == [("create", None), ("login", user.id)]
    # a password rehashed on login (stronger hash settings) is the user's change, not an anonymous one
    monkeypatch.setattr("planner.accounts.operations.needs_rehash", lambda _hash: True)
    login(app.test_client(), user.email)
    update = [e for e in _entries(database, user) if e.action == "update"]
    assert [(e.actor_id, e.actor_label, e.changes) for e in update] == [
        (user.id, user.email, {"password_hash": {"old": "(hidden)", "new": "(changed)"}})]
