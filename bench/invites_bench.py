"""Invites per second through the whole path, beside a raw smtplib loop.

    python bench/invites_bench.py [--invites 5000] [--batch-size 200] [--database-url URL]

Whole path: for every meeting (two attendees each) build the calendar (planner.invites.ical), build one iMIP
message per attendee (planner.invites.mime), enqueue both in the outbox and commit (one transaction per
meeting, as one request would); the outbox worker delivers them over SMTP to a local aiosmtpd (a separate
process, discarding what it receives). Measured twice: as deployed, with the worker (`planner outbox run`)
running beside the app in its own process from the start; and stage after stage (enqueue everything, then one
`send_pass`). Raw: the same number of pre-built messages sent with smtplib over one connection to the same
server, in the same run. Prints the rates, the ratios to raw (target >= 0.5) and each stage's rate. SQLite in a
temporary folder unless --database-url is given (its outbox table is emptied). Not part of the suite.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.invites import Attendee, CalendarEvent, build_calendar, build_invite_message, message_bytes  # noqa: E402
from planner.outbox.operations import enqueue_invites, organizer  # noqa: E402
from planner.outbox.transport import transport_from_config  # noqa: E402
from planner.outbox.worker import WorkerSettings, run_forever, send_pass  # noqa: E402

TOKYO = ZoneInfo("Asia/Tokyo")
TEXT = ("B2B meeting: {a} × {b}\nTable {table}, Granship, Shizuoka\n"
        "IST: Tue 2 Jun 2026, {ist}\nJST: Tue 2 Jun 2026, {jst}\n")


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


def meeting(index: int, sender) -> tuple[CalendarEvent, str]:
    start = datetime(2026, 6, 2, 9, 0, tzinfo=TOKYO) + timedelta(minutes=20 * (index % 24))
    a, b = f"Suzuki Seiki {index}", f"Ahmedabad Tools {index}"
    text = TEXT.format(a=a, b=b, table=index % 40 + 1, jst=f"{start:%H:%M}",
                       ist=f"{start.astimezone(ZoneInfo('Asia/Kolkata')):%H:%M}")
    event = CalendarEvent(
        uid=f"b2b-meeting-{index}@planner.example", sequence=0, summary=f"B2B: {a} × {b}", description=text,
        location=f"Granship, Shizuoka, table {index % 40 + 1}", start=start, end=start + timedelta(minutes=20),
        tzid="Asia/Tokyo", organizer=sender,
        attendees=(Attendee(f"taro.{index}@suzuki-seiki.example", "山田 太郎"),
                   Attendee(f"priya.{index}@ahmedabad-tools.example", "Priya Shah")))
    return event, text


def raw_rate(port: int, messages: list[bytes], envelope_from: str) -> float:
    smtp = smtplib.SMTP("127.0.0.1", port, local_hostname="bench", timeout=30)
    started = time.perf_counter()
    for index, raw in enumerate(messages):
        smtp.sendmail(envelope_from, [f"rcpt-{index}@example.org"], raw)
    elapsed = time.perf_counter() - started
    smtp.quit()
    return len(messages) / elapsed


def enqueue_all(meetings: int, sender, per_transaction: int) -> None:
    """Build and enqueue every meeting's invites, committing every ``per_transaction`` meetings (one request:
    a B2B session's schedule confirmed sends all its meetings' invites in one transaction; 1 = a meeting
    moved at a time)."""
    for index in range(meetings):
        event, text = meeting(index, sender)
        enqueue_invites(event, method="REQUEST", subject="B2B meeting", text_body=text,
                        html_body=f"<pre>{text}</pre>", related_type="meeting", related_id=index)
        if (index + 1) % per_transaction == 0 or index + 1 == meetings:
            db.session.commit()


def worker_process(config: dict, total: int, poll_seconds: float, done) -> None:
    """`planner outbox run` in its own process: deliver until ``total`` messages are sent, then report the
    (system-wide monotonic) time the last one was recorded."""
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
        run_forever(transport_from_config(app.config), stop=stop, poll_seconds=poll_seconds,
                    settings=WorkerSettings.from_config(app.config), on_pass=on_pass, on_error=on_error)
    done.put((time.monotonic(), sent))


def new_app(folder: str, name: str, port: int, url: str | None, batch_size: int | None):
    config = {"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder}/{name}.sqlite3", "MAIL_SERVER": "127.0.0.1",
              "MAIL_PORT": port, "ORGANIZER_EMAIL": "delegations@planner.example",
              "MAILBOX_DIR": f"{folder}/mailbox"}
    if batch_size:
        config["OUTBOX_BATCH_SIZE"] = batch_size
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
        db.session.execute(db.text("DELETE FROM outbox_messages"))  # a --database-url may hold earlier runs
        db.session.commit()
    return app, config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invites", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=None, help="worker batch (default OUTBOX_BATCH_SIZE)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--meetings-per-transaction", type=int, default=150,
                        help="meetings enqueued per commit (default 150: one B2B session's schedule confirmed; "
                             "1: one meeting changed per request)")
    parser.add_argument("--poll-seconds", type=float, default=0.05, help="the concurrent worker's poll interval")
    args = parser.parse_args()
    meetings = args.invites // 2
    count = 2 * meetings

    server, port = start_sink_server()
    with tempfile.TemporaryDirectory() as folder:
        try:
            # 1. Raw: pre-built messages (built outside the timing) over one smtplib connection.
            app, config = new_app(folder, "raw", port, args.database_url, args.batch_size)
            with app.app_context():
                sender = organizer()
                batch_size = WorkerSettings.from_config(app.config).batch_size
                stamp = datetime.now(UTC).replace(microsecond=0)
                prebuilt = []
                for index in range(meetings):
                    event, text = meeting(index, sender)
                    calendar = build_calendar([event], "REQUEST", stamp)
                    for n, attendee in enumerate(event.attendees):
                        prebuilt.append(message_bytes(build_invite_message(
                            sender_email=sender.email, sender_name=sender.name, to_email=attendee.email,
                            to_name=attendee.name, subject="B2B meeting", text_body=text,
                            html_body=f"<pre>{text}</pre>", calendar_bytes=calendar, method="REQUEST",
                            message_id=f"<raw-{index}-{n}@planner.example>", date=stamp)))
            raw_before = raw_rate(port, prebuilt, "bounces@planner.example")
            app_dispose(app)

            # 2. As deployed: the worker (`planner outbox run`) runs beside the app in its own process and
            #    delivers while the app enqueues; from the first build to the last message recorded as sent.
            app, config = new_app(folder, "concurrent", port, args.database_url, args.batch_size)
            done = multiprocessing.get_context("spawn").Queue()
            worker = multiprocessing.get_context("spawn").Process(
                target=worker_process, args=(config, count, args.poll_seconds, done))
            worker.start()
            time.sleep(3)  # the worker's start-up (imports, app) is not part of the path
            with app.app_context():
                started = time.monotonic()
                enqueue_all(meetings, organizer(), args.meetings_per_transaction)
                enqueued = time.monotonic()
                db.session.remove()
            finished, sent = done.get(timeout=600)
            worker.join()
            if sent != count:
                raise SystemExit(f"the concurrent worker delivered {sent} of {count}")
            concurrent, concurrent_enqueue = count / (finished - started), count / (enqueued - started)
            app_dispose(app)

            # 3. Stage by stage: everything enqueued first, then one `planner outbox send` pass.
            app, config = new_app(folder, "sequential", port, args.database_url, args.batch_size)
            with app.app_context():
                started = time.perf_counter()
                enqueue_all(meetings, organizer(), args.meetings_per_transaction)
                enqueued = time.perf_counter()
                result = send_pass(transport_from_config(app.config), settings=WorkerSettings.from_config(app.config))
                finished = time.perf_counter()
                db.session.remove()
                if result.sent != count:
                    raise SystemExit(f"only {result.sent} of {count} delivered: {result.errors[:3]}")
            app_dispose(app)
            # Raw again at the end: the higher of the two is the reference (a busy moment hurts raw less).
            raw = max(raw_before, raw_rate(port, prebuilt, "bounces@planner.example"))
        finally:
            server.terminate()
            server.wait()

    sequential = count / (finished - started)
    build_enqueue = count / (enqueued - started)
    delivery = count / (finished - enqueued)
    database = (args.database_url or "sqlite").split(":")[0].split("+")[0]
    print(f"{count} invites ({meetings} meetings × 2 attendees, {args.meetings_per_transaction} meetings per "
          f"transaction), {database} database, worker batches of {batch_size}")
    print(f"  raw smtplib loop, pre-built messages, one connection: {raw:6.0f} messages/s "
          f"(the better of a run before and after: {raw_before:.0f} first)")
    print(f"  whole path, worker beside the app (as deployed):      {concurrent:6.0f} invites/s   "
          f"ratio {concurrent / raw:.2f} (target >= 0.5)")
    print(f"    of which the app's build + enqueue + commit:        {concurrent_enqueue:6.0f} invites/s")
    print(f"  whole path, stage after stage (enqueue all, then send): {sequential:4.0f} invites/s   "
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
