"""Invites per second through the whole path, beside a raw smtplib loop.

    python bench/invites_bench.py [--invites 5000] [--batch-size 200] [--database-url URL]

Whole path: for every meeting (two attendees each) build the calendar (planner.invites.ical), build one iMIP
message per attendee (planner.invites.mime), enqueue both in the outbox and commit (one transaction per
meeting, as one request would), then `send_pass` delivers everything over SMTP to a local aiosmtpd (a
separate process, discarding what it receives). Raw: the same number of pre-built messages sent with smtplib
over one connection to the same server, in the same run. Prints both rates, the ratio (target >= 0.5) and the
time spent in each stage. SQLite in a temporary folder unless --database-url is given. Not part of the suite.
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import subprocess
import sys
import tempfile
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
from planner.outbox.worker import WorkerSettings, send_pass  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invites", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=None, help="worker batch (default OUTBOX_BATCH_SIZE)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    meetings = args.invites // 2

    server, port = start_sink_server()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                          "ORGANIZER_EMAIL": "delegations@planner.example", "MAILBOX_DIR": f"{folder}/mailbox"})
        try:
            with app.app_context():
                upgrade(revision="heads")
                db.session.commit()
                sender = organizer()
                settings = WorkerSettings.from_config(app.config)
                if args.batch_size:
                    settings = WorkerSettings(**{**settings.__dict__, "batch_size": args.batch_size})

                # The raw loop's messages: built beforehand, outside its timing.
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
                raw = raw_rate(port, prebuilt, "bounces@planner.example")

                # The whole path.
                started = time.perf_counter()
                for index in range(meetings):
                    event, text = meeting(index, sender)
                    enqueue_invites(event, method="REQUEST", subject="B2B meeting", text_body=text,
                                    html_body=f"<pre>{text}</pre>", related_type="meeting", related_id=index)
                    db.session.commit()
                enqueued = time.perf_counter()
                result = send_pass(transport_from_config(app.config), settings=settings)
                finished = time.perf_counter()
                db.session.remove()
                if result.sent != 2 * meetings:
                    raise SystemExit(f"only {result.sent} of {2 * meetings} delivered: {result.errors[:3]}")
        finally:
            server.terminate()
            server.wait()
            with app.app_context():
                db.engine.dispose()

    count = 2 * meetings
    whole = count / (finished - started)
    build_enqueue = count / (enqueued - started)
    worker = count / (finished - enqueued)
    print(f"{count} invites ({meetings} meetings × 2 attendees), {Path(url.split(':')[0]).name} database, "
          f"worker batches of {settings.batch_size}")
    print(f"  raw smtplib loop, one connection:     {raw:8.0f} messages/s")
    print(f"  whole path (build+outbox+worker+SMTP): {whole:8.0f} invites/s   ratio {whole / raw:.2f} "
          f"(target >= 0.5)")
    print(f"    build + enqueue + commit:            {build_enqueue:8.0f} invites/s "
          f"({(enqueued - started):.1f} s)")
    print(f"    worker delivery (claim, SMTP, record): {worker:6.0f} invites/s "
          f"({(finished - enqueued):.1f} s)   ratio to raw {worker / raw:.2f}")


if __name__ == "__main__":
    main()
