"""Registering firms, meeting requests (ask, accept, decline), reminders and "met before"."""

from datetime import UTC, datetime, timedelta

import pytest

from planner.core.errors import DomainError
from planner.matchmaking.models import Meeting
from planner.matchmaking.operations import (
    RequestData,
    answer_request,
    mark_reminded,
    met_before,
    register_firm,
    request_meeting,
    requests_to_remind,
    set_unavailable,
)
from tests import factories
from tests.matchmaking.helpers import small_session


def test_registering_a_firm_stores_its_side(database):
    small = small_session()
    assert (small.in1.side, small.jp1.side) == ("IN", "JP")


def test_registering_a_firm_twice_is_refused(database):
    small = small_session()
    with pytest.raises(DomainError) as caught:
        register_firm(small.session, small.in1.firm_id, factories.SYSTEM)
    assert caught.value.field == "firm"


def test_a_cell_cannot_register_another_regions_firm_into_a_session_it_does_not_organise(database):
    session = factories.b2b_session(factories.delegation(("IN-MH",), ("JP-30",)))
    gujarat = factories.user("state", "IN-GJ")
    with pytest.raises(DomainError) as caught:
        register_firm(session, factories.firm("IN-MH").id, gujarat)
    assert caught.value.message == "You can register only firms of your own region."


def test_accepting_a_request_creates_an_unscheduled_meeting_with_its_priority(database):
    small = small_session(lunch_start=None)
    request = request_meeting(small.jp1, RequestData(target_id=small.in2.id, priority=2, message="Hello"),
                              factories.SYSTEM)
    meeting = answer_request(request, True, factories.SYSTEM)
    assert request.status == "accepted" and request.answered_at is not None
    assert (meeting.indian_participant_id, meeting.japanese_participant_id) == (small.in2.id, small.jp1.id)
    assert (meeting.status, meeting.slot, meeting.priority, meeting.sequence) == ("unscheduled", None, 2, 0)
    assert meeting.uid.startswith("b2b-meeting-")


def test_declining_a_request_creates_no_meeting(database):
    small = small_session()
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    assert answer_request(request, False, factories.SYSTEM) is None
    assert request.status == "declined"
    assert database.session.query(Meeting).filter_by(session_id=small.session.id).count() == 0


def test_a_request_is_answered_once(database):
    small = small_session()
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    answer_request(request, True, factories.SYSTEM)
    with pytest.raises(DomainError, match="answered already"):
        answer_request(request, False, factories.SYSTEM)


@pytest.mark.parametrize(("target", "data", "field"), [
    ("in2", {}, "target"),  # same side
    ("jp1", {"priority": 3}, "priority"),
    ("jp1", {"day_part": "evening"}, "day_part"),
    ("jp1", {"day_part": "morning"}, "day_part"),  # no lunch break: no morning
    ("jp1", {"message": "x" * 501}, "message"),
])
def test_invalid_requests_are_refused_at_the_field(database, target, data, field):
    small = small_session()
    with pytest.raises(DomainError) as caught:
        request_meeting(small.in1, RequestData(target_id=getattr(small, target).id, **data), factories.SYSTEM)
    assert caught.value.field == field


def test_a_second_request_for_the_same_pair_in_either_direction_is_refused(database):
    small = small_session()
    request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    with pytest.raises(DomainError, match="already"):
        request_meeting(small.jp1, RequestData(target_id=small.in1.id), factories.SYSTEM)


def test_asking_again_says_what_happened_to_the_pair_and_what_is_left(database):
    # one message ('a request or a meeting already') for a decline, a wait and a cancelled meeting left the
    # asking side guessing; the request form now shows those firms, not choosable
    from planner.matchmaking.meetings import cancel_meeting, create_meeting
    from planner.matchmaking.operations import taken_partners

    small = small_session()
    declined = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    answer_request(declined, False, factories.SYSTEM)
    request_meeting(small.in2, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    met = create_meeting(small.session, small.in2.id, small.jp2.id)
    name = {p.id: p.firm.name for p in (small.in1, small.in2, small.jp1, small.jp2)}
    for requester, target, message in [
            (small.in1, small.jp1, f"{name[small.jp1.id]} declined a meeting with {name[small.in1.id]} in this "
                                   "session; an organiser can still set one directly (New meeting)."),
            (small.jp1, small.in2, f"{name[small.in2.id]} has asked {name[small.jp1.id]} already; the request "
                                   "waits for an answer."),
            (small.jp2, small.in2, "These two firms have a meeting in this session already.")]:
        with pytest.raises(DomainError) as refused:
            request_meeting(requester, RequestData(target_id=target.id), factories.SYSTEM)
        assert (refused.value.message, refused.value.field) == (message, "target")
    assert taken_partners(small.jp1) == {small.in1.id, small.in2.id}
    assert taken_partners(small.in1) == {small.jp1.id}
    cancel_meeting(met)  # a cancelled meeting without a request: the pair may ask
    assert taken_partners(small.jp2) == set()
    request_meeting(small.jp2, RequestData(target_id=small.in2.id), factories.SYSTEM)


def test_a_firm_cannot_mark_a_slot_unavailable_where_it_has_a_meeting(database):
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2)
    with pytest.raises(DomainError, match="slot 2"):
        set_unavailable(small.in1, [2, 3])
    set_unavailable(small.in1, [3, 1, 3])
    assert small.in1.unavailable_slots == [1, 3]
    with pytest.raises(DomainError):
        set_unavailable(small.in1, [7])  # the session has 6 slots


def test_unanswered_requests_are_reminded_after_the_sessions_reminder_time(database):
    small = small_session(reminder_hours=24)
    old = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    fresh = request_meeting(small.in2, RequestData(target_id=small.jp2.id), factories.SYSTEM)
    answered = request_meeting(small.in1, RequestData(target_id=small.jp2.id), factories.SYSTEM)
    answer_request(answered, True, factories.SYSTEM)
    now = datetime(2026, 10, 1, 12, tzinfo=UTC)
    old.created_at = answered.created_at = now - timedelta(hours=25)
    fresh.created_at = now - timedelta(hours=23)
    database.session.flush()
    assert requests_to_remind(now, small.session.id) == [old]
    mark_reminded([old], now)
    assert requests_to_remind(now + timedelta(hours=23), small.session.id) == [fresh]
    assert requests_to_remind(now + timedelta(hours=24), small.session.id) == [old, fresh]


def _met_a_year_ago(in_firm, jp_firm, delegation=None):
    """A session a year back (of `delegation`, else Gujarat–Shizuoka) where the two firms met."""
    earlier = factories.b2b_session(delegation)
    earlier.event.starts_at -= timedelta(days=365)
    earlier.event.ends_at -= timedelta(days=365)
    a, b = factories.b2b_participant(earlier, firm_=in_firm), factories.b2b_participant(earlier, firm_=jp_firm)
    factories.b2b_meeting(earlier, a, b, slot=1)
    return earlier


def test_firms_that_met_in_an_earlier_session_are_shown_as_met_before(database):
    in_firm, jp_firm = factories.firm("IN-GJ"), factories.firm("JP-22")
    earlier = _met_a_year_ago(in_firm, jp_firm)
    later = factories.b2b_session()
    factories.b2b_participant(later, firm_=in_firm)
    assert met_before(later, factories.SYSTEM) == {(in_firm.id, jp_firm.id)}
    assert met_before(earlier, factories.SYSTEM) == set()


def test_met_before_counts_only_meetings_the_viewer_may_see(database):
    # the two firms met at a Maharashtra–Wakayama session; Gujarat, organising the later one, may not know it
    in_firm, jp_firm = factories.firm("IN-MH"), factories.firm("JP-30")
    _met_a_year_ago(in_firm, jp_firm, factories.delegation(("IN-MH",), ("JP-30",)))
    later = factories.b2b_session()
    factories.b2b_participant(later, firm_=in_firm)
    factories.b2b_participant(later, firm_=jp_firm)
    assert met_before(later, factories.user("state", "IN-GJ")) == set()
    assert met_before(later, factories.user("state", "IN-MH")) == {(in_firm.id, jp_firm.id)}
    assert met_before(later, factories.SYSTEM) == {(in_firm.id, jp_firm.id)}


def test_an_organiser_registers_the_other_sides_firm_with_that_sides_people_only(database):
    # Gujarat registered a Shizuoka firm with its own delegate as representative, who then answered for it
    from planner.core.errors import DomainError
    from planner.matchmaking.operations import register_firm

    gujarat = factories.user("state", "IN-GJ")
    session = factories.b2b_session()
    firm = factories.firm("JP-22")
    own_delegate = factories.person("Gujarat Friend", region_code="IN-GJ")
    with pytest.raises(DomainError, match="people of that region or of the firm"):
        register_firm(session, firm.id, gujarat, [own_delegate.id])
    # nor one it made look like the other side's (home region and firm are its to set on its own people)
    own_delegate.home_region_id, own_delegate.firm_id = firm.region_id, firm.id
    with pytest.raises(DomainError, match="people of that region or of the firm"):
        register_firm(session, firm.id, gujarat, [own_delegate.id])
    shizuoka_person = factories.person("Kenta Ito", region_code="JP-22")
    factories.member(session.event.delegation, shizuoka_person)  # travels with the visit: Gujarat sees him
    participant = register_firm(session, firm.id, gujarat, [shizuoka_person.id])
    assert [p.name for p in participant.representatives] == ["Kenta Ito"]


def test_the_asking_side_withdraws_a_request_not_answered_yet(database, login_as):
    # a firm could not take back a request it regretted; the other side had to decline it
    from planner.matchmaking.models import MeetingRequest

    small = small_session()
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id, message="Hello"), factories.SYSTEM)
    database.session.commit()
    url = f"/b2b/requests/{request.id}/withdraw"
    gujarat, shizuoka = login_as("state", "IN-GJ"), login_as("prefecture", "JP-22")
    page = gujarat.get(f"/b2b/participants/{small.in1.id}").get_data(as_text=True)
    assert f'action="{url}"' in page
    assert f'action="{url}"' not in shizuoka.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    # the asked side and an uninvolved region cannot withdraw it
    assert shizuoka.post(url).status_code == 404
    assert login_as("state", "IN-MH").post(url).status_code == 404
    assert login_as("state", "IN-GJ").get(url).status_code == 405
    response = gujarat.post(url, follow_redirects=True)
    assert "Request to " in response.get_data(as_text=True) and "withdrawn." in response.get_data(as_text=True)
    assert database.session.get(MeetingRequest, request.id) is None
    # the pair may ask again
    again = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    answer_request(again, False, factories.SYSTEM)
    database.session.commit()
    page = gujarat.post(f"/b2b/requests/{again.id}/withdraw", follow_redirects=True).get_data(as_text=True)
    assert "This request was answered already, so it cannot be withdrawn" in page
    assert database.session.get(MeetingRequest, again.id).status == "declined"


def test_an_answer_or_a_second_withdraw_after_a_withdraw_is_told_so(database):
    # two withdraws at once (a double click), or an answer given as the request was withdrawn: the refresh
    # of the deleted row raised InvalidRequestError, a 500
    from sqlalchemy import delete

    from planner.matchmaking.models import MeetingRequest
    from planner.matchmaking.operations import withdraw_request

    small = small_session()
    database.session.commit()
    for act, message in ((lambda r: answer_request(r, True, factories.SYSTEM),
                          "This request was withdrawn by the firm that made it."),
                         (lambda r: withdraw_request(r, factories.SYSTEM), "This request was withdrawn already.")):
        request = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
        database.session.execute(delete(MeetingRequest).where(MeetingRequest.id == request.id))  # the other one
        with pytest.raises(DomainError) as raised:
            act(request)
        assert raised.value.message == message
        database.session.rollback()
