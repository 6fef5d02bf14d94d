"""A session's page reads what it lists in a fixed number of queries, whatever the number of meetings (it made
one query per meeting for the answers and one per firm for the representatives: 430 on a 300-meeting day)."""

from planner.invites.operations import send_session_invites
from tests import factories
from tests.conftest import count_queries


def _session_with(pairs: int):
    session = factories.b2b_session(slot_count=pairs, tables=2)
    for number in range(pairs):
        indian = factories.b2b_participant(session, "IN-GJ", representatives=[
            factories.person(f"Indian {number}", email=f"in{number}@example.in")])
        japanese = factories.b2b_participant(session, "JP-22", representatives=[
            factories.person(f"Japanese {number}", email=f"jp{number}@example.jp")])
        factories.b2b_meeting(session, indian, japanese, slot=number + 1, table=1)
    send_session_invites(session)
    return session


def test_the_session_page_costs_the_same_queries_for_three_meetings_or_twelve(login_as, database):
    small, large = _session_with(3), _session_with(12)
    database.session.commit()
    client = login_as("admin")
    counts = []
    for session in (small, large):
        client.get(f"/b2b/{session.id}")  # warm: the first request of a client loads more
        with count_queries() as statements:
            page = client.get(f"/b2b/{session.id}").get_data(as_text=True)
        assert "Japanese 2: <span" in page  # the answers are listed
        counts.append(len(statements))
    assert counts[0] == counts[1]
