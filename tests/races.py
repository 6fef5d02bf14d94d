"""Writers at once: each call in its own thread (its own connection), committing for real."""

import threading

from planner.core.errors import DomainError
from planner.extensions import db


def race_calls(app, calls):
    """Each call runs and commits in its own thread (its own connection), all starting together. Returns the
    outcomes, "saved" or the DomainError's message, "saved" first."""
    start = threading.Barrier(len(calls))
    outcomes, errors = [], []

    def work(call):
        try:
            with app.app_context():
                start.wait(timeout=10)  # before any statement: SQLite writers take the lock at BEGIN
                try:
                    call()
                    db.session.commit()
                    outcomes.append("saved")
                except DomainError as error:
                    db.session.rollback()
                    outcomes.append(error.message)
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return sorted(outcomes, key=lambda text: text != "saved")
