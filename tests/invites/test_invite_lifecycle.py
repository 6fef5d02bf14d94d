"""Itinerary events: delegation confirm → REQUEST per attendee; time/venue change → update with the same UID and a
higher SEQUENCE; attendees added or removed get only their own mail; cancel → CANCEL to everyone."""

from datetime import datetime

import pytest

from planner.delegations.operations import change_status
from planner.itinerary.operations import cancel_event
from tests.invites.world import (
    PRIYA,
    TARO,
    attendee_emails,
    calendar_of,
    calendar_part,
    confirmed_event,
    edit_event,
    outbox,
    parse,
    people,
    vevent,
)


def test_confirm_sends_request_to_each_attendee_with_matching_method(database, factories):
    event = confirmed_event()
    messages = outbox("event", event.id)
    assert sorted(m.to_email for m in messages) == [PRIYA, TARO]
    for message in messages:
        mail = parse(message.raw)
        assert mail.get_content_type() == "multipart/mixed"
        alternative, attachment = mail.get_payload()
        assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html",
                                                                             "text/calendar"]
        assert calendar_part(mail).get_param("method") == "REQUEST"
        assert calendar_of(message.raw)["METHOD"] == "REQUEST"
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_payload(decode=True) == calendar_part(mail).get_payload(decode=True)
        component = vevent(message.raw)
        assert str(component["UID"]) == event.uid
        assert attendee_emails(component) == [PRIYA, TARO]
        assert message.kind == "invite" and message.calendar_method == "REQUEST"


def test_invite_body_shows_venue_time_ist_jst_address_and_absolute_links(database, factories):
    priya, taro = people()
    priya.user_id = factories.user("delegate").id  # she logs in: her mail links her agenda
    event = confirmed_event(attendees=(priya, taro))
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    text = parse(message.raw).get_body(("plain",)).get_content()
    assert "Tue 13 Oct 2026, 10:00–11:00 JST" in text
    assert "IST: Tue 13 Oct 2026, 06:30–07:30" in text
    assert "JST: Tue 13 Oct 2026, 10:00–11:00" in text
    assert "Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka" in text
    assert "http://127.0.0.1:5000/invites/rsvp/" in text
    assert "Your agenda: http://127.0.0.1:5000/agenda" in text
    assert "Delegation Planner <delegations@planner.localhost>" in text
    html = parse(message.raw).get_body(("html",)).get_content()
    assert html.count('href="http://127.0.0.1:5000/invites/rsvp/') == 3


def test_a_recipient_without_an_account_gets_no_agenda_link_which_would_only_ask_them_to_log_in(database,
                                                                                                 factories):
    event = confirmed_event()  # neither attendee has an account
    for message in outbox("event", event.id):
        body = parse(message.raw)
        assert "/agenda" not in body.get_body(("plain",)).get_content()
        assert "/agenda" not in body.get_body(("html",)).get_content()
        assert "/invites/rsvp/" in body.get_body(("plain",)).get_content()  # the answer links stay


def test_no_invites_before_the_delegation_is_confirmed(database, factories):
    event = confirmed_event(confirm=False)
    edit_event(event, local_start=datetime(2026, 10, 13, 14), local_end=datetime(2026, 10, 13, 15))
    assert outbox("event", event.id) == []


def test_reschedule_then_cancel_keeps_uid_raises_sequence_refreshes_dtstamp(database, factories, monkeypatch):
    from planner.invites import operations

    moments = iter([datetime(2026, 9, 1, 8, 0, 0), datetime(2026, 9, 2, 8, 0, 0), datetime(2026, 9, 3, 8, 0, 0)])

    def clock():
        from datetime import UTC
        return next(moments).replace(tzinfo=UTC)

    monkeypatch.setattr(operations, "utcnow", clock)
    event = confirmed_event()
    edit_event(event, local_start=datetime(2026, 10, 13, 15), local_end=datetime(2026, 10, 13, 16))
    cancel_event(event, "Governor unavailable")
    rows = [m for m in outbox("event", event.id) if m.to_email == TARO]
    assert [m.kind for m in rows] == ["invite", "update", "cancel"]
    events = [vevent(m.raw) for m in rows]
    assert {str(e["UID"]) for e in events} == {event.uid}
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(set(sequences)) and len(sequences) == 3
    assert [e["DTSTAMP"].dt.isoformat() for e in events] == [
        "2026-09-01T08:00:00+00:00", "2026-09-02T08:00:00+00:00", "2026-09-03T08:00:00+00:00"]
    assert events[1]["DTSTART"].dt.isoformat() == "2026-10-13T15:00:00+09:00"
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert calendar_of(rows[2].raw)["METHOD"] == "CANCEL"
    assert attendee_emails(events[2]) == [PRIYA, TARO]
    assert parse(rows[2].raw).get_payload()[0].get_payload()[2].get_param("method") == "CANCEL"


def test_changing_the_venue_sends_an_update_to_everyone(database, factories):
    event = confirmed_event()
    before = len(outbox("event", event.id))
    other = factories.venue("Act City", "JP", city="Hamamatsu")
    edit_event(event, venue_id=other.id)
    updates = outbox("event", event.id)[before:]
    assert sorted((m.to_email, m.kind) for m in updates) == [(PRIYA, "update"), (TARO, "update")]
    assert "Act City" in str(vevent(updates[0].raw)["LOCATION"])
    text = parse(updates[0].raw).get_body(("plain",)).get_content()
    assert "The time, place or details changed." in text and "it was" not in text  # the time did not change


def _texts(message) -> tuple[str, str]:
    mail = parse(message.raw)
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


def test_an_update_that_moves_the_event_says_when_it_was(database, factories):
    # 'The time, place or details changed' left a delegate comparing an old mail with the new one
    event = confirmed_event()  # 10:00–11:00 JST on 13 Oct 2026
    next(link.person for link in event.attendee_links if link.person.email == TARO).preferred_language = "ja"
    before = len(outbox("event", event.id))
    edit_event(event, local_start=datetime(2026, 10, 13, 10, 30), local_end=datetime(2026, 10, 13, 11, 30))
    by_recipient = {m.to_email: m for m in outbox("event", event.id)[before:]}
    text, html = _texts(by_recipient[PRIYA])
    assert ("The time changed; it was Tue 13 Oct 2026, 10:00–11:00 JST · Tue 13 Oct 2026, 06:30–07:30 IST. "
            "Please check and answer again.") in text
    assert "it was Tue 13 Oct 2026, 10:00–11:00 JST" in html
    assert "Venue time: Tue 13 Oct 2026, 10:30–11:30 JST" in text
    text, _html = _texts(by_recipient[TARO])  # in Japanese for Taro, the dates as Japanese write them
    assert "日時が変更されました(変更前: 2026年10月13日(火) 10:00–11:00 JST · 2026年10月13日(火) 06:30–07:30 IST)" in text


def test_removing_an_attendee_sends_only_them_a_cancel(database, factories):
    event = confirmed_event()
    first_sequence = event.sequence
    before = len(outbox("event", event.id))
    taro_id = next(link.person_id for link in event.attendee_links if link.person.email == TARO)
    edit_event(event, attendee_ids=[taro_id])
    new = outbox("event", event.id)[before:]
    assert [(m.to_email, m.kind, m.calendar_method) for m in new] == [(PRIYA, "cancel", "CANCEL")]
    component = vevent(new[0].raw)
    assert attendee_emails(component) == [PRIYA]
    assert int(component["SEQUENCE"]) > first_sequence
    assert str(component["UID"]) == event.uid
    # the event goes on without her: not 'Cancelled … This meeting is cancelled' (a walk-through)
    text = parse(new[0].raw).get_body(("plain",)).get_content()
    assert new[0].subject.startswith("No longer invited: ")
    assert "You are no longer on the list for this; it takes place without you." in text
    assert "cancelled" not in text


def test_adding_an_attendee_sends_them_a_request_and_the_others_nothing(database, factories):
    event = confirmed_event()
    before = len(outbox("event", event.id))
    keiko = factories.person("Keiko Ito", email="keiko.ito@hamamatsu-seiki.example")
    edit_event(event, attendee_ids=[link.person_id for link in event.attendee_links] + [keiko.id])
    new = outbox("event", event.id)[before:]
    assert [(m.to_email, m.kind, m.calendar_method) for m in new] == [
        ("keiko.ito@hamamatsu-seiki.example", "invite", "REQUEST")]
    assert attendee_emails(vevent(new[0].raw)) == ["keiko.ito@hamamatsu-seiki.example", PRIYA, TARO]


def test_saving_without_changes_sends_nothing(database, factories):
    event = confirmed_event()
    before = len(outbox("event", event.id))
    edit_event(event)
    assert len(outbox("event", event.id)) == before


def test_cancelling_the_delegation_cancels_every_event_for_every_holder(database, factories):
    event = confirmed_event()
    change_status(event.delegation, "cancel", reason="Typhoon")
    cancels = [m for m in outbox("event", event.id) if m.kind == "cancel"]
    assert sorted(m.to_email for m in cancels) == [PRIYA, TARO]
    text = parse(cancels[0].raw).get_body(("plain",)).get_content()
    assert cancels[0].subject.startswith("Cancelled: ")
    assert "This event is cancelled." in text and "meeting" not in text  # a courtesy call is no B2B meeting
    assert "Reason: Typhoon" in text  # the reason the organiser gave reaches the attendees


def test_a_cancelled_event_says_why_in_each_recipients_language(database, factories):
    # the reason typed on the cancel form was kept in the audit log only: delegates read a bare 'cancelled'
    event = confirmed_event()
    taro = next(link.person for link in event.attendee_links if link.person.email == TARO)
    taro.preferred_language = "ja"
    cancel_event(event, "  The Governor's schedule changed.\n")
    cancels = {m.to_email: parse(m.raw) for m in outbox("event", event.id) if m.kind == "cancel"}
    english = cancels[PRIYA].get_body(("plain",)).get_content()
    japanese = cancels[TARO].get_body(("plain",)).get_content()
    assert "Reason: The Governor's schedule changed." in english
    assert "理由: The Governor's schedule changed." in japanese and japanese.startswith("山田 太郎 様")
    assert "Reason: The Governor&#39;s schedule changed." in cancels[PRIYA].get_body(("html",)).get_content()
    # an update or an invite gives no reason; nor does a cancel without one
    restore = confirmed_event(title="Factory tour")
    cancel_event(restore)
    bare = next(m for m in outbox("event", restore.id) if m.kind == "cancel")
    assert "Reason" not in parse(bare.raw).get_body(("plain",)).get_content()


def test_attendee_without_address_is_skipped_and_others_invited(database, factories):
    nobody = factories.person("No Mail")
    priya = factories.person("Priya Shah", email=PRIYA)
    event = confirmed_event(attendees=[nobody, priya])
    assert [m.to_email for m in outbox("event", event.id)] == [PRIYA]


def test_hostile_names_and_titles_add_no_attendee_or_header(database, factories):
    evil = factories.person('Eve"\r\nATTENDEE:mailto:spy@evil.example\r\nBcc: spy@evil.example',
                            email="eve@example.org")
    event = confirmed_event(attendees=[evil],
                            title='Lunch"\r\nBcc: spy@evil.example\r\nATTENDEE:mailto:spy@evil.example')
    (message,) = outbox("event", event.id)
    mail = parse(message.raw)
    assert mail["Bcc"] is None
    assert mail["To"].addresses[0].addr_spec == "eve@example.org"
    assert sorted(mail.keys()) == ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To"]
    assert len(mail["To"].addresses) == 1 and '"' not in mail["To"].addresses[0].display_name
    component = vevent(message.raw)
    assert attendee_emails(component) == ["eve@example.org"]
    assert b"spy@evil.example" not in calendar_part(mail).get_payload(decode=True).split(b"SUMMARY")[0]
    assert str(component["SUMMARY"]).startswith("Lunch")


def test_a_failed_invite_is_not_sent_again_after_a_newer_update(database, login_as):
    from planner.core.errors import DomainError
    from planner.outbox.operations import retry_message

    event = confirmed_event()
    (first,) = [m for m in outbox("event", event.id) if m.to_email == PRIYA]
    first.status = "failed"
    edit_event(event, local_start=datetime(2026, 10, 13, 11), local_end=datetime(2026, 10, 13, 12))
    assert [m.kind for m in outbox("event", event.id) if m.to_email == PRIYA] == ["invite", "update"]
    with pytest.raises(DomainError, match="newer invite, update or cancellation"):
        retry_message(first)
    assert first.status == "failed"
    # the update itself, had it failed, may be sent again
    (update,) = [m for m in outbox("event", event.id) if m.to_email == PRIYA and m.kind == "update"]
    update.status = "failed"
    retry_message(update)
    assert update.status == "queued"


def test_saving_an_event_says_how_many_calendar_mails_it_queued(database, factories, login_as):
    # moving a courtesy call queued five mails while the page said only '… saved.' (a walk-through)
    event = confirmed_event()
    database.session.commit()
    client = login_as("admin")
    start = event.local_start.replace(tzinfo=None)
    page = client.post(f"/events/{event.id}/edit", data={
        "kind": event.kind, "title": event.title, "venue": str(event.venue_id or ""), "timezone": event.timezone,
        "local_start": (start.replace(hour=start.hour + 1)).strftime("%Y-%m-%dT%H:%M"),
        "local_end": event.local_end.replace(tzinfo=None, hour=start.hour + 2).strftime("%Y-%m-%dT%H:%M"),
        "attendees": [str(link.person_id) for link in event.attendee_links]}, follow_redirects=True)
    assert (f"{event.title} saved. 2 calendar mails (invitations, updates or cancellations) are queued."
            in page.get_data(as_text=True))
    # in Japanese the second sentence follows the 。 directly: a space after it read as a stray gap
    client.user.locale = "ja"
    database.session.commit()
    page = client.post(f"/events/{event.id}/edit", data={
        "kind": event.kind, "title": event.title, "venue": str(event.venue_id or ""), "timezone": event.timezone,
        "local_start": start.strftime("%Y-%m-%dT%H:%M"),
        "local_end": event.local_end.replace(tzinfo=None, hour=start.hour + 1).strftime("%Y-%m-%dT%H:%M"),
        "attendees": [str(link.person_id) for link in event.attendee_links]}, follow_redirects=True)
    flash = next(line for line in page.get_data(as_text=True).splitlines() if "2通を送信待ち" in line)
    assert "。カレンダーのメール(招待・変更・中止)2通" in flash and "。 " not in flash


def _flight(event, **changes):
    values = dict(kind="travel", title="Flight AMD → NRT", venue_id=None, timezone="Asia/Kolkata",
                  end_timezone="Asia/Tokyo", local_start=datetime(2026, 10, 13, 1, 30),
                  local_end=datetime(2026, 10, 13, 14, 45))
    edit_event(event, **(values | changes))


def test_a_moved_flight_says_when_it_was_on_both_clocks(database, factories):
    # the invite keeps no earlier end zone: the earlier time is given on the start's clock and the other side's,
    # right whatever clock the end is on now (it read '01:30 IST–14:45 JST · 05:00–14:45 JST' once it no longer
    # was a flight)
    event = confirmed_event()
    _flight(event)
    before = len(outbox("event", event.id))
    _flight(event, end_timezone="", local_start=datetime(2026, 10, 13, 2, 30), local_end=datetime(2026, 10, 13, 12, 15))
    update = next(m for m in outbox("event", event.id)[before:] if m.to_email == PRIYA)
    text, _html = _texts(update)
    assert "it was Tue 13 Oct 2026, 01:30–11:15 IST · Tue 13 Oct 2026, 05:00–14:45 JST." in text


def test_adding_an_attendee_to_a_flight_sends_the_others_nothing(database, factories):
    # the end zone is not in what makes an update: flights invited before invites gave it got an update (and
    # lost their answers) on the next unrelated change
    from planner.invites.rsvp import answer_own_invite

    event = confirmed_event()
    _flight(event)
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    answer_own_invite(priya, event.uid, "accept")
    before = len(outbox("event", event.id))
    keiko = factories.person("Keiko Ito", email="keiko.ito@hamamatsu-seiki.example")
    edit_event(event, attendee_ids=[link.person_id for link in event.attendee_links] + [keiko.id])
    assert [(m.to_email, m.kind) for m in outbox("event", event.id)[before:]] == [(keiko.email, "invite")]
    assert next(link.rsvp for link in event.attendee_links if link.person_id == priya.id) == "accepted"


def test_an_update_that_moves_the_event_to_another_venue_says_the_place_changed_too(database, factories):
    # 'The time changed; it was …' alone, when the venue had changed as well: a delegate read it as the same
    # place at a new time (a walk-through)
    event = confirmed_event()  # 10:00–11:00 JST on 13 Oct 2026 at Granship
    next(link.person for link in event.attendee_links if link.person.email == TARO).preferred_language = "ja"
    other = factories.venue("Act City", "JP", city="Hamamatsu")
    before = len(outbox("event", event.id))
    edit_event(event, venue_id=other.id, local_start=datetime(2026, 10, 13, 14),
               local_end=datetime(2026, 10, 13, 15))
    by_recipient = {m.to_email: m for m in outbox("event", event.id)[before:]}
    text, html = _texts(by_recipient[PRIYA])
    assert ("The time changed; it was Tue 13 Oct 2026, 10:00–11:00 JST · Tue 13 Oct 2026, 06:30–07:30 IST. "
            "The place or title changed too. Please check and answer again.") in text
    assert "The place or title changed too." in html
    assert "Act City" in text
    text, _html = _texts(by_recipient[TARO])  # the Japanese reader too, with the earlier time as Japanese write it
    assert "2026年10月13日(火) 10:00–11:00 JST · 2026年10月13日(火) 06:30–07:30 IST" in text
    assert "日時が変更されました(変更前:" not in text  # not the sentence that names only the time


def test_a_recipient_whose_account_is_deactivated_gets_no_agenda_link_either(database, factories):
    priya, taro = people()
    account = factories.user("delegate")
    account.is_active = False  # an administrator closed it: its holder cannot log in to see an agenda
    priya.user_id = account.id
    event = confirmed_event(attendees=(priya, taro))
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    body = parse(message.raw)
    assert "/agenda" not in body.get_body(("plain",)).get_content()
    assert "/agenda" not in body.get_body(("html",)).get_content()
