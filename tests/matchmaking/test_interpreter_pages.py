"""Interpreters in the browser: the pool on the session page (with a warning when it is smaller than the
solver's K), the "Assign interpreters" button, the meeting page's interpreter field with its conflict error, and
the interpreter's name wherever the schedule is shown (grid, table sheet, firm agenda, CSV, their own agenda)."""

import csv
import io

from planner.matchmaking.interpreters import set_interpreter, set_pool
from tests import factories
from tests.matchmaking.helpers import small_session


def _organised(login_as, database, **settings):
    client = login_as("state", "IN-GJ")
    small = small_session(**settings)
    yoko = factories.person("Yoko Tanaka", name_ja="田中 陽子", title="Interpreter (EN–JA)",
                            email="y.tanaka@example.jp", region_code="IN-GJ")
    return client, small, yoko


def test_an_organiser_names_the_pool_assigns_and_sees_the_interpreter_everywhere(login_as, database):
    client, small, yoko = _organised(login_as, database, interpreters=2)
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=3, needs_interpreter=True)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2, table=1, needs_interpreter=True)
    database.session.commit()
    page = client.get(f"/b2b/{small.session.id}").get_data(as_text=True)
    assert "No interpreter named yet." in page
    assert "Yoko Tanaka (田中 陽子) — Interpreter (EN–JA)" in page  # a choice of the pool field
    response = client.post(f"/b2b/{small.session.id}/interpreters", data={"pool": [str(yoko.id)]})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/b2b/{small.session.id}#interpreters")
    page = client.get(f"/b2b/{small.session.id}").get_data(as_text=True)
    assert ("The settings let the scheduler put up to 2 meetings needing an interpreter into one slot, but the "
            "pool has only 1 interpreter") in page
    assert "Interpreters assigned: 0 of 2 scheduled meetings that need one." in page
    response = client.post(f"/b2b/{small.session.id}/interpreters/assign", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Interpreters assigned: 1 meeting changed." in page
    assert "1 meeting needing an interpreter still has none" in page
    assert "Interpreters assigned: 1 of 2 scheduled meetings that need one." in page
    database.session.expire_all()
    assert first.interpreter_id is None  # table 1 comes first in the slot
    grid = client.get(f"/b2b/{small.session.id}/schedule").get_data(as_text=True)
    yoko_html = 'Yoko Tanaka <span lang="ja">(田中 陽子)</span>'  # the Japanese name marked for screen readers
    assert f"Interpreter: {yoko_html}" in grid and "interpreter needed" in grid
    sheet = client.get(f"/b2b/{small.session.id}/tables/{small.session.tables[0].id}").get_data(as_text=True)
    assert f"<td>{yoko_html}</td>" in sheet
    agenda = client.get(f"/b2b/participants/{small.in1.id}").get_data(as_text=True)
    assert "needed, none assigned yet" in agenda
    rows = list(csv.reader(io.StringIO(client.get(f"/b2b/{small.session.id}/schedule.csv").get_data(as_text=True))))
    assert rows[0][9] == "interpreter"
    assert [row[9] for row in rows[1:]] == ["Yoko Tanaka", "needed, none assigned"]


def test_the_meeting_page_assigns_and_shows_a_conflict_at_the_field(login_as, database):
    client, small, yoko = _organised(login_as, database)
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1, needs_interpreter=True)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2, table=2, needs_interpreter=True)
    set_pool(small.session, [yoko.id], factories.SYSTEM)
    set_interpreter(first, yoko.id)
    database.session.commit()
    page = client.get(f"/b2b/meetings/{second.id}/edit").get_data(as_text=True)
    assert "Yoko Tanaka (田中 陽子) (busy in this slot)" in page
    response = client.post(f"/b2b/meetings/{second.id}/interpreter", data={"interpreter": str(yoko.id)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (f'<div id="interpreter-error" class="invalid-feedback d-block">Yoko Tanaka interprets '
            f'{small.in1.firm.name} – {small.jp1.firm.name} in slot 2.</div>') in page
    database.session.expire_all()
    assert second.interpreter_id is None
    response = client.post(f"/b2b/meetings/{first.id}/interpreter", data={"interpreter": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/b2b/meetings/{first.id}/edit#meeting-interpreter")
    assert client.post(f"/b2b/meetings/{second.id}/interpreter", data={"interpreter": str(yoko.id)}
                       ).status_code == 302
    database.session.expire_all()
    assert (first.interpreter_id, second.interpreter_id) == (None, yoko.id)
    page = client.get(f"/b2b/meetings/{second.id}/edit").get_data(as_text=True)
    assert '<dd class="col-sm-9">Yoko Tanaka <span lang="ja">(田中 陽子)</span></dd>' in page


def test_an_interpreters_own_agenda_lists_the_meetings_they_interpret(login_as, database):
    client = login_as("delegate")
    small = small_session()
    yoko = factories.person("Yoko Tanaka", email="y.tanaka@example.jp", user=client.user)
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1, needs_interpreter=True)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=1, needs_interpreter=True)
    set_pool(small.session, [yoko.id], factories.SYSTEM)
    set_interpreter(meeting, yoko.id)
    database.session.commit()
    agenda = client.get("/agenda").get_data(as_text=True)
    assert "B2B meetings to interpret" in agenda
    assert f"{small.in1.firm.name} – {small.jp1.firm.name}" in agenda
    assert "10:20–10:40 JST" in agenda and "06:50–07:10 IST" in agenda
    assert small.in2.firm.name not in agenda
    other_delegate = login_as("delegate")
    factories.person("Someone Else", user=other_delegate.user)
    database.session.commit()
    assert "B2B meetings to interpret" not in other_delegate.get("/agenda").get_data(as_text=True)


def test_the_meeting_page_marks_and_refuses_an_interpreter_busy_in_another_session(login_as, database):
    client, small, yoko = _organised(login_as, database)
    # Another delegation's session (Maharashtra–Wakayama) on the same day and hours, sharing Yoko.
    other = factories.b2b_session(factories.delegation(states=("IN-MH",), prefectures=("JP-30",)),
                                  first_slot=small.session.first_slot, slot_minutes=small.session.slot_minutes,
                                  pause_minutes=small.session.pause_minutes)
    elsewhere = factories.b2b_meeting(other, factories.b2b_participant(other, "IN-MH"),
                                      factories.b2b_participant(other, "JP-30"), slot=2, table=1,
                                      needs_interpreter=True)
    set_pool(other, [yoko.id], factories.SYSTEM)
    set_interpreter(elsewhere, yoko.id)
    mine = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1, needs_interpreter=True)
    set_pool(small.session, [yoko.id], factories.SYSTEM)
    database.session.commit()

    page = client.get(f"/b2b/meetings/{mine.id}/edit").get_data(as_text=True)
    assert "Yoko Tanaka (田中 陽子) (in another session at this time)" in page
    response = client.post(f"/b2b/meetings/{mine.id}/interpreter", data={"interpreter": str(yoko.id)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Yoko Tanaka interprets a meeting of another B2B session at that time" in page
    assert elsewhere.indian.firm.name not in page and elsewhere.japanese.firm.name not in page  # not Gujarat's
    database.session.expire_all()
    assert mine.interpreter_id is None


def test_a_representatives_own_agenda_lists_their_firms_meetings(login_as, database):
    # a delegate saw only the session's block in their agenda; the meetings were two pages away
    client = login_as("delegate")
    small = small_session()
    mehul = factories.person("Mehul Shah", email="mehul@example.in", user=client.user)
    small.in1.representatives = [mehul]
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    factories.b2b_meeting(small.session, small.in1, small.jp2)  # not placed: not in the agenda
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=1)  # not his firm's
    database.session.commit()
    agenda = client.get("/agenda").get_data(as_text=True)
    assert "Your B2B meetings" in agenda
    assert f"{small.in1.firm.name} – {small.jp1.firm.name}" in agenda and "10:20–10:40 JST" in agenda
    assert small.jp2.firm.name not in agenda
    other_delegate = login_as("delegate")
    factories.person("Someone Else", user=other_delegate.user)
    database.session.commit()
    assert "Your B2B meetings" not in other_delegate.get("/agenda").get_data(as_text=True)


def test_the_session_page_lists_people_due_in_two_meetings_at_once(login_as, database):
    from planner.matchmaking.operations import set_representatives

    small = small_session()
    twice = factories.person("Mehul Shah", region_code="IN-GJ")
    set_representatives(small.in1, [twice.id], factories.SYSTEM)
    set_representatives(small.in2, [twice.id], factories.SYSTEM)
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2, table=2)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/{small.session.id}").get_data(as_text=True)
    alert = page[page.index('id="double-booked"'):]
    alert = alert[:alert.index("</div>")]
    assert (f"Mehul Shah, slot 2: {small.in1.firm.name} – {small.jp1.firm.name} / {small.in2.firm.name} – "
            f"{small.jp2.firm.name}") in alert


def test_the_double_booking_alert_is_for_the_organisers_only(login_as, database):
    # a region whose firm merely takes part saw other regions' people and their firms' meetings in it
    from planner.matchmaking.operations import set_representatives

    small = small_session()
    factories.b2b_participant(small.session, "IN-MH")
    twice = factories.person("Mehul Shah", region_code="IN-GJ")
    set_representatives(small.in1, [twice.id], factories.SYSTEM)
    set_representatives(small.in2, [twice.id], factories.SYSTEM)
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=1, table=2)
    database.session.commit()
    page = login_as("state", "IN-MH").get(f"/b2b/{small.session.id}").get_data(as_text=True)
    assert "Only the meetings of your region’s firms are shown." in page
    assert 'id="double-booked"' not in page and "Mehul Shah" not in page
    assert 'id="double-booked"' in login_as("prefecture", "JP-22").get(f"/b2b/{small.session.id}").get_data(
        as_text=True)
