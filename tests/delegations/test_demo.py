"""The demo data: idempotent, several years with the target met, missed and on track, and a delegate agenda."""

from datetime import date

from sqlalchemy import func, select

from planner.delegations.models import Delegation, Person
from planner.demo import load_demo_data
from planner.exchanges.queries import reports
from planner.itinerary.models import Event


def test_demo_delegations_load_once_and_tell_a_story_across_years(app, database):
    load_demo_data()
    counts = (database.session.scalar(select(func.count()).select_from(Delegation)),
              database.session.scalar(select(func.count()).select_from(Event)))
    load_demo_data()
    assert (database.session.scalar(select(func.count()).select_from(Delegation)),
            database.session.scalar(select(func.count()).select_from(Event))) == counts
    _settings, year_reports = reports("calendar", today=date(2026, 11, 25), years=[2023, 2024, 2025, 2026])
    assert [(r.label, r.status) for r in year_reports] == [
        ("2023", "met"), ("2024", "missed"), ("2025", "met"), ("2026", "on_track")]


def test_demo_delegate_is_linked_to_a_person_with_an_agenda(app, database):
    load_demo_data()
    mehul = database.session.scalar(select(Person).where(Person.name == "Mehul Shah"))
    assert mehul.user.email == "delegate@demo.planner"
    assert len(mehul.memberships) == 3  # 2023, 2025 and 2026: one person record across years


def test_the_demo_mails_no_invite_for_a_past_event_and_follows_up_no_cancelled_visit(app, database):
    # a fresh demo put "Invitation: Policy dialogue on green hydrogen (Tue 7 Nov 2023)" in the outbox, and a
    # follow-up at "MoU signed" on a visit that was cancelled
    from planner.delegations.demo import DEMO_TODAY
    from planner.followups.models import FollowUp
    from planner.outbox.models import OutboxMessage

    load_demo_data()
    invited = [database.session.get(Event, m.related_id) for m in database.session.scalars(select(OutboxMessage).where(
        OutboxMessage.related_type == "event", OutboxMessage.kind == "invite"))]
    assert invited and all(event.local_end.date() >= DEMO_TODAY for event in invited)  # the story's "today"
    cancelled = [f.title for f in database.session.scalars(select(FollowUp).where(FollowUp.delegation_id.is_not(None)))
                 if f.delegation.status == "cancelled"]
    assert cancelled == []


def test_the_demo_flights_land_on_the_arrival_clock(app, database):
    # they ended on the departure's clock: the delegate's agenda said 'NRT → BOM → AMD 11:00–22:00 JST'
    load_demo_data()
    flights = {event.title: event for event in database.session.scalars(
        select(Event).where(Event.title.like("Flight %")))}
    assert {title: (event.timezone, event.end_timezone) for title, event in flights.items()} == {
        "Flight DEL → HND (JL 740)": ("Asia/Kolkata", "Asia/Tokyo"),
        "Flight NRT → DEL → AMD": ("Asia/Tokyo", "Asia/Kolkata"),
        "Flight AMD → BOM → NRT (AI 306)": ("Asia/Kolkata", "Asia/Tokyo"),
        "Flight NRT → BOM → AMD": ("Asia/Tokyo", "Asia/Kolkata")}
    assert flights["Flight NRT → BOM → AMD"].local_end.strftime("%d %H:%M") == "11 18:30"
    assert flights["Flight AMD → BOM → NRT (AI 306)"].local_end.strftime("%d %H:%M") == "07 07:00"


def test_the_japanese_demo_people_have_readings_also_in_a_demo_database_made_before_readings(app, database):
    load_demo_data()
    readings = dict(database.session.execute(select(Person.name, Person.name_kana).where(Person.name_ja != "")).all())
    assert readings == {"Ichiro Suzuki": "スズキ イチロウ", "Yoko Tanaka": "タナカ ヨウコ", "Kenta Ito": "イトウ ケンタ",
                        "Hiroshi Watanabe": "ワタナベ ヒロシ", "Sachiko Mori": "モリ サチコ"}
    suzuki = database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki"))
    suzuki.name_kana = ""
    load_demo_data()
    assert suzuki.name_kana == "スズキ イチロウ"
