"""Migrations are the schema: upgrading an empty database yields exactly the models' tables, on SQLite and
PostgreSQL (whichever this run uses), and every revision can be downgraded."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from planner import PROJECT_ROOT, create_app
from planner.extensions import db
from tests.conftest import app_settings


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"planner_migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrading_an_empty_database_yields_exactly_the_models_schema(empty_database_url, tmp_path):
    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
    assert _schema_differences(app) == []
    with app.app_context():
        db.engine.dispose()


def test_every_migration_downgrades_to_an_empty_database_and_upgrades_again(empty_database_url, tmp_path):
    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names())
        assert tables == {"alembic_version"}
        upgrade(revision="heads")
        assert "partnerships" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_revision_files_are_date_prefixed_and_each_has_a_downgrade():
    versions = sorted((PROJECT_ROOT / "migrations" / "versions").glob("*.py"))
    assert versions, "no migration found"
    for path in versions:
        assert path.name[:8].isdigit() and path.name[8] == "_", f"{path.name} is not date-prefixed"
        source = path.read_text()
        assert "def downgrade():" in source and "    pass\n" not in source.split("def downgrade():")[1], \
            f"{path.name} has no real downgrade"


COUNTED = ("people", "delegations", "events", "b2b_meetings", "calendar_invites", "outbox_messages", "followups")


def _counts(connection) -> dict[str, int]:
    return {table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() for table in COUNTED}


def test_a_database_full_of_demo_data_downgrades_and_upgrades_without_losing_rows(empty_database_url, tmp_path):
    """SQLite rebuilds a table to change it; with rows referring to it that used to fail on foreign keys."""
    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        with db.engine.connect() as conn:
            before = _counts(conn)
        assert all(before.values()), before

        downgrade(revision="0007")
        upgrade(revision="heads")

        with db.engine.connect() as conn:
            assert _counts(conn) == before
            if conn.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the app
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert _schema_differences(app) == []
        db.engine.dispose()


def test_an_orphan_row_that_was_already_there_does_not_block_later_upgrades(tmp_path):
    """Only rows a migration would leave pointing nowhere stop it; an old orphan (made with foreign keys off,
    e.g. in the sqlite3 shell) is not the upgrade's doing."""
    import sqlite3

    path = tmp_path / "orphan.sqlite3"
    app = create_app(app_settings(f"sqlite:///{path}", tmp_path))
    with app.app_context():
        upgrade(revision="0008")
        db.engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("INSERT INTO delegation_sectors (delegation_id, sector_id) VALUES (999, 999)")
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() != "0008"
            assert "invite_language" in {c["name"] for c in sa.inspect(conn).get_columns("delegations")}
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()



def test_existing_delegations_get_the_region_of_their_creator_as_planning_region(empty_database_url, tmp_path):
    from planner.regions.operations import region_by_code, seed_reference_data
    from tests import factories

    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0011")
        seed_reference_data()  # regions and users have not changed since 0011: the models write them
        users = {code: factories.user("state", code).id for code in ("IN-GJ", "IN-UP")}
        regions = {code: region_by_code(code).id for code in ("IN-GJ", "JP-22", "IN-UP")}
        db.session.commit()
        with db.engine.begin() as conn:  # delegations have: raw rows as 0011 knew them
            for title, creator in (("ours", users["IN-GJ"]), ("moved", users["IN-UP"]), ("admin's", None)):
                delegation_id = conn.execute(sa.text(
                    "INSERT INTO delegations (title, purpose, direction, start_date, end_date, status, cancel_reason,"
                    " invite_language, created_by_id, created_at, updated_at) VALUES (:title, '', 'IN_JP', "
                    "'2026-10-12', '2026-10-16', 'planning', '', 'recipient', :creator, '2026-01-01 00:00:00', "
                    "'2026-01-01 00:00:00') RETURNING id"), {"title": title, "creator": creator}).scalar()
                for code, side in (("IN-GJ", "sending"), ("JP-22", "host")):
                    conn.execute(sa.text("INSERT INTO delegation_regions (delegation_id, region_id, side) "
                                         "VALUES (:d, :r, :s)"), {"d": delegation_id, "r": regions[code], "s": side})
        db.session.remove()
        upgrade(revision="0012")
        with db.engine.connect() as conn:
            organisers = dict(conn.exec_driver_sql("SELECT title, organiser_region_id FROM delegations").all())
        # the creator's region when it takes part (Uttar Pradesh does not): the best there is
        assert organisers == {"ours": regions["IN-GJ"], "moved": None, "admin's": None}
        db.engine.dispose()


def test_existing_feeds_made_by_a_cell_or_office_are_limited_to_its_region(empty_database_url, tmp_path):
    from planner.regions.operations import region_by_code, seed_reference_data
    from tests import factories

    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0013")
        seed_reference_data()
        gujarat, admin, delegate = factories.user("state", "IN-GJ"), factories.user("admin"), factories.user("delegate")
        ids = {"gujarat": gujarat.id, "admin": admin.id, "delegate": delegate.id}
        expected_regions = {code: region_by_code(code).id for code in ("IN-GJ", "JP-22")}
        db.session.commit()
        db.session.remove()
        with db.engine.begin() as conn:  # people as 0013 knew them (the model has columns added since)
            def person(name, region_id, user_id):
                return conn.execute(sa.text(
                    "INSERT INTO people (name, name_ja, organisation, title, email, phone, preferred_language,"
                    " dietary, accessibility, created_by_region_id, user_id, created_at, updated_at) VALUES (:n, '',"
                    " '', '', '', '', 'en', '', '', :r, :u, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    " RETURNING id"), {"n": name, "r": region_id, "u": user_id}).scalar()

            people = {"recorded": person("Recorded by Shizuoka", expected_regions["JP-22"], None),  # no account
                      "own": person("Has an account", None, ids["delegate"])}
        feeds = {}
        with db.engine.begin() as conn:  # feeds and their audit entries as 0013 knew them
            for name, person, actor in (("by gujarat", "recorded", "gujarat"), ("by admin", "recorded", "admin"),
                                        ("no entry", "recorded", None), ("own", "own", "delegate"),
                                        ("own, no entry", "own", None)):
                feeds[name] = conn.execute(sa.text(
                    "INSERT INTO calendar_feeds (person_id, secret_hash, created_at) VALUES (:p, :h, "
                    "'2026-01-01 00:00:00') RETURNING id"), {"p": people[person], "h": uuid.uuid4().hex}).scalar()
                if actor:
                    conn.execute(sa.text(
                        "INSERT INTO audit_entries (at, actor_id, actor_label, object_type, object_id, object_label,"
                        " action, changes, note) VALUES ('2026-01-01 00:00:00', :a, 'someone', 'calendar_feeds', :o,"
                        " '', 'create', '{}', '')"), {"a": ids[actor], "o": str(feeds[name])})
        db.session.remove()
        upgrade(revision="0014")
        with db.engine.connect() as conn:
            scopes = dict(conn.exec_driver_sql("SELECT id, scope_region_id FROM calendar_feeds").all())
        assert {name: scopes[feed_id] for name, feed_id in feeds.items()} == {
            "by gujarat": expected_regions["IN-GJ"], "by admin": None, "no entry": expected_regions["JP-22"],
            "own": None, "own, no entry": None}
        db.engine.dispose()


def test_readings_saved_in_half_width_kana_or_hiragana_are_normalised(empty_database_url, tmp_path):
    from planner.regions.operations import seed_reference_data
    from tests import factories

    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0014")
        seed_reference_data()
        half, full, none, hira = (factories.firm("JP-22", name=name) for name in ("Half", "Full", "None", "Hira"))
        ids = {"half": half.id, "full": full.id, "none": none.id, "hira": hira.id}
        db.session.commit()
        with db.engine.begin() as conn:  # readings as saves before the normalisation left them
            for key, reading in (("half", "ﾊﾏﾏﾂﾛﾎﾞﾃｨｸｽ "), ("full", "ハママツ"), ("none", ""), ("hira", "ふじせいこう")):
                conn.execute(sa.text("UPDATE firms SET name_kana = :r WHERE id = :i"), {"r": reading, "i": ids[key]})
        db.session.remove()
        upgrade(revision="0015")
        with db.engine.connect() as conn:
            readings = dict(conn.exec_driver_sql("SELECT id, name_kana FROM firms").all())
        assert {key: readings[firm_id] for key, firm_id in ids.items()} == {
            "half": "ハママツロボティクス", "full": "ハママツ", "none": "", "hira": "フジセイコウ"}
        db.engine.dispose()


def test_the_stay_kind_rebuilds_the_events_table_keeping_what_refers_to_it(empty_database_url, tmp_path):
    """0018 widens the events' kind constraint; on SQLite by rebuilding a table four others refer to (attendees,
    invites and B2B sessions with ON DELETE CASCADE): their rows stay, and their cascades still work after."""
    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        db.session.remove()
        downgrade(revision="0017")
        with db.engine.begin() as conn:
            before = _counts(conn)
            with pytest.raises(sa.exc.IntegrityError):  # not a kind before 0018
                with conn.begin_nested():
                    conn.exec_driver_sql("UPDATE events SET kind = 'stay' WHERE id = (SELECT MIN(id) FROM events)")
        upgrade(revision="0018")
        with db.engine.begin() as conn:
            assert _counts(conn) == before
            event_id = conn.exec_driver_sql(
                "SELECT event_id FROM event_attendees GROUP BY event_id ORDER BY event_id LIMIT 1").scalar()
            conn.exec_driver_sql(f"UPDATE events SET kind = 'stay' WHERE id = {event_id}")
            with pytest.raises(sa.exc.IntegrityError):
                with conn.begin_nested():
                    conn.exec_driver_sql(f"UPDATE events SET kind = 'hotel' WHERE id = {event_id}")
            conn.exec_driver_sql(f"DELETE FROM events WHERE id = {event_id}")
            assert conn.exec_driver_sql(
                f"SELECT COUNT(*) FROM event_attendees WHERE event_id = {event_id}").scalar() == 0
            stay = conn.exec_driver_sql("SELECT MIN(id) FROM events").scalar()
            conn.exec_driver_sql(f"UPDATE events SET kind = 'stay' WHERE id = {stay}")
        downgrade(revision="0017")
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT kind FROM events WHERE id = {stay}").scalar() == "other"
        upgrade(revision="heads")
        assert _schema_differences(app) == []
        db.engine.dispose()


def test_people_recorded_with_a_diet_in_their_dietary_text_get_it_as_their_diet(empty_database_url, tmp_path):
    """Before people had a diet, 'Jain' or 'Vegetarian (no egg), allergic to nuts' was typed as dietary text: the
    dietary sheets counted all of them as eating anything. The downgrade puts the diet back in front of the notes."""
    from planner.regions.operations import seed_reference_data

    app = create_app(app_settings(empty_database_url, tmp_path))
    with app.app_context():
        upgrade(revision="0023")
        seed_reference_data()
        db.session.commit()
        with db.engine.begin() as conn:  # people as 0023 knew them
            ids = {text: conn.execute(sa.text(
                "INSERT INTO people (name, name_ja, name_kana, organisation, title, email, phone, preferred_language,"
                " needs_interpreter, dietary, accessibility, created_at, updated_at) VALUES ('P', '', '', '', '',"
                " '', '', 'en', false, :d, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00') RETURNING id"),
                {"d": text}).scalar()
                for text in ("Jain", "Vegetarian (no egg), allergic to nuts", "No beef", "Allergic to shellfish", "",
                             "ハラール")}
        db.session.remove()
        upgrade(revision="heads")

        def people():
            with db.engine.connect() as conn:
                rows = {row[0]: (row[1], row[2]) for row in conn.exec_driver_sql(
                    "SELECT id, diet, dietary FROM people").all()}
            return {text: rows[person_id] for text, person_id in ids.items()}

        assert people() == {"Jain": ("jain", ""), "Vegetarian (no egg), allergic to nuts": ("vegetarian",
                                                                                         "allergic to nuts"),
                            "No beef": ("no_beef", ""), "Allergic to shellfish": ("", "Allergic to shellfish"),
                            "": ("", ""), "ハラール": ("halal", "")}
        downgrade(revision="0024")
        assert people() == {"Jain": ("", "Jain"), "Vegetarian (no egg), allergic to nuts": (
            "", "Vegetarian, allergic to nuts"), "No beef": ("", "No beef"),
            "Allergic to shellfish": ("", "Allergic to shellfish"), "": ("", ""), "ハラール": ("", "Halal")}
        upgrade(revision="heads")
        assert people()["Vegetarian (no egg), allergic to nuts"] == ("vegetarian", "allergic to nuts")
        db.engine.dispose()
