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
