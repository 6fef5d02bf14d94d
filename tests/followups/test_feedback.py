"""Feedback requests after a B2B session: mails through the outbox, the signed page (GET shows, POST records),
bad links, and the second round months later."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planner.core.errors import DomainError
from planner.followups.feedback import (
    Answer,
    FeedbackTokenError,
    make_token,
    months_before,
    read_token,
    record_feedback,
    send_due_second_round,
    send_feedback_requests,
    sessions_due_second_round,
)
from planner.followups.models import FeedbackAnswer, FeedbackRequest, FollowUp
from planner.outbox.models import OutboxMessage


def _messages(database, related_type="feedback_request"):
    return database.session.scalars(select(OutboxMessage).where(OutboxMessage.related_type == related_type)
                                    .order_by(OutboxMessage.id)).all()


def _link(message) -> str:
    text = message.raw.decode("utf-8", "replace").replace("=\r\n", "").replace("=\n", "")
    match = re.search(r"https?://[^\s]+/outcomes/feedback/([A-Za-z0-9_.\-]+)", text)
    assert match, "no feedback link in the mail"
    return f"/outcomes/feedback/{match.group(1)}"


def test_feedback_request_goes_to_each_representative_through_the_outbox(b2b, database):
    assert send_feedback_requests(b2b.session) == 2
    messages = _messages(database)
    assert sorted(m.to_email for m in messages) == ["mehul@sanand-auto.example", "taro@suzuki-seiki.example"]
    assert all(m.kind == "notice" and m.status == "queued" for m in messages)


def test_feedback_request_is_sent_once_per_round(b2b, database):
    send_feedback_requests(b2b.session)
    assert send_feedback_requests(b2b.session) == 0
    assert len(_messages(database)) == 2


def test_representative_without_email_gets_no_request(b2b, factories, database):
    b2b.japanese_rep.email = ""
    assert send_feedback_requests(b2b.session) == 1


def test_feedback_get_shows_the_meetings_and_records_nothing(b2b, client, database):
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    database.session.commit()
    response = client.get(_link(mehul))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert b2b.japanese.firm.name in page and b2b.japanese_2.firm.name in page
    assert database.session.scalars(select(FeedbackAnswer)).all() == []
    assert database.session.scalars(select(FollowUp)).all() == []


def test_feedback_post_records_answers_and_creates_followups(b2b, client, database):
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    database.session.commit()
    response = client.post(_link(mehul), data={
        f"rating_{b2b.meeting.id}": "4", f"stage_{b2b.meeting.id}": "nda_signed",
        f"comment_{b2b.meeting.id}": "They want samples"})
    assert response.status_code == 200
    assert "Your answers about 1 meeting were recorded." in response.get_data(as_text=True)  # not 'meeting(s)'
    (answer,) = database.session.scalars(select(FeedbackAnswer)).all()
    assert (answer.meeting_id, answer.rating, answer.stage, answer.comment) == (
        b2b.meeting.id, 4, "nda_signed", "They want samples")
    (followup,) = database.session.scalars(select(FollowUp)).all()
    assert (followup.meeting_id, followup.stage, followup.rating) == (b2b.meeting.id, "nda_signed", 4)
    assert [e.action for e in followup.entries] == ["feedback"]
    assert "Mehul Shah" in followup.entries[0].note and "They want samples" in followup.entries[0].note
    assert [r.code for r in followup.regions] == ["IN-GJ", "JP-22"]


def test_a_link_stops_working_once_the_person_no_longer_represents_the_firm(b2b, client, database):
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    request = database.session.scalars(select(FeedbackRequest).where(FeedbackRequest.id == mehul.related_id)).one()
    request.participant.representatives = [p for p in request.participant.representatives
                                           if p.id != request.person_id]
    database.session.commit()
    response = client.get(_link(mehul))
    assert response.status_code == 410
    assert "You no longer represent" in response.get_data(as_text=True)
    response = client.post(_link(mehul), data={f"rating_{b2b.meeting.id}": "5",
                                                f"stage_{b2b.meeting.id}": "investment_committed"})
    assert response.status_code == 410
    assert database.session.scalars(select(FeedbackAnswer)).all() == []
    assert database.session.scalars(select(FollowUp)).all() == []
    with pytest.raises(DomainError, match="no longer represent"):
        record_feedback(request, [Answer(b2b.meeting.id, 5, "investment_committed", "")])


def test_feedback_on_firms_with_long_names_makes_a_title_that_fits(b2b, client, database):
    # "B2B meeting <200 characters> – <200 characters>" overflowed the 200-character column (500 on PostgreSQL)
    b2b.indian.firm.name = "A" * 200
    b2b.japanese.firm.name = "B" * 200
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    database.session.commit()
    response = client.post(_link(mehul), data={f"rating_{b2b.meeting.id}": "4",
                                               f"stage_{b2b.meeting.id}": "exploring"})
    assert response.status_code == 200
    (followup,) = database.session.scalars(select(FollowUp)).all()
    assert len(followup.title) == 200 and followup.title.startswith("B2B meeting AAA")


def test_feedback_post_updates_an_existing_followup_with_history(b2b, client, factories, database):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, stage="exploring")
    send_feedback_requests(b2b.session)
    taro = next(m for m in _messages(database) if m.to_email.startswith("taro"))
    database.session.commit()
    client.post(_link(taro), data={f"rating_{b2b.meeting.id}": "5", f"stage_{b2b.meeting.id}": "negotiation_started"})
    database.session.refresh(followup)
    assert followup.stage == "negotiation_started"
    assert [e.action for e in followup.entries] == ["create", "feedback"]
    assert followup.entries[1].changes["stage"] == {"old": "exploring", "new": "negotiation_started"}
    assert database.session.scalars(select(FollowUp)).all() == [followup]


@pytest.mark.parametrize("form", [
    {"rating_MEETING": "9", "stage_MEETING": "exploring"},
    {"rating_MEETING": "3", "stage_MEETING": "bogus"},
    {"rating_MEETING": "x", "stage_MEETING": ""},
    {},
])
def test_feedback_post_with_bad_answers_is_a_400_and_saves_nothing(form, b2b, client, database):
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    database.session.commit()
    data = {key.replace("MEETING", str(b2b.meeting.id)): value for key, value in form.items()}
    response = client.post(_link(mehul), data=data)
    assert response.status_code == 400
    assert database.session.scalars(select(FeedbackAnswer)).all() == []


def test_feedback_answer_for_a_meeting_of_another_firm_is_ignored(b2b, client, factories, database):
    send_feedback_requests(b2b.session)
    taro = next(m for m in _messages(database) if m.to_email.startswith("taro"))
    database.session.commit()
    # Taro's firm is not in meeting_2: a posted answer for it is not even read.
    response = client.post(_link(taro), data={f"rating_{b2b.meeting_2.id}": "5",
                                              f"stage_{b2b.meeting_2.id}": "order_placed"})
    assert response.status_code == 400
    assert database.session.scalars(select(FollowUp)).all() == []


def test_tampered_feedback_link_is_404(b2b, client, database):
    send_feedback_requests(b2b.session)
    link = _link(_messages(database)[0])
    database.session.commit()
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.post(link[:-3] + "abc", data={}).status_code == 404
    assert client.get("/outcomes/feedback/not-a-token").status_code == 404


def test_expired_feedback_link_is_410(b2b, app, client, database):
    send_feedback_requests(b2b.session)
    request = database.session.scalars(select(FeedbackRequest)).first()
    token = make_token(request.id, datetime.now(UTC) - timedelta(seconds=1))
    database.session.commit()
    assert client.get(f"/outcomes/feedback/{token}").status_code == 410
    assert client.post(f"/outcomes/feedback/{token}", data={}).status_code == 410


def test_expired_feedback_link_speaks_the_recipients_language(b2b, app, client, database):
    # a Japanese representative got the expiry page in the browser's language (English), though the mail and
    # the form were in Japanese
    send_feedback_requests(b2b.session)
    request = database.session.scalars(select(FeedbackRequest)).first()
    request.person.preferred_language = "ja"
    token = make_token(request.id, datetime.now(UTC) - timedelta(seconds=1))
    database.session.commit()
    page = client.get(f"/outcomes/feedback/{token}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 410
    assert "このフィードバック用リンクは有効期限が切れています。" in page.get_data(as_text=True)


def test_read_token_rejects_token_signed_with_another_secret(app):
    with app.app_context():
        token = make_token(5, datetime.now(UTC) + timedelta(days=1), secret="another-secret")
        with pytest.raises(FeedbackTokenError) as raised:
            read_token(token)
        assert raised.value.reason == "invalid"
        assert read_token(make_token(5, datetime.now(UTC) + timedelta(days=1))) == 5


@pytest.mark.parametrize("day, months, expected", [
    (date(2027, 4, 13), 6, date(2026, 10, 13)),
    (date(2027, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 1, 15), 1, date(2026, 12, 15)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_second_request_is_due_six_months_after_the_session(b2b, app, database):
    # The session is on 13 Oct 2026 (JST).
    assert sessions_due_second_round(date(2027, 4, 12)) == []
    assert sessions_due_second_round(date(2027, 4, 13)) == [b2b.session]


def test_second_request_months_follow_the_setting(b2b, app, database):
    app.config["FOLLOWUP_SECOND_REQUEST_MONTHS"] = 3
    try:
        assert sessions_due_second_round(date(2027, 1, 12)) == []
        assert sessions_due_second_round(date(2027, 1, 13)) == [b2b.session]
    finally:
        app.config.pop("FOLLOWUP_SECOND_REQUEST_MONTHS")


def test_second_request_goes_out_once(b2b, database):
    assert send_due_second_round(date(2027, 5, 1)) == {b2b.session.id: 2}
    assert send_due_second_round(date(2027, 5, 8)) == {}
    rounds = database.session.scalars(select(FeedbackRequest.round)).all()
    assert sorted(rounds) == [2, 2]
    subjects = [m.subject for m in _messages(database)]
    assert all("what came of them" in subject for subject in subjects)


def test_cli_feedback_session_and_due(b2b, runner, database):
    database.session.commit()
    result = runner.invoke(args=["followups", "feedback", "--session", str(b2b.session.id)])
    assert result.exit_code == 0, result.output
    assert "2 feedback request(s) queued" in result.output
    assert runner.invoke(args=["followups", "feedback"]).exit_code == 2
    assert runner.invoke(args=["followups", "feedback", "--session", "999999"]).exit_code == 1


def test_feedback_moves_a_follow_up_forward_only(b2b, client, factories, database):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, stage="mou_signed")
    send_feedback_requests(b2b.session)
    taro = next(m for m in _messages(database) if m.to_email.startswith("taro"))
    database.session.commit()
    client.post(_link(taro), data={f"rating_{b2b.meeting.id}": "3", f"stage_{b2b.meeting.id}": "exploring"})
    database.session.refresh(followup)
    assert followup.stage == "mou_signed" and followup.rating == 3
    entry = followup.entries[-1]
    assert "stage" not in entry.changes
    assert "Reported stage: Exploring; the follow-up stays at MoU/LoI signed." in entry.note
    (answer,) = database.session.scalars(select(FeedbackAnswer)).all()
    assert answer.stage == "exploring"  # what the firm said is kept


def test_no_further_interest_closes_a_follow_up_before_any_agreement(b2b, client, factories, database):
    owner = factories.user("state", "IN-GJ")
    followup = factories.followup(b2b.meeting, owner=owner, stage="negotiation_started")
    send_feedback_requests(b2b.session)
    taro = next(m for m in _messages(database) if m.to_email.startswith("taro"))
    database.session.commit()
    client.post(_link(taro), data={f"rating_{b2b.meeting.id}": "2", f"stage_{b2b.meeting.id}": "no_interest"})
    database.session.refresh(followup)
    assert (followup.stage, followup.is_open) == ("no_interest", False)
    assert followup.entries[-1].changes["is_open"] == {"old": "open", "new": "done"}


def test_a_follow_up_made_by_feedback_is_written_in_the_organisers_language(b2b, client, factories, database):
    # an Indian firm answering in English filled the Shizuoka office's follow-up with English (and a Japanese
    # firm's answer the next one with Japanese); the history showed the English actor label
    organiser = factories.user("prefecture", "JP-22")
    organiser.locale = "ja"
    b2b.session.event.organiser = organiser
    send_feedback_requests(b2b.session)
    mehul = next(m for m in _messages(database) if m.to_email.startswith("mehul"))
    database.session.commit()
    assert client.post(_link(mehul), data={f"rating_{b2b.meeting.id}": "4",
                                           f"stage_{b2b.meeting.id}": "nda_signed"},
                       headers={"Accept-Language": "en"}).status_code == 200
    (followup,) = database.session.scalars(select(FollowUp)).all()
    assert followup.next_action == "両社にフィードバックについて電話で確認する。"
    assert "Mehul Shahさんからのフィードバック(第1回)" in followup.entries[0].note
    office = factories.user("prefecture", "JP-22")
    office.locale = "ja"
    database.session.commit()
    from tests.conftest import login

    viewer = client.application.test_client()
    login(viewer, office.email)
    page = viewer.get(f"/outcomes/followups/{followup.id}").get_data(as_text=True)
    assert "feedback: " not in page and "フィードバック（Mehul Shah (" in page


def test_feedback_is_asked_for_only_once_the_session_has_taken_place(b2b, login_as, runner, database):
    # a press of the button on 26 November mailed "thank you for taking part" for a session of 9 December
    event = b2b.session.event
    event.starts_at, event.ends_at = (moment + timedelta(days=3650) for moment in (event.starts_at, event.ends_at))
    database.session.commit()
    client = login_as("admin")
    page = client.post(f"/outcomes/b2b/{b2b.session.id}/feedback", follow_redirects=True).get_data(as_text=True)
    assert "feedback is asked for once it has taken place" in page
    assert re.search(r"The session ends on \w{3} \d+ \w{3} \d{4}, \d\d:\d\d IST · \w{3} \d+ \w{3} \d{4}, \d\d:\d\d JST;",
                     page)  # on both clocks, as every time shown to both sides
    result = runner.invoke(args=["followups", "feedback", "--session", str(b2b.session.id)])
    assert result.exit_code == 1 and "feedback is asked for once it has taken place" in result.output
    assert _messages(database) == []
    event.starts_at, event.ends_at = (moment - timedelta(days=3650) for moment in (event.starts_at, event.ends_at))
    event.status = "cancelled"
    database.session.commit()
    with pytest.raises(DomainError, match="The session is cancelled"):
        send_feedback_requests(b2b.session)
