"""Two administrators demoting each other at once (real commits, each in its own connection): one stays."""

import threading
import time

import pytest

from planner.accounts.models import User
from planner.accounts.operations import update_user
from planner.core.errors import DomainError
from planner.extensions import db
from tests import factories
from tests.conftest import fresh_database, migrated_app


@pytest.fixture(scope="module")
def accounts_app(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("accounts-db"), "accounts") as url:
        application = migrated_app(url, tmp_path_factory.mktemp("accounts-instance"))
        yield application
        with application.app_context():
            db.engine.dispose()


def test_two_administrators_demoting_each_other_at_once_leave_one(accounts_app):
    with accounts_app.app_context():
        first, second = factories.user("admin"), factories.user("admin")
        db.session.commit()
        ids = first.id, second.id
        db.session.remove()
    start, outcomes = threading.Barrier(2), []

    def demote(editor_id, target_id):
        with accounts_app.app_context():
            start.wait(timeout=10)
            try:
                editor, target = db.session.get(User, editor_id), db.session.get(User, target_id)
                update_user(target, name=target.name, role="delegate", region=None, is_active=True, editor=editor)
                time.sleep(0.5)  # the other's count comes now
                db.session.commit()
                outcomes.append("saved")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=demote, args=pair) for pair in (ids, ids[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["This is the last active administrator.", "saved"]
    with accounts_app.app_context():
        assert db.session.query(User).filter_by(role="admin", is_active=True).count() == 1
