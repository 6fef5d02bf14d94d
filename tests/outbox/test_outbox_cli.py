"""`planner outbox send` and `planner outbox run` as people run them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from planner.core.types import utcnow
from planner.extensions import db
from planner.outbox.models import OutboxMessage
from planner.outbox.worker import WorkerSettings, send_pass
from tests.outbox.conftest import ORGANIZER, smtp_transport
from tests.outbox.helpers import later, meeting, message_ids, parse, queue_notices

PLANNER = str(Path(sys.executable).with_name("planner"))


def _environment(outbox_app, tmp_path, smtp_server=None) -> dict:
    env = dict(os.environ, DATABASE_URL=outbox_app.config["SQLALCHEMY_DATABASE_URI"],
               PLANNER_INSTANCE_PATH=str(tmp_path), PLANNER_ORGANIZER_EMAIL=ORGANIZER,
               PLANNER_MAILBOX_DIR=str(tmp_path / "mailbox"), MAIL_SERVER="")
    if smtp_server is not None:
        env.update(MAIL_SERVER=smtp_server.host, MAIL_PORT=str(smtp_server.port), MAIL_TIMEOUT_SECONDS="5")
    return env


def test_send_without_mail_server_writes_parseable_eml_files(committed, outbox_app, tmp_path):
    from planner.outbox.operations import enqueue_invites

    invites = enqueue_invites(meeting(), method="REQUEST", subject="B2B meeting, 2 June", text_body="When: …",
                              html_body="<p>When: …</p>")
    db.session.commit()
    mailbox = tmp_path / "mailbox"
    outbox_app.config["MAILBOX_DIR"] = str(mailbox)
    try:
        result = outbox_app.test_cli_runner().invoke(args=["outbox", "send"])
    finally:
        outbox_app.config["MAILBOX_DIR"] = str(Path(outbox_app.instance_path) / "mailbox")

    assert result.exit_code == 0, result.output
    assert result.output == f"Outbox (.eml files in {mailbox}): sent 2, failed 0.\n"
    files = sorted(mailbox.glob("*.eml"))
    assert [f.name.endswith(f"-outbox-{m.id}.eml") for f, m in zip(files, invites, strict=True)] == [True, True]
    assert [f.read_bytes() for f in files] == [m.raw for m in invites]
    mails = [parse(f.read_bytes()) for f in files]
    assert [m["To"] for m in mails] == ["山田 太郎 <taro.yamada@suzuki-seiki.example>",
                                         "Priya Shah <priya.shah@ahmedabad-tools.example>"]
    assert {p.get_param("method") for m in mails for p in m.walk() if p.get_content_type() == "text/calendar"} \
        == {"REQUEST"}
    assert not list(mailbox.glob(".outbox-*"))  # no half-written file left behind


def test_run_delivers_and_stops_cleanly_on_sigterm(committed, outbox_app, smtp_server, tmp_path):
    worker = subprocess.Popen([PLANNER, "outbox", "run", "--poll-interval", "0.1"],
                              env=_environment(outbox_app, tmp_path, smtp_server), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        queue_notices(3)
        smtp_server.wait_for(3, timeout=20)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert worker.returncode == 0, output
    assert "delivering to SMTP 127.0.0.1" in output and output.rstrip().endswith("Outbox worker stopped.")
    db.session.expire_all()
    assert [m.status for m in db.session.scalars(select(OutboxMessage))] == ["sent"] * 3


def test_send_killed_mid_batch_leaves_nothing_lost_and_resends_only_the_cut_batch(
        committed, outbox_app, smtp_server, tmp_path):
    ids = queue_notices(6)
    smtp_server.delay = 0.3  # the server is slow, so the worker is killed while it sends
    worker = subprocess.Popen([PLANNER, "outbox", "send"], env=_environment(outbox_app, tmp_path, smtp_server),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        smtp_server.wait_for(2, timeout=20)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    time.sleep(0.5)  # the message the server was accepting when the client died may still land
    before_kill = message_ids(smtp_server.messages)
    smtp_server.delay = 0

    db.session.expire_all()
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert {r.status for r in rows} == {"sending"}  # claimed, never recorded
    lease_over = later(utcnow(), seconds=WorkerSettings.from_config(outbox_app.config).lease_seconds + 1)
    result = send_pass(smtp_transport(smtp_server), clock=lease_over)

    received = message_ids(smtp_server.messages)
    db.session.expire_all()
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert result.sent == 6 and [r.status for r in rows] == ["sent"] * 6 and [r.id for r in rows] == ids
    assert sorted(set(received)) == sorted(r.message_id for r in rows)
    assert 2 <= len(before_kill) < 6
    # Only what the dead worker had already sent arrives twice, with the same Message-ID.
    assert sorted(mid for mid in set(received) if received.count(mid) == 2) == sorted(before_kill)
    assert len(received) == 6 + len(before_kill)
