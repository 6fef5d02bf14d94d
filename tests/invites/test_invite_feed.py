"""Personal calendar feeds: same UIDs as the invites, cancelled shown as CANCELLED, revocable and rotatable."""

import re
from datetime import timedelta

from icalendar import Calendar

from planner.core.types import utcnow
from planner.extensions import db
from planner.invites.feeds import create_feed, person_calendar_events, revoke_feeds, secret_hash
from planner.invites.models import CalendarFeed
from planner.invites.operations import send_session_invites
from planner.itinerary.operations import cancel_event
from planner.matchmaking.meetings import cancel_meeting
from tests.invites.world import PRIYA, TARO, b2b_meeting, confirmed_event, edit_event, outbox, vevent


def _feed(client, secret):
    response = client.get(f"/calendar/{secret}.ics")
    return response.status_code, (Calendar.from_ical(response.data) if response.status_code == 200 else None)


def _uids_and_status(calendar):
    return {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def test_feed_lists_events_and_meetings_with_the_invites_uids(client, database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    session, meeting, (b2b_priya, _taro) = b2b_meeting()
    send_session_invites(session)
    invite_uids = {str(vevent(m.raw)["UID"]) for m in outbox() if m.to_email == PRIYA}
    secret = create_feed(priya)
    status, calendar = _feed(client, secret)
    assert status == 200
    assert calendar["METHOD"] == "PUBLISH"
    assert set(_uids_and_status(calendar)) == {event.uid}
    assert event.uid in invite_uids
    secret_b2b = create_feed(b2b_priya)
    _status, calendar = _feed(client, secret_b2b)
    assert _uids_and_status(calendar) == {meeting.uid: "CONFIRMED"}
    assert meeting.uid in {str(vevent(m.raw)["UID"]) for m in outbox("b2b_meeting", meeting.id)}


def test_cancelled_event_and_meeting_show_as_cancelled(client, database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    cancel_event(event, "Governor unavailable")
    status, calendar = _feed(client, create_feed(priya))
    assert _uids_and_status(calendar) == {event.uid: "CANCELLED"}
    session, meeting, (b2b_priya, _taro) = b2b_meeting()
    send_session_invites(session)
    cancel_meeting(meeting)
    _status, calendar = _feed(client, create_feed(b2b_priya))
    (component,) = calendar.walk("VEVENT")
    assert (str(component["UID"]), str(component["STATUS"])) == (meeting.uid, "CANCELLED")
    assert component["DTSTART"].dt.isoformat() == "2026-10-13T10:20:00+09:00"


def test_cancelled_entries_leave_the_feed_after_30_days(database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    cancel_event(event, "Governor unavailable")
    assert [e.uid for e in person_calendar_events(priya, now=utcnow() + timedelta(days=29))] == [event.uid]
    assert person_calendar_events(priya, now=utcnow() + timedelta(days=31)) == []


def test_revoked_secret_is_404(client, database, factories):
    person = factories.person("Priya Shah", email=PRIYA)
    secret = create_feed(person)
    revoke_feeds(person)
    assert _feed(client, secret)[0] == 404


def test_rotated_secret_old_is_404_new_is_200(client, database, factories):
    person = factories.person("Priya Shah", email=PRIYA)
    old = create_feed(person)
    new = create_feed(person)
    assert _feed(client, old)[0] == 404
    assert _feed(client, new)[0] == 200


def test_secret_is_stored_only_as_its_hash(database, factories):
    person = factories.person("Priya Shah", email=PRIYA)
    secret = create_feed(person)
    (feed,) = db.session.query(CalendarFeed).filter_by(person_id=person.id).all()
    assert len(secret) >= 43
    assert feed.secret_hash == secret_hash(secret) and secret not in feed.secret_hash


def test_unknown_or_overlong_secret_is_404(client, database):
    assert client.get("/calendar/nothing-here.ics").status_code == 404
    assert client.get("/calendar/" + "a" * 500 + ".ics").status_code == 404


def test_delegate_makes_rotates_and_revokes_own_feed_from_the_page(database, factories, login_as):
    client = login_as("delegate")
    person = factories.person("Mehul Shah", email="mehul.shah@example.in", user=client.user)
    database.session.commit()
    page = client.post(f"/people/{person.id}/calendar-feed", data={"action": "create"}, follow_redirects=True)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    url = next(part for part in text.split('"') if part.startswith("http://127.0.0.1:5000/calendar/"))
    assert 'webcal://127.0.0.1:5000/calendar/' in text and "Your feed address (shown only now" in text
    path = url.removeprefix("http://127.0.0.1:5000")
    assert client.get(path).status_code == 200
    # shown once, after a redirect: reloading the page neither shows it again nor replaces it (a reload of
    # the POST's page made a new address, and the one just subscribed to stopped working)
    again = client.get(f"/people/{person.id}/calendar-feed").get_data(as_text=True)
    assert url not in again and client.get(path).status_code == 200
    client.post(f"/people/{person.id}/calendar-feed", data={"action": "revoke"})
    assert client.get(path).status_code == 404


def test_feed_page_of_someone_else_is_404_for_a_delegate(database, factories, login_as):
    client = login_as("delegate")
    other = factories.person("Someone Else", email="else@example.org")
    database.session.commit()
    assert client.get(f"/people/{other.id}/calendar-feed").status_code == 404
    assert client.post(f"/people/{other.id}/calendar-feed", data={"action": "create"}).status_code == 404


def test_feed_page_refuses_an_unknown_action_and_changes_nothing(database, factories, login_as):
    client = login_as("admin")
    person = factories.person("Priya Shah", email=PRIYA)
    database.session.commit()
    assert client.post(f"/people/{person.id}/calendar-feed", data={"action": "x" * 1000}).status_code == 400
    assert client.post(f"/people/{person.id}/calendar-feed", data={}).status_code == 400
    assert db.session.query(CalendarFeed).filter_by(person_id=person.id).count() == 0


def test_ics_downloads_use_the_invites_uid(database, factories, login_as):
    event = confirmed_event()
    session, meeting, _people = b2b_meeting()
    client = login_as("admin")
    event_ics = Calendar.from_ical(client.get(f"/events/{event.id}/invite.ics").data)
    meeting_ics = Calendar.from_ical(client.get(f"/b2b/meetings/{meeting.id}/invite.ics").data)
    assert [str(e["UID"]) for e in event_ics.walk("VEVENT")] == [event.uid]
    assert [str(e["UID"]) for e in meeting_ics.walk("VEVENT")] == [meeting.uid]
    assert event_ics["METHOD"] == meeting_ics["METHOD"] == "PUBLISH"


def test_only_the_person_their_region_or_an_administrator_makes_their_feed(database, factories, login_as):
    # Taro (Shizuoka) attends a Gujarat–Shizuoka event and a Tamil Nadu–Ehime one: Gujarat may edit him,
    # but his feed would list the Ehime negotiation, which Gujarat may not see
    from datetime import datetime

    taro = factories.person("Taro Yamada", region_code="JP-22", email="taro@example.jp")
    ours = factories.delegation(("IN-GJ",), ("JP-22",), status="confirmed")
    theirs = factories.delegation(("IN-TN",), ("JP-38",), status="confirmed")
    factories.event(ours, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), attendees=[taro])
    factories.event(theirs, datetime(2026, 10, 14, 10), datetime(2026, 10, 14, 11), attendees=[taro],
                    title="Confidential Ehime negotiation")
    database.session.commit()
    gujarat = login_as("state", "IN-GJ")
    assert gujarat.get(f"/people/{taro.id}").status_code == 200
    assert "Calendar feed" not in gujarat.get(f"/people/{taro.id}").get_data(as_text=True)
    assert gujarat.post(f"/people/{taro.id}/calendar-feed", data={"action": "create"}).status_code == 403
    assert db.session.query(CalendarFeed).filter_by(person_id=taro.id).count() == 0
    # nor by making him a Gujarati first (the home region is Shizuoka's to change, and the feed does not
    # follow it anyway)
    response = gujarat.post(f"/people/{taro.id}/edit", data={"name": taro.name, "preferred_language": "ja",
                                                             "email": "taro@example.jp",
                                                             "home_region": str(factories.region("IN-GJ").id)})
    assert response.status_code == 200 and "which recorded this person" in response.get_data(as_text=True)
    taro.home_region_id = factories.region("IN-GJ").id  # as if it had been changed
    database.session.commit()
    assert gujarat.post(f"/people/{taro.id}/calendar-feed", data={"action": "create"}).status_code == 403
    shizuoka = login_as("prefecture", "JP-22")  # the office that recorded him
    assert "Calendar feed" in shizuoka.get(f"/people/{taro.id}").get_data(as_text=True)
    response = shizuoka.post(f"/people/{taro.id}/calendar-feed", data={"action": "create"}, follow_redirects=True)
    assert response.status_code == 200
    # the office is shown the address: the feed lists only what Shizuoka may see, not the Ehime negotiation
    page = response.get_data(as_text=True)
    assert "lists only the events and B2B meetings that Shizuoka <span lang=\"ja\">(静岡県)</span> may see" in page
    # the address is Taro's, for the office to pass on, not the office's own
    assert "Your feed address" not in page and "The feed address of Taro Yamada (shown only now; pass it" in page
    feed_path = re.search(r"(/calendar/[\w-]+\.ics)", page).group(1)
    titles = [str(e["SUMMARY"]) for e in Calendar.from_ical(shizuoka.get(feed_path).data).walk("VEVENT")]
    assert len(titles) == 1 and "Confidential Ehime negotiation" not in titles
    admin = login_as("admin")  # an administrator's (or Taro's own) feed is his whole calendar
    page = admin.post(f"/people/{taro.id}/calendar-feed", data={"action": "create"},
                      follow_redirects=True).get_data(as_text=True)
    assert "lists only" not in page
    feed_path = re.search(r"(/calendar/[\w-]+\.ics)", page).group(1)
    titles = [str(e["SUMMARY"]) for e in Calendar.from_ical(admin.get(feed_path).data).walk("VEVENT")]
    assert len(titles) == 2 and "Confidential Ehime negotiation" in titles
    # a person recorded by no region: only the person and the administrators
    nobody = factories.person("Recorded by the system", email="system@example.org")
    factories.event(ours, datetime(2026, 10, 13, 14), datetime(2026, 10, 13, 15), attendees=[nobody])
    database.session.commit()
    assert gujarat.get(f"/people/{nobody.id}").status_code == 200
    assert gujarat.post(f"/people/{nobody.id}/calendar-feed", data={"action": "create"}).status_code == 403


def test_a_deactivated_or_unlinked_account_takes_the_feed_with_it(database, factories, login_as):
    from planner.delegations.operations import PersonData, update_person

    for change in ("deactivate", "unlink"):
        delegate = factories.user("delegate")
        person = factories.person("Mehul Shah", email="mehul.shah@example.in", user=delegate)
        secret = create_feed(person)
        database.session.commit()
        client = login_as("admin")
        assert client.get(f"/calendar/{secret}.ics").status_code == 200
        if change == "deactivate":
            response = client.post(f"/admin/users/{delegate.id}/edit", data={
                "email": delegate.email, "name": delegate.name, "role": "delegate", "region": ""})
            assert response.status_code == 302
        else:
            update_person(person, PersonData(name=person.name, email=person.email, account_email=""),
                          factories.SYSTEM)
            database.session.commit()
        assert client.get(f"/calendar/{secret}.ics").status_code == 404, change


def _attendees(ics: bytes) -> list[str]:
    return [str(a) for e in Calendar.from_ical(ics).walk("VEVENT") for a in (e.get("ATTENDEE") or [])] \
        if b"ATTENDEE" in ics else []


def test_a_delegate_sees_attendees_only_of_events_they_attend(database, factories, login_as):
    # a member of the delegation who does not attend an event downloaded its .ics with every attendee's
    # address, which the event page does not show them
    event = confirmed_event()  # Priya and Taro attend
    client = login_as("delegate")
    mehul = factories.person("Mehul Shah", email="mehul.shah@example.in", user=client.user)
    factories.member(event.delegation, mehul)
    database.session.commit()
    response = client.get(f"/events/{event.id}/invite.ics")
    assert response.status_code == 200 and _attendees(response.data) == []
    assert "priya" not in response.get_data(as_text=True).lower()
    assert person_calendar_events(mehul) == []  # not his appointment: not in his calendar feed
    # once he attends, his copy lists everyone, as his invite does, and so does his feed
    edit_event(event, attendee_ids=[link.person_id for link in event.attendee_links] + [mehul.id])
    database.session.commit()
    listed = _attendees(client.get(f"/events/{event.id}/invite.ics").data)
    assert f"mailto:{PRIYA}" in listed and "mailto:mehul.shah@example.in" in listed
    [fed] = person_calendar_events(mehul)
    assert fed.uid == event.uid and {a.email for a in fed.attendees} == {PRIYA, TARO, "mehul.shah@example.in"}
    # staff of the region see the attendees whether or not they attend
    assert f"mailto:{PRIYA}" in _attendees(login_as("state", "IN-GJ").get(f"/events/{event.id}/invite.ics").data)


def _partstats(calendar) -> dict[tuple[str, str], str]:
    found = {}
    for component in calendar.walk("VEVENT"):
        values = component.get("ATTENDEE") or []
        for value in values if isinstance(values, list) else [values]:
            found[(str(component["UID"]), str(value).removeprefix("mailto:"))] = value.params["PARTSTAT"]
    return found


def test_the_feed_shows_each_attendees_answer_and_a_change_asks_again(client, database, factories):
    from planner.invites.rsvp import answer_own_invite

    event = confirmed_event()  # Priya and Taro attend
    session, meeting, (b2b_priya, b2b_taro) = b2b_meeting()
    send_session_invites(session)
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    taro = next(link.person for link in event.attendee_links if link.person.email == TARO)
    answer_own_invite(priya, event.uid, "accept")
    answer_own_invite(taro, event.uid, "decline")
    answer_own_invite(b2b_taro, meeting.uid, "tentative")
    database.session.commit()

    _status, calendar = _feed(client, create_feed(priya))
    assert _partstats(calendar) == {(event.uid, PRIYA): "ACCEPTED", (event.uid, TARO): "DECLINED"}
    # Taro declined: his calendar would still show it busy (feeds ignore PARTSTAT), so his feed leaves it out
    _status, calendar = _feed(client, create_feed(taro))
    assert event.uid not in _uids_and_status(calendar)
    _status, calendar = _feed(client, create_feed(b2b_priya))
    assert _partstats(calendar) == {(meeting.uid, PRIYA): "NEEDS-ACTION", (meeting.uid, TARO): "TENTATIVE"}

    edit_event(event, local_start=event.local_start.replace(tzinfo=None, hour=11),
               local_end=event.local_end.replace(tzinfo=None, hour=12))  # a new time: answer again
    database.session.commit()
    _status, calendar = _feed(client, create_feed(priya))
    assert set(_partstats(calendar).values()) == {"NEEDS-ACTION"}
