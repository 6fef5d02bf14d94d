"""The worker against a real SMTP server: batching, retries with backoff, permanent failures, timeouts,
lost workers and leases."""

import socket
import threading
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from sqlalchemy import event, select

from planner.core.types import utcnow
from planner.extensions import db
from planner.outbox.models import OutboxMessage
from planner.outbox.operations import retry_message
from planner.outbox.transport import DeliveryError
from planner.outbox.worker import (
    LOST_LEASE_ERROR,
    Outcome,
    WorkerSettings,
    claim_batch,
    record_and_claim,
    record_outcomes,
    send_pass,
)
from tests.outbox.conftest import smtp_transport
from tests.outbox.helpers import later, message_ids, queue_notices

SETTINGS = WorkerSettings(batch_size=50, lease_seconds=300, max_attempts=4, backoff_seconds=60,
                          backoff_max_seconds=3600)


def _rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_send_pass_uses_one_smtp_connection_per_batch(committed, smtp_server):
    queue_notices(5)

    result = send_pass(smtp_transport(smtp_server), settings=WorkerSettings(batch_size=2))

    assert (result.sent, result.batches) == (5, 3)
    assert [e.session for e in smtp_server.envelopes] == [1, 1, 2, 2, 3]


def test_a_pass_takes_one_write_transaction_per_batch(committed, smtp_server):
    """Between batches one transaction records those sent and claims more (on SQLite each write transaction
    waits its turn behind the app's; three a batch let the worker fall behind an app that writes mail all the
    time)."""
    queue_notices(5)
    commits = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    event.listen(committed.engine, "commit", listener)
    try:
        result = send_pass(smtp_transport(smtp_server), settings=WorkerSettings(batch_size=2))
    finally:
        event.remove(committed.engine, "commit", listener)

    assert (result.sent, result.batches) == (5, 3)
    # The first claim (three batches), then one per batch at most (batches that went out while a transaction
    # waited are recorded together).
    assert 2 <= len(commits) <= result.batches + 1
    assert {row.status for row in _rows()} == {"sent"}


def _nothing_claimed_and_each_delivery_recorded(smtp_server) -> list[OutboxMessage]:
    rows = _rows()
    assert "sending" not in {row.status for row in rows}  # nothing left claimed to go out again later
    sent = [row for row in rows if row.status == "sent"]
    received = sorted(message_from_bytes(e.data)["Message-ID"] for e in smtp_server.envelopes)
    assert received == sorted(row.message_id for row in sent)  # each delivered once and recorded
    assert {row.attempts for row in rows if row.status == "queued"} <= {0}  # untried ones back as they were
    return sent


def test_ctrl_c_between_batches_still_records_what_went_out(committed, smtp_server, monkeypatch):
    """Interrupted in the transaction between two batches: the batches sent are recorded and those that had not
    started go back to the queue before the interrupt goes on, so none of them is sent again later."""
    from planner.outbox import worker

    queue_notices(8)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "record_and_claim", interrupted)
    with pytest.raises(KeyboardInterrupt):
        send_pass(smtp_transport(smtp_server), settings=WorkerSettings(batch_size=2))

    assert 2 <= len(_nothing_claimed_and_each_delivery_recorded(smtp_server)) <= 6


class _Wrapped:
    """The SMTP transport with something done around each message (``before``/``after``, in the sending
    thread)."""

    def __init__(self, transport):
        self.transport = transport

    def before(self, delivery) -> None:
        pass

    def after(self, delivery) -> None:
        pass

    def open(self):
        outer = self

        class Connection:
            def __enter__(self):
                self.inner = outer.transport.open().__enter__()
                return self

            def send(self, delivery):
                outer.before(delivery)
                self.inner.send(delivery)
                outer.after(delivery)

            def __exit__(self, *exc):
                return self.inner.__exit__(*exc)

        return Connection()


class _Slow(_Wrapped):
    """The SMTP transport, ``seconds`` (a tenth of a second) per message."""

    def __init__(self, transport, seconds=0.1):
        super().__init__(transport)
        self.seconds = seconds

    def before(self, delivery) -> None:
        time.sleep(self.seconds)


def test_ctrl_c_while_a_batch_is_on_the_wire_finishes_it_and_puts_the_rest_back(committed, smtp_server,
                                                                              monkeypatch):
    """Ctrl-C arrives while the pass waits for the first batch to go out (where a pass spends nearly all its
    time). A real SIGINT depends on how the test runner was started (a background job ignores it), so the
    interrupt is raised from that wait."""
    from concurrent.futures import Future

    queue_notices(6)
    real_result, interrupted = Future.result, []

    def result(self, timeout=None):
        if not interrupted:
            interrupted.append(True)
            time.sleep(0.15)  # the first batch is on the wire
            raise KeyboardInterrupt
        return real_result(self, timeout)

    monkeypatch.setattr(Future, "result", result)
    with pytest.raises(KeyboardInterrupt):
        send_pass(_Slow(smtp_transport(smtp_server)), settings=WorkerSettings(batch_size=2))

    sent = _nothing_claimed_and_each_delivery_recorded(smtp_server)
    assert len(sent) == 2  # the batch on the wire; the two after it were put back untried


def test_stop_finishes_the_batch_on_the_wire_and_puts_the_others_back(committed, smtp_server):
    queue_notices(6)
    stop = threading.Event()
    threading.Timer(0.15, stop.set).start()

    result = send_pass(_Slow(smtp_transport(smtp_server)), settings=WorkerSettings(batch_size=2), stop=stop)

    sent = _nothing_claimed_and_each_delivery_recorded(smtp_server)
    # The batch on the wire, and the next if it started before the worker looked; the third went back untried.
    assert result.sent == len(sent) in (2, 4)


def test_server_down_is_retried_ever_less_often_never_failed_and_delivered_once_when_back(committed, smtp_server):
    # INVITES 17: nothing is lost when the mail server is down.  A try counts only when the message went on
    # the wire; with the server down none does, so no outage fails a message for good (before, 8 counted
    # tries, about two hours, failed everything queued)
    (message_id,) = queue_notices(1)
    t0 = utcnow()
    transport = smtp_transport(smtp_server)
    smtp_server.stop()

    first = send_pass(transport, settings=SETTINGS, clock=later(t0))
    (row,) = _rows()
    assert (first.sent, first.retrying, row.status, row.attempts) == (0, 1, "queued", 0)
    assert row.next_attempt_at == t0 + timedelta(seconds=60)  # waited ~0 s: the base wait
    assert "ConnectionRefusedError" in row.last_error

    assert send_pass(transport, settings=SETTINGS, clock=later(t0, seconds=59)).batches == 0  # not due yet
    second = send_pass(transport, settings=SETTINGS, clock=later(t0, seconds=61))
    (row,) = _rows()
    assert (second.retrying, row.attempts) == (1, 0)
    # as long again as it has waited (61 s and the moment before t0)
    assert t0 + timedelta(seconds=122) <= row.next_attempt_at <= t0 + timedelta(seconds=123)

    moment = row.next_attempt_at
    for _ in range(12):  # two days down: the waits grow to the cap of an hour, the message stays queued
        send_pass(transport, settings=SETTINGS, clock=later(moment))
        (row,) = _rows()
        assert (row.status, row.attempts) == ("queued", 0)
        assert row.next_attempt_at - moment <= timedelta(seconds=SETTINGS.backoff_max_seconds)
        moment = row.next_attempt_at
    assert moment - t0 > timedelta(hours=2)

    smtp_server.start()
    third = send_pass(transport, settings=SETTINGS, clock=later(moment))
    again = send_pass(transport, settings=SETTINGS, clock=later(moment, hours=5))

    (row,) = _rows()
    assert (third.sent, again.batches, row.status, row.attempts) == (1, 0, "sent", 1)
    assert message_ids(smtp_server.messages) == [row.message_id]
    assert row.id == message_id


def test_last_failed_try_marks_failed_and_an_administrator_retry_delivers_it(committed, smtp_server):
    queue_notices(1)
    t0 = utcnow()
    transport = smtp_transport(smtp_server)
    smtp_server.deferred.add("firm-0@example.org")  # 451 each time: tries that count
    for minutes in (0, 2, 5, 10):  # tries 1-4; waits of 1, 2, 4 minutes between them
        send_pass(transport, settings=SETTINGS, clock=later(t0, minutes=minutes))
    (row,) = _rows()
    assert (row.status, row.attempts) == ("failed", 4)
    assert row.last_error.startswith("recipient refused: 451")
    assert send_pass(transport, settings=SETTINGS, clock=later(t0, days=1)).batches == 0

    smtp_server.deferred.clear()
    retry_message(row)
    db.session.commit()
    result = send_pass(transport, settings=SETTINGS)

    (row,) = _rows()
    assert (result.sent, row.status, row.attempts) == (1, "sent", 1)
    assert len(smtp_server.messages) == 1


def test_recipient_refused_with_550_fails_at_once_and_the_batch_goes_on(committed, smtp_server):
    queue_notices(3)
    smtp_server.refused.add("firm-1@example.org")

    result = send_pass(smtp_transport(smtp_server), settings=SETTINGS)

    rows = _rows()
    assert (result.sent, result.failed, result.retrying) == (2, 1, 0)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 1), ("failed", 1), ("sent", 1)]
    assert rows[1].last_error.startswith("recipient refused: 550")


def test_server_that_never_answers_times_out_and_is_retried(committed):
    queue_notices(2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts connections into the backlog, never greets
    try:
        from planner.outbox.transport import SMTPTransport

        transport = SMTPTransport(host="127.0.0.1", port=silent.getsockname()[1], use_tls=False,
                                  use_ssl=False, username=None, password=None, timeout=0.3,
                                  envelope_from="bounces@planner.example")
        result = send_pass(transport, settings=SETTINGS)
    finally:
        silent.close()

    assert (result.sent, result.retrying) == (0, 2)
    assert all("timed out" in row.last_error and row.status == "queued" for row in _rows())


def test_abandoned_claim_is_delivered_after_the_lease_with_the_same_message_ids(committed, smtp_server):
    queue_notices(10)
    t0 = utcnow()
    transport = smtp_transport(smtp_server)
    # A worker claims the batch, sends 4 messages, and dies before it records anything.
    claimed = claim_batch("worker-that-dies", SETTINGS, t0)
    with transport.open() as connection:
        for delivery in claimed[:4]:
            connection.send(delivery)

    during_lease = send_pass(transport, settings=SETTINGS, clock=later(t0, seconds=299))
    after_lease = send_pass(transport, settings=SETTINGS, clock=later(t0, seconds=301))

    rows = _rows()
    received = message_ids(smtp_server.messages)
    assert (len(claimed), during_lease.batches, after_lease.sent) == (10, 0, 10)
    assert {r.status for r in rows} == {"sent"}
    assert sorted(set(received)) == sorted(r.message_id for r in rows)
    duplicates = sorted(mid for mid in set(received) if received.count(mid) > 1)
    assert duplicates == sorted(d.message_id for d in claimed[:4])  # the at-least-once window, no more
    assert max(received.count(mid) for mid in received) == 2


def test_worker_whose_lease_ran_out_cannot_overwrite_the_new_owners_outcome(committed, smtp_server):
    queue_notices(1)
    t0 = utcnow()
    (slow,) = claim_batch("slow-worker", SETTINGS, t0)
    send_pass(smtp_transport(smtp_server), worker_id="fast-worker", settings=SETTINGS,
              clock=later(t0, seconds=301))

    late = record_outcomes("slow-worker", SETTINGS, [Outcome(slow, DeliveryError("timed out"))],
                           t0 + timedelta(seconds=400))

    (row,) = _rows()
    assert (row.status, row.claimed_by, row.attempts, row.last_error) == ("sent", "fast-worker", 2, "")
    assert late.retrying == 1  # what the slow worker saw; the row kept the truth


def test_lost_lease_after_the_last_try_is_marked_failed_not_tried_forever(committed, smtp_server):
    queue_notices(1)
    t0 = utcnow()
    for attempt in range(SETTINGS.max_attempts):  # every try's worker dies
        assert len(claim_batch(f"dying-{attempt}", SETTINGS, t0 + timedelta(minutes=10 * attempt))) == 1

    result = send_pass(smtp_transport(smtp_server), settings=SETTINGS, clock=later(t0, hours=2))

    (row,) = _rows()
    assert (result.batches, row.status, row.attempts, row.last_error) == (0, "failed", 4, LOST_LEASE_ERROR)
    assert smtp_server.messages == []


class _StopAfter(_Wrapped):
    """The SMTP transport, with ``stop`` set once ``count`` messages have gone out (from the sending thread,
    while the pass is claiming or recording other batches)."""

    def __init__(self, transport, stop, count):
        super().__init__(transport)
        self.stop, self.count = stop, count

    def after(self, delivery) -> None:
        self.count -= 1
        if self.count == 0:
            self.stop.set()


def test_a_worker_stopped_mid_pass_finishes_what_it_claimed_and_leaves_nothing_half_done(committed, smtp_server):
    queue_notices(9)
    stop = threading.Event()

    result = send_pass(_StopAfter(smtp_transport(smtp_server), stop, 3), settings=WorkerSettings(batch_size=2),
                       stop=stop)

    rows = _rows()
    sent = [row for row in rows if row.status == "sent"]
    assert stop.is_set() and 3 <= result.sent == len(sent) < 9  # the batches in hand, no more
    assert {row.status for row in rows} == {"sent", "queued"}  # nothing left claimed ('sending')
    received = [message_from_bytes(e.data)["Message-ID"] for e in smtp_server.envelopes]
    assert sorted(received) == sorted(row.message_id for row in sent)  # each once


class _Broken:
    """A transport whose sending fails with something that is not a DeliveryError."""

    def open(self):
        class Connection:
            def __enter__(self):
                return self

            def send(self, delivery):
                raise ValueError("smtplib does not like this setting")

            def __exit__(self, *exc):
                return None

        return Connection()


def test_an_unexpected_error_while_sending_is_recorded_for_the_whole_batch_and_retried(committed):
    queue_notices(5)

    result = send_pass(_Broken(), settings=WorkerSettings(batch_size=2, backoff_seconds=60))

    rows = _rows()
    assert (result.sent, result.retrying, result.batches) == (0, 5, 3)
    # none left claimed; the try counts for the first of each batch of two (on the wire when it failed),
    # not for the second (never sent)
    assert [(row.status, row.attempts) for row in rows] == [("queued", 1), ("queued", 0)] * 2 + [("queued", 1)]
    assert all(row.last_error == "ValueError: smtplib does not like this setting" for row in rows)


def test_between_batches_one_transaction_records_renews_what_is_in_hand_and_claims_more(committed):
    queue_notices(5)
    t0 = utcnow()
    (sent, in_hand, not_mine) = claim_batch("worker-a", SETTINGS, t0, limit=3)
    later_on = t0 + timedelta(seconds=250)

    result, claimed = record_and_claim("worker-a", SETTINGS, [Outcome(sent)], later_on, renew=[in_hand], claim=5)
    record_and_claim("worker-b", SETTINGS, [], later_on, renew=[not_mine])  # not worker-b's: unchanged

    rows = {row.id: row for row in _rows()}
    assert (result.sent, rows[sent.id].status) == (1, "sent")
    assert rows[in_hand.id].lease_until == later_on + timedelta(seconds=300)  # a full lease from now
    assert rows[not_mine.id].lease_until == t0 + timedelta(seconds=300)
    assert len(claimed) == 2  # the two left queued
    assert {rows[d.id].claimed_by for d in claimed} == {"worker-a"}


def test_a_batch_slow_to_go_out_keeps_its_lease_and_no_other_worker_takes_it(committed, smtp_server):
    """A slow server: the batch takes longer than the lease. The pass renews the lease of what it holds every
    quarter of it, so a second worker claiming after the first lease would have run out gets nothing."""
    from flask import current_app

    queue_notices(4)
    app = current_app._get_current_object()
    taken = []

    def second_worker():
        time.sleep(1.4)  # the first lease (1 s) would have run out; the batch is still going out
        with app.app_context():
            taken.extend(claim_batch("worker-b", WorkerSettings(lease_seconds=1), utcnow()))
            db.session.remove()

    other = threading.Thread(target=second_worker)
    other.start()
    result = send_pass(_Slow(smtp_transport(smtp_server), seconds=0.5),
                       settings=WorkerSettings(batch_size=4, lease_seconds=1))
    other.join(10)

    assert (result.sent, taken) == (4, [])
    _nothing_claimed_and_each_delivery_recorded(smtp_server)


def test_batches_taken_back_on_stop_are_put_back_even_if_the_transaction_fails(committed, smtp_server,
                                                                                monkeypatch):
    from planner.outbox import worker

    queue_notices(6)
    stop = threading.Event()
    threading.Timer(0.05, stop.set).start()

    def database_gone(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(worker, "record_and_claim", database_gone)
    with pytest.raises(RuntimeError):
        send_pass(_Slow(smtp_transport(smtp_server)), settings=WorkerSettings(batch_size=2), stop=stop)

    assert len(_nothing_claimed_and_each_delivery_recorded(smtp_server)) in (2, 4)


class _DropsOn:
    """The real SMTP transport, except that the server "drops the connection" when one recipient's message
    goes on the wire (no mail server drops on demand)."""

    def __init__(self, transport, recipient: str):
        self.transport, self.recipient = transport, recipient

    def open(self):
        outer = self

        class Connection:
            def __enter__(self):
                self.inner = outer.transport.open()
                self.connection = self.inner.__enter__()
                return self

            def send(self, delivery):
                if delivery.to_email == outer.recipient:
                    raise DeliveryError("connection lost: dropped", connection_lost=True)
                self.connection.send(delivery)

            def __exit__(self, *exc):
                return self.inner.__exit__(*exc)

        return Connection()


def test_a_message_that_drops_the_connection_fails_alone(committed, smtp_server):
    queue_notices(5)
    transport = _DropsOn(smtp_transport(smtp_server), "firm-0@example.org")
    t0 = utcnow()
    for minutes in (0, 0, 2, 5):  # the other four go out on a new connection at once
        send_pass(transport, settings=SETTINGS, clock=later(t0, minutes=minutes))
    rows = _rows()
    assert [(row.to_email, row.status, row.attempts) for row in rows] == [
        ("firm-0@example.org", "queued", 3)] + [(f"firm-{i}@example.org", "sent", 1) for i in range(1, 5)]
    assert len(smtp_server.messages) == 4


def test_a_421_answer_sends_the_rest_on_a_new_connection_uncounted(committed, smtp_server):
    # smtplib closes the connection on 421 ("try again later", a rate limit): the next message failed on the
    # closed connection and was charged a try it never had
    queue_notices(3)
    smtp_server.closing.add("firm-0@example.org")
    t0 = utcnow()
    send_pass(smtp_transport(smtp_server), settings=SETTINGS, clock=later(t0))
    send_pass(smtp_transport(smtp_server), settings=SETTINGS, clock=later(t0))
    rows = _rows()
    assert [(row.status, row.attempts) for row in rows] == [("queued", 1), ("sent", 1), ("sent", 1)]
    assert rows[0].last_error.startswith("recipient refused: 421")
