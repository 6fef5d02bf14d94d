"""Test data built through the same operations the app uses, so factories obey the rules too."""

import uuid
from datetime import date

from planner.accounts.operations import create_user
from planner.extensions import db
from planner.partnerships.operations import PartnershipData, create_partnership
from planner.regions.operations import region_by_code

TEST_PASSWORD = "correct horse battery"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.org"


class _System:
    """An actor allowed everything, for building data in tests."""

    role = "admin"
    region_id = None
    region = None
    is_authenticated = True


SYSTEM = _System()


def region(code: str):
    found = region_by_code(code)
    assert found is not None, f"reference data lacks {code}"
    return found


def user(role: str, region_code: str | None = None, *, email: str | None = None, name: str | None = None,
         password: str = TEST_PASSWORD):
    created = create_user(
        email=email or unique_email(role), name=name or f"Test {role}", role=role, password=password,
        region=region(region_code) if region_code else None)
    db.session.flush()
    return created


def partnership(state_code: str = "IN-GJ", prefecture_code: str = "JP-22", **overrides):
    data = PartnershipData(state_id=region(state_code).id, prefecture_id=region(prefecture_code).id,
                           status=overrides.pop("status", "active"),
                           since=overrides.pop("since", date(2023, 5, 16)), **overrides)
    created = create_partnership(data, SYSTEM)
    db.session.flush()
    return created


def firm(region_code: str = "JP-22", name: str | None = None, **overrides):
    """A firm registered through the same operation as the form (FirmData fields as overrides), as if "Save
    anyway" were ticked: tests register look-alike firms on purpose."""
    from planner.firms.operations import FirmData, create_firm

    sector_codes = overrides.pop("sectors", ())
    if sector_codes:
        from sqlalchemy import select

        from planner.regions.models import Sector

        overrides["sector_ids"] = list(db.session.scalars(select(Sector.id).where(Sector.code.in_(sector_codes))))
    created = create_firm(FirmData(name=name or f"Test Firm {uuid.uuid4().hex[:6]}",
                                   region_id=region(region_code).id, **overrides), SYSTEM, confirm_duplicate=True)
    db.session.flush()
    return created


def firm_contact(firm_obj, name: str = "Ichiro Suzuki", **overrides):
    from planner.firms.operations import ContactData, add_contact

    return add_contact(firm_obj, ContactData(name=name, **overrides))


# Delegations, people and itineraries (issue 3) ---------------------------------------------------------------


def delegation(states=("IN-GJ",), prefectures=("JP-22",), *, direction="IN_JP", start=date(2026, 10, 12),
               end=date(2026, 10, 16), status="planning", title=None, **overrides):
    from planner.delegations.models import Delegation
    from planner.delegations.operations import DelegationData, create_delegation

    data = DelegationData(title=title or f"Delegation {uuid.uuid4().hex[:6]}", direction=direction,
                          start_date=start, end_date=end,
                          indian_region_ids=[region(code).id for code in states],
                          japanese_region_ids=[region(code).id for code in prefectures], **overrides)
    created: Delegation = create_delegation(data, SYSTEM)
    if status != "planning":
        # Set directly: tests of other things should not depend on the transition rules.
        created.status = status
        created.cancel_reason = "test" if status == "cancelled" else ""
    db.session.flush()
    return created


def person(name="Test Person", *, region_code=None, user=None, **fields):
    from planner.delegations.operations import PersonData, create_person

    actor = _System()
    actor.region_id = region(region_code).id if region_code else None
    created = create_person(PersonData(name=name, **fields), actor)
    if user is not None:
        created.user_id = user.id
    db.session.flush()
    return created


def member(delegation_, person_=None, role="member", precedence=100):
    from planner.delegations.operations import add_member

    return add_member(delegation_, person_ or person(), role, precedence)


def venue(name="Test venue", country="JP", *, city="Hamamatsu", timezone="", region_code=None, capacity=None):
    from planner.itinerary.operations import VenueData, create_venue

    actor = _System()
    actor.region_id = region(region_code).id if region_code else None
    created = create_venue(VenueData(name=name, country=country, city=city, timezone=timezone,
                                     capacity=capacity), actor)
    db.session.flush()
    return created


def event(delegation_, local_start, local_end, *, kind="meeting", title="Test event", venue_=None,
          timezone="Asia/Tokyo", attendees=(), confirm_overlap=True):
    """An event at venue-local times (naive datetimes). Clashes are accepted unless confirm_overlap=False."""
    from planner.itinerary.operations import EventData, save_event

    data = EventData(kind=kind, title=title, local_start=local_start, local_end=local_end,
                     venue_id=venue_.id if venue_ else None, timezone=timezone,
                     attendee_ids=[p.id for p in attendees], confirm_overlap=confirm_overlap)
    created, _clashes = save_event(delegation_, data, SYSTEM)
    return created


def outbox_invite(*region_codes: str, to_email: str = "taro.yamada@suzuki-seiki.example"):
    """A queued invite in the outbox concerning `region_codes` (built by the real builders)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from planner.invites import Attendee, CalendarEvent
    from planner.outbox.operations import enqueue_invites, organizer

    tokyo = ZoneInfo("Asia/Tokyo")
    event = CalendarEvent(uid=f"meeting-{uuid.uuid4().hex[:8]}@planner.test", sequence=0, summary="B2B meeting",
                          start=datetime(2026, 6, 2, 10, 0, tzinfo=tokyo),
                          end=datetime(2026, 6, 2, 10, 20, tzinfo=tokyo), tzid="Asia/Tokyo",
                          organizer=organizer(), attendees=(Attendee(to_email, "Taro Yamada"),))
    (message,) = enqueue_invites(event, method="REQUEST", subject="B2B meeting", text_body="When: 2 June",
                                 html_body="<p>When: 2 June</p>", regions=[region(code) for code in region_codes])
    return message


def firm_import(uploader, rows: str = "name\nHamamatsu Seiki Co., Ltd.\n"):
    """A pending import (upload checked, nothing saved) by `uploader`."""
    from planner.firms.importing import start_import

    return start_import(uploader, "firms.csv", rows.encode())


def member_import(delegation_, uploader, rows: str = "name,email\nIchiro Suzuki,suzuki@pref.shizuoka.example.jp\n"):
    """A pending import of `delegation_`'s members (upload checked, nothing saved) by `uploader`."""
    from planner.delegations.member_import import start_import

    return start_import(delegation_, uploader, "members.csv", rows.encode())


# B2B sessions (issue 5) ---------------------------------------------------------------------------------------


def b2b_session(delegation_=None, *, slot_count=6, tables=3, lunch_start=None, lunch_minutes=None, **settings):
    """A B2B event (13 Oct 2026, 10:00 JST at the venue) with its session settings: 20-minute slots, no pause; by
    default in a confirmed delegation (a planned one holds the meetings' invites back)."""
    from datetime import datetime, time

    from planner.matchmaking.operations import SessionData, create_session

    delegation_ = delegation_ or delegation(status="confirmed")
    b2b_event = event(delegation_, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 17), kind="b2b",
                      title="B2B session")
    data = SessionData(first_slot=settings.pop("first_slot", time(10, 0)),
                       slot_minutes=settings.pop("slot_minutes", 20), pause_minutes=settings.pop("pause_minutes", 0),
                       slot_count=slot_count, lunch_start=lunch_start, lunch_minutes=lunch_minutes,
                       table_count=tables, **settings)
    return create_session(b2b_event, data)


def b2b_settings(session, **changes):
    """The session's settings as the edit form would send them back, with ``changes`` (for update_session)."""
    from planner.matchmaking.operations import SessionData

    values = {name: getattr(session, name) for name in SessionData.__dataclass_fields__ if name != "table_count"}
    return SessionData(**{**values, "table_count": len(session.tables), **changes})


def b2b_participant(session, region_code="IN-GJ", *, firm_=None, representatives=()):
    from planner.matchmaking.operations import register_firm

    firm_ = firm_ or firm(region_code)
    return register_firm(session, firm_.id, SYSTEM, [p.id for p in representatives])


def b2b_meeting(session, indian, japanese, *, slot=None, table=None, priority=1, **options):
    """A direct meeting, placed at `slot` and `table` (a table number, 1-based) when given."""
    from planner.matchmaking.meetings import create_meeting, move_meeting

    meeting = create_meeting(session, indian.id, japanese.id, priority=priority, **options)
    if slot is not None:
        move_meeting(meeting, slot, session.tables[(table or 1) - 1].id)
    db.session.flush()
    return meeting


# Follow-ups and agreements (issue 7) ---------------------------------------------------------------------------


def followup(origin_obj, *, actor=None, owner=None, **fields):
    """A follow-up of a Meeting, Event or Delegation, recorded through the operation (as `actor`, default SYSTEM)."""
    from planner.followups.operations import FollowUpData, create_followup, load_origin

    kind = type(origin_obj).__name__.lower()
    origin = load_origin(kind, origin_obj.id, actor or SYSTEM)
    data = FollowUpData(owner_id=owner.id if owner else None, firm_ids=fields.pop("firm_ids", None)
                        or [f.id for f in origin.firms], region_ids=fields.pop("region_ids", None)
                        or [r.id for r in origin.regions], **fields)
    if owner is None and "is_open" not in fields and data.stage != "no_interest":
        data.is_open = False
    if data.is_open and data.stage != "no_interest":  # it has its next action and due date (named when they matter)
        data.next_action = data.next_action or "Call both firms"
        data.due_date = data.due_date or date(2026, 12, 31)
    return create_followup(origin, data, actor or SYSTEM)


def agreement(*, regions=("IN-GJ", "JP-22"), firms=(), signed_on=date(2026, 3, 1), value=None, currency=None,
              partnership_=None, **fields):
    from decimal import Decimal

    from planner.followups.agreements import AgreementData, create_agreement

    data = AgreementData(title=fields.pop("title", f"MoU {uuid.uuid4().hex[:6]}"), signed_on=signed_on,
                         value_amount=Decimal(value) if value is not None else None, value_currency=currency,
                         partnership_id=partnership_.id if partnership_ else None,
                         region_ids=[region(code).id for code in regions], firm_ids=[f.id for f in firms], **fields)
    return create_agreement(data, SYSTEM)
