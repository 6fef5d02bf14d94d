"""Two administrators demoting each other at once (real commits, each in its own connection): one stays."""

import time

import pytest

from planner.accounts.models import User
from planner.accounts.operations import update_user
from planner.extensions import db
from tests import factories
from tests.conftest import committing_app
from tests.races import race_calls


@pytest.fixture(scope="module")
def accounts_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "accounts") as application:
        yield application


def test_two_administrators_demoting_each_other_at_once_leave_one(accounts_app):
    with accounts_app.app_context():
        first, second = factories.user("admin"), factories.user("admin")
        db.session.commit()
        ids = first.id, second.id
        db.session.remove()

    def demote(editor_id, target_id):
        editor, target = db.session.get(User, editor_id), db.session.get(User, target_id)
        update_user(target, name=target.name, role="delegate", region=None, is_active=True, editor=editor)
        time.sleep(0.5)  # the other's count comes now

    outcomes = race_calls(accounts_app, [lambda: demote(*ids), lambda: demote(*ids[::-1])])
    assert outcomes == ["saved", "This is the last active administrator."]
    with accounts_app.app_context():
        assert db.session.query(User).filter_by(role="admin", is_active=True).count() == 1
