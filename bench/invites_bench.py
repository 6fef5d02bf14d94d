"""Invites per second through the whole path, beside a raw smtplib loop.

    python bench/invites_bench.py [--path app|builders] [--invites 5000] [--batch-size 200] [--database-url URL]

Whole path: the invites part of confirming B2B schedules — for each session,
planner.invites.operations.send_session_invites (for every placed meeting: its stored invite, the calendar in
each recipient's language, the mail text and HTML from the templates with signed answer links, the MIME
message, the recipients' records, the outbox rows) and the commit; not the placement itself (the meetings are
built already placed) nor updates and cancels; then the outbox worker delivers the mail
over SMTP to a local aiosmtpd (a separate process, discarding what it receives). The sessions (150 meetings
each by default, an Indian and a Japanese representative per meeting, the Japanese reading Japanese) are built
first, outside the timing. Measured twice: as deployed, with the worker (`planner outbox run`) running beside
the app in its own process from the start; and stage after stage (confirm everything, then one `send_pass`).
Raw: the very messages the whole path delivered, sent with smtplib over one connection to the same server, in
the same run (before and after; the better rate counts). Prints the rates, the ratios to raw and each stage's
rate. The target (>= 0.5 of raw) is the whole path as deployed; stage after stage adds the two stages' times
(the mail of the first confirmation waits for the last), so it shows what each stage costs, not a deployment. SQLite in a temporary folder unless --database-url is given (an empty PostgreSQL
database the bench may wipe: it drops and recreates its public schema). Not part of the suite.

``--path builders`` measures the delivery pipeline alone: each meeting's calendar and MIME message built by the
pure builders (planner.invites.ical, planner.invites.mime) from plain values with a short fixed text, written
with planner.outbox.operations.enqueue_invites, the same number of meetings per transaction; no templates,
answer links or recipients' records.
"""

from __future__ import annotations

import argparse
import multiprocessing
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from planner import create_app  # noqa: E402
from planner.core.audit import acting_as  # noqa: E402
from planner.core.runtime import tune_gc  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.invites import Attendee, CalendarEvent  # noqa: E402
from planner.invites.operations import send_session_invites  # noqa: E402
from planner.matchmaking.models import B2BSession, Meeting  # noqa: E402
from planner.outbox.models import OutboxMessage  # noqa: E402
from planner.outbox.operations import enqueue_invites, organizer  # noqa: E402
from planner.outbox.transport import transport_from_config  # noqa: E402
from planner.outbox.worker import WorkerSettings, run_forever, send_pass  # noqa: E402
from planner.regions.operations import seed_reference_data  # noqa: E402

FIRMS = 30  # per side and session
TABLES = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink_server() -> tuple[subprocess.Popen, int]:
    """aiosmtpd in its own process with its Sink handler (accepts and discards)."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            smtplib.SMTP("127.0.0.1", port, local_hostname="bench", timeout=2).quit()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("aiosmtpd did not start")


def raw_rate(port: int, messages: list[bytes], envelope_from: str) -> float:
    smtp = smtplib.SMTP("127.0.0.1", port, local_hostname="bench", timeout=30)
    started = time.perf_counter()
    for index, raw in enumerate(messages):
        smtp.sendmail(envelope_from, [f"rcpt-{index}@example.org"], raw)
    elapsed = time.perf_counter() - started
    smtp.quit()
    return len(messages) / elapsed


def build_sessions(meetings: int, per_session: int) -> list[int]:
    """A confirmed Gujarat–Shizuoka delegation with B2B sessions holding ``meetings`` placed meetings in all,
    ``per_session`` each (10 tables, as many 20-minute slots as needed); 30 firms a side, one representative
    each, the Japanese reading Japanese (their calendars and mails are built in Japanese). Built through the
    test factories (the app's operations), the meetings placed directly; no invite is sent yet."""
    from tests import factories

    delegation = factories.delegation(status="confirmed", title="Vibrant Gujarat – Shizuoka B2B week")
    indian = [(factories.firm("IN-GJ", name=f"Ahmedabad Tools {n}"),
               factories.person(f"Priya Shah {n}", email=f"priya.{n}@ahmedabad-tools.example"))
              for n in range(FIRMS)]
    japanese = [(factories.firm("JP-22", name=f"Suzuki Seiki {n}", name_ja=f"スズキ精機{n}"),
                 factories.person(f"Taro Yamada {n}", email=f"taro.{n}@suzuki-seiki.example", name_ja=f"山田 太郎{n}",
                                  preferred_language="ja"))
                for n in range(FIRMS)]
    ids = []
    for first in range(0, meetings, per_session):
        count = min(per_session, meetings - first)
        session = factories.b2b_session(delegation, slot_count=-(-count // TABLES), tables=TABLES)
        sides = [[factories.b2b_participant(session, region, firm_=firm, representatives=[person])
                  for firm, person in side] for region, side in (("IN-GJ", indian), ("JP-22", japanese))]
        for index in range(count):
            slot, table = index // TABLES + 1, index % TABLES  # no firm twice in a slot
            db.session.add(Meeting(session=session, indian=sides[0][(table + TABLES * (slot % 3)) % FIRMS],
                                   japanese=sides[1][(table + 7 * slot) % FIRMS], status="scheduled", slot=slot,
                                   table=session.tables[table], sequence=0))
        db.session.flush()
        ids.append(session.id)
    db.session.commit()
    return ids


def confirm_all(session_ids: list[int]) -> int:
    """The invites of every session, one transaction per session (one organiser's confirmation each)."""
    sent = 0
    for session_id in session_ids:
        sent += len(send_session_invites(db.session.get(B2BSession, session_id)))
        db.session.commit()
    return sent


TOKYO = ZoneInfo("Asia/Tokyo")


def enqueue_built(meetings: int, per_transaction: int) -> int:
    """--path builders: each meeting's invites from the pure builders, committed every ``per_transaction``."""
    sender, sent = organizer(), 0
    for index in range(meetings):
        start = datetime(2026, 6, 2, 9, 0, tzinfo=TOKYO) + timedelta(minutes=20 * (index % 24))
        a, b, table = f"Suzuki Seiki {index}", f"Ahmedabad Tools {index}", index % 40 + 1
        text = (f"B2B meeting: {a} × {b}\nTable {table}, Granship, Shizuoka\n"
                f"IST: Tue 2 Jun 2026, {start.astimezone(ZoneInfo('Asia/Kolkata')):%H:%M}\n"
                f"JST: Tue 2 Jun 2026, {start:%H:%M}\n")
        event = CalendarEvent(
            uid=f"b2b-meeting-{index}@planner.example", sequence=0, summary=f"B2B: {a} × {b}", description=text,
            location=f"Granship, Shizuoka, table {table}", start=start, end=start + timedelta(minutes=20),
            tzid="Asia/Tokyo", organizer=sender,
            attendees=(Attendee(f"taro.{index}@suzuki-seiki.example", "山田 太郎"),
                       Attendee(f"priya.{index}@ahmedabad-tools.example", "Priya Shah")))
        sent += len(enqueue_invites(event, method="REQUEST", subject="B2B meeting", text_body=text,
                                    html_body=f"<pre>{text}</pre>", related_type="meeting", related_id=index))
        if (index + 1) % per_transaction == 0 or index + 1 == meetings:
            db.session.commit()
    return sent


def worker_process(config: dict, total: int, poll_seconds: float, ready, done) -> None:
    """`planner outbox run` in its own process: deliver until ``total`` messages are sent, then report the
    (system-wide monotonic) time the last one was recorded."""
    tune_gc()  # as the `planner` command does
    app = create_app(config)
    stop = threading.Event()
    sent = 0

    def on_pass(result) -> None:
        nonlocal sent
        sent += result.sent
        if sent >= total:
            stop.set()

    def on_error(exc: Exception) -> None:
        print(f"worker: {type(exc).__name__}: {exc}", file=sys.stderr)

    with app.app_context():
        ready.put(True)
        run_forever(transport_from_config(app.config), stop=stop, poll_seconds=poll_seconds,
                    settings=WorkerSettings.from_config(app.config), on_pass=on_pass, on_error=on_error)
    done.put((time.monotonic(), sent))


def new_world(folder: str, name: str, port: int, url: str | None, batch_size: int | None, meetings: int,
              per_session: int, path: str):
    """A fresh database (SQLite file, or the given PostgreSQL database wiped) with the sessions built (for the
    app's path)."""
    config = {"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder}/{name}.sqlite3", "MAIL_SERVER": "127.0.0.1",
              "MAIL_PORT": port, "ORGANIZER_EMAIL": "delegations@planner.example",
              "PUBLIC_BASE_URL": "https://planner.example", "MAILBOX_DIR": f"{folder}/mailbox"}
    if batch_size:
        config["OUTBOX_BATCH_SIZE"] = batch_size
    app = create_app(config)
    with app.app_context(), acting_as("bench"):
        if url:
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
        seed_reference_data()
        sessions = build_sessions(meetings, per_session) if path == "app" else []
        db.session.commit()
    return app, config, sessions


def produce(path: str, sessions: list[int], meetings: int, per_session: int) -> int:
    """The timed part before delivery: the confirmations (app) or the builders' enqueueing."""
    return confirm_all(sessions) if path == "app" else enqueue_built(meetings, per_session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", choices=("app", "builders"), default="app",
                        help="app: the schedule's confirmation (default); builders: the pure builders + outbox")
    parser.add_argument("--invites", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=None, help="worker batch (default OUTBOX_BATCH_SIZE)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--meetings-per-session", type=int, default=150,
                        help="meetings per B2B session, i.e. per confirmation and transaction (default 150)")
    parser.add_argument("--poll-seconds", type=float, default=0.05, help="the concurrent worker's poll interval")
    args = parser.parse_args()
    tune_gc()  # as the planner's entry points (wsgi.py, the `planner` command) do
    meetings = args.invites // 2
    count = 2 * meetings

    server, port = start_sink_server()
    with tempfile.TemporaryDirectory() as folder:
        try:
            # 1. Stage by stage: every session confirmed, then one `planner outbox send` pass.
            app, config, sessions = new_world(folder, "sequential", port, args.database_url, args.batch_size,
                                              meetings, args.meetings_per_session, args.path)
            with app.app_context(), acting_as("bench"):
                batch_size = WorkerSettings.from_config(app.config).batch_size
                started = time.perf_counter()
                enqueued_count = produce(args.path, sessions, meetings, args.meetings_per_session)
                enqueued = time.perf_counter()
                result = send_pass(transport_from_config(app.config), settings=WorkerSettings.from_config(app.config))
                finished = time.perf_counter()
                if enqueued_count != count or result.sent != count:
                    raise SystemExit(f"{enqueued_count} enqueued, {result.sent} of {count} delivered: "
                                     f"{result.errors[:3]}")
                # The raw loop sends the very messages the whole path delivered.
                delivered = list(db.session.scalars(select(OutboxMessage.raw).order_by(OutboxMessage.id)))
                db.session.remove()
            app_dispose(app)
            raw_before = raw_rate(port, delivered, "bounces@planner.example")

            # 2. As deployed: the worker (`planner outbox run`) runs beside the app in its own process and
            #    delivers while the app confirms; from the first confirmation to the last message recorded.
            app, config, sessions = new_world(folder, "concurrent", port, args.database_url, args.batch_size,
                                              meetings, args.meetings_per_session, args.path)
            app_dispose(app)
            context = multiprocessing.get_context("spawn")
            ready, done = context.Queue(), context.Queue()
            worker = context.Process(target=worker_process, args=(config, count, args.poll_seconds, ready, done))
            worker.start()
            ready.get(timeout=60)
            time.sleep(1)  # the worker's first (empty) passes
            with app.app_context(), acting_as("bench"):
                concurrent_started = time.monotonic()
                produce(args.path, sessions, meetings, args.meetings_per_session)
                concurrent_enqueued = time.monotonic()
                db.session.remove()
            concurrent_finished, sent = done.get(timeout=600)
            worker.join()
            if sent != count:
                raise SystemExit(f"the concurrent worker delivered {sent} of {count}")
            app_dispose(app)
            # Raw again at the end: the higher of the two is the reference (a busy moment hurts raw less).
            raw = max(raw_before, raw_rate(port, delivered, "bounces@planner.example"))
        finally:
            server.terminate()
            server.wait()

    concurrent = count / (concurrent_finished - concurrent_started)
    concurrent_enqueue = count / (concurrent_enqueued - concurrent_started)
    sequential = count / (finished - started)
    build_enqueue = count / (enqueued - started)
    delivery = count / (finished - enqueued)
    database = (args.database_url or "sqlite").split(":")[0].split("+")[0]
    size = sum(map(len, delivered)) / len(delivered)
    what = ("the app's path: B2B sessions confirmed" if args.path == "app"
            else "the builders' path: invites built from plain values, enqueued")
    print(f"{count} invites ({meetings} B2B meetings × 2 representatives; {what}, {args.meetings_per_session} "
          f"meetings per transaction), {database} database, worker batches of {batch_size}, "
          f"messages of {size / 1024:.1f} KiB on average")
    print(f"  raw smtplib loop, the same messages, one connection: {raw:6.0f} messages/s "
          f"(the better of a run before and after: {raw_before:.0f} first)")
    print(f"  whole path, worker beside the app (as deployed):      {concurrent:6.0f} invites/s   "
          f"ratio {concurrent / raw:.2f} (target >= 0.5)")
    print(f"    of which the app's part (build + enqueue + commit): {concurrent_enqueue:6.0f} invites/s")
    print(f"  whole path, stage after stage (all in the outbox, then sent): {sequential:4.0f} invites/s   "
          f"ratio {sequential / raw:.2f}")
    print(f"    build + enqueue + commit:                           {build_enqueue:6.0f} invites/s "
          f"({count / build_enqueue:.1f} s)")
    print(f"    worker delivery (claim, SMTP, record):              {delivery:6.0f} invites/s "
          f"({count / delivery:.1f} s)   ratio to raw {delivery / raw:.2f}")


def app_dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
