"""Accept/Decline/Tentative: the link's GET records nothing, the page's POST records; bad links get a 4xx page."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from planner.extensions import db
from planner.invites.models import InviteRecipient
from planner.invites.tokens import make_rsvp_token
from planner.itinerary.models import EventAttendee
from tests.conftest import csrf_token_from
from tests.invites.world import PRIYA, TARO, b2b_meeting, confirmed_event, edit_event, outbox, parse


def _link(message, answer: str) -> str:
    text = parse(message.raw).get_body(("plain",)).get_content()
    label = {"accept": "Accept", "decline": "Decline", "tentative": "Tentative"}[answer]
    url = re.search(rf"{label}: (http://\S+)", text).group(1)
    return url.removeprefix("http://127.0.0.1:5000")


def _answer_of(event, email):
    return db.session.scalar(select(EventAttendee.rsvp).where(
        EventAttendee.event_id == event.id, EventAttendee.person.has(email=email)))


def test_get_shows_the_answer_page_and_records_nothing(app, database, factories):
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    database.session.commit()
    response = app.test_client().get(_link(message, "accept"))
    assert response.status_code == 200
    assert "Courtesy call on the Governor" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert _answer_of(event, PRIYA) == "needs-action"


def test_opening_the_link_again_shows_the_answer_given(app, database, factories):
    # opened again after answering, the page showed the confirm button as if nothing had been recorded
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    database.session.commit()
    client = app.test_client()
    assert "Your answer so far" not in client.get(_link(message, "accept")).get_data(as_text=True)
    client.post(_link(message, "tentative"))
    page = client.get(_link(message, "accept")).get_data(as_text=True)
    assert re.search(r"Your answer so far: <strong>tentative</strong> <span class=\"small text-muted\">\(", page)
    assert "Confirm your answer to this invitation:" in page  # and it may still be changed


def test_post_from_the_page_records_the_answer_for_that_person_only(app, database, factories):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        event = confirmed_event()
        message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
        database.session.commit()
        client = app.test_client()
        url = _link(message, "decline")
        page = client.get(url)
        response = client.post(url, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
        assert response.status_code == 200
        assert _answer_of(event, PRIYA) == "declined"
        assert _answer_of(event, TARO) == "needs-action"
        assert client.post(url, data={}).status_code == 400  # no CSRF token: refused, nothing else changes
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_tampered_token_gets_a_404_page(client, database, factories):
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    url = _link(message, "accept")
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 404
    assert client.post(tampered).status_code == 404
    assert client.get("/invites/rsvp/" + "x" * 5000).status_code == 404


def test_expired_token_is_refused_with_410(app, client, database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    token = make_rsvp_token(app.config["SECRET_KEY"], event_uid=event.uid, person_id=priya.id, answer="accept",
                            expires_at=datetime.now(UTC) - timedelta(seconds=1))
    response = client.post(f"/invites/rsvp/{token}")
    assert response.status_code == 410
    assert _answer_of(event, PRIYA) == "needs-action"


def test_token_signed_with_another_secret_is_refused(client, database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    token = make_rsvp_token("another-secret", event_uid=event.uid, person_id=priya.id, answer="accept",
                            expires_at=datetime.now(UTC) + timedelta(days=1))
    assert client.post(f"/invites/rsvp/{token}").status_code == 404


def test_removed_attendee_cannot_answer_any_more(client, database, factories):
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    url = _link(message, "accept")
    edit_event(event, attendee_ids=[link.person_id for link in event.attendee_links if link.person.email == TARO])
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410


def test_meeting_answer_is_recorded_and_shown_to_organisers(app, database, factories, login_as):
    from planner.matchmaking.runs import confirm_run, run_scheduler

    session, meeting, (priya, taro) = b2b_meeting()
    run = run_scheduler(session, factories.SYSTEM, allow_moves=True, time_limit=2)
    confirm_run(run, factories.SYSTEM)
    message = next(m for m in outbox("b2b_meeting", meeting.id) if m.to_email == TARO)
    database.session.commit()
    response = app.test_client().post(_link(message, "tentative"))
    assert response.status_code == 200
    rows = {r.email: r.rsvp for r in db.session.scalars(select(InviteRecipient))}
    assert rows[TARO] == "tentative" and rows[PRIYA] == "needs-action"
    page = login_as("admin").get(f"/b2b/{session.id}").get_data(as_text=True)
    assert "Taro Yamada: <span class=\"text-muted\">tentative</span>" in page
    assert "Priya Shah: <span class=\"text-muted\">no answer yet</span>" in page


def test_a_declined_meeting_is_flagged_at_the_top_of_the_session_page(app, database, factories, login_as):
    # a decline showed only as small text in the answers column; the meeting stayed 'scheduled' unnoticed
    from planner.matchmaking.runs import confirm_run, run_scheduler

    session, meeting, (priya, taro) = b2b_meeting()
    run = run_scheduler(session, factories.SYSTEM, allow_moves=True, time_limit=2)
    confirm_run(run, factories.SYSTEM)
    database.session.commit()
    page = login_as("admin").get(f"/b2b/{session.id}").get_data(as_text=True)
    assert 'id="declined-meetings"' not in page
    message = next(m for m in outbox("b2b_meeting", meeting.id) if m.to_email == TARO)
    app.test_client().post(_link(message, "decline"))
    database.session.expire_all()
    page = login_as("admin").get(f"/b2b/{session.id}").get_data(as_text=True)
    assert 'id="declined-meetings"' in page and "1 scheduled meeting was declined by a representative:" in page
    notice = page[page.index('id="declined-meetings"'):page.index("</div>", page.index('id="declined-meetings"'))]
    assert "Taro Yamada" in notice and f"(slot {meeting.slot})" in notice and "Move or cancel them" in notice
    assert 'class="table-warning"' in page


def test_event_page_shows_each_answer_and_who_has_not_answered(app, database, factories, login_as):
    event = confirmed_event()
    link = next(link for link in event.attendee_links if link.person.email == TARO)
    link.rsvp = "accepted"
    database.session.commit()
    page = login_as("admin").get(f"/events/{event.id}").get_data(as_text=True)
    assert "text-bg-success\">accepted" in page
    assert "no answer yet" in page


def test_the_persons_agenda_shows_their_own_answer(app, database, factories):
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    database.session.commit()
    app.test_client().post(_link(message, "accept"), data={})
    priya = db.session.scalar(select(EventAttendee).where(
        EventAttendee.event_id == event.id, EventAttendee.person.has(email=PRIYA))).person
    staff = factories.user("admin")
    database.session.commit()
    from tests.conftest import login

    client = app.test_client()
    login(client, staff.email)
    row = client.get(f"/people/{priya.id}/agenda").get_data(as_text=True)
    row = row[row.index(f'id="event-{event.id}"'):]
    row = row[:row.index("</tr>")]
    assert "accepted" in row


def test_the_email_log_shows_invites_without_the_recipients_answer_links(login_as, database):
    # staff of both regions read the log; with the link they could answer for the delegate
    event = confirmed_event()
    message = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    database.session.commit()
    secret = _link(message, "decline").rsplit("/", 1)[1]
    page = login_as("prefecture", "JP-22").get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "/invites/rsvp/…" in page and secret not in page
    assert "Courtesy call on the Governor" in page
    ics = login_as("prefecture", "JP-22").get(f"/outbox/{message.id}/invite.ics")
    assert ics.status_code == 200 and b"/invites/rsvp/" not in ics.data


def test_a_link_from_a_mail_older_than_the_invite_says_the_invite_changed(app, database, factories):
    # the link of the first mail answered for the event's new time without a word about the move
    event = confirmed_event()
    first = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    edit_event(event, local_start=datetime(2026, 10, 13, 15), local_end=datetime(2026, 10, 13, 16))
    update = [m for m in outbox("event", event.id) if m.to_email == PRIYA][-1]
    assert update.id != first.id
    database.session.commit()
    client = app.test_client()
    notice = "This invitation has changed since the mail you opened"
    old_page = client.get(_link(first, "accept")).get_data(as_text=True)
    assert notice in old_page and "15:00" in old_page
    assert notice not in client.get(_link(update, "accept")).get_data(as_text=True)


def test_the_answer_page_speaks_the_recipients_language_unless_the_visitor_chose_one(app, database, factories):
    # Kenta Ito got his invite in Japanese; its Accept link opened an English page in an English browser
    priya, taro = factories.person("Priya Shah", email=PRIYA), factories.person(
        "Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja")
    event = confirmed_event(attendees=[priya, taro])
    message = next(m for m in outbox("event", event.id) if m.to_email == TARO)
    database.session.commit()
    text = parse(message.raw).get_body(("plain",)).get_content()
    link = re.search(r"http://\S+(/invites/rsvp/\S+)", text).group(1)  # his mail is in Japanese
    client = app.test_client()
    english_browser = {"Accept-Language": "en"}
    japanese_page = client.get(link, headers=english_browser).get_data(as_text=True)
    assert '<html lang="ja">' in japanese_page
    assert f"山田 太郎 &lt;{TARO}&gt;" in japanese_page  # named as his mail greets him, not 'Taro Yamada'
    client.set_cookie("planner_locale", "en", domain="planner.test")  # chosen with the switcher: that wins
    english_page = client.get(link, headers=english_browser).get_data(as_text=True)
    assert '<html lang="en">' in english_page and f"Taro Yamada &lt;{TARO}&gt;" in english_page


def test_a_signed_in_delegate_answers_from_their_own_agenda(app, database, factories, login_as):
    event = confirmed_event()
    session, meeting, (b2b_priya, _taro) = b2b_meeting()
    from planner.invites.operations import send_session_invites

    send_session_invites(session)
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    taro = next(link.person for link in event.attendee_links if link.person.email == TARO)
    client = login_as("delegate")
    priya.user_id = client.user.id
    b2b_priya.user_id = None
    meeting.indian.representatives = [priya]  # the same Priya represents the firm
    send_session_invites(session)
    database.session.commit()
    page = client.get("/agenda").get_data(as_text=True)
    assert page.count('action="/agenda/answer"') == 2  # the event and the B2B meeting
    response = client.post("/agenda/answer", data={"uid": event.uid, "answer": "decline"}, follow_redirects=True)
    assert "Your answer “Decline” is recorded." in response.get_data(as_text=True)
    assert _answer_of(event, PRIYA) == "declined" and _answer_of(event, TARO) == "needs-action"
    response = client.post("/agenda/answer", data={"uid": meeting.uid, "answer": "tentative"})
    assert response.headers["Location"] == f"/agenda#answer-{meeting.uid}"  # back to the line answered
    assert f'id="answer-{meeting.uid}"' in client.get("/agenda").get_data(as_text=True)
    rows = {(r.invite.uid, r.person_id): r.rsvp for r in db.session.scalars(select(InviteRecipient))}
    assert rows[(meeting.uid, priya.id)] == "tentative"
    # not an invite she holds (Taro's is his), nor a made-up answer: refused, nothing recorded
    taro_link = next(link for link in event.attendee_links if link.person_id == taro.id)
    for data in ({"uid": "no-such-uid", "answer": "accept"}, {"uid": event.uid, "answer": "maybe"}):
        page = client.post("/agenda/answer", data=data, follow_redirects=True).get_data(as_text=True)
        assert "alert-warning" in page
    db.session.refresh(taro_link)
    assert taro_link.rsvp == "needs-action" and _answer_of(event, PRIYA) == "declined"
    # staff looking at her agenda see her answers, without her buttons
    staff = login_as("admin")
    assert 'action="/agenda/answer"' not in staff.get(f"/people/{priya.id}/agenda").get_data(as_text=True)
    # someone with no person of their own has nothing to answer
    assert login_as("delegate").post("/agenda/answer", data={"uid": event.uid, "answer": "accept"}).status_code == 404


def test_a_link_mailed_to_an_address_the_person_no_longer_uses_answers_nothing(app, database, factories):
    # the old mailbox (a former employer's, say) could still answer for the person until 30 days after the event
    event = confirmed_event()
    old_mail = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    priya.email = "priya.shah@newfirm.example"
    edit_event(event, local_start=datetime(2026, 10, 13, 15), local_end=datetime(2026, 10, 13, 16))
    database.session.commit()
    new_mail = [m for m in outbox("event", event.id) if m.to_email == "priya.shah@newfirm.example"][-1]
    client = app.test_client()
    page = client.get(_link(old_mail, "accept"))
    assert page.status_code == 410
    assert "sent to an e-mail address the invitation no longer goes to" in page.get_data(as_text=True)
    assert client.post(_link(old_mail, "accept")).status_code == 410
    assert _answer_of(event, "priya.shah@newfirm.example") == "needs-action"
    url = _link(new_mail, "accept")
    page = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_token_from(page)})
    assert _answer_of(event, "priya.shah@newfirm.example") == "accepted"


def test_a_link_made_before_links_named_their_address_still_answers(app, database, factories):
    event = confirmed_event()
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    token = make_rsvp_token(app.config["SECRET_KEY"], event_uid=event.uid, person_id=priya.id, answer="decline",
                            expires_at=datetime.now(UTC) + timedelta(days=30))
    client = app.test_client()
    page = client.get(f"/invites/rsvp/{token}")
    assert page.status_code == 200
    client.post(f"/invites/rsvp/{token}", data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert _answer_of(event, PRIYA) == "declined"


def test_changing_a_persons_address_moves_their_invites_and_retires_the_old_links(app, database, factories,
                                                                                   login_as):
    # the person page changed the address, but nothing followed: no invite reached the new address, and the
    # old mailbox's links still answered for the person
    event = confirmed_event()
    old_mail = next(m for m in outbox("event", event.id) if m.to_email == PRIYA)
    priya = next(link.person for link in event.attendee_links if link.person.email == PRIYA)
    admin = login_as("admin")
    form = {"name": priya.name, "email": "priya.shah@newfirm.example", "preferred_language": "en"}
    assert admin.post(f"/people/{priya.id}/edit", data=form).status_code == 302
    database.session.expire_all()
    mails = [(m.to_email, m.calendar_method) for m in outbox("event", event.id)]
    assert (PRIYA, "CANCEL") in mails and ("priya.shah@newfirm.example", "REQUEST") in mails
    client = app.test_client()
    assert client.get(_link(old_mail, "accept")).status_code == 410
    new_mail = [m for m in outbox("event", event.id) if m.to_email == "priya.shah@newfirm.example"][-1]
    url = _link(new_mail, "accept")
    page = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_token_from(page)})
    assert _answer_of(event, "priya.shah@newfirm.example") == "accepted"


def test_a_refused_link_speaks_the_recipients_language_not_the_browsers(app, database, factories):
    # a Japanese reader whose event was cancelled, or whose link expired, got the refusal in the browser's
    # language (English here), though the mail and the answer page were in Japanese
    from planner.itinerary.operations import cancel_event

    event = confirmed_event()
    taro = next(link.person for link in event.attendee_links if link.person.email == TARO)
    taro.preferred_language = "ja"
    database.session.flush()
    message = next(m for m in outbox("event", event.id) if m.to_email == TARO)
    expired = make_rsvp_token(app.config["SECRET_KEY"], event_uid=event.uid, person_id=taro.id, answer="accept",
                              expires_at=datetime.now(UTC) - timedelta(seconds=1))
    cancel_event(event)
    database.session.commit()
    client = app.test_client()
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    cancelled = client.get(_link(message, "accept"), headers=english_browser)
    assert cancelled.status_code == 410
    assert "この招待は受付を終了しています。" in cancelled.get_data(as_text=True)
    refused = client.get(f"/invites/rsvp/{expired}", headers=english_browser)
    assert refused.status_code == 410
    assert "このリンクは有効期限が切れています。" in refused.get_data(as_text=True)
    forged = client.get(_link(message, "accept")[:-3] + "AAA", headers=english_browser)
    assert "This link is not valid." in forged.get_data(as_text=True)  # nobody known: the browser's language
