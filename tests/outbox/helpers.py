"""Small builders the outbox tests share."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from planner.core.types import utcnow
from planner.extensions import db
from planner.invites import Attendee, CalendarEvent
from planner.outbox.models import OutboxMessage
from planner.outbox.operations import enqueue_notice, organizer

TOKYO = ZoneInfo("Asia/Tokyo")


def queue_notices(count: int, *, prefix: str = "firm") -> list[int]:
    """``count`` committed notices to firm-<i>@example.org; returns their ids."""
    ids = [enqueue_notice(to_email=f"{prefix}-{i}@example.org", to_name=f"Firm {i}",
                          subject=f"Notice {i}", text_body=f"Hello firm {i}").id for i in range(count)]
    db.session.commit()
    return ids


def queue_prebuilt(count: int) -> None:
    """``count`` committed small messages inserted in bulk (for tests about the worker, not the builders)."""
    now = utcnow()
    rows = []
    for i in range(count):
        message_id = f"<outbox-bulk-{i}@planner.example>"
        raw = (f"From: delegations@planner.example\r\nTo: firm-{i}@example.org\r\nSubject: Notice {i}\r\n"
               f"Message-ID: {message_id}\r\n\r\nHello firm {i}\r\n").encode()
        rows.append({"kind": "notice", "to_email": f"firm-{i}@example.org", "to_name": "", "subject": f"Notice {i}",
                     "message_id": message_id, "raw": raw, "related_type": "", "status": "queued", "attempts": 0,
                     "next_attempt_at": now, "last_error": "", "created_at": now})
    db.session.execute(insert(OutboxMessage), rows)
    db.session.commit()


def meeting(**overrides) -> CalendarEvent:
    values = dict(
        uid="b2b-meeting-7@planner.example", sequence=0, summary="B2B: Suzuki Seiki × Ahmedabad Tools",
        description="IST 06:30–06:50 · JST 10:00–10:20", location="Granship, Shizuoka, table 3",
        start=datetime(2025, 6, 2, 10, 0, tzinfo=TOKYO), end=datetime(2025, 6, 2, 10, 20, tzinfo=TOKYO),
        tzid="Asia/Tokyo", organizer=organizer(),
        attendees=(Attendee("taro.yamada@suzuki-seiki.example", "山田 太郎"),
                   Attendee("priya.shah@ahmedabad-tools.example", "Priya Shah")))
    values.update(overrides)
    return CalendarEvent(**values)


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def message_ids(raws: list[bytes]) -> list[str]:
    return [parse(raw)["Message-ID"] for raw in raws]


def later(base: datetime, **delta) -> callable:
    """A clock fixed at ``base + delta``."""
    moment = base + timedelta(**delta)
    return lambda: moment
