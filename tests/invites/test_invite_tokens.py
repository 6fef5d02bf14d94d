"""Signed RSVP tokens: bound to event, person and answer; expiring; tamper-proof [r15]."""

from datetime import UTC, datetime, timedelta

import pytest

from planner.invites.tokens import (
    RsvpToken,
    RsvpTokenError,
    load_rsvp_token,
    make_rsvp_token,
    read_rsvp_token,
)

SECRET = "test-secret-0123456789abcdef0123456789"
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
UID = "b2b-meeting-42@planner.example"


def _token(**overrides) -> str:
    values = dict(event_uid=UID, person_id=17, answer="accept", expires_at=EXPIRES) | overrides
    return make_rsvp_token(SECRET, **values)


def test_token_read_back_for_its_event_person_and_answer():
    data = read_rsvp_token(SECRET, _token(), event_uid=UID, person_id=17, answer="accept", now=NOW)

    assert data == RsvpToken(event_uid=UID, person_id=17, answer="accept", expires_at=EXPIRES)


def test_token_is_url_safe():
    token = _token(event_uid="uid with spaces/and+slashes@x")

    assert all(ch.isalnum() or ch in "-_." for ch in token)


@pytest.mark.parametrize(("field", "value"), [("event_uid", "other-meeting@planner.example"), ("person_id", 18),
                                             ("answer", "decline")])
def test_token_for_another_event_person_or_answer_is_refused(field, value):
    expected = dict(event_uid=UID, person_id=17, answer="accept") | {field: value}

    with pytest.raises(RsvpTokenError) as caught:
        read_rsvp_token(SECRET, _token(), now=NOW, **expected)

    assert caught.value.reason == "mismatch"


def test_token_expired_is_refused_and_valid_until_the_second_before():
    token = _token()

    assert load_rsvp_token(SECRET, token, now=EXPIRES - timedelta(seconds=1)).answer == "accept"
    with pytest.raises(RsvpTokenError) as caught:
        load_rsvp_token(SECRET, token, now=EXPIRES)
    assert caught.value.reason == "expired"


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: ("e" if t[0] != "e" else "f") + t[1:],  # payload changed
    lambda t: t.split(".")[0],  # signature removed
    lambda t: "",
    lambda t: "not-a-token",
])
def test_token_tampered_is_refused(tamper):
    with pytest.raises(RsvpTokenError) as caught:
        load_rsvp_token(SECRET, tamper(_token()), now=NOW)

    assert caught.value.reason == "invalid"


def test_token_signed_with_another_secret_is_refused_and_rotation_accepts_the_old_one():
    old = make_rsvp_token("old-secret-0123456789abcdef01234567", event_uid=UID, person_id=17, answer="decline",
                          expires_at=EXPIRES)

    with pytest.raises(RsvpTokenError):
        load_rsvp_token(SECRET, old, now=NOW)
    rotated = ["old-secret-0123456789abcdef01234567", SECRET]  # newest last
    assert load_rsvp_token(rotated, old, now=NOW).answer == "decline"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"answer": "maybe"}, "answer must be one of"),
    ({"person_id": 0}, "person_id"),
    ({"person_id": True}, "person_id"),
    ({"event_uid": ""}, "event_uid"),
    ({"expires_at": datetime(2026, 6, 2)}, "timezone-aware"),
])
def test_make_token_rejects_bad_input(overrides, message):
    with pytest.raises(ValueError, match=message):
        _token(**overrides)


def test_token_carries_the_sequence_of_its_mail_when_given():
    assert load_rsvp_token(SECRET, _token(sequence=3), now=NOW).sequence == 3
    assert load_rsvp_token(SECRET, _token(sequence=0), now=NOW).sequence == 0
    assert load_rsvp_token(SECRET, _token(), now=NOW).sequence is None  # links mailed before it was carried
    for wrong in (-1, True, "2"):
        with pytest.raises(ValueError):
            _token(sequence=wrong)
