import pytest

from planner import create_app
from planner.config import DEV_SECRET_KEY


def test_development_defaults_work_without_any_variable(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SECRET_KEY", "PLANNER_ENV", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert app.config["MAIL_SERVER"] == ""


def test_production_refuses_to_start_with_the_default_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app()


def test_production_starts_with_a_real_secret_and_database_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://planner@db.internal/planner")
    monkeypatch.setenv("PLANNER_HTTPS", "1")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://planner@db.internal/planner"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("name, value, message", [
    ("PLANNER_TARGET_STATES", "-3", "PLANNER_TARGET_STATES must be a whole number of at least 0, not '-3'."),
    ("PLANNER_OUTBOX_BATCH_SIZE", "0", "PLANNER_OUTBOX_BATCH_SIZE must be a whole number of at least 1, not '0'."),
    ("MAIL_PORT", "twenty-five", "MAIL_PORT must be a whole number of at least 1, not 'twenty-five'."),
    ("PLANNER_YEAR_BASIS", "lunar", "PLANNER_YEAR_BASIS must be one of calendar, fiscal, not 'lunar'."),
    ("PLANNER_TARGET_STATES", "--5", "PLANNER_TARGET_STATES must be a whole number of at least 0, not '--5'."),
])
def test_a_malformed_setting_stops_the_start_naming_the_variable(monkeypatch, tmp_path, name, value, message):
    # PLANNER_YEAR_BASIS=Fiscal fell back to calendar years unsaid, a negative target was counted with, and a
    # word where a number belongs was a bare ValueError
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError) as error:
        create_app()
    assert str(error.value) == message


def test_the_year_basis_is_read_whatever_its_case(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_YEAR_BASIS", " Fiscal ")
    assert create_app().config["EXCHANGE_YEAR_BASIS"] == "fiscal"


def test_numbers_python_reads_are_read_as_before(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PLANNER_TARGET_STATES", "+5")
    monkeypatch.setenv("PLANNER_MAX_UPLOAD_BYTES", "8_000_000")
    config = create_app().config
    assert (config["EXCHANGE_TARGET_STATES"], config["MAX_CONTENT_LENGTH"]) == (5, 8_000_000)
