"""Two workers on one database (PostgreSQL when PLANNER_TEST_DATABASE_URL is set, else SQLite) share the
outbox without sending any message twice."""

import threading
from collections import Counter

from planner.extensions import db
from planner.outbox.worker import PassResult, WorkerSettings, send_pass
from tests.outbox.conftest import smtp_transport
from tests.outbox.helpers import message_ids, queue_prebuilt

COUNT = 2000


def test_two_workers_send_each_of_2000_messages_exactly_once(committed, outbox_app, smtp_server):
    queue_prebuilt(COUNT)
    transport = smtp_transport(smtp_server)
    start = threading.Barrier(2)
    results: dict[str, PassResult] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with outbox_app.app_context():  # its own session and connection
                start.wait()
                results[name] = send_pass(transport, worker_id=name, settings=WorkerSettings(batch_size=100))
                db.session.remove()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("worker-a", "worker-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    counts = Counter(message_ids(smtp_server.messages))
    assert len(counts) == COUNT and max(counts.values()) == 1
    assert results["worker-a"].sent + results["worker-b"].sent == COUNT
    assert results["worker-a"].sent > 0 and results["worker-b"].sent > 0  # both really worked
    rows = db.session.execute(db.text("SELECT status, count(*) FROM outbox_messages GROUP BY status")).all()
    assert [tuple(row) for row in rows] == [("sent", COUNT)]
