"""Wrong passwords for one account at once (real commits, each in its own connection): no more guesses than
the limit allows."""

import threading
import time

import pytest

from planner.accounts import operations
from planner.accounts.models import LoginFailure
from planner.accounts.operations import LoginThrottled, authenticate
from planner.extensions import db
from tests import factories
from tests.conftest import committing_app


@pytest.fixture(scope="module")
def throttle_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "throttle") as application:
        yield application


def test_a_burst_of_wrong_passwords_gets_no_more_guesses_than_the_limit(throttle_app, monkeypatch):
    # each attempt counted the failures committed before it: a burst of three, one short of the limit, all
    # passed the count and were all checked against the password
    with throttle_app.app_context():
        user = factories.user("state", "IN-GJ")
        limit = throttle_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        for _ in range(limit - 1):
            db.session.add(LoginFailure(email=user.email, address="198.51.100.7"))
        db.session.commit()
        email = user.email
        db.session.remove()
    checked = []
    real_verify = operations.verify_password

    def slow_verify(*args):
        checked.append(1)
        time.sleep(0.4)  # the others count now
        return real_verify(*args)

    monkeypatch.setattr(operations, "verify_password", slow_verify)
    start = threading.Barrier(3)
    outcomes = []

    def attempt(number):
        with throttle_app.app_context():
            start.wait(timeout=10)
            try:
                outcomes.append("checked" if not authenticate(email, "wrong guess", f"203.0.113.{number}").ok
                                else "in")
                db.session.commit()
            except LoginThrottled:
                db.session.rollback()
                outcomes.append("throttled")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["checked", "throttled", "throttled"] and len(checked) == 1
    with throttle_app.app_context():
        assert db.session.query(LoginFailure).filter_by(email=email).count() == limit
