"""Mails in the recipient's language: invitations (Person.preferred_language), feedback requests (the
representative's) and the follow-up digest (the owner's interface language). The invitation's calendar object is
built per language too (tests/invites/test_invite_language.py has the bilingual choice)."""

from datetime import date

from sqlalchemy import select

from planner.followups.digest import send_digests
from planner.followups.feedback import send_feedback_requests
from planner.outbox.models import OutboxMessage
from tests.invites.world import PRIYA, TARO, calendar_of, confirmed_event, outbox, parse


def _attendees(factories):
    return [factories.person("Priya Shah", email=PRIYA),
            factories.person("Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja")]


def _subjects(database, related_type) -> dict:
    rows = database.session.scalars(select(OutboxMessage).where(OutboxMessage.related_type == related_type))
    return {row.to_email: row for row in rows}


def test_invite_mail_follows_each_recipients_language(database, factories):
    event = confirmed_event(attendees=_attendees(factories))
    messages = {m.to_email: m for m in outbox("event", event.id)}
    assert messages[PRIYA].subject == "Invitation: Courtesy call on the Governor (Tue 13 Oct 2026, 10:00 JST)"
    assert messages[TARO].subject == "【招待】Courtesy call on the Governor(2026年10月13日(火) 10:00 JST)"
    japanese = parse(messages[TARO].raw).get_body(("plain",)).get_content()
    assert "現地時刻: 2026年10月13日(火) 10:00–11:00 JST" in japanese
    assert "IST: 2026年10月13日(火) 06:30–07:30" in japanese
    english = parse(messages[PRIYA].raw).get_body(("plain",)).get_content()
    assert "Venue time: Tue 13 Oct 2026, 10:00–11:00 JST" in english


def test_invite_calendar_description_follows_each_recipients_language(database, factories):
    event = confirmed_event(attendees=_attendees(factories))
    descriptions = {m.to_email: str(calendar_of(m.raw).walk("VEVENT")[0]["DESCRIPTION"])
                    for m in outbox("event", event.id)}
    assert "JST: Tue 13 Oct 2026, 10:00–11:00" in descriptions[PRIYA]
    assert "JST: 2026年10月13日(火) 10:00–11:00" in descriptions[TARO]


def test_feedback_request_follows_the_representatives_language(database, factories):
    session = factories.b2b_session(factories.delegation(("IN-GJ",), ("JP-22",)))
    mehul = factories.person("Mehul Shah", email="mehul@sanand-auto.example")
    taro = factories.person("Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja")
    indian = factories.b2b_participant(session, "IN-GJ", representatives=[mehul])
    japanese = factories.b2b_participant(session, "JP-22", representatives=[taro])
    factories.b2b_meeting(session, indian, japanese, slot=1)
    assert send_feedback_requests(session) == 2
    messages = _subjects(database, "feedback_request")
    assert messages[TARO].subject == f"{session.title}での商談はいかがでしたか"
    assert messages["mehul@sanand-auto.example"].subject == f"Your B2B meetings at {session.title}: how did they go?"
    assert "山田 太郎 様" in parse(messages[TARO].raw).get_body(("plain",)).get_content()


def test_followup_digest_follows_the_owners_interface_language(database, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    owner = factories.user("prefecture", "JP-22")
    owner.locale = "ja"
    factories.followup(delegation, owner=owner, title="Site visit", next_action="Send the NDA",
                       due_date=date(2026, 10, 20), is_open=True)
    send_digests(date(2026, 10, 20))
    message = _subjects(database, "followup_digest")[owner.email]
    assert message.subject == "期限のフォローアップ:1件(うち期限超過0件)"
