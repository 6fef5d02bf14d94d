import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner.accounts.models import User
from planner.partnerships.models import Partnership


def test_planner_console_script_offers_the_commands(tmp_path):
    script = Path(sys.executable).with_name("planner")
    env = {**os.environ, "PLANNER_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    for command in ("db", "seed", "demo", "users", "run"):
        assert f"  {command} " in result.stdout


def test_seed_command_is_idempotent(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "regions added 0, regions updated 0, sectors added 0, sectors updated 0" in result.output


def test_demo_command_loads_accounts_and_the_five_pairs_once(runner, database):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "users added 12, partnerships added 5" in first.output
    assert "users added 0, partnerships added 0" in second.output
    pairs = database.session.execute(select(Partnership)).scalars().all()
    assert sorted(p.title for p in pairs) == [
        "Andhra Pradesh–Toyama", "Gujarat–Shizuoka", "Maharashtra–Wakayama", "Tamil Nadu–Ehime",
        "Uttar Pradesh–Yamanashi"]
    roles = dict(database.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles == {"admin": 1, "state": 5, "prefecture": 5, "delegate": 1}
    # the demo delegate (Mehul Shah, of Shah Precision Components, Rajkot) sat at the B2B session for another
    # Gujarat firm, and Kenta Ito, whose plant the delegation visits, for a textile maker
    from planner.delegations.models import Person
    from planner.matchmaking.models import B2BParticipant

    for email, firm in (("mehul.shah@example.in", "Shah Precision Components Pvt Ltd"),
                        ("k.ito@example.jp", "Enshu Seimitsu Kogyo K.K.")):
        person = database.session.scalar(select(Person).where(Person.email == email))
        seats = [part for part in database.session.scalars(select(B2BParticipant)) if person in part.representatives]
        assert [part.firm.name for part in seats] == [firm] and person.firm.name == firm
        assert person.organisation.startswith(firm)


def test_users_create_binds_a_prefecture_user_to_its_prefecture(runner, database):
    result = runner.invoke(args=["users", "create", "--email", "office@shizuoka.example", "--role", "prefecture",
                                 "--region", "jp-22", "--password", "long enough secret"])
    assert result.exit_code == 0, result.output
    user = database.session.scalar(select(User).where(User.email == "office@shizuoka.example"))
    assert (user.role, user.region.code) == ("prefecture", "JP-22")


def test_users_create_reports_a_bad_region_in_one_line(runner):
    result = runner.invoke(args=["users", "create", "--email", "x@example.org", "--role", "state",
                                 "--region", "JP-22", "--password", "long enough secret"])
    assert result.exit_code == 1
    assert "region: Choose an Indian state or union territory for this role." in result.output
    unknown = runner.invoke(args=["users", "create", "--email", "x@example.org", "--role", "state",
                                  "--region", "XX-1", "--password", "long enough secret"])
    assert unknown.exit_code == 1 and "unknown region code 'XX-1'" in unknown.output


@pytest.mark.parametrize("email, name, message", [
    ("", "", "email: Enter the e-mail address."),
    ("notanemail", "", "email: Enter a valid e-mail address."),
    ("x" * 250 + "@example.org", "", "email: An e-mail address has at most 254 characters."),
    ("x@example.org", "   ", "name: Enter the name."),
    ("x@example.org", "n" * 201, "name: A name has at most 200 characters."),
])
def test_users_create_checks_the_address_and_name_as_the_form_does(runner, database, email, name, message):
    # "" and "notanemail" made administrators; a 300-character address was a traceback on PostgreSQL
    result = runner.invoke(args=["users", "create", "--email", email, "--name", name, "--role", "admin",
                                 "--password", "long enough secret"])
    assert (result.exit_code, message in result.output) == (1, True), result.output
    assert database.session.scalar(select(func.count()).select_from(User)) == 0


def test_the_planner_command_and_wsgi_raise_the_gc_thresholds(tmp_path):
    """Both entry points apply planner.core.runtime.tune_gc before creating the app (checked in a fresh
    interpreter, whose thresholds start at CPython's defaults)."""
    code = ("import gc, sys; default = gc.get_threshold(); "
            "from planner.cli import _create_app; _create_app(); a = gc.get_threshold(); "
            "gc.set_threshold(*default); import wsgi; b = gc.get_threshold(); "
            "from planner.core.runtime import GC_THRESHOLDS as T; "
            "print(default != T, a == T, b == T)")
    env = {**os.environ, "PLANNER_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
