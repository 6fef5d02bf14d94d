"""The start page: what needs a cell or office now (upcoming events, requests to answer, follow-ups due,
undelivered mail), each only as far as the user's region is concerned."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.core.timefmt import today_ist
from planner.extensions import db
from planner.matchmaking.operations import RequestData, request_meeting
from planner.outbox.models import OutboxMessage
from tests import factories


def _soon(days: int) -> datetime:
    return datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None, hour=10, minute=0, second=0,
                                                        microsecond=0) + timedelta(days=days)


def test_a_cell_sees_its_own_upcoming_events_requests_follow_ups_and_failed_mail_only(login_as, database):
    ours = factories.delegation(("IN-GJ",), ("JP-22",), title="Gujarat visit", start=_soon(1).date(),
                                end=_soon(20).date())
    theirs = factories.delegation(("IN-MH",), ("JP-30",), title="Maharashtra visit", start=_soon(1).date(),
                                  end=_soon(20).date())
    factories.event(ours, _soon(3), _soon(3) + timedelta(hours=1), title="Courtesy call in Shizuoka")
    factories.event(ours, _soon(18), _soon(18) + timedelta(hours=1), title="Too far ahead")
    factories.event(theirs, _soon(3), _soon(3) + timedelta(hours=1), title="Wakayama plant visit")
    session = factories.b2b_session(ours)
    gujarat_firm = factories.b2b_participant(session, "IN-GJ")
    shizuoka_firm = factories.b2b_participant(session, "JP-22")
    asked = request_meeting(shizuoka_firm, RequestData(target_id=gujarat_firm.id), factories.SYSTEM)
    cell = login_as("state", "IN-GJ")
    due = factories.followup(ours, owner=cell.user, title="Send the price sheet", due_date=today_ist() + timedelta(days=2))
    late = factories.followup(ours, owner=cell.user, title="Call Enshu Seimitsu", due_date=today_ist() + timedelta(days=1))
    late.due_date = today_ist() - timedelta(days=3)  # overdue since (the form refuses a past date)
    factories.followup(theirs, owner=factories.user("state", "IN-MH"), title="Maharashtra's follow-up",
                       due_date=today_ist() + timedelta(days=2))
    factories.followup(ours, owner=cell.user, title="Next month", due_date=today_ist() + timedelta(days=30))
    for code in ("IN-GJ", "IN-MH"):
        db.session.get(OutboxMessage, factories.outbox_invite(code).id).status = "failed"
    db.session.commit()

    page = cell.get("/").get_data(as_text=True)

    assert "Courtesy call in Shizuoka" in page
    assert "Too far ahead" not in page and "Wakayama plant visit" not in page
    assert f'href="/b2b/requests/{asked.id}/answer"' in page
    assert f"{shizuoka_firm.firm.name} asks {gujarat_firm.firm.name}" in page
    assert page.index("Call Enshu Seimitsu") < page.index("Send the price sheet")  # overdue first
    assert "1 overdue: see them all" in page and due.title in page
    assert "Maharashtra&#39;s follow-up" not in page and "Next month" not in page
    assert "1 email could not be delivered." in page


def test_the_partner_office_is_not_asked_to_answer_what_the_other_side_was_asked(login_as, database):
    session = factories.b2b_session()
    gujarat_firm = factories.b2b_participant(session, "IN-GJ")
    shizuoka_firm = factories.b2b_participant(session, "JP-22")
    request_meeting(shizuoka_firm, RequestData(target_id=gujarat_firm.id), factories.SYSTEM)
    db.session.commit()
    page = login_as("prefecture", "JP-22").get("/").get_data(as_text=True)
    assert "asks" not in page and "None waiting." in page
    assert "asks" in login_as("state", "IN-GJ").get("/").get_data(as_text=True)


def test_an_office_with_nothing_pending_is_told_so_in_japanese(login_as, database):
    client = login_as("prefecture", "JP-38")
    client.user.locale = "ja"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "今後14日間の予定" in page and "回答待ちはありません。" in page


def test_more_follow_ups_than_shown_lead_to_the_follow_up_list(login_as, database):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    cell = login_as("state", "IN-GJ")
    for number in range(7):
        factories.followup(delegation, owner=cell.user, title=f"Due soon {number}",
                           due_date=today_ist() + timedelta(days=1))
    db.session.commit()
    page = cell.get("/").get_data(as_text=True)
    assert '<a href="/outcomes/followups/">and 2 more</a>' in page
