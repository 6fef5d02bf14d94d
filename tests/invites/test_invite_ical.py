"""The iCalendar builder, checked with an independent parser (vobject)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject

from planner.invites import Attendee, Organizer, build_calendar, calendar_method

TOKYO = ZoneInfo("Asia/Tokyo")
KOLKATA = ZoneInfo("Asia/Kolkata")
DTSTAMP = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)
ORGANIZER = "mailto:cell@gujarat-invest.example"
TARO = "mailto:taro.yamada@suzuki-seiki.example"
PRIYA = "mailto:priya.shah@ahmedabad-tools.example"


def parse(data: bytes):
    return vobject.readOne(data.decode("utf-8"))


def unfolded_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def vevent_lines(data: bytes) -> list[str]:
    lines = unfolded_lines(data)
    return lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]


def tzid_of(prop) -> str:
    """The TZID vobject resolved: a tzinfo built from the calendar's own VTIMEZONE."""
    tzinfo = prop.value.tzinfo
    assert type(tzinfo).__name__ == "_tzicalvtz", f"not read from a VTIMEZONE: {tzinfo!r}"
    return vobject.icalendar.TimezoneComponent.pickTzid(tzinfo)


def attendees_by_address(vevent) -> dict[str, dict[str, list[str]]]:
    return {a.value: a.params for a in vevent.contents.get("attendee", [])}


# --- the calendar object ---------------------------------------------------------


def test_request_has_version_prodid_and_method_request(make_event):
    cal = parse(build_calendar([make_event()], "REQUEST", DTSTAMP))

    assert cal.version.value == "2.0"
    assert cal.prodid.value == "-//Delegation Planner//Invites 1.0//EN"
    assert cal.method.value == "REQUEST"
    assert len(cal.contents["vevent"]) == 1


def test_request_prodid_can_be_given(make_event):
    data = build_calendar([make_event()], "REQUEST", DTSTAMP, prodid="-//Example//Planner//EN")

    assert parse(data).prodid.value == "-//Example//Planner//EN"


def test_request_tokyo_start_is_venue_wall_time_and_correct_utc_and_ist(make_event):
    vevent = parse(build_calendar([make_event()], "REQUEST", DTSTAMP)).vevent

    start = vevent.dtstart.value
    assert tzid_of(vevent.dtstart) == "Asia/Tokyo"
    assert tzid_of(vevent.dtend) == "Asia/Tokyo"
    assert start.replace(tzinfo=None) == datetime(2025, 6, 2, 10, 0)
    assert start.astimezone(UTC) == datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    assert start.astimezone(KOLKATA).replace(tzinfo=None) == datetime(2025, 6, 2, 6, 30)
    assert vevent.dtend.value.astimezone(UTC) == datetime(2025, 6, 2, 1, 20, tzinfo=UTC)
    assert "DTSTART;TZID=Asia/Tokyo:20250602T100000" in vevent_lines(
        build_calendar([make_event()], "REQUEST", DTSTAMP)
    )


def test_request_start_given_in_utc_is_written_in_kolkata_venue_zone(make_event):
    event = make_event(
        start=datetime(2025, 11, 18, 9, 30, tzinfo=UTC),
        end=datetime(2025, 11, 18, 10, 30, tzinfo=UTC),
        tzid="Asia/Kolkata",
    )
    data = build_calendar([event], "REQUEST", DTSTAMP)
    vevent = parse(data).vevent

    assert tzid_of(vevent.dtstart) == "Asia/Kolkata"
    assert "DTSTART;TZID=Asia/Kolkata:20251118T150000" in vevent_lines(data)
    assert "DTEND;TZID=Asia/Kolkata:20251118T160000" in vevent_lines(data)
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2025, 11, 18, 9, 30, tzinfo=UTC)
    assert vevent.dtstart.value.astimezone(TOKYO).replace(tzinfo=None) == datetime(2025, 11, 18, 18, 30)


def test_vtimezone_with_matching_tzid_precedes_vevent(make_event):
    data = build_calendar([make_event()], "REQUEST", DTSTAMP)
    lines = unfolded_lines(data)
    cal = parse(data)

    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    assert [tz.tzid.value for tz in cal.contents["vtimezone"]] == ["Asia/Tokyo"]
    standard = cal.vtimezone.standard
    assert standard.tzoffsetto.value == "+0900"


def test_publish_with_two_venue_zones_has_one_vtimezone_each_before_events(make_event):
    tokyo = make_event(uid="a@planner.example")
    kolkata = make_event(
        uid="b@planner.example",
        start=datetime(2025, 11, 18, 15, 0, tzinfo=KOLKATA),
        end=datetime(2025, 11, 18, 16, 0, tzinfo=KOLKATA),
        tzid="Asia/Kolkata",
    )
    data = build_calendar([tokyo, kolkata, make_event(uid="c@planner.example")], "PUBLISH", DTSTAMP)
    lines = unfolded_lines(data)
    cal = parse(data)

    assert sorted(tz.tzid.value for tz in cal.contents["vtimezone"]) == ["Asia/Kolkata", "Asia/Tokyo"]
    last_vtimezone = max(i for i, line in enumerate(lines) if line == "END:VTIMEZONE")
    assert last_vtimezone < lines.index("BEGIN:VEVENT")


def test_utc_venue_zone_writes_z_times_and_no_vtimezone(make_event):
    data = build_calendar([make_event(tzid="UTC")], "REQUEST", DTSTAMP)

    assert "DTSTART:20250602T010000Z" in vevent_lines(data)
    assert "VTIMEZONE" not in data.decode()


def test_dtstamp_given_in_kolkata_is_written_in_utc(make_event):
    dtstamp = datetime(2025, 5, 20, 13, 45, tzinfo=KOLKATA)
    data = build_calendar([make_event()], "REQUEST", dtstamp)

    assert "DTSTAMP:20250520T081500Z" in vevent_lines(data)
    assert parse(data).vevent.dtstamp.value == datetime(2025, 5, 20, 8, 15, tzinfo=UTC)


def test_request_uid_sequence_and_status_are_as_given(make_event):
    vevent = parse(build_calendar([make_event(sequence=3)], "REQUEST", DTSTAMP)).vevent

    assert vevent.uid.value == "b2b-meeting-42@planner.example"
    assert vevent.sequence.value == "3"
    assert vevent.status.value == "CONFIRMED"


def test_request_texts_are_carried_with_newlines(make_event):
    vevent = parse(build_calendar([make_event()], "REQUEST", DTSTAMP)).vevent

    assert vevent.summary.value == "B2B: Suzuki Seiki × Ahmedabad Tools"
    assert vevent.description.value == (
        "Gujarat–Shizuoka B2B session, table 3\n"
        "IST: Mon 2 Jun 2025, 06:30–06:50\n"
        "JST: Mon 2 Jun 2025, 10:00–10:20"
    )
    assert vevent.location.value == "Granship, Shizuoka, table 3"


def test_url_and_categories_are_written_when_given(make_event):
    data = build_calendar(
        [make_event(url="https://planner.example/meetings/42", categories=("B2B", "Semiconductors"))],
        "REQUEST",
        DTSTAMP,
    )
    vevent = parse(data).vevent

    assert vevent.url.value == "https://planner.example/meetings/42"
    assert vevent.categories.value == ["B2B", "Semiconductors"]


def test_optional_properties_are_absent_when_not_given(make_event):
    names = {
        line.split(":")[0].split(";")[0]
        for line in vevent_lines(
            build_calendar([make_event(description="", location="")], "REQUEST", DTSTAMP)
        )
    }

    assert names == {
        "BEGIN",
        "END",
        "UID",
        "SEQUENCE",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "STATUS",
        "ORGANIZER",
        "ATTENDEE",
    }


def test_organizer_is_mailto_sender_with_cn(make_event):
    vevent = parse(build_calendar([make_event()], "REQUEST", DTSTAMP)).vevent

    assert vevent.organizer.value == ORGANIZER
    assert vevent.organizer.params["CN"] == ["Gujarat Investment Cell"]
    assert len(vevent.contents["organizer"]) == 1


def test_request_attendees_have_cn_role_partstat_and_rsvp_true(make_event):
    vevent = parse(build_calendar([make_event()], "REQUEST", DTSTAMP)).vevent

    assert attendees_by_address(vevent) == {
        TARO: {
            "CN": ["山田 太郎"],
            "ROLE": ["REQ-PARTICIPANT"],
            "PARTSTAT": ["NEEDS-ACTION"],
            "RSVP": ["TRUE"],
        },
        PRIYA: {
            "CN": ["Priya Shah"],
            "ROLE": ["REQ-PARTICIPANT"],
            "PARTSTAT": ["NEEDS-ACTION"],
            "RSVP": ["TRUE"],
        },
    }


def test_attendee_without_name_has_no_cn(make_event):
    vevent = parse(
        build_calendar([make_event(attendees=(Attendee("ops@shizuoka.example"),))], "REQUEST", DTSTAMP)
    ).vevent

    assert attendees_by_address(vevent) == {
        "mailto:ops@shizuoka.example": {
            "ROLE": ["REQ-PARTICIPANT"],
            "PARTSTAT": ["NEEDS-ACTION"],
            "RSVP": ["TRUE"],
        },
    }


def test_organizer_address_is_dropped_from_attendees_case_insensitively(make_event):
    attendees = (
        Attendee("Cell@Gujarat-Invest.EXAMPLE", "Gujarat Investment Cell"),
        Attendee("taro.yamada@suzuki-seiki.example", "山田 太郎"),
    )
    vevent = parse(build_calendar([make_event(attendees=attendees)], "REQUEST", DTSTAMP)).vevent

    assert list(attendees_by_address(vevent)) == [TARO]


def test_duplicate_attendee_is_listed_once(make_event):
    attendees = (
        Attendee("taro.yamada@suzuki-seiki.example", "山田 太郎"),
        Attendee("TARO.YAMADA@suzuki-seiki.example", "Taro Yamada"),
    )
    vevent = parse(build_calendar([make_event(attendees=attendees)], "REQUEST", DTSTAMP)).vevent

    assert [(a.value, a.params["CN"]) for a in vevent.contents["attendee"]] == [(TARO, ["山田 太郎"])]


def test_attendee_addresses_are_normalised(make_event):
    attendees = (Attendee("  MAILTO:Taro.Yamada@Suzuki-Seiki.EXAMPLE ", "山田 太郎"),)
    vevent = parse(build_calendar([make_event(attendees=attendees)], "REQUEST", DTSTAMP)).vevent

    assert list(attendees_by_address(vevent)) == ["mailto:Taro.Yamada@suzuki-seiki.example"]


def test_request_with_rsvp_false_attendee_writes_rsvp_false(make_event):
    attendees = (
        Attendee("priya.shah@ahmedabad-tools.example", "Priya Shah", role="OPT-PARTICIPANT", rsvp=False),
    )
    vevent = parse(build_calendar([make_event(attendees=attendees)], "REQUEST", DTSTAMP)).vevent

    assert attendees_by_address(vevent)[PRIYA] == {
        "CN": ["Priya Shah"],
        "ROLE": ["OPT-PARTICIPANT"],
        "PARTSTAT": ["NEEDS-ACTION"],
        "RSVP": ["FALSE"],
    }


def test_no_rrule_is_ever_written(make_event):
    for method in ("REQUEST", "CANCEL", "PUBLISH"):
        data = build_calendar([make_event()], method, DTSTAMP)
        assert not any(line.startswith(("RRULE", "RDATE", "EXDATE")) for line in vevent_lines(data))


def test_same_input_gives_identical_bytes(make_event):
    assert build_calendar([make_event()], "REQUEST", DTSTAMP) == build_calendar(
        [make_event()], "REQUEST", DTSTAMP
    )


def test_calendar_method_reads_method_of_built_calendar(make_event):
    assert calendar_method(build_calendar([make_event()], "CANCEL", DTSTAMP)) == "CANCEL"


def test_calendar_method_rejects_bytes_that_are_not_a_calendar():
    with pytest.raises(ValueError):
        calendar_method(b"hello")


# --- one event per invite, PUBLISH feeds ---------------------------------------


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_two_events_with_request_or_cancel_raise_value_error(make_event, method):
    with pytest.raises(ValueError, match="exactly one event"):
        build_calendar([make_event(uid="a@x.example"), make_event(uid="b@x.example")], method, DTSTAMP)


def test_no_event_raises_value_error():
    with pytest.raises(ValueError):
        build_calendar([], "PUBLISH", DTSTAMP)


def test_publish_holds_many_events_without_rsvp_and_keeps_partstat(make_event):
    accepted = (
        Attendee("taro.yamada@suzuki-seiki.example", "山田 太郎", partstat="ACCEPTED"),
        Attendee("priya.shah@ahmedabad-tools.example", "Priya Shah", partstat="DECLINED"),
    )
    events = [
        make_event(uid="m-1@planner.example", attendees=accepted),
        make_event(uid="m-2@planner.example", sequence=2, status="CANCELLED"),
        make_event(uid="m-3@planner.example", status="TENTATIVE"),
    ]
    data = build_calendar(events, "PUBLISH", DTSTAMP, calendar_name="Agenda: 山田 太郎")
    cal = parse(data)

    assert cal.method.value == "PUBLISH"
    assert [(e.uid.value, e.sequence.value, e.status.value) for e in cal.contents["vevent"]] == [
        ("m-1@planner.example", "0", "CONFIRMED"),
        ("m-2@planner.example", "2", "CANCELLED"),
        ("m-3@planner.example", "0", "TENTATIVE"),
    ]
    assert attendees_by_address(cal.contents["vevent"][0]) == {
        TARO: {"CN": ["山田 太郎"], "ROLE": ["REQ-PARTICIPANT"], "PARTSTAT": ["ACCEPTED"]},
        PRIYA: {"CN": ["Priya Shah"], "ROLE": ["REQ-PARTICIPANT"], "PARTSTAT": ["DECLINED"]},
    }
    assert "RSVP" not in data.decode()
    assert cal.contents["x-wr-calname"][0].value == "Agenda: 山田 太郎"


def test_publish_with_duplicate_uids_raises_value_error(make_event):
    with pytest.raises(ValueError, match="unique"):
        build_calendar([make_event(), make_event()], "PUBLISH", DTSTAMP)


# --- lifecycle: REQUEST → REQUEST (new time) → CANCEL -----------------------------


def test_lifecycle_request_update_cancel_keeps_uid_and_raises_sequence(make_event):
    created = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)
    moved = created + timedelta(days=2)
    cancelled = created + timedelta(days=5)
    first = parse(build_calendar([make_event(sequence=0)], "REQUEST", created))
    second = parse(
        build_calendar(
            [
                make_event(
                    sequence=1,
                    start=datetime(2025, 6, 2, 14, 0, tzinfo=TOKYO),
                    end=datetime(2025, 6, 2, 14, 20, tzinfo=TOKYO),
                )
            ],
            "REQUEST",
            moved,
        )
    )
    third = parse(
        build_calendar(
            [
                make_event(
                    sequence=2,
                    start=datetime(2025, 6, 2, 14, 0, tzinfo=TOKYO),
                    end=datetime(2025, 6, 2, 14, 20, tzinfo=TOKYO),
                )
            ],
            "CANCEL",
            cancelled,
        )
    )

    assert [c.method.value for c in (first, second, third)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert {c.vevent.uid.value for c in (first, second, third)} == {"b2b-meeting-42@planner.example"}
    assert [c.vevent.sequence.value for c in (first, second, third)] == ["0", "1", "2"]
    assert [c.vevent.dtstamp.value for c in (first, second, third)] == [created, moved, cancelled]
    assert [c.vevent.status.value for c in (first, second, third)] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert second.vevent.dtstart.value.astimezone(UTC) == datetime(2025, 6, 2, 5, 0, tzinfo=UTC)
    assert third.vevent.dtstart.value == second.vevent.dtstart.value


def test_cancel_repeats_organizer_attendees_dtstart_and_sets_status_cancelled(make_event):
    cal = parse(build_calendar([make_event(sequence=1, status="CONFIRMED")], "CANCEL", DTSTAMP))
    vevent = cal.vevent

    assert cal.method.value == "CANCEL"
    assert vevent.status.value == "CANCELLED"
    assert vevent.sequence.value == "1"
    assert vevent.organizer.value == ORGANIZER
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    assert attendees_by_address(vevent) == {
        TARO: {"CN": ["山田 太郎"], "ROLE": ["REQ-PARTICIPANT"], "PARTSTAT": ["NEEDS-ACTION"]},
        PRIYA: {"CN": ["Priya Shah"], "ROLE": ["REQ-PARTICIPANT"], "PARTSTAT": ["NEEDS-ACTION"]},
    }


def test_request_for_cancelled_event_raises_value_error(make_event):
    with pytest.raises(ValueError, match="CANCEL"):
        build_calendar([make_event(status="CANCELLED")], "REQUEST", DTSTAMP)


# --- invalid input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": datetime(2025, 6, 2, 10, 0), "end": datetime(2025, 6, 2, 10, 20)}, "timezone-aware"),
        ({"end": datetime(2025, 6, 2, 9, 0, tzinfo=TOKYO)}, "after start"),
        ({"end": datetime(2025, 6, 2, 10, 0, tzinfo=TOKYO)}, "after start"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"sequence": "1"}, "SEQUENCE"),
        ({"tzid": "Asia/Nowhere"}, "time zone"),
        ({"tzid": ""}, "time zone"),
        ({"uid": ""}, "UID"),
        ({"uid": "m-1@planner.example\r\nATTENDEE:mailto:x@evil.example"}, "UID"),
        ({"status": "MAYBE"}, "status"),
        ({"url": "javascript:alert(1)"}, "URL"),
        ({"attendees": (Attendee("taro@x.example", partstat="YES"),)}, "partstat"),
        ({"attendees": (Attendee("taro@x.example", role="BOSS"),)}, "role"),
        ({"attendees": (Attendee("not-an-address"),)}, "email"),
        ({"organizer": Organizer("cell@gujarat\r\n.example", "Cell")}, "control character"),
    ],
)
def test_invalid_event_raises_value_error(make_event, overrides, message):
    with pytest.raises(ValueError, match=message):
        build_calendar([make_event(**overrides)], "REQUEST", DTSTAMP)


def test_naive_dtstamp_raises_value_error(make_event):
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar([make_event()], "REQUEST", datetime(2025, 5, 20, 8, 15))


@pytest.mark.parametrize("method", ["REPLY", "COUNTER", "", "REQUEST\r\nX"])
def test_unsupported_method_raises_value_error(make_event, method):
    with pytest.raises(ValueError, match="method"):
        build_calendar([make_event()], method, DTSTAMP)


def test_method_is_case_insensitive(make_event):
    assert parse(build_calendar([make_event()], "request", DTSTAMP)).method.value == "REQUEST"


# --- hostile input ---------------------------------------------------------------

HOSTILE = "\r\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\r\nX-EVIL:1"


def test_hostile_names_texts_and_uid_cannot_add_a_property_or_an_attendee(make_event):
    event = make_event(
        summary='Meeting"' + HOSTILE + "\rORGANIZER:mailto:mallory@evil.example",
        description="IST 06:30" + HOSTILE + "\x00\x1b[31m",
        location="Table 3\nEND:VEVENT\r\nBEGIN:VEVENT",
        organizer=Organizer("cell@gujarat-invest.example", 'Cell"' + HOSTILE),
        attendees=(
            Attendee("taro.yamada@suzuki-seiki.example", '山田 "太郎"' + HOSTILE + '\x07";RSVP=FALSE'),
            Attendee("priya.shah@ahmedabad-tools.example", "Priya\tShah\x0b\x85\u2028:mailto:x@evil.example"),
        ),
        categories=("B2B" + HOSTILE,),
    )
    data = build_calendar([event], "REQUEST", DTSTAMP)
    cal = parse(data)
    vevent = cal.vevent

    assert len(cal.contents["vevent"]) == 1
    assert sorted(vevent.contents) == [
        "attendee",
        "categories",
        "description",
        "dtend",
        "dtstamp",
        "dtstart",
        "location",
        "organizer",
        "sequence",
        "status",
        "summary",
        "uid",
    ]
    assert [a.value for a in vevent.contents["attendee"]] == [TARO, PRIYA]
    assert [o.value for o in vevent.contents["organizer"]] == [ORGANIZER]
    assert attendees_by_address(vevent)[TARO] == {
        "CN": ["山田 太郎 ATTENDEE;CN=Mallory:mailto:mallory@evil.example X-EVIL:1;RSVP=FALSE"],
        "ROLE": ["REQ-PARTICIPANT"],
        "PARTSTAT": ["NEEDS-ACTION"],
        "RSVP": ["TRUE"],
    }
    assert attendees_by_address(vevent)[PRIYA]["CN"] == ["Priya Shah :mailto:x@evil.example"]
    assert vevent.organizer.params["CN"] == ["Cell ATTENDEE;CN=Mallory:mailto:mallory@evil.example X-EVIL:1"]
    assert vevent.summary.value == (
        'Meeting"\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\nX-EVIL:1\n'
        "ORGANIZER:mailto:mallory@evil.example"
    )
    assert vevent.description.value == (
        "IST 06:30\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\nX-EVIL:1[31m"
    )
    assert vevent.location.value == "Table 3\nEND:VEVENT\nBEGIN:VEVENT"
    physical_property_lines = [
        line for line in data.decode().split("\r\n") if line and not line.startswith(" ")
    ]
    assert sum(line.startswith("ATTENDEE") for line in physical_property_lines) == 2
    assert not any(line.startswith(("X-EVIL", "BEGIN:VEVENT\\")) for line in physical_property_lines)
    assert b"\x00" not in data and b"\x1b" not in data and b"\x07" not in data


def test_lone_cr_in_text_is_escaped_not_written_raw(make_event):
    data = build_calendar([make_event(summary="a\rb")], "REQUEST", DTSTAMP)

    assert b"\r" not in data.replace(b"\r\n", b"")
    assert "SUMMARY:a\\nb" in vevent_lines(data)


def test_control_characters_are_stripped_from_texts_and_newlines_kept(make_event):
    vevent = parse(
        build_calendar(
            [make_event(description="IST 06:30\r\nJST 10:00\x07\x1b\x7f\u202e", summary="B2B\x00\tTalk")],
            "REQUEST",
            DTSTAMP,
        )
    ).vevent

    assert vevent.description.value == "IST 06:30\nJST 10:00"
    assert vevent.summary.value == "B2B Talk"


def test_text_special_characters_are_escaped_by_the_library(make_event):
    data = build_calendar([make_event(location="Hall A; Floor 2, Room \\3")], "REQUEST", DTSTAMP)

    assert "LOCATION:Hall A\\; Floor 2\\, Room \\\\3" in vevent_lines(data)
    assert parse(data).vevent.location.value == "Hall A; Floor 2, Room \\3"


@pytest.mark.parametrize(
    "address",
    [
        "taro@suzuki-seiki.example\r\nATTENDEE:mailto:mallory@evil.example",
        "taro@suzuki-seiki.example\n",
        "taro@suzuki-seiki.example\r",
        "taro\x00@suzuki-seiki.example",
        '"taro"@suzuki-seiki.example',
        "Taro <taro@suzuki-seiki.example>",
        "taro@suzuki-seiki.example, mallory@evil.example",
    ],
)
def test_attendee_address_with_crlf_or_extra_syntax_raises_value_error(make_event, address):
    with pytest.raises(ValueError):
        build_calendar([make_event(attendees=(Attendee(address, "Taro"),))], "REQUEST", DTSTAMP)


# --- line folding ----------------------------------------------------------------


def test_long_japanese_title_folds_at_75_octets_without_splitting_characters(make_event):
    title = "静岡県・グジャラート州 B2B 商談会：半導体・電子部品・EV部品 🚗 " * 5
    data = build_calendar(
        [make_event(summary=title, description="説明 " * 60, location="グランシップ" * 20)],
        "REQUEST",
        DTSTAMP,
    )

    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # raises if a multi-byte character was split
    assert sum(line.startswith(b" ") for line in lines) > 10
    vevent = parse(data).vevent
    assert vevent.summary.value == title
    assert vevent.location.value == "グランシップ" * 20


def test_long_japanese_attendee_name_folds_and_reads_back(make_event):
    name = "株式会社スズキ精機 海外事業部 部長 山田 太郎" * 3
    data = build_calendar(
        [make_event(attendees=(Attendee("taro.yamada@suzuki-seiki.example", name),))], "REQUEST", DTSTAMP
    )

    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert parse(data).vevent.attendee.params["CN"] == [name]


def test_every_line_of_calendar_ends_with_crlf(make_event):
    data = build_calendar([make_event()], "REQUEST", DTSTAMP)

    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.count(b"\r") == data.count(b"\r\n")
    assert re.fullmatch(rb"BEGIN:VCALENDAR\r\n.*END:VCALENDAR\r\n", data, flags=re.S)
