"""What assistive technology reads on the B2B pages: unique ids on pages with several forms, and links and
buttons named with what they act on."""

import re
from collections import Counter

from planner.invites.operations import send_session_invites
from tests import factories
from tests.matchmaking.helpers import small_session


def _duplicate_ids(html: str) -> list[str]:
    return [id_ for id_, count in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if count > 1]


def test_pages_with_several_forms_have_unique_ids_and_named_actions(app, login_as, database, monkeypatch):
    small = small_session()
    delegate = login_as("delegate")
    person = factories.person("Mehul Shah", user=delegate.user, email="mehul@example.in")
    small.in1.representatives = [person]
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    send_session_invites(small.session)
    database.session.commit()
    organiser = login_as("state", "IN-GJ")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # (after the logins) each form's token had one id
    pair = f"{small.in1.firm.name} – {small.jp1.firm.name}"
    for path in (f"/b2b/{small.session.id}", f"/b2b/participants/{small.in1.id}",
                 f"/b2b/{small.session.id}/schedule", f"/b2b/meetings/{meeting.id}/edit"):
        page = organiser.get(path).get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 2, path
        assert _duplicate_ids(page) == [], path
    grid = organiser.get(f"/b2b/{small.session.id}/schedule").get_data(as_text=True)
    for action in ("Move", "Swap", "Cancel"):  # seven 'Move' links read alike to a screen reader
        assert f'{action}<span class="visually-hidden"> {pair}</span></a>' in grid
    agenda = delegate.get("/agenda").get_data(as_text=True)
    assert _duplicate_ids(agenda) == []
    assert f'aria-label="Your answer: {pair}"' in agenda


def test_the_lunch_break_is_shown_with_its_times_on_every_schedule_page(login_as, database):
    from datetime import time

    # 10:00, 20-minute slots, lunch at 11:15 for an hour: slot 4 starts at 12:15, and the firms are free from
    # the end of slot 3 (11:00), which 'Lunch break' alone did not say
    small = small_session(lunch_start=time(11, 15), lunch_minutes=60)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    for path in (f"/b2b/{small.session.id}", f"/b2b/{small.session.id}/schedule",
                 f"/b2b/{small.session.id}/tables/{small.session.tables[0].id}"):
        assert "Lunch break 11:00–12:15 JST" in client.get(path).get_data(as_text=True), path


def test_the_tables_page_says_how_many_names_before_refusing_a_wrong_count(login_as, database):
    small = small_session()  # three tables
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/{small.session.id}/tables").get_data(as_text=True)
    assert "This session has 3 tables: give 3 names, one per line." in page


def test_a_delegate_is_told_who_moves_a_meeting_in_the_way_of_an_unavailable_slot(database):
    import pytest

    from planner.core.errors import DomainError
    from planner.matchmaking.operations import set_unavailable

    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=2, table=1)
    with pytest.raises(DomainError, match=r"slot 2; it has to be moved first \(the session's organisers do so"):
        set_unavailable(small.in1, [2])


def test_no_attribute_holds_markup_on_japanese_pages(login_as, database):
    # the decline button's confirmation took the firm's name with its <span lang="en"> into data-confirm: the
    # button showed '…できます。">辞退する' and the dialog '<span lang='
    from planner.matchmaking.operations import RequestData, request_meeting

    small = small_session()
    small.jp1.firm.name_ja = "株式会社浜松精機"
    asked = request_meeting(small.in1, RequestData(target_id=small.jp1.id), factories.SYSTEM)
    delegate = login_as("delegate")
    person = factories.person("Kenta Ito", user=delegate.user, email="k.ito@example.jp")
    small.jp1.representatives = [person]
    factories.b2b_meeting(small.session, small.in2, small.jp1, slot=2, table=1)
    send_session_invites(small.session)
    database.session.commit()
    office = login_as("prefecture", "JP-22")
    for client in (office, delegate):
        client.user.locale = "ja"
    database.session.commit()
    pages = {path: office.get(path).get_data(as_text=True) for path in (
        f"/b2b/participants/{small.jp1.id}", f"/b2b/requests/{asked.id}/answer", f"/b2b/{small.session.id}",
        f"/b2b/{small.session.id}/schedule")}
    pages["/agenda"] = delegate.get("/agenda").get_data(as_text=True)
    for path, page in pages.items():
        assert 'lang="ja"' in page, path
        assert re.findall(r'\s[\w-]+="[^"]*<[^"]*"', page) == [], path
    assert f'data-confirm="{small.in1.firm.name}との商談申込を辞退しますか?' in pages[f"/b2b/participants/{small.jp1.id}"]


def test_a_representative_without_an_e_mail_address_is_said_to_get_no_invite(login_as, database):
    small = small_session()
    small.in1.representatives = [factories.person("Takahashi Saburo")]  # no address
    small.jp1.representatives = [factories.person("Kenta Ito", email="k.ito@example.jp")]
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    send_session_invites(small.session)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/b2b/{small.session.id}").get_data(as_text=True)
    assert "Takahashi Saburo: no e-mail address, not invited" in page
    assert "Kenta Ito: <span" in page
