"""Invites in the recipient's language, or in both (Japanese first) when the organiser chooses it: subject line,
mail text and HTML, and the calendar's SUMMARY and DESCRIPTION, as a real SMTP server (aiosmtpd) receives them,
read with icalendar and with vobject. The language variants are one calendar event: same UID, SEQUENCE, times,
place and attendees."""

import codecs
import email
import email.policy
import re

import pytest
import vobject
from icalendar import Calendar

from planner.delegations.operations import change_status
from planner.followups.feedback import send_feedback_requests
from planner.invites.compose import SEPARATOR
from planner.invites.feeds import create_feed
from planner.invites.operations import send_session_invites
from planner.matchmaking.meetings import cancel_meeting, move_meeting
from planner.outbox.transport import SMTPTransport
from planner.outbox.worker import send_pass
from tests import factories as make
from tests.invites.test_invite_icaljs import ICALJS_INSTALLED, NODE, icaljs
from tests.invites.world import PRIYA, TARO, calendar_of, confirmed_event, edit_event, outbox, venue
from tests.mail_server import smtp_server  # noqa: F401 (fixture)

INDIAN_FIRM, JAPANESE_FIRM, JAPANESE_FIRM_JA = "Ahmedabad Tools Pvt. Ltd.", "Hamamatsu Seiki Co., Ltd.", "株式会社浜松精機"
ORGANISER = "Delegation Planner <delegations@planner.localhost>"

JA_SUMMARY = "商談:Ahmedabad Tools Pvt. Ltd. × 株式会社浜松精機"
EN_SUMMARY = "B2B: Ahmedabad Tools Pvt. Ltd. × Hamamatsu Seiki Co., Ltd."
JA_DESCRIPTION = "\n".join([
    JA_SUMMARY,
    "Ahmedabad Tools Pvt. Ltd. (Priya Shah) × 株式会社浜松精機 (山田 太郎)",
    "B2B session",
    "現地時刻: 2026年10月13日(火) 10:20–10:40 JST",
    "IST: 2026年10月13日(火) 06:50–07:10",
    "JST: 2026年10月13日(火) 10:20–10:40",
    "会場: Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka, Table 1",
    f"主催者: {ORGANISER}"])
EN_DESCRIPTION = "\n".join([
    EN_SUMMARY,
    "Ahmedabad Tools Pvt. Ltd. (Priya Shah) × Hamamatsu Seiki Co., Ltd. (Taro Yamada)",
    "B2B session",
    "Venue time: Tue 13 Oct 2026, 10:20–10:40 JST",
    "IST: Tue 13 Oct 2026, 06:50–07:10",
    "JST: Tue 13 Oct 2026, 10:20–10:40",
    "Venue: Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka, Table 1",
    f"Organiser: {ORGANISER}"])
JA_SUBJECT = "【招待】商談:Ahmedabad Tools Pvt. Ltd. × 株式会社浜松精機(2026年10月13日(火) 10:20 JST)"
EN_SUBJECT = "Invitation: B2B: Ahmedabad Tools Pvt. Ltd. × Hamamatsu Seiki Co., Ltd. (Tue 13 Oct 2026, 10:20 JST)"
RSVP_LINK = re.compile(r"http://127\.0\.0\.1:5000/invites/rsvp/[A-Za-z0-9._-]+")


def _meeting(invite_language="recipient"):
    """Priya (English) represents the Indian firm, Taro (Japanese, 山田 太郎) the Japanese firm (株式会社浜松精機);
    the meeting is in slot 2 (10:20–10:40 JST) at table 1 of a session at Granship."""
    delegation = make.delegation(("IN-GJ",), ("JP-22",), title="Gujarat business delegation to Shizuoka 2026",
                               status="confirmed")
    delegation.invite_language = invite_language
    session = make.b2b_session(delegation)
    session.event.venue = venue()
    priya = make.person("Priya Shah", email=PRIYA, user=make.user("delegate"))  # she logs in: agenda link
    taro = make.person("Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja")
    indian = make.b2b_participant(session, "IN-GJ", firm_=make.firm("IN-GJ", INDIAN_FIRM), representatives=[priya])
    japanese = make.b2b_participant(session, "JP-22", firm_=make.firm("JP-22", JAPANESE_FIRM, name_ja=JAPANESE_FIRM_JA),
                                    representatives=[taro])
    return session, make.b2b_meeting(session, indian, japanese, slot=2)


def _deliver(server) -> list[tuple[str, bytes]]:
    """What the outbox worker delivers to the SMTP server: (recipient, raw bytes as received), in order."""
    transport = SMTPTransport(host=server.host, port=server.port, use_tls=False, use_ssl=False, username=None,
                              password=None, timeout=5, envelope_from="bounces@planner.example")
    send_pass(transport)
    return [(envelope.rcpt_tos[0], envelope.data) for envelope in server.envelopes]


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _calendar_part(mail):
    return next(part for part in mail.walk() if part.get_content_type() == "text/calendar")


def _plain(mail) -> str:
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _calendar_text(raw: bytes) -> str:
    return _calendar_part(_parse(raw)).get_payload(decode=True).decode("utf-8")


def _read_both_ways(text: str) -> tuple[str, str]:
    """SUMMARY and DESCRIPTION as icalendar and as vobject (a second, independent parser) read them: they must
    agree."""
    component = Calendar.from_ical(text).walk("VEVENT")[0]
    parsed = vobject.readOne(text).vevent
    assert (parsed.summary.value, parsed.description.value) == (str(component["SUMMARY"]),
                                                                 str(component["DESCRIPTION"]))
    return str(component["SUMMARY"]), str(component["DESCRIPTION"])


def _without_language(text: str) -> bytes:
    """The calendar with SUMMARY and DESCRIPTION taken out."""
    calendar = Calendar.from_ical(text)
    for component in calendar.walk("VEVENT"):
        for name in ("SUMMARY", "DESCRIPTION"):
            del component[name]
    return calendar.to_ical()


def test_japanese_recipient_reads_japanese_and_english_recipient_english_in_the_same_send(
        database, smtp_server):  # noqa: F811
    session, _meeting_ = _meeting()
    send_session_invites(session)
    received = dict(_deliver(smtp_server))
    assert sorted(received) == [PRIYA, TARO]

    assert _read_both_ways(_calendar_text(received[TARO])) == (JA_SUMMARY, JA_DESCRIPTION)
    assert _read_both_ways(_calendar_text(received[PRIYA])) == (EN_SUMMARY, EN_DESCRIPTION)
    assert str(_parse(received[TARO])["Subject"]) == JA_SUBJECT
    assert str(_parse(received[PRIYA])["Subject"]) == EN_SUBJECT
    japanese_text = _plain(_parse(received[TARO]))
    assert "商談相手: Ahmedabad Tools Pvt. Ltd. (Priya Shah)\n" in japanese_text
    assert "You meet" not in japanese_text and "Venue time" not in japanese_text
    # addressed by the name on their business card ('To: Taro Yamada' read as a form letter)
    assert japanese_text.startswith("山田 太郎 様\n\n")
    assert _parse(received[TARO])["To"].addresses[0].display_name == "山田 太郎"
    assert _plain(_parse(received[PRIYA])).startswith("Dear Priya Shah,\n\n")


def test_both_writes_japanese_first_then_english_in_subject_text_html_and_calendar_with_the_links_once(
        database, smtp_server):  # noqa: F811
    session, _meeting_ = _meeting("both")
    send_session_invites(session)
    received = dict(_deliver(smtp_server))
    mail = _parse(received[PRIYA])  # an English speaker gets both too

    assert str(mail["Subject"]) == f"{JA_SUBJECT} / {EN_SUBJECT}"
    assert _read_both_ways(_calendar_text(received[PRIYA])) == (
        f"{JA_SUMMARY} / {EN_SUMMARY}", f"{JA_DESCRIPTION}\n{SEPARATOR}\n{EN_DESCRIPTION}")
    assert _calendar_text(received[TARO]) == _calendar_text(received[PRIYA])

    text = _plain(mail)
    links = RSVP_LINK.findall(text)
    assert len(set(links)) == 3
    assert RSVP_LINK.sub("<link>", text) == "\n".join([
        "Priya Shah 様", "",
        f"ご案内: {JA_SUMMARY}", "",
        "商談相手: 株式会社浜松精機 (山田 太郎)",
        "商談会: B2B session",
        "現地時刻: 2026年10月13日(火) 10:20–10:40 JST",
        "IST: 2026年10月13日(火) 06:50–07:10",
        "JST: 2026年10月13日(火) 10:20–10:40",
        "会場: Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka",
        "テーブル: Table 1",
        f"主催者: {ORGANISER}", "",
        SEPARATOR, "",
        "Dear Priya Shah,", "",
        f"Invitation: {EN_SUMMARY}", "",
        "You meet: Hamamatsu Seiki Co., Ltd. (Taro Yamada)",
        "B2B session: B2B session",
        "Venue time: Tue 13 Oct 2026, 10:20–10:40 JST",
        "IST: Tue 13 Oct 2026, 06:50–07:10",
        "JST: Tue 13 Oct 2026, 10:20–10:40",
        "Venue: Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka",
        "Table: Table 1",
        f"Organiser: {ORGANISER}", "",
        "ご回答 / Your answer:",
        "  承諾する / Accept: <link>",
        "  仮承諾 / Tentative: <link>",
        "  辞退する / Decline: <link>", "",
        "日程表 / Your agenda: http://127.0.0.1:5000/agenda", ""])

    html = mail.get_body(("html",)).get_content()
    assert html.index('<div lang="ja">') < html.index("商談相手") < html.index("<hr") \
        < html.index('<div lang="en">') < html.index("You meet") < html.index("承諾する / Accept</a>")
    assert sorted(RSVP_LINK.findall(html)) == sorted(links)


def test_both_cancel_is_bilingual_too(database, smtp_server):  # noqa: F811
    session, meeting = _meeting("both")
    send_session_invites(session)
    cancel_meeting(meeting)
    cancels = [raw for _to, raw in _deliver(smtp_server)][2:]
    subjects = {str(_parse(raw)["Subject"]) for raw in cancels}
    assert subjects == {"【中止】商談:Ahmedabad Tools Pvt. Ltd. × 株式会社浜松精機(2026年10月13日(火) 10:20 JST) / "
                        "Cancelled: B2B: Ahmedabad Tools Pvt. Ltd. × Hamamatsu Seiki Co., Ltd. "
                        "(Tue 13 Oct 2026, 10:20 JST)"}
    text = _plain(_parse(cancels[0]))
    assert text.index("中止: 商談:") < text.index(SEPARATOR) < text.index("Cancelled: B2B:")
    assert "/invites/rsvp/" not in text


def test_language_variants_share_uid_sequence_times_place_and_attendees_on_invite_and_update(
        database, smtp_server):  # noqa: F811
    session, meeting = _meeting()
    send_session_invites(session)
    move_meeting(meeting, 4, session.tables[1].id)
    delivered = _deliver(smtp_server)
    assert [to for to, _raw in delivered] == [PRIYA, TARO, PRIYA, TARO]
    sequences = []
    for (_en, english), (_ja, japanese) in (delivered[:2], delivered[2:]):
        english_text, japanese_text = _calendar_text(english), _calendar_text(japanese)
        assert _read_both_ways(english_text)[0] != _read_both_ways(japanese_text)[0]
        assert _without_language(english_text) == _without_language(japanese_text)
        english_event, japanese_event = vobject.readOne(english_text).vevent, vobject.readOne(japanese_text).vevent
        assert english_event.uid.value == japanese_event.uid.value == meeting.uid
        assert english_event.sequence.value == japanese_event.sequence.value
        assert english_event.dtstart.value == japanese_event.dtstart.value
        assert sorted(a.value for a in english_event.attendee_list) == \
            sorted(a.value for a in japanese_event.attendee_list) == [f"mailto:{PRIYA}", f"mailto:{TARO}"]
        sequences.append(int(english_event.sequence.value))
    assert sequences[1] > sequences[0]


def test_japanese_calendar_part_travels_base64_and_is_utf8_folded_at_75_octets_between_characters(
        database, smtp_server):  # noqa: F811
    session, _meeting_ = _meeting()
    send_session_invites(session)
    raw = dict(_deliver(smtp_server))[TARO]
    assert raw.isascii()  # 7-bit on the wire: every non-ASCII part is base64 or quoted-printable (r12)
    mail = _parse(raw)
    first = mail.get_payload()[0]  # Outlook reads the invite only from the first part of multipart/mixed
    assert [part.get_content_type() for part in first.get_payload()] == ["text/plain", "text/html", "text/calendar"]
    part = _calendar_part(mail)
    assert part["Content-Transfer-Encoding"] == "base64"
    assert (part.get_param("charset"), part.get_param("method")) == ("UTF-8", "REQUEST")
    data = part.get_payload(decode=True)
    assert not data.startswith(codecs.BOM_UTF8)
    assert "株式会社浜松精機" in data.decode("utf-8")  # strict: the whole part is UTF-8
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and not any(b"\n" in line or b"\r" in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # raises if a fold split a character
    assert any(line.startswith(b" ") and not line.isascii() for line in lines)  # Japanese text was folded


def test_itinerary_event_keeps_its_title_and_describes_it_in_japanese_with_the_notes_once(database, factories):
    taro = factories.person("Taro Yamada", name_ja="山田 太郎", email=TARO, preferred_language="ja")
    event = confirmed_event(attendees=[taro], confirm=False)
    edit_event(event, description="Business attire.")
    change_status(event.delegation, "confirm")
    (message,) = outbox("event", event.id)
    component = calendar_of(message.raw).walk("VEVENT")[0]
    assert str(component["SUMMARY"]) == "Courtesy call on the Governor"
    assert str(component["DESCRIPTION"]) == "\n".join([
        "Courtesy call on the Governor",
        event.delegation.title,
        "現地時刻: 2026年10月13日(火) 10:00–11:00 JST",
        "IST: 2026年10月13日(火) 06:30–07:30",
        "JST: 2026年10月13日(火) 10:00–11:00",
        "会場: Granship, 2-3-1 Higashi-Shizuoka, Aoi-ku, Shizuoka",
        f"主催者: {ORGANISER}",
        "",
        "Business attire."])


def test_feed_is_in_its_owners_language_and_download_in_the_pages(client, login_as, database):
    session, meeting = _meeting()
    send_session_invites(session)
    taro, priya = meeting.japanese.representatives[0], meeting.indian.representatives[0]
    feeds = {}
    for person in (taro, priya):
        response = client.get(f"/calendar/{create_feed(person)}.ics")
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        feeds[person.email] = _read_both_ways(response.get_data(as_text=True))
    assert feeds == {TARO: (JA_SUMMARY, JA_DESCRIPTION), PRIYA: (EN_SUMMARY, EN_DESCRIPTION)}
    # the calendar's own name, as the app lists it, in the owner's language too
    names = {person.email: str(Calendar.from_ical(client.get(f"/calendar/{create_feed(person)}.ics").data)
                               ["X-WR-CALNAME"]) for person in (taro, priya)}
    assert names[TARO].endswith("— 訪問団プランナー") and names[PRIYA] == f"{priya.name} — Delegation Planner"

    staff = login_as("admin")
    downloads = {}
    for locale in ("ja", "en"):
        staff.user.locale = locale
        database.session.commit()
        response = staff.get(f"/b2b/meetings/{meeting.id}/invite.ics")
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        downloads[locale] = _read_both_ways(response.get_data(as_text=True))
    assert downloads == {"ja": (JA_SUMMARY, JA_DESCRIPTION), "en": (EN_SUMMARY, EN_DESCRIPTION)}


def test_feedback_request_about_the_meetings_follows_the_choice_of_both(database):
    session, _meeting_ = _meeting("both")
    assert send_feedback_requests(session) == 2
    message = next(m for m in outbox("feedback_request") if m.to_email == PRIYA)
    assert message.subject == ("B2B sessionでの商談はいかがでしたか / "
                               "Your B2B meetings at B2B session: how did they go?")
    text = _plain(_parse(message.raw))
    assert text.index("Priya Shah 様") < text.index(f"{SEPARATOR}\n") < text.index("Dear Priya Shah,")
    assert text.count("  - 株式会社浜松精機\n") == 1 and text.count(f"  - {JAPANESE_FIRM}\n") == 1


@pytest.mark.skipif(NODE is None or not ICALJS_INSTALLED, reason="needs node and `npm ci --prefix tests/invites/js`")
def test_icaljs_reads_the_bilingual_summary_and_description_as_sent(database, smtp_server):  # noqa: F811
    session, meeting = _meeting("both")
    send_session_invites(session)
    (event,) = icaljs(_calendar_part(_parse(dict(_deliver(smtp_server))[TARO])).get_payload(decode=True))["events"]
    assert (event["uid"], event["summary"], event["description"]) == (
        meeting.uid, f"{JA_SUMMARY} / {EN_SUMMARY}", f"{JA_DESCRIPTION}\n{SEPARATOR}\n{EN_DESCRIPTION}")



@pytest.mark.parametrize("invite_language", ["recipient", "both"])
def test_mail_bodies_are_rendered_as_template_render_renders_them(database, monkeypatch, invite_language):
    """The mail renderer gives the templates their variables and ``_`` only, not the app's template globals
    (planner.invites.operations._render): every body of a bilingual send equals Template.render's."""
    from flask import current_app

    from planner.invites import operations

    rendered = []
    real = operations._render

    def checked(name, context):
        text = real(name, context)
        rendered.append((name, text == current_app.jinja_env.get_template(name).render(**context)))
        return text

    monkeypatch.setattr(operations, "_render", checked)
    session, _meeting_ = _meeting(invite_language)
    send_session_invites(session)

    names = {name for name, _same in rendered}
    assert names == {"invites/_email_details.txt", "invites/_email_details.html", "invites/email.txt",
                     "invites/email.html"}
    assert all(same for _name, same in rendered)


def test_an_error_in_a_mail_template_points_at_the_template_line(app):
    import traceback

    from planner.invites import operations

    with app.app_context(), pytest.raises(TypeError) as raised:
        operations._render("invites/email.txt", {"blocks": 42})  # not a list: the first line fails
    frames = traceback.extract_tb(raised.tb)
    assert any(frame.filename.endswith("invites/email.txt") and frame.lineno == 1 for frame in frames)
