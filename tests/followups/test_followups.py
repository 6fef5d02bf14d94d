"""Follow-up records: origins checked through the tenant scope, owners, and the history every change writes."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.core.errors import DomainError
from planner.followups.models import FollowUp, FollowUpEntry
from planner.followups.operations import FollowUpData, create_followup, data_of, load_origin, update_followup


def test_followup_of_meeting_names_both_firms_and_regions(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, next_action="Send NDA", due_date=date(2026, 11, 1))
    assert followup.meeting_id == b2b.meeting.id
    assert followup.origin_date == date(2026, 10, 13)
    assert followup.partnership_id == b2b.partnership.id
    assert sorted(f.id for f in followup.firms) == sorted([b2b.indian.firm_id, b2b.japanese.firm_id])
    assert [r.code for r in followup.regions] == ["IN-GJ", "JP-22"]
    assert followup.title == f"B2B meeting {b2b.indian.firm.name} – {b2b.japanese.firm.name}"


def test_create_writes_a_first_history_entry(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, stage="exploring")
    (entry,) = followup.entries
    assert entry.action == "create"
    assert entry.changes["stage"] == {"old": "", "new": "exploring"}
    assert entry.changes["owner"] == {"old": "", "new": owner.name}


def test_stage_change_writes_history_entry_with_old_and_new(b2b, factories, database):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, stage="exploring", next_action="Send samples")
    data = data_of(followup)
    data.stage = "negotiation_started"
    data.next_action = "Draft term sheet"
    changes = update_followup(followup, data, owner, note="Call on 3 Nov")
    assert changes == {"stage": {"old": "exploring", "new": "negotiation_started"},
                       "next_action": {"old": "Send samples", "new": "Draft term sheet"}}
    entries = database.session.scalars(select(FollowUpEntry).where(FollowUpEntry.followup_id == followup.id)
                                       .order_by(FollowUpEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].note == "Call on 3 Nov"
    assert entries[1].changes == changes


def test_saving_without_change_or_note_writes_no_entry(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner)
    assert update_followup(followup, data_of(followup), owner) == {}
    assert len(followup.entries) == 1


def test_note_alone_writes_an_entry(b2b, factories):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner)
    update_followup(followup, data_of(followup), owner, note="Left a voicemail")
    assert [(e.action, e.changes, e.note) for e in followup.entries][1] == ("update", {}, "Left a voicemail")


def test_followup_cannot_point_to_another_tenants_meeting(b2b, factories):
    maharashtra = factories.user("state", "IN-MH")
    with pytest.raises(DomainError) as raised:
        load_origin("meeting", b2b.meeting.id, maharashtra)
    assert raised.value.field == "origin"


@pytest.mark.parametrize("kind, ident", [("meeting", "abc"), ("meeting", 0), ("meeting", 2**40), ("event", None),
                                         ("nothing", 1), (None, 1)])
def test_load_origin_rejects_malformed_ids(kind, ident, factories):
    with pytest.raises(DomainError):
        load_origin(kind, ident, factories.SYSTEM)


def test_other_regions_delegation_is_refused_for_event_and_delegation(factories):
    other = factories.delegation(("IN-MH",), ("JP-30",))
    from datetime import datetime

    event = factories.event(other, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11))
    gujarat = factories.user("state", "IN-GJ")
    for kind, obj in (("event", event), ("delegation", other)):
        with pytest.raises(DomainError):
            load_origin(kind, obj.id, gujarat)


def test_owner_must_be_staff_of_an_involved_region(b2b, factories):
    origin = load_origin("meeting", b2b.meeting.id, factories.SYSTEM)
    outsider = factories.user("state", "IN-MH")
    with pytest.raises(DomainError) as raised:
        create_followup(origin, FollowUpData(owner_id=outsider.id, region_ids=[r.id for r in origin.regions]),
                        factories.SYSTEM)
    assert raised.value.field == "owner"


def test_open_followup_needs_an_owner(b2b, factories):
    origin = load_origin("meeting", b2b.meeting.id, factories.SYSTEM)
    with pytest.raises(DomainError) as raised:
        create_followup(origin, FollowUpData(stage="exploring", region_ids=[r.id for r in origin.regions]),
                        factories.SYSTEM)
    assert raised.value.field == "owner"


def test_region_outside_the_origin_is_refused(b2b, factories):
    origin = load_origin("meeting", b2b.meeting.id, factories.SYSTEM)
    owner = factories.user("state", "IN-GJ")
    with pytest.raises(DomainError) as raised:
        create_followup(origin, FollowUpData(owner_id=owner.id, region_ids=[factories.region("IN-MH").id]),
                        factories.SYSTEM)
    assert raised.value.field == "regions"


def test_due_date_out_of_range_is_refused(b2b, factories):
    origin = load_origin("meeting", b2b.meeting.id, factories.SYSTEM)
    owner = factories.user("state", "IN-GJ")
    with pytest.raises(DomainError) as raised:
        create_followup(origin, FollowUpData(owner_id=owner.id, due_date=date(1, 1, 1)), factories.SYSTEM)
    assert raised.value.field == "due_date"


def test_database_refuses_followup_with_two_origins(b2b, factories, database):
    followup = factories.followup(b2b.meeting, owner=factories.user("state", "IN-GJ"))
    followup.delegation_id = b2b.delegation.id
    with pytest.raises(IntegrityError):
        database.session.flush()
    database.session.rollback()


def test_state_user_sees_only_followups_naming_its_region(b2b, factories, database):
    from planner.core.access import scoped_select

    followup = factories.followup(b2b.meeting, owner=factories.user("state", "IN-GJ"))
    gujarat, maharashtra = factories.user("state", "IN-GJ"), factories.user("state", "IN-MH")
    assert database.session.scalars(scoped_select(FollowUp, gujarat)).all() == [followup]
    assert database.session.scalars(scoped_select(FollowUp, maharashtra)).all() == []


@pytest.mark.parametrize("missing", ["owner_id", "next_action", "due_date"])
def test_an_open_follow_up_has_an_owner_a_next_action_and_a_due_date(b2b, factories, missing):
    # DOMAIN: each open outcome has a next action, an owner and a due date (the digest listed rows with "—")
    origin = load_origin("meeting", b2b.meeting.id, factories.SYSTEM)
    values = {"owner_id": factories.user("state", "IN-GJ").id, "next_action": "Send samples",
              "due_date": date(2026, 12, 1), "region_ids": [r.id for r in origin.regions]}
    values[missing] = None if missing != "next_action" else " "
    with pytest.raises(DomainError) as raised:
        create_followup(origin, FollowUpData(stage="exploring", **values), factories.SYSTEM)
    assert raised.value.field == {"owner_id": "owner"}.get(missing, missing)
    # closed, or with no interest, it needs none of them
    regions = values["region_ids"]
    create_followup(origin, FollowUpData(stage="exploring", is_open=False, region_ids=regions), factories.SYSTEM)
    create_followup(origin, FollowUpData(stage="no_interest", region_ids=regions), factories.SYSTEM)
