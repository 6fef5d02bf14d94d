"""The outbox worker: claim due messages, send them outside the claiming transaction, record the outcome.

Several workers may run at once. A claim is one short write transaction: PostgreSQL selects the rows with
``FOR UPDATE SKIP LOCKED`` (a second worker skips what the first is claiming); SQLite serialises it with
``BEGIN IMMEDIATE`` (planner/core/database.py begins every transaction outside a GET request so). The claim
marks the rows ``sending`` with a lease; a worker that dies keeps them until the lease ends, then any worker
takes them again. Delivery is at least once: a worker killed after sending and before recording causes one
resend of the same bytes, with the same Message-ID.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select, update

from planner.core.types import utcnow
from planner.extensions import db
from planner.outbox.models import OutboxMessage
from planner.outbox.transport import Delivery, DeliveryError

Clock = Callable[[], datetime]
LOST_LEASE_ERROR = "the worker sending it stopped before it finished (last try)"


@dataclass(frozen=True)
class WorkerSettings:
    batch_size: int = 200
    lease_seconds: int = 600
    max_attempts: int = 8
    backoff_seconds: float = 60
    backoff_max_seconds: float = 3600

    @classmethod
    def from_config(cls, config) -> WorkerSettings:
        return cls(batch_size=int(config["OUTBOX_BATCH_SIZE"]), lease_seconds=int(config["OUTBOX_LEASE_SECONDS"]),
                   max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
                   backoff_seconds=float(config["OUTBOX_BACKOFF_SECONDS"]),
                   backoff_max_seconds=float(config["OUTBOX_BACKOFF_MAX_SECONDS"]))

    def backoff(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed try: base, 2×base, 4×base, … capped."""
        return timedelta(seconds=min(self.backoff_seconds * 2 ** max(attempts - 1, 0), self.backoff_max_seconds))


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0  # failed this time, queued again for later
    failed: int = 0  # failed for good
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: PassResult) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.batches += other.batches
        self.errors.extend(other.errors)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def _claim(worker_id: str, settings: WorkerSettings, now: datetime, limit: int) -> list[Delivery]:
    """Claim up to ``limit`` due messages for ``worker_id`` in the session's transaction (not committed)."""
    session = db.session
    # A message whose last try was cut off by a lost worker is not tried again forever.
    postgres = session.get_bind().dialect.name == "postgresql"
    lost = (select(OutboxMessage.id)
            .where(OutboxMessage.status == "sending", OutboxMessage.lease_until < now,
                   OutboxMessage.attempts >= settings.max_attempts)
            .limit(limit))
    if postgres:
        lost = lost.with_for_update(skip_locked=True)
    lost_ids = session.scalars(lost).all()
    if lost_ids:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(lost_ids))
            .values(status="failed", lease_until=None, last_error=LOST_LEASE_ERROR)
            .execution_options(synchronize_session=False))
    # Rows of lost workers first (their lease ended), then queued rows in the order they fell due. Two
    # queries, each read in the order of an index: one query with an OR made SQLite sort every due row,
    # the message bytes with it, for each batch.
    def pick(condition, order, limit: int) -> list:
        stmt = (select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.to_email, OutboxMessage.raw,
                       OutboxMessage.attempts, OutboxMessage.created_at)
                .where(condition).order_by(*order, OutboxMessage.id).limit(limit))
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
        return list(session.execute(stmt).all())

    rows = pick(and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
                (OutboxMessage.lease_until,), limit)
    if len(rows) < limit:
        rows += pick(and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
                     (OutboxMessage.next_attempt_at,), limit - len(rows))
    if rows:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in rows]))
            .values(status="sending", claimed_by=worker_id, attempts=OutboxMessage.attempts + 1,
                    lease_until=now + timedelta(seconds=settings.lease_seconds))
            .execution_options(synchronize_session=False))
    return [Delivery(id=row.id, message_id=row.message_id, to_email=row.to_email, raw=row.raw,
                     attempts=row.attempts + 1, created_at=row.created_at) for row in rows]


def _committed(work: Callable[[], object]):
    """``work()`` and a commit: one write transaction (rolled back if anything fails)."""
    try:
        result = work()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def claim_batch(worker_id: str, settings: WorkerSettings, now: datetime, limit: int | None = None
                ) -> list[Delivery]:
    """Claim up to ``limit`` (default ``batch_size``) due messages for ``worker_id`` and commit the claim."""
    return _committed(lambda: _claim(worker_id, settings, now, limit or settings.batch_size))


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    error: DeliveryError | None = None
    # False: the message never went on the wire (the connection could not be made, or was lost with an
    # earlier message); its try is not counted, so an outage of the mail server fails nothing for good
    tried: bool = True
    connected: bool = True  # the batch's connection was made


def deliver(deliveries: list[Delivery], transport) -> list[Outcome]:
    """Send the batch over one connection. If the connection cannot be made or is lost, the rest of the batch
    fails with that error, untried (and goes back in the queue). An unexpected exception (a transport's bug, a
    setting smtplib rejects) fails the message being sent, and the rest untried, instead of leaving them
    claimed and unrecorded."""
    outcomes: list[Outcome] = []
    connected = False
    current = None
    try:
        with transport.open() as connection:
            connected = True
            for index, delivery in enumerate(deliveries):
                current = delivery
                try:
                    connection.send(delivery)
                except DeliveryError as error:
                    outcomes.append(Outcome(delivery, error))
                    if error.connection_lost:
                        outcomes.extend(Outcome(rest, error, tried=False) for rest in deliveries[index + 1:])
                        break
                else:
                    outcomes.append(Outcome(delivery))
                current = None
    except Exception as exc:  # opening (or closing) the connection failed, or something unexpected
        error = exc if isinstance(exc, DeliveryError) else DeliveryError(f"{type(exc).__name__}: {exc}",
                                                                         connection_lost=True)
        done = {outcome.delivery.id for outcome in outcomes}
        outcomes.extend(Outcome(d, error, tried=current is not None and d.id == current.id, connected=connected)
                        for d in deliveries if d.id not in done)
    return outcomes


def _renew(worker_id: str, settings: WorkerSettings, deliveries: list[Delivery], now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([d.id for d in deliveries]), OutboxMessage.status == "sending",
               OutboxMessage.claimed_by == worker_id)
        .values(lease_until=now + timedelta(seconds=settings.lease_seconds))
        .execution_options(synchronize_session=False))


def _release(worker_id: str, deliveries: list[Delivery]) -> None:
    """Put claimed rows that never went out back in the queue as they were (the claim's try not counted)."""
    if deliveries:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([d.id for d in deliveries]), OutboxMessage.status == "sending",
                   OutboxMessage.claimed_by == worker_id)
            .values(status="queued", claimed_by=None, lease_until=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False))


def _record(worker_id: str, settings: WorkerSettings, outcomes: list[Outcome], now: datetime) -> PassResult:
    result = PassResult(batches=1)
    table = OutboxMessage.__table__
    sent_ids = [o.delivery.id for o in outcomes if o.error is None]
    failures = []
    untried = []
    for outcome in outcomes:
        if outcome.error is None:
            continue
        if not outcome.tried:
            # Not counted.  After a connection lost with an earlier message: again at once, on a new
            # connection; when no connection could be made (the server is down): after a wait as long as
            # the message has waited (base to cap), so a long outage is polled ever less often, never failed.
            waited = (now - outcome.delivery.created_at).total_seconds()
            wait = 0 if outcome.connected else min(settings.backoff_max_seconds,
                                                   max(settings.backoff_seconds, waited))
            untried.append({"u_id": outcome.delivery.id, "u_next": now + timedelta(seconds=wait),
                            "u_error": str(outcome.error)[:2000]})
            result.retrying += 1
            result.errors.append(f"{outcome.delivery.to_email}: {outcome.error} (not sent)")
            continue
        final = outcome.error.permanent or outcome.delivery.attempts >= settings.max_attempts
        failures.append({
            "b_id": outcome.delivery.id, "b_status": "failed" if final else "queued",
            "b_next": now if final else now + settings.backoff(outcome.delivery.attempts),
            "b_error": str(outcome.error)[:2000]})
        if final:
            result.failed += 1
        else:
            result.retrying += 1
        result.errors.append(f"{outcome.delivery.to_email}: {outcome.error}")
    mine = and_(table.c.status == "sending", table.c.claimed_by == worker_id)
    if sent_ids:  # counted as recorded: a row another worker took meanwhile is that worker's to count
        result.sent = db.session.execute(update(table).where(table.c.id.in_(sent_ids), mine)
                                         .values(status="sent", sent_at=now, lease_until=None,
                                                 last_error="")).rowcount
    if failures:
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id"), mine)
            .values(status=bindparam("b_status"), next_attempt_at=bindparam("b_next"),
                    last_error=bindparam("b_error"), lease_until=None),
            failures)
    if untried:
        db.session.execute(
            update(table).where(table.c.id == bindparam("u_id"), mine)
            .values(status="queued", next_attempt_at=bindparam("u_next"), last_error=bindparam("u_error"),
                    lease_until=None, claimed_by=None, attempts=table.c.attempts - 1),
            untried)
    return result


def record_outcomes(worker_id: str, settings: WorkerSettings, outcomes: list[Outcome], now: datetime) -> PassResult:
    """Write what happened, for the rows this worker still holds (a row whose lease ran out and was claimed
    by another worker belongs to that worker now)."""
    return _committed(lambda: _record(worker_id, settings, outcomes, now))


# Batches claimed and handed to the sending thread at a time (on the wire, or next in its queue).
BATCHES_IN_HAND = 3


def record_and_claim(worker_id: str, settings: WorkerSettings, outcomes: list[Outcome], now: datetime, *,
                     batches: int = 1, renew: list[Delivery] = (), claim: int = 0, release: list[Delivery] = ()
                     ) -> tuple[PassResult, list[Delivery]]:
    """One write transaction between batches: record ``outcomes`` (of ``batches`` batches), renew the lease of
    the rows still in hand (``renew``), put back rows that will not go out (``release``) and claim up to
    ``claim`` messages. On SQLite every write transaction waits its turn for the database's one write lock,
    behind the app's; one turn for all that keeps the worker up with an app writing mail all the time (three
    turns a batch fell behind by a batch every few seconds)."""
    def work():
        result = _record(worker_id, settings, outcomes, now)
        result.batches = batches
        if renew:
            _renew(worker_id, settings, list(renew), now)
        _release(worker_id, list(release))
        return result, (_claim(worker_id, settings, now, claim) if claim else [])

    return _committed(work)


def send_pass(transport, *, worker_id: str | None = None, settings: WorkerSettings | None = None,
              clock: Clock = utcnow, stop: threading.Event | None = None) -> PassResult:
    """Deliver batches until nothing is due (or ``stop`` is set). Needs an app context.

    Pipelined: a second thread sends the batches in hand one after another, one SMTP connection each (sending
    is mostly waiting for the server, which releases the GIL). Each time batches are done, one write transaction
    records them, renews the lease of those still in hand and claims as many again (:func:`record_and_claim`),
    up to ``BATCHES_IN_HAND``: the database work is not added to the sending time, and while that transaction
    waits its turn for the write lock (SQLite, beside an app writing mail) the sending goes on with the batches
    in hand; the next transaction then records and replaces all that went out meanwhile. A batch slow to go out
    (a slow server) has the lease of everything in hand renewed every quarter of the lease.

    When ``stop`` is set, the batch on the wire is finished and recorded, the others in hand go back to the queue
    untried, and no more are claimed. On an exception (Ctrl-C included) the same happens before it goes on.

    A claim that took less than it asked for took everything that was due, so the pass ends after it: what the
    app enqueues meanwhile waits for the next pass (``run_forever`` polls) instead of being claimed a few rows
    at a time, which on SQLite would contend with the app for the write lock row by row."""
    worker_id = worker_id or new_worker_id()
    settings = settings or WorkerSettings()
    size = settings.batch_size
    total = PassResult()
    if stop is not None and stop.is_set():
        return total

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    asked = BATCHES_IN_HAND * size
    claimed = claim_batch(worker_id, settings, clock(), asked)
    more = len(claimed) == asked
    in_hand: deque = deque()  # (future, batch), in sending order
    outcomes: list[Outcome] = []  # sent, not recorded yet
    unsent: list[Delivery] = []  # taken back from the sending thread, not released yet

    def rows_in_hand() -> list[Delivery]:
        return [delivery for _future, batch in in_hand for delivery in batch]

    def take_back_unsent() -> list[Delivery]:
        """The batches in hand that have not started (cancelled: they will not go out)."""
        kept, unsent = deque(), []
        for future, batch in in_hand:
            if future.cancel():
                unsent += batch
            else:
                kept.append((future, batch))
        in_hand.clear()
        in_hand.extend(kept)
        return unsent

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-smtp") as sender:
        def hand_over(deliveries: list[Delivery]) -> None:
            for start in range(0, len(deliveries), size):
                batch = deliveries[start:start + size]
                in_hand.append((sender.submit(deliver, batch, transport), batch))

        try:
            hand_over(claimed)
            while in_hand:
                while True:
                    try:
                        outcomes += in_hand[0][0].result(timeout=settings.lease_seconds / 4)
                        break
                    except FuturesTimeout:  # a slow server: keep what is in hand ours
                        renewed_at = clock()
                        _committed(lambda at=renewed_at: _renew(worker_id, settings, rows_in_hand(), at))
                in_hand.popleft()
                done = 1
                while in_hand and in_hand[0][0].done():  # went out while the last transaction waited
                    outcomes += in_hand.popleft()[0].result()
                    done += 1
                now = clock()
                if stopped():
                    unsent += take_back_unsent()
                more = more and not stopped()
                asked = (BATCHES_IN_HAND - len(in_hand)) * size if more else 0
                result, claimed = record_and_claim(worker_id, settings, outcomes, now, batches=done,
                                                   renew=rows_in_hand(), claim=asked, release=unsent)
                outcomes, unsent = [], []
                total.add(result)
                more = more and len(claimed) == asked
                hand_over(claimed)
        except BaseException:
            # Whatever failed (Ctrl-C included): what went out is recorded if the database lets us, the batch on
            # the wire once it is out, and what never started goes back to the queue; should that fail too,
            # the rows are sent again when their lease ends (the at-least-once window of a crashed worker).
            unsent += take_back_unsent()
            for future, _batch in in_hand:
                outcomes += future.result()
            total.add(record_outcomes(worker_id, settings, outcomes, clock()))
            if unsent:
                _committed(lambda: _release(worker_id, unsent))
            raise
    return total


def run_forever(transport, *, stop: threading.Event, poll_seconds: float, worker_id: str | None = None,
                settings: WorkerSettings | None = None, on_pass: Callable[[PassResult], None] | None = None,
                on_error: Callable[[Exception], None] | None = None) -> None:
    """Pass after pass until ``stop`` is set; waits ``poll_seconds`` when nothing was due. A database error
    (e.g. the server restarting) is reported and the loop goes on after the poll interval."""
    worker_id = worker_id or new_worker_id()
    while not stop.is_set():
        try:
            result = send_pass(transport, worker_id=worker_id, settings=settings, stop=stop)
        except Exception as exc:  # keep the worker alive; the lease brings back what it held
            db.session.remove()
            if on_error is not None:
                on_error(exc)
            stop.wait(poll_seconds)
            continue
        finally:
            db.session.remove()
        if on_pass is not None and result.batches:
            on_pass(result)
        stop.wait(poll_seconds)
