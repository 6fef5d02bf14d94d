"""The pages: an organiser runs a session in the browser; malformed input never gives a 500; CSV; delegates."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from planner.matchmaking.models import B2BSession, Meeting, MeetingRequest, SolverRun
from tests import factories
from tests.matchmaking.helpers import small_session


def test_an_organiser_runs_a_session_from_set_up_to_applied_schedule(login_as, database):
    client = login_as("state", "IN-GJ")
    delegation = factories.delegation()
    event = factories.event(delegation, datetime(2026, 10, 13, 14), datetime(2026, 10, 13, 17), kind="b2b")
    in_firm, jp_firm = factories.firm("IN-GJ"), factories.firm("JP-22")
    database.session.commit()
    response = client.post(f"/events/{event.id}/b2b", data={
        "first_slot": "14:00", "slot_minutes": "20", "pause_minutes": "5", "slot_count": "4", "table_count": "2",
        "fairness": "2", "reminder_hours": "48"})
    session = database.session.query(B2BSession).filter_by(event_id=event.id).one()
    assert response.headers["Location"].endswith(f"/b2b/{session.id}")
    for firm in (in_firm, jp_firm):
        response = client.post(f"/b2b/{session.id}/register", data={"firm": firm.id})
        assert response.status_code == 302
        participant = next(p for p in session_participants(database, session) if p.firm_id == firm.id)
        # on to the firm's page, where its unavailable slots and requests are set
        assert response.headers["Location"].endswith(f"/b2b/participants/{participant.id}")
    indian, japanese = sorted(session_participants(database, session), key=lambda p: p.side)
    assert client.post(f"/b2b/participants/{indian.id}/requests/new",
                       data={"target": japanese.id, "priority": "2", "day_part": "any", "message": "Hi"}
                       ).status_code == 302
    request = database.session.query(MeetingRequest).filter_by(requester_id=indian.id).one()
    # the other side answers: not Gujarat for the Shizuoka firm, though it organises the session
    assert client.post(f"/b2b/requests/{request.id}/answer", data={"answer": "accept"}).status_code == 404
    shizuoka = login_as("prefecture", "JP-22")
    assert shizuoka.post(f"/b2b/requests/{request.id}/answer", data={"answer": "accept"}).status_code == 302
    japanese.representatives = [factories.person("Taro Yamada", email="taro@suzuki-seiki.example")]
    database.session.commit()
    response = client.post(f"/b2b/{session.id}/solve", data={"time_limit": "1"})
    run = database.session.query(SolverRun).filter_by(session_id=session.id).one()
    assert response.headers["Location"].endswith(f"/b2b/runs/{run.id}")
    meeting = database.session.query(Meeting).filter_by(session_id=session.id).one()
    assert (meeting.status, meeting.slot) == ("unscheduled", None)  # the preview changed nothing
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Proven optimal" in page and "Apply this schedule" in page
    # the delegation is still being planned: the invitations wait for its confirmation, and say so; who would
    # get nothing is said too
    assert "The firms’ representatives get their invitations by e-mail when the delegation is confirmed." in page
    assert "Applying it sends" not in page
    assert f"No invitation for {indian.firm.name}: no representative is named." in page
    for action in ({}, {"action": "x"}):  # only the page's buttons apply or discard; the rest changes nothing
        assert client.post(f"/b2b/runs/{run.id}/confirm", data=action).status_code == 400
    database.session.refresh(meeting)
    assert meeting.status == "unscheduled"
    page = client.post(f"/b2b/runs/{run.id}/confirm", data={"action": "apply"}, follow_redirects=True)
    assert "Schedule applied: 1 meeting changed. Invitations go out when the delegation is confirmed." \
        in page.get_data(as_text=True)
    assert "Invitations to the meetings go out when the delegation is confirmed." in page.get_data(as_text=True)
    database.session.refresh(meeting)
    assert meeting.status == "scheduled" and meeting.slot is not None and meeting.invites_sent_at is None
    # confirming the visit sends them (the event's own attendees: none here)
    page = client.post(f"/delegations/{delegation.id}/status", data={"action": "confirm"}, follow_redirects=True)
    assert "1 calendar mail (invite, update or cancellation) is in the email log" in page.get_data(as_text=True)
    database.session.refresh(meeting)
    assert meeting.invites_sent_at is not None
    page = client.get(f"/b2b/{session.id}").get_data(as_text=True)
    assert f'<span title="{indian.firm.name}">India</span>: no representative, not invited' in page
    assert "go out when the delegation is confirmed" not in page
    grid = client.get(f"/b2b/{session.id}/schedule").get_data(as_text=True)
    assert indian.firm.name in grid and "IST" in grid and "JST" in grid
    sheet = client.get(f"/b2b/{session.id}/tables/{meeting.table_id}").get_data(as_text=True)
    assert japanese.firm.name in sheet


def test_tables_are_named_in_english_whoever_sets_the_session_up(login_as, database):
    # set up from the Japanese pages, the tables were 'テーブル1…', and English invitations to Indian firms read
    # 'Table: テーブル1' (the form's help promises 'Table 1, Table 2, …' for both sides to read)
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    event = factories.event(factories.delegation(), datetime(2026, 10, 13, 14), datetime(2026, 10, 13, 17),
                            kind="b2b")
    database.session.commit()
    assert client.post(f"/events/{event.id}/b2b", data={
        "first_slot": "14:00", "slot_minutes": "20", "pause_minutes": "5", "slot_count": "4", "table_count": "3",
        "fairness": "2", "reminder_hours": "48"}).status_code == 302
    session = database.session.query(B2BSession).filter_by(event_id=event.id).one()
    assert [table.name for table in session.tables] == ["Table 1", "Table 2", "Table 3"]


def session_participants(database, session):
    from planner.matchmaking.models import B2BParticipant

    return database.session.query(B2BParticipant).filter_by(session_id=session.id).all()


def test_the_csv_lists_meetings_with_venue_ist_and_jst_times(login_as, database):
    client = login_as("prefecture", "JP-22")
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=3)
    database.session.commit()
    response = client.get(f"/b2b/{small.session.id}/schedule.csv")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0] == ("date,slot,venue time,IST,JST,table,Indian firm,Japanese firm,priority,interpreter,status,"
                        "uid,sequence")
    assert lines[1] == (f"2026-10-13,2,2026-10-13 10:20–10:40 JST,2026-10-13 06:50–07:10,2026-10-13 10:20–10:40,"
                        f"Table 3,{small.in1.firm.name},{small.jp1.firm.name},Would like to meet,no,Scheduled,"
                        f"{meeting.uid},1")
    client.user.locale = "ja"  # the words in the user's language, the column names fixed
    database.session.commit()
    lines = client.get(f"/b2b/{small.session.id}/schedule.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("date,slot,venue time,IST,JST,table,Indian firm")
    assert ",Would like to meet," not in lines[1] and ",Scheduled," not in lines[1]


def test_the_csv_dates_each_time_for_a_late_slot_whose_jst_date_is_the_next_day(login_as, database):
    # the date was only in the file's name: an evening slot in India, after midnight in Japan, read as the
    # venue's day in the JST column
    from datetime import time

    client = login_as("state", "IN-GJ")
    delegation = factories.delegation(status="confirmed")
    event = factories.event(delegation, datetime(2026, 10, 13, 19), datetime(2026, 10, 13, 23), kind="b2b",
                            timezone="Asia/Kolkata")
    from planner.matchmaking.operations import SessionData, create_session

    session = create_session(event, SessionData(first_slot=time(20, 20), slot_minutes=20, pause_minutes=0,
                                                slot_count=3, lunch_start=None, lunch_minutes=None, table_count=1))
    indian, japanese = (factories.b2b_participant(session, code) for code in ("IN-GJ", "JP-22"))
    factories.b2b_meeting(session, indian, japanese, slot=1)
    other = factories.b2b_participant(session, "JP-22")
    factories.b2b_meeting(session, indian, other, slot=3)
    database.session.commit()
    rows = list(csv.reader(io.StringIO(client.get(f"/b2b/{session.id}/schedule.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert [row[:5] for row in rows[1:]] == [
        # 20:20–20:40 IST is 23:50–00:10 JST: the end is dated too
        ["2026-10-13", "1", "2026-10-13 20:20–20:40 IST", "2026-10-13 20:20–20:40",
         "2026-10-13 23:50–2026-10-14 00:10"],
        ["2026-10-13", "3", "2026-10-13 21:00–21:20 IST", "2026-10-13 21:00–21:20", "2026-10-14 00:30–00:50"]]


def test_a_cell_whose_firm_merely_takes_part_sees_only_its_own_firms_meetings(login_as, database):
    # Gujarat and Shizuoka organise the session; a Maharashtra firm takes part. Maharashtra's cell sees its
    # firm's meeting on the session page, the grid, the table sheet and the CSV, and not the Gujarat-Shizuoka
    # one (nor who answered its invite); the organisers see both
    small = small_session()
    mh = factories.b2b_participant(small.session, "IN-MH")
    theirs = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    ours = factories.b2b_meeting(small.session, mh, small.jp2, slot=2, table=1)
    database.session.commit()
    sid, table = small.session.id, small.session.tables[0].id
    for role, region, sees_all in (("state", "IN-MH", False), ("state", "IN-GJ", True),
                                   ("prefecture", "JP-22", True)):
        client = login_as(role, region)
        view = client.get(f"/b2b/{sid}").get_data(as_text=True)
        grid = client.get(f"/b2b/{sid}/schedule").get_data(as_text=True)
        sheet = client.get(f"/b2b/{sid}/tables/{table}").get_data(as_text=True)
        csv_text = client.get(f"/b2b/{sid}/schedule.csv").get_data(as_text=True)
        seen = {name: (f"/b2b/meetings/{meeting.id}/invite.ics" in view, meeting.indian.firm.name in grid,
                       meeting.indian.firm.name in sheet, meeting.uid in csv_text)
                for name, meeting in (("ours", ours), ("theirs", theirs))}
        assert seen == {"ours": (True,) * 4, "theirs": (sees_all,) * 4}, (role, region, seen)
        partial = "data-partial-schedule" in view and "data-partial-schedule" in grid \
            and "data-partial-schedule" in sheet
        assert partial == (not sees_all), (role, region)
        # the interpreter pool and its session-wide counts are the organisers'
        assert ('id="interpreters"' in view) == sees_all, (role, region)


def test_the_csv_keeps_formula_like_names_as_text(login_as, database):
    # a firm or a table named like a spreadsheet formula is written with a leading apostrophe
    client = login_as("state", "IN-GJ")
    small = small_session()
    small.in1.firm.name = '=HYPERLINK("http://x","open")'
    small.session.tables[0].name = "+Table"
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    database.session.commit()
    row = client.get(f"/b2b/{small.session.id}/schedule.csv").get_data(as_text=True).splitlines()[1]
    assert ",'+Table,\"'=HYPERLINK(\"\"http://x\"\",\"\"open\"\")\"," in row, row


def test_saving_representatives_keeps_those_the_user_cannot_see(login_as, database):
    # a representative of a Shizuoka firm recorded by Gujarat (unknown to Shizuoka) stays when Shizuoka adds one
    # of its own people: offered ticked, and can still be taken off; the partner region names none
    small = small_session()
    theirs = factories.person("Mehta Ravi", region_code="IN-GJ")
    mine = factories.person("Sato Hanako", region_code="JP-22")
    from planner.matchmaking.operations import set_representatives

    set_representatives(small.jp1, [theirs.id], factories.SYSTEM)
    database.session.commit()
    gujarat = login_as("state", "IN-GJ")
    assert gujarat.post(f"/b2b/participants/{small.jp1.id}/representatives",
                        data={"representatives": [str(theirs.id)]}).status_code == 404
    client = login_as("prefecture", "JP-22")
    page = client.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    assert "Mehta Ravi" in page
    assert client.post(f"/b2b/participants/{small.jp1.id}/representatives",
                       data={"representatives": [str(theirs.id), str(mine.id)]}).status_code == 302
    database.session.refresh(small.jp1)
    assert [p.name for p in small.jp1.representatives] == ["Mehta Ravi", "Sato Hanako"]
    assert client.post(f"/b2b/participants/{small.jp1.id}/representatives",
                       data={"representatives": [str(mine.id)]}).status_code == 302
    database.session.refresh(small.jp1)
    assert [p.name for p in small.jp1.representatives] == ["Sato Hanako"]


def test_representatives_are_ticked_in_a_list_with_those_chosen_first_and_a_filter_once_long(login_as, database):
    # a multiple <select> took Ctrl-clicks, and a plain click dropped everyone chosen before
    small = small_session()
    people = [factories.person(f"Person {letter}", region_code="JP-22") for letter in "ABCDEFGHIJ"]
    from planner.matchmaking.operations import set_representatives

    set_representatives(small.jp1, [people[-1].id], factories.SYSTEM)
    database.session.commit()
    page = login_as("prefecture", "JP-22").get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    picker = page[page.index("<legend class=\"form-label fs-6\">Representatives</legend>"):]
    picker = picker[:picker.index("</fieldset>")]
    assert "<select" not in picker and "Ctrl" not in page
    ticked = re.findall(r'<input checked[^>]*value="(\d+)"|<input[^>]*value="(\d+)"[^>]*checked', picker)
    assert [int(a or b) for a, b in ticked] == [people[-1].id]
    assert picker.index("Person J") < picker.index("Person A") < picker.index("Person B")
    assert 'data-filter-options="representatives-options"' in picker


def test_a_firms_own_contacts_become_its_representatives_without_being_typed_in_again(login_as, database):
    from sqlalchemy import func, select

    from planner.delegations.models import Person

    small = small_session()
    known = factories.person("Kenta Ito", region_code="JP-22", email="k.ito@enshu.example")
    factories.firm_contact(small.jp1.firm, "Kenta Ito", email="K.Ito@enshu.example", title="Sales")
    new = factories.firm_contact(small.jp1.firm, "Haruka Yamamoto", email="h.yamamoto@enshu.example",
                                 title="Export manager", language="ja")
    elsewhere = factories.firm_contact(small.jp2.firm, "Someone Else", email="else@other.example")
    database.session.commit()
    people_before = database.session.scalar(select(func.count(Person.id)))
    client = login_as("prefecture", "JP-22")
    page = client.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    assert "Choose from the firm's contacts" in page and "Haruka Yamamoto — Export manager" in page
    assert "Someone Else" not in page

    refused = client.post(f"/b2b/participants/{small.jp1.id}/representatives",
                          data={"contacts": [str(elsewhere.id)]})
    assert refused.status_code == 400
    assert re.search(r'id="contacts-error"[^>]*>[^<]*is not a valid choice', refused.get_data(as_text=True))

    contacts = [str(contact.id) for contact in small.jp1.firm.contacts]
    assert client.post(f"/b2b/participants/{small.jp1.id}/representatives",
                       data={"contacts": contacts}).status_code == 302
    database.session.refresh(small.jp1)
    assert [p.name for p in small.jp1.representatives] == ["Haruka Yamamoto", "Kenta Ito"]
    assert known in small.jp1.representatives  # found by e-mail, not recorded twice …
    assert known.firm_id == small.jp1.firm_id  # … and linked to the firm, as the form says
    added = next(p for p in small.jp1.representatives if p.name == "Haruka Yamamoto")
    assert (added.email, added.title, added.preferred_language, added.firm_id) == (
        new.email, "Export manager", "ja", small.jp1.firm_id)
    assert database.session.scalar(select(func.count(Person.id))) == people_before + 1
    page = client.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    assert "Choose from the firm's contacts" not in page  # both are representatives now


def test_the_request_form_shows_firms_asked_already_but_does_not_offer_them(login_as, database):
    from planner.matchmaking.operations import RequestData, request_meeting

    small = small_session()
    request_meeting(small.jp1, RequestData(target_id=small.in1.id), factories.SYSTEM)
    database.session.commit()
    form = login_as("state", "IN-GJ").get(f"/b2b/participants/{small.in1.id}/requests/new").get_data(as_text=True)
    assert re.search(rf'<option disabled value="{small.jp1.id}">[^<]*— asked or met already</option>', form)
    assert re.search(rf'<option value="{small.jp2.id}">{re.escape(small.jp2.firm.name)}</option>', form)


def test_a_b2b_event_leads_to_its_session_or_to_setting_one_up(login_as, database):
    from datetime import datetime

    delegation = factories.delegation()
    bare = factories.event(delegation, datetime(2026, 10, 14, 10), datetime(2026, 10, 14, 12), kind="b2b")
    session = factories.b2b_session(delegation)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/events/{bare.id}").get_data(as_text=True)
    assert f'href="/events/{bare.id}/b2b">Set up B2B session</a>' in page
    page = client.get(f"/events/{session.event_id}").get_data(as_text=True)
    assert f'href="/b2b/{session.id}">B2B session</a>' in page and "Set up B2B session" not in page


def test_the_people_of_the_firm_come_first_and_are_found_by_either_script(login_as, database):
    small = small_session()
    factories.person("Aoki Ken", region_code="JP-22")
    own = factories.person("Yamada Taro", region_code="JP-22", name_ja="山田 太郎", firm_id=small.jp1.firm_id)
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    picker = page[page.index('id="representatives-options"'):]
    assert picker.index("山田 太郎") < picker.index("Aoki Ken")  # the firm's own people first
    assert re.search(rf'data-search="Yamada Taro 山田 太郎[^"]*"[^>]*value="{own.id}"', picker)


def test_a_short_list_of_people_has_no_filter_and_an_empty_one_says_where_people_come_from(login_as, database):
    small = small_session()
    factories.person("Only One", region_code="JP-22")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    page = client.get(f"/b2b/participants/{small.jp1.id}").get_data(as_text=True)
    assert "Only One" in page and "data-filter-options" not in page
    from flask import current_app, render_template_string

    from planner.matchmaking.forms import RepresentativesForm

    with current_app.test_request_context():
        form = RepresentativesForm(meta={"csrf": False})
        form.representatives.choices = []
        html = render_template_string('{% from "macros/forms.html" import field %}{{ field(form.representatives) }}',
                                      form=form)
    assert "No one to choose yet: people are added under People." in html and "people-picker" not in html


@pytest.mark.parametrize(("path", "data"), [
    ("/b2b/{session}/edit", {"first_slot": "25:99", "slot_minutes": "x", "table_count": "-1"}),
    ("/b2b/{session}/edit", {"first_slot": "10:00", "slot_minutes": "20", "slot_count": "", "table_count": "2",
                             "reminder_hours": "48"}),
    ("/b2b/{session}/edit", {"first_slot": "23:00", "slot_minutes": "240", "slot_count": "60", "table_count": "2",
                             "reminder_hours": "48"}),
    ("/b2b/{session}/edit", {"first_slot": "23:40", "slot_minutes": "20", "slot_count": "1", "table_count": "2",
                             "reminder_hours": "48"}),  # the slot would end at 24:00
    ("/b2b/{session}/tables", {"names": "A\nA\nB"}),
    ("/b2b/{session}/tables", {"names": "x" * 101 + "\nB\nC"}),
    ("/b2b/{session}/register", {"firm": "999999999"}),
    ("/b2b/{session}/register", {"firm": "abc", "representatives": ["x"]}),
    ("/b2b/{session}/solve", {"time_limit": "1000"}),
    ("/b2b/{session}/solve", {"time_limit": "2"}),  # nothing to schedule yet
    ("/b2b/{session}/meetings/new", {"indian": "{in1}", "japanese": "{in2}", "priority": "2", "day_part": "any"}),
    ("/b2b/{session}/meetings/new", {"indian": "", "japanese": "99999999999999", "priority": "9"}),
    ("/b2b/participants/{in1}/requests/new", {"target": "{in2}", "priority": "1", "day_part": "any"}),
    ("/b2b/participants/{in1}/requests/new", {"target": "{jp1}", "priority": "1", "day_part": "any",
                                              "message": "x" * 501}),
    ("/b2b/participants/{in1}/availability", {"unavailable": ["0", "99", "x"]}),
    ("/b2b/participants/{in1}/representatives", {"representatives": ["99999999"]}),
    ("/b2b/meetings/{meeting}/edit", {"slot": "99", "table": "{foreign_table}"}),
    ("/b2b/meetings/{meeting}/edit", {"slot": "2", "table": "abc"}),
    ("/b2b/meetings/{meeting}/interpreter", {"interpreter": "abc"}),
    ("/b2b/meetings/{meeting}/interpreter", {"interpreter": "99999999999"}),
    ("/b2b/{session}/interpreters", {"pool": ["99999999", "x"]}),
    ("/b2b/meetings/{meeting}/swap", {"other": "{meeting}"}),
    ("/b2b/meetings/{meeting}/swap", {"other": "99999999999"}),
    ("/b2b/meetings/{meeting}/swap", {"other": "None"}),  # the empty choice's coerced value
    ("/b2b/requests/{request}/answer", {"answer": "maybe"}),
    ("/b2b/runs/99999999999/confirm", {"action": "apply"}),
])
def test_malformed_input_is_answered_without_a_server_error_and_changes_nothing(login_as, database, path, data):
    from planner.matchmaking.operations import RequestData, request_meeting

    client = login_as("state", "IN-GJ")
    small = small_session()
    other = factories.b2b_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    request = request_meeting(small.jp2, RequestData(target_id=small.in2.id), factories.SYSTEM)
    ids = {"session": small.session.id, "in1": small.in1.id, "in2": small.in2.id, "jp1": small.jp1.id,
           "meeting": meeting.id, "request": request.id, "foreign_table": other.tables[0].id}
    database.session.commit()
    before = [(m.id, m.slot, m.table_id, m.status, m.sequence) for m in database.session.query(Meeting)]

    def fill(value):
        return [fill(v) for v in value] if isinstance(value, list) else value.format(**ids)

    response = client.post(path.format(**ids), data={key: fill(value) for key, value in data.items()})
    assert response.status_code in (200, 302, 400, 404)
    database.session.expire_all()
    assert [(m.id, m.slot, m.table_id, m.status, m.sequence) for m in database.session.query(Meeting)] == before
    assert database.session.query(MeetingRequest).filter_by(status="requested").count() == 1


def test_a_delegate_sees_only_their_own_firms_agenda(login_as, database):
    client = login_as("delegate")
    small = small_session()
    person = factories.person("Mehul Shah", user=client.user)
    from planner.matchmaking.operations import set_representatives

    set_representatives(small.in1, [person.id], factories.SYSTEM)
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=2)
    database.session.commit()
    mine = client.get("/b2b/mine").get_data(as_text=True)
    assert small.in1.firm.name in mine and small.in2.firm.name not in mine
    agenda = client.get(f"/b2b/participants/{small.in1.id}").get_data(as_text=True)
    assert small.jp1.firm.name in agenda and "10:20–10:40 JST" in agenda and "06:50–07:10 IST" in agenda
    assert client.get(f"/b2b/participants/{small.in2.id}").status_code == 404
    assert client.get(f"/b2b/{small.session.id}/schedule").status_code == 403


def test_remind_command_lists_and_marks_overdue_requests(runner, database):
    from datetime import UTC, timedelta

    from planner.matchmaking.operations import RequestData, request_meeting

    small = small_session(reminder_hours=1)
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    request.created_at = datetime.now(UTC) - timedelta(hours=2)
    database.session.commit()
    listed = runner.invoke(args=["matchmaking", "remind", "--session", str(small.session.id)])
    assert f"request {request.id}: {small.in1.firm.name} → {small.jp1.firm.name}" in listed.output
    assert request.reminded_at is None
    marked = runner.invoke(args=["matchmaking", "remind", "--session", str(small.session.id), "--mark"])
    assert "1 request(s) to remind, marked as reminded." in marked.output
    again = runner.invoke(args=["matchmaking", "remind", "--session", str(small.session.id)])
    assert "0 request(s) to remind." in again.output


def test_changing_the_times_or_table_names_after_the_invites_says_how_many_updates_went_out(login_as, database):
    from planner.invites.operations import send_session_invites

    client = login_as("state", "IN-GJ")
    small = small_session()
    small.in1.representatives = [factories.person("Priya Shah", email="priya@ahmedabad-tools.example")]
    small.jp1.representatives = [factories.person("Taro Yamada", email="taro@suzuki-seiki.example")]
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    send_session_invites(small.session)
    database.session.commit()
    settings = {"first_slot": "11:00", "slot_minutes": "20", "pause_minutes": "0",
                "slot_count": str(small.session.slot_count), "table_count": str(len(small.session.tables)),
                "fairness": "2", "reminder_hours": "48"}

    page = client.post(f"/b2b/{small.session.id}/edit", data=settings, follow_redirects=True).get_data(as_text=True)
    assert "Settings saved. 2 invitation updates are queued for the delegates concerned." in page
    page = client.post(f"/b2b/{small.session.id}/edit", data={**settings, "reminder_hours": "24"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Settings saved.</" in page or "Settings saved.\n" in page
    assert "invitation update" not in page
    names = "\n".join(["Fuji"] + [table.name for table in small.session.tables[1:]])
    page = client.post(f"/b2b/{small.session.id}/tables", data={"names": names},
                       follow_redirects=True).get_data(as_text=True)
    assert "Tables renamed. 2 invitation updates are queued for the delegates concerned." in page


def test_removing_the_lunch_break_says_what_became_of_unavailable_slots_and_day_parts(login_as, database):
    from datetime import time

    from planner.matchmaking.meetings import create_meeting
    from planner.matchmaking.operations import set_unavailable

    small = small_session(slot_count=8, lunch_start=time(11, 0), lunch_minutes=60)
    set_unavailable(small.jp1, [5, 6])  # 12:20-13:00
    create_meeting(small.session, small.in1.id, small.jp1.id, day_part="morning")
    factories.b2b_meeting(small.session, small.in2, small.jp1, slot=8, table=1)  # 13:20, then 12:20
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert ">Morning</option>" in client.get(f"/b2b/{small.session.id}/meetings/new").get_data(as_text=True)
    settings = {"first_slot": "10:00", "slot_minutes": "20", "pause_minutes": "0", "slot_count": "8",
                "lunch_start": "", "lunch_minutes": "", "table_count": str(len(small.session.tables)),
                "fairness": "2", "reminder_hours": "48"}
    page = client.post(f"/b2b/{small.session.id}/edit", data=settings, follow_redirects=True).get_data(as_text=True)
    assert ("The unavailable slots of 1 firm keep their times, now under other slot numbers: check them on the "
            "firm&#39;s page.") in page
    assert ("1 meeting or request asks for the morning or the afternoon; without a lunch break it takes any "
            "slot until a lunch break is set again.") in page
    assert "Morning <span class=\"small text-body-secondary\">(any time: no lunch break)</span>" in page
    assert (f"{small.jp1.firm.name} said it is away 12:20–12:40 JST, when its meeting with {small.in2.firm.name} "
            "now is (slot 8): the meeting stays there; move it, or check with the firm.") in page
    form = client.get(f"/b2b/{small.session.id}/meetings/new").get_data(as_text=True)
    assert 'name="day_part"' not in form and "This session has no lunch break, so no morning or afternoon." in form


def test_a_preview_not_proven_optimal_shows_the_proven_bound_on_breaks(login_as, database):
    # the scheduler's answer for an instance it could not solve to optimality: the
    # organiser sees how far the schedule can be from the best one
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.post(f"/b2b/{small.session.id}/solve", data={"time_limit": "1"}).status_code == 302
    run = database.session.query(SolverRun).filter_by(session_id=small.session.id).one()
    run.result = {**run.result, "status": "feasible", "breaks_total": 5, "breaks_lower_bound": 3}
    database.session.commit()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Good, not proven optimal" in page and "breaks (idle gaps) in total" in page
    assert "no schedule that places as many meetings has fewer than 3 breaks" in page
    run.result = {**run.result, "breaks_lower_bound": 0}
    database.session.commit()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Good, not proven optimal" in page and "fewer than" not in page


def test_a_preview_not_proven_optimal_offers_a_longer_search(login_as, database):
    # the scheduler found a schedule but could not prove it optimal in the time given:
    # the organiser can run it again with more time, with the same "allow moves" choice
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1)
    factories.b2b_participant(small.session, "IN-MH")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.post(f"/b2b/{small.session.id}/solve",
                       data={"time_limit": "10", "allow_moves": "y"}).status_code == 302
    run = database.session.query(SolverRun).filter_by(session_id=small.session.id).one()
    assert run.result["status"] == "optimal"
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Search again for" not in page  # nothing to gain: proven optimal
    run.result = {**run.result, "status": "feasible", "breaks_total": 5, "breaks_lower_bound": 3}
    database.session.commit()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Search again for 60 seconds" in page
    assert 'name="time_limit" value="60"' in page and 'name="allow_moves" value="y"' in page
    # the button posts the scheduling form: a second preview with the longer limit
    assert client.post(f"/b2b/{small.session.id}/solve",
                       data={"time_limit": "60", "allow_moves": "y"}).status_code == 302
    second = database.session.query(SolverRun).filter_by(session_id=small.session.id) \
        .order_by(SolverRun.id.desc()).first()
    assert (second.id != run.id, second.time_limit, second.allow_moves) == (True, 60, True)
    # previews are the organisers' (both regions of the pair), who may run the scheduler; a
    # cell whose firm merely takes part, or another region, sees neither page nor button
    for role, region, organiser in (("prefecture", "JP-22", True), ("state", "IN-MH", False),
                                    ("prefecture", "JP-19", False)):
        other = login_as(role, region)
        page = other.get(f"/b2b/runs/{run.id}")
        shown = page.status_code == 200 and "Search again for" in page.get_data(as_text=True)
        posted = other.post(f"/b2b/{small.session.id}/solve", data={"time_limit": "60"}).status_code
        assert (shown, posted == 302) == (organiser, organiser), (role, region, page.status_code, posted)
    # the longest limit allowed, or a preview already applied or discarded: no button
    run.time_limit = 120
    database.session.commit()
    assert "Search again for" not in client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    run.time_limit, run.status = 30, "discarded"
    database.session.commit()
    assert "Search again for" not in client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)


def test_longer_time_limit_doubles_short_of_the_maximum():
    from planner.matchmaking.runs import MAX_TIME_LIMIT, longer_time_limit

    def run(limit, status="feasible", state="ready"):
        return SolverRun(time_limit=limit, status=state, result={"status": status})

    assert [longer_time_limit(run(t)) for t in (1, 10, 30, 45, 90, 119)] == [60, 60, 60, 90, MAX_TIME_LIMIT,
                                                                              MAX_TIME_LIMIT]
    assert longer_time_limit(run(120)) is None
    assert longer_time_limit(run(10, status="optimal")) is None
    assert longer_time_limit(run(10, state="applied")) is None


def test_the_session_page_offers_an_answer_only_to_those_who_may_give_it(login_as, database):
    from planner.matchmaking.operations import RequestData, request_meeting

    small = small_session()
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    database.session.commit()
    link = f"/b2b/requests/{request.id}/answer"
    assert link not in login_as("state", "IN-GJ").get(f"/b2b/{small.session.id}").get_data(as_text=True)
    assert link in login_as("prefecture", "JP-22").get(f"/b2b/{small.session.id}").get_data(as_text=True)


def test_a_session_saved_before_the_lunch_break_rule_still_shows(login_as, database):
    from datetime import time

    small = small_session()  # 6 slots from 10:00
    small.session.lunch_start, small.session.lunch_minutes = time(16, 0), 60  # after the last slot: old data
    database.session.commit()
    client = login_as("state", "IN-GJ")
    for path in ("", "/schedule", "/schedule.csv"):
        assert client.get(f"/b2b/{small.session.id}{path}").status_code == 200, path


def test_registering_offers_the_firms_of_the_regions_taking_part_first(login_as, factories, database):
    # 116 firms of every region, alphabetically, hid the four Gujarat and Shizuoka firms that were meant
    session = factories.b2b_session()  # Gujarat–Shizuoka
    factories.firm("IN-MH", name="Aaa Mumbai Traders")
    factories.firm("JP-22", name="Zzz Shizuoka Kogyo")
    factories.firm("IN-GJ", name="Mmm Gujarat Tools")
    database.session.commit()
    page = login_as("admin").get(f"/b2b/{session.id}/register").get_data(as_text=True)
    order = [page.index(name) for name in ("Mmm Gujarat Tools", "Zzz Shizuoka Kogyo", "Aaa Mumbai Traders")]
    assert order == sorted(order)


def test_the_swap_list_gives_each_meetings_time_in_ist_and_jst_too(login_as, database):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2, table=3)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/meetings/{meeting.id}/swap").get_data(as_text=True)
    assert "2: 10:20–10:40 JST (06:50–07:10 IST · 10:20–10:40 JST) · Table 3 · " in page


def test_session_lists_write_dates_as_every_other_page_does(login_as, database):
    small = small_session()
    database.session.commit()
    page = login_as("state", "IN-GJ").get("/b2b/").get_data(as_text=True)
    assert "Tue 13 Oct 2026" in page and "13 Oct 2026</td>" not in page.replace("Tue 13 Oct 2026", "")
    assert small.session.event.title in page


def test_a_contact_without_an_e_mail_is_recorded_once_however_often_it_is_ticked(database):
    from sqlalchemy import func, select

    from planner.delegations.models import Person
    from planner.matchmaking.operations import set_representatives

    small = small_session()
    contact = factories.firm_contact(small.jp1.firm, "Kenta Ito")  # no e-mail address
    office = factories.user("prefecture", "JP-22")
    set_representatives(small.jp1, [], office, [contact.id, contact.id])
    set_representatives(small.jp1, [], office)  # taken off …
    set_representatives(small.jp1, [], office, [contact.id])  # … and ticked again
    assert [p.name for p in small.jp1.representatives] == ["Kenta Ito"]
    assert database.session.scalar(select(func.count(Person.id)).where(Person.name == "Kenta Ito")) == 1


def test_a_contact_without_an_e_mail_is_not_matched_to_another_regions_person_of_that_name(database):
    # a contact 'Kenta Ito' (no address) of a Shizuoka firm became Gujarat's Kenta Ito, linked to the firm by
    # Gujarat: Gujarat could then redirect the firm's invites
    from planner.matchmaking.operations import set_representatives

    small = small_session()
    theirs = factories.person("Kenta Ito", region_code="IN-GJ", firm_id=small.jp1.firm_id)
    factories.member(small.session.event.delegation, theirs)  # on the shared visit: Shizuoka sees the person
    contact = factories.firm_contact(small.jp1.firm, "Kenta Ito")
    office = factories.user("prefecture", "JP-22")
    set_representatives(small.jp1, [], office, [contact.id])
    (chosen,) = small.jp1.representatives
    assert chosen.id != theirs.id and chosen.created_by_region_id == office.region_id


def test_a_blank_among_the_ticked_slots_does_not_clear_the_others(login_as, database):
    small = small_session()
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.post(f"/b2b/participants/{small.in1.id}/availability", data={"unavailable": ["", "4"]}
                       ).status_code == 302
    database.session.refresh(small.in1)
    assert small.in1.unavailable_slots == [4]


def test_a_firms_page_names_its_cancelled_meetings(login_as, database):
    # the meeting left the agenda without a word, while the request it came from still read "Accepted"
    small = small_session()
    kept = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1)
    cancelled = factories.b2b_meeting(small.session, small.in1, small.jp2, slot=2)
    from planner.matchmaking.meetings import cancel_meeting

    cancel_meeting(cancelled)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/participants/{small.in1.id}").get_data(as_text=True)
    line = re.search(r"<p[^>]*data-cancelled-meetings>(.*?)</p>", page, re.S)
    assert line is not None
    assert re.sub(r"<[^>]+>|\s+", " ", line.group(1)).split() == ["Cancelled", "meetings:", *small.jp2.firm.name.split()]
    assert kept.status == "scheduled"


def test_a_cancelled_meetings_page_offers_no_move(login_as, database):
    # the page offered the slots and a Save button, then refused: "A cancelled meeting cannot be moved."
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, needs_interpreter=True)
    from planner.matchmaking.meetings import cancel_meeting

    cancel_meeting(meeting)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert "This meeting is cancelled already." in page
    assert 'name="slot"' not in page and 'name="interpreter"' not in page
    assert "needed, none assigned yet" not in page


def test_the_preview_shows_the_current_schedules_breaks_beside_the_proposed_ones(login_as, database):
    # the preview said "0 breaks" and "moved 17" without the current schedule's count to weigh the moves against
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1)
    factories.b2b_meeting(small.session, small.in1, small.jp2, slot=3)  # in1 idles in slot 2: one break now
    database.session.commit()
    client = login_as("state", "IN-GJ")
    client.post(f"/b2b/{small.session.id}/solve", data={"time_limit": "2"})
    run = database.session.query(SolverRun).filter_by(session_id=small.session.id).one()
    assert run.result["breaks_total"] == 0
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert re.search(r"<div[^>]*data-breaks-now>Current schedule: 1</div>", page)


def test_a_first_previews_page_has_no_current_schedule_to_compare(login_as, database):
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    client.post(f"/b2b/{small.session.id}/solve", data={"time_limit": "1"})
    run = database.session.query(SolverRun).filter_by(session_id=small.session.id).one()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert "Proven optimal" in page and "data-breaks-now" not in page


def test_the_cancel_page_says_that_invite_holders_get_a_cancellation(login_as, database):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1)
    client = login_as("state", "IN-GJ")
    database.session.commit()
    assert "data-cancel-mails" not in client.get(f"/b2b/meetings/{meeting.id}/cancel").get_data(as_text=True)
    meeting.invites_sent_at = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    database.session.commit()
    page = client.get(f"/b2b/meetings/{meeting.id}/cancel").get_data(as_text=True)
    assert "Invites for this meeting were sent; cancelling sends a cancellation to those who hold one." in page


def test_the_previews_breaks_per_firm_lists_only_the_firms_with_breaks(login_as, database):
    # every firm was listed, each with its 0
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1)
    factories.b2b_meeting(small.session, small.in2, small.jp2)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    client.post(f"/b2b/{small.session.id}/solve", data={"time_limit": "1"})
    run = database.session.query(SolverRun).filter_by(session_id=small.session.id).one()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert re.search(r"<p[^>]*data-breaks>No firm has a break in this schedule.</p>", page)
    assert f"{small.in1.firm.name}: 0" not in page
    ids = {firm: f"p{participant.id}" for firm, participant in (("in1", small.in1), ("in2", small.in2),
                                                                  ("jp1", small.jp1), ("jp2", small.jp2))}
    run.result = {**run.result, "breaks_per_participant": {ids["in1"]: 1, ids["in2"]: 0, ids["jp1"]: 2,
                                                           ids["jp2"]: 1}}
    database.session.commit()
    page = client.get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    listed = re.search(r"<ul[^>]*data-breaks>(.*?)</ul>", page).group(1)
    # the most first, then by name
    expected = [(small.jp1.firm.name, 2)] + sorted([(small.in1.firm.name, 1), (small.jp2.firm.name, 1)])
    assert re.findall(r"<li[^>]*>(.*?): (\d+)(?:<span[^>]*> ·</span>)?</li>", listed) == [
        (name, str(n)) for name, n in expected]
    assert "The other firms have no break." in page


def test_cancel_move_and_swap_return_to_the_page_they_were_opened_from(login_as, database):
    # cancelling from the grid led to the session page, while a move or a swap led back to the grid
    def quote(url):  # as url_for writes a query's value
        return url.replace("#", "%23")

    small = small_session()
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2)
    third = factories.b2b_meeting(small.session, small.in1, small.jp2, slot=3)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    sid = small.session.id
    grid_url, view_url = f"/b2b/{sid}/schedule", f"/b2b/{sid}#meetings"
    grid = client.get(grid_url).get_data(as_text=True)
    for action in ("edit", "swap", "cancel"):
        assert f'href="/b2b/meetings/{first.id}/{action}?next={quote(grid_url)}"' in grid, action
    view = client.get(f"/b2b/{sid}").get_data(as_text=True)
    assert f'href="/b2b/meetings/{first.id}/cancel?next={quote(view_url)}"' in view
    # the page keeps it: in the form, and on its way-back link
    page = client.get(f"/b2b/meetings/{first.id}/cancel?next={quote(grid_url)}").get_data(as_text=True)
    assert f'<input type="hidden" name="next" value="{grid_url}">' in page
    assert f'<a class="btn btn-link" href="{grid_url}">Keep it</a>' in page
    response = client.post(f"/b2b/meetings/{first.id}/cancel", data={"next": grid_url})
    assert response.headers["Location"] == grid_url
    response = client.post(f"/b2b/meetings/{second.id}/edit", data={"slot": "4", "table": "", "next": view_url})
    assert response.headers["Location"] == view_url
    response = client.post(f"/b2b/meetings/{second.id}/swap", data={"other": third.id, "next": view_url})
    assert response.headers["Location"] == view_url
    # the interpreter form, on the meeting's page, keeps it too
    response = client.post(f"/b2b/meetings/{second.id}/interpreter", data={"interpreter": "", "next": view_url})
    assert response.headers["Location"] == f"/b2b/meetings/{second.id}/edit?next={quote(view_url)}" \
                                           "#meeting-interpreter"
    database.session.refresh(first)
    database.session.refresh(second)
    assert (first.status, second.slot) == ("cancelled", 3)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x",
                                    "/b2b\r\nLocation: https://evil.example/"])
def test_a_next_that_leaves_the_site_is_not_followed(login_as, database, target):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/b2b/meetings/{meeting.id}/cancel", query_string={"next": target}).get_data(as_text=True)
    default = f"/b2b/{small.session.id}#meetings"
    assert f'<input type="hidden" name="next" value="{default}">' in page
    assert f'<a class="btn btn-link" href="{default}">Keep it</a>' in page
    response = client.post(f"/b2b/meetings/{meeting.id}/cancel", data={"next": target})
    assert response.headers["Location"] == default


def test_the_request_form_has_the_breadcrumb_and_no_time_choice_without_a_lunch_break(login_as, database):
    # no way back but the browser's, and a "Preferred time" of one choice, "Any time"
    from datetime import time

    small = small_session()
    delegate = login_as("delegate")
    small.in1.representatives = [factories.person("Mehul Shah", user=delegate.user, email="m.shah@example.in")]
    database.session.commit()
    client = login_as("state", "IN-GJ")
    url = f"/b2b/participants/{small.in1.id}/requests/new"
    page = client.get(url).get_data(as_text=True)
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">', crumbs) == ["/b2b/", f"/b2b/{small.session.id}",
                                                        f"/b2b/participants/{small.in1.id}"]
    assert '<li class="breadcrumb-item active" aria-current="page">Request a meeting</li>' in crumbs
    assert 'name="day_part"' not in page
    assert "This session has no lunch break, so no morning or afternoon." in page
    # a delegate has no session page: theirs is "My B2B meetings"
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', delegate.get(url).get_data(as_text=True), re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">', crumbs) == ["/b2b/mine", f"/b2b/participants/{small.in1.id}"]
    # sent without the field, the request is for any time
    assert client.post(url, data={"target": small.jp1.id, "priority": "2"}).status_code == 302
    assert database.session.query(MeetingRequest).filter_by(requester_id=small.in1.id).one().day_part == "any"
    with_lunch = small_session(lunch_start=time(10, 40), lunch_minutes=60)
    database.session.commit()
    page = client.get(f"/b2b/participants/{with_lunch.in1.id}/requests/new").get_data(as_text=True)
    assert 'name="day_part"' in page and "no lunch break" not in page
    # the organisers' new meeting form, the same
    assert 'name="day_part"' not in client.get(f"/b2b/{small.session.id}/meetings/new").get_data(as_text=True)
    assert 'name="day_part"' in client.get(f"/b2b/{with_lunch.session.id}/meetings/new").get_data(as_text=True)
