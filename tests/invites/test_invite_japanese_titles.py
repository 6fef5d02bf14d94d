"""Titles and venue names with a Japanese version: a Japanese reader's mail, calendar (SUMMARY, DESCRIPTION,
LOCATION), feed and answer page give the Japanese text, an English reader's the text as entered, a bilingual
mail both. Without a Japanese version every reader gets the text as entered, and invites sent before there was
one are not updated for it."""

import re
from datetime import UTC, datetime

from icalendar import Calendar

from planner.delegations.operations import change_status
from planner.extensions import db
from planner.invites.compose import fingerprint
from planner.invites.feeds import create_feed
from planner.invites.operations import send_session_invites
from planner.invites.subjects import event_subject, stored_invite
from planner.itinerary.operations import VenueData, update_venue
from tests import factories as make
from tests.invites.test_invite_language import _meeting
from tests.invites.world import PRIYA, TARO, calendar_of, confirmed_event, edit_event, outbox, parse

TITLE, TITLE_JA = "Courtesy call on the Governor", "知事表敬訪問"
VISIT, VISIT_JA = "Gujarat business delegation to Shizuoka 2026", "グジャラート州経済ミッション静岡訪問"
PLACE = "Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka"
PLACE_JA = "グランシップ, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka"
RSVP_LINK = re.compile(r"/invites/rsvp/[A-Za-z0-9._-]+")


def _people():
    return (make.person("Priya Shah", email=PRIYA),
            make.person("Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja"))


def _event(invite_language="recipient", *, japanese=True):
    """The Governor's courtesy call at Granship, with Japanese versions of its title, its delegation's title and
    the venue's name (unless ``japanese`` is False), invited on confirmation."""
    event = confirmed_event(attendees=_people(), title=TITLE, confirm=False)
    delegation = event.delegation
    delegation.title, delegation.invite_language = VISIT, invite_language
    if japanese:
        delegation.title_ja, event.venue.name_ja = VISIT_JA, "グランシップ"
        edit_event(event, title_ja=TITLE_JA)
    change_status(delegation, "confirm")
    return event


def _mails(event) -> dict:
    return {message.to_email: message for message in outbox("event", event.id)}


def _plain(message) -> str:
    return parse(message.raw).get_body(("plain",)).get_content().replace("\r\n", "\n")


def _calendar(message) -> dict:
    component = calendar_of(message.raw).walk("VEVENT")[0]
    return {name: str(component[name]) for name in ("SUMMARY", "LOCATION", "DESCRIPTION")}


def test_a_japanese_reader_gets_the_japanese_title_visit_and_venue_and_an_english_reader_the_english(database):
    mails = _mails(_event())
    taro, priya = _calendar(mails[TARO]), _calendar(mails[PRIYA])
    assert (taro["SUMMARY"], taro["LOCATION"]) == (TITLE_JA, PLACE_JA)
    assert taro["DESCRIPTION"].split("\n")[:2] == [TITLE_JA, VISIT_JA]
    assert f"会場: {PLACE_JA}" in taro["DESCRIPTION"]
    assert mails[TARO].subject.startswith(f"【招待】{TITLE_JA}(")
    text = _plain(mails[TARO])
    assert f"訪問団: {VISIT_JA}\n" in text and "会場: グランシップ, 2-3-1 Higashi-Shizuoka" in text

    assert (priya["SUMMARY"], priya["LOCATION"]) == (TITLE, PLACE)
    assert priya["DESCRIPTION"].split("\n")[:2] == [TITLE, VISIT]
    assert mails[PRIYA].subject.startswith(f"Invitation: {TITLE} (")
    english = _plain(mails[PRIYA])
    assert f"Delegation: {VISIT}\n" in english and "Venue: Granship, 2-3-1" in english
    assert not re.search("[\u3040-\u30ff\u4e00-\u9fff]", english + "".join(priya.values()))


def test_a_bilingual_invite_gives_both_titles_japanese_first(database):
    mails = _mails(_event("both"))
    calendar = _calendar(mails[PRIYA])
    assert calendar["SUMMARY"] == f"{TITLE_JA} / {TITLE}"
    assert calendar["LOCATION"] == f"グランシップ / {PLACE}"
    text = _plain(mails[PRIYA])
    assert text.index(f"訪問団: {VISIT_JA}") < text.index(f"Delegation: {VISIT}")


def test_without_a_japanese_version_everyone_reads_the_title_as_entered(database):
    mails = _mails(_event(japanese=False))
    assert _calendar(mails[TARO])["SUMMARY"] == _calendar(mails[PRIYA])["SUMMARY"] == TITLE
    assert _calendar(mails[TARO])["LOCATION"] == PLACE


def _answer_all(event, answer="accepted"):
    """Every holder of the event's invite answered ``answer`` (their invite row and their attendance)."""
    for row in stored_invite(event.uid).recipients:
        row.rsvp = answer
    for link in event.attendee_links:
        link.rsvp = answer
    db.session.flush()


def _answers(event) -> dict:
    return {link.person.email: link.rsvp for link in event.attendee_links}


def _held_sequences(event) -> dict:
    return {row.email: row.sequence for row in stored_invite(event.uid).recipients}


def test_giving_a_japanese_title_later_updates_only_its_japanese_readers(database):
    event = _event(japanese=False)
    _answer_all(event)
    sent = len(outbox("event", event.id))
    edit_event(event)  # nothing changed: no update
    assert len(outbox("event", event.id)) == sent
    edit_event(event, title_ja=TITLE_JA)
    updates = outbox("event", event.id)[sent:]
    # Priya reads the English title, which did not change: no mail, and her answer stands
    assert [(m.to_email, m.kind, _calendar(m)["SUMMARY"]) for m in updates] == [(TARO, "update", TITLE_JA)]
    assert _answers(event) == {PRIYA: "accepted", TARO: "needs-action"}
    assert _held_sequences(event)[TARO] > _held_sequences(event)[PRIYA]


def test_a_new_english_title_beside_a_japanese_one_updates_only_its_english_readers(database):
    event = _event()
    _answer_all(event)
    sent = len(outbox("event", event.id))
    edit_event(event, title="Courtesy call on Governor Suzuki")
    updates = outbox("event", event.id)[sent:]
    assert [(m.to_email, _calendar(m)["SUMMARY"]) for m in updates] == [(PRIYA, "Courtesy call on Governor Suzuki")]
    assert _answers(event) == {PRIYA: "needs-action", TARO: "accepted"}
    edit_event(event, title_ja="鈴木知事表敬訪問")
    assert [(m.to_email, _calendar(m)["SUMMARY"]) for m in outbox("event", event.id)[sent + 1:]] == [
        (TARO, "鈴木知事表敬訪問")]


def test_a_new_japanese_title_updates_everyone_when_the_invites_are_bilingual(database):
    event = _event("both")
    sent = len(outbox("event", event.id))
    edit_event(event, title_ja="鈴木知事表敬訪問")
    updates = outbox("event", event.id)[sent:]
    assert sorted(m.to_email for m in updates) == [PRIYA, TARO]
    assert {_calendar(m)["SUMMARY"] for m in updates} == {f"鈴木知事表敬訪問 / {TITLE}"}


def test_a_new_time_updates_readers_of_either_language(database):
    event = _event()
    sent = len(outbox("event", event.id))
    edit_event(event, local_start=datetime(2026, 10, 13, 10, 30), local_end=datetime(2026, 10, 13, 11, 30))
    assert sorted((m.to_email, m.kind) for m in outbox("event", event.id)[sent:]) == [
        (PRIYA, "update"), (TARO, "update")]


def test_a_venues_new_japanese_name_updates_only_japanese_readers_of_its_events_and_meetings(database):
    event = _event()
    session, meeting = _meeting()
    session.event.venue = event.venue
    send_session_invites(session)
    venue = event.venue
    before = len(outbox())
    update_venue(venue, VenueData(name=venue.name, name_ja="静岡県コンベンションアーツセンター", country=venue.country,
                                  address=venue.address, city=venue.city, timezone=venue.timezone),
                 now=datetime(2026, 10, 1, tzinfo=UTC))
    new = outbox()[before:]
    assert sorted((m.related_type, m.to_email) for m in new) == [("b2b_meeting", TARO), ("event", TARO)]
    assert all(_calendar(m)["LOCATION"].startswith("静岡県コンベンションアーツセンター, ") for m in new)


def test_an_invite_sent_before_readers_fingerprints_were_kept_is_updated_only_where_it_reads_differently(database):
    event = _event(japanese=False)
    invite = stored_invite(event.uid)
    invite.fingerprint, invite.fingerprint_ja = fingerprint(event_subject(event)), ""  # as such invites are stored
    sent = len(outbox("event", event.id))
    edit_event(event)
    assert len(outbox("event", event.id)) == sent  # unchanged: nothing, and now kept per reader
    assert invite.fingerprint_ja
    invite.fingerprint, invite.fingerprint_ja = fingerprint(event_subject(event)), ""
    edit_event(event, title_ja=TITLE_JA)
    assert [m.to_email for m in outbox("event", event.id)[sent:]] == [TARO]


def test_a_japanese_version_the_same_as_the_english_sends_no_update_to_an_invite_sent_before(database):
    event = _event(japanese=False)
    _answer_all(event)
    invite = stored_invite(event.uid)
    invite.fingerprint, invite.fingerprint_ja = fingerprint(event_subject(event)), ""
    sent = len(outbox("event", event.id))
    edit_event(event, title_ja=TITLE)  # typed as the English title: every reader reads what they read before
    assert len(outbox("event", event.id)) == sent
    assert _answers(event) == {PRIYA: "accepted", TARO: "accepted"}


def test_a_b2b_meeting_names_its_session_and_venue_in_japanese_for_a_japanese_reader(database):
    session, _meeting_ = _meeting()
    session.event.title_ja, session.event.venue.name_ja = "グジャラート・静岡 商談会", "グランシップ"
    db.session.flush()
    send_session_invites(session)
    mails = {m.to_email: m for m in outbox("b2b_meeting")}
    taro, priya = _calendar(mails[TARO]), _calendar(mails[PRIYA])
    assert taro["LOCATION"] == f"{PLACE_JA}, Table 1" and priya["LOCATION"] == f"{PLACE}, Table 1"
    assert "商談会: グジャラート・静岡 商談会\n" in _plain(mails[TARO])
    assert "B2B session: B2B session\n" in _plain(mails[PRIYA])


def test_the_feed_and_the_answer_page_speak_the_readers_language(client, database):
    event = _event()
    taro = next(link.person for link in event.attendee_links if link.person.email == TARO)
    feed = Calendar.from_ical(client.get(f"/calendar/{create_feed(taro)}.ics").data).walk("VEVENT")[0]
    assert (str(feed["SUMMARY"]), str(feed["LOCATION"])) == (TITLE_JA, PLACE_JA)

    for reader, title, place in ((TARO, TITLE_JA, "グランシップ"), (PRIYA, TITLE, "Granship")):
        link = RSVP_LINK.search(_plain(_mails(event)[reader])).group(0)
        page = client.get(link).get_data(as_text=True)
        assert f">{title}</h1>" in page and f'<dd class="col-sm-9">{place}<div' in page
