"""One password link used twice at once (real commits, each in its own connection): it works once."""

import threading
import time
from datetime import timedelta

import pytest

from planner.accounts import operations
from planner.accounts.passwords import verify_password
from planner.accounts.recovery import ResetLinkError, make_token, reset_with_link
from planner.core.types import utcnow
from planner.extensions import db
from tests import factories
from tests.conftest import committing_app


@pytest.fixture(scope="module")
def link_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "resetlink") as application:
        yield application


def test_a_link_used_twice_at_once_sets_one_password_and_refuses_the_other(link_app, monkeypatch):
    # on PostgreSQL both uses checked the link against the password as it was before either set a new one,
    # and both set theirs: the link worked twice, and the holder's first password was not the one that stood
    with link_app.app_context():
        user = factories.user("state", "IN-GJ")
        db.session.commit()
        user_id, token = user.id, make_token(user, utcnow() + timedelta(minutes=30))
        db.session.remove()
    real_hash = operations.hash_password

    def slow_hash(password):
        time.sleep(0.4)  # the other use checks the link now
        return real_hash(password)

    monkeypatch.setattr(operations, "hash_password", slow_hash)
    start = threading.Barrier(2)
    outcomes, errors = {}, []

    def use(password):
        try:
            with link_app.app_context():
                start.wait(timeout=10)
                try:
                    reset_with_link(token, password)
                    db.session.commit()
                    outcomes[password] = "set"
                except ResetLinkError as error:
                    db.session.rollback()
                    outcomes[password] = error.reason
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=use, args=(f"new password number {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sorted(outcomes.values()) == ["set", "used"]
    (chosen,) = [password for password, outcome in outcomes.items() if outcome == "set"]
    with link_app.app_context():
        assert verify_password(db.session.get(type(user), user_id).password_hash, chosen)


def test_a_burst_of_questions_for_one_address_sends_at_most_the_hourly_three(link_app, monkeypatch):
    # each question counted the mails sent before any of the others had written its own: on PostgreSQL a
    # burst of five sent five; the questions now take turns on the account's row
    from sqlalchemy import func, select

    from planner.accounts import recovery
    from planner.outbox.models import OutboxMessage

    with link_app.app_context():
        user = factories.user("prefecture", "JP-22")
        db.session.commit()
        address = user.email
        db.session.remove()
    real_send = recovery.send_reset

    def slow_send(*args, **kwargs):
        time.sleep(0.3)  # the other questions count now
        return real_send(*args, **kwargs)

    monkeypatch.setattr(recovery, "send_reset", slow_send)
    start = threading.Barrier(5)
    errors = []

    def ask():
        try:
            with link_app.app_context():
                start.wait(timeout=10)
                try:
                    recovery.request_reset(address, "en")
                    db.session.commit()
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with link_app.app_context():
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.related_type == recovery.RELATED_TYPE, OutboxMessage.to_email == address))
        assert sent == recovery.RESETS_PER_HOUR
