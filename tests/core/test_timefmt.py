from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core.timefmt import dual_time, format_local, local_to_utc


def test_dual_time_shows_one_instant_in_ist_and_jst():
    instant = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)
    assert str(dual_time(instant)) == "Thu 15 Oct 2026, 06:30 IST · Thu 15 Oct 2026, 10:00 JST"


def test_dual_time_crosses_midnight_in_japan_only():
    instant = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)  # 23:30 IST on 31 March, 03:00 JST on 1 April
    both = dual_time(instant)
    assert (both.ist.day, both.ist.hour, both.ist.minute) == (31, 23, 30)
    assert (both.jst.month, both.jst.day, both.jst.hour) == (4, 1, 3)


def test_dual_time_in_two_lines_dates_japan_only_when_it_is_another_day():
    # the email log's narrow columns: the same date twice made the table wider than a laptop's screen
    assert dual_time(datetime(2026, 10, 15, 1, 0, tzinfo=UTC)).lines == ("Thu 15 Oct 2026, 06:30 IST", "10:00 JST")
    assert dual_time(datetime(2026, 3, 31, 18, 0, tzinfo=UTC)).lines == (
        "Tue 31 Mar 2026, 23:30 IST", "Wed 1 Apr 2026, 03:00 JST")


def test_venue_wall_time_is_converted_to_utc():
    assert local_to_utc(datetime(2026, 10, 15, 10, 0), "Asia/Tokyo") == datetime(2026, 10, 15, 1, 0, tzinfo=UTC)
    assert local_to_utc(datetime(2026, 10, 15, 10, 0), "Asia/Kolkata") == datetime(2026, 10, 15, 4, 30, tzinfo=UTC)


def test_dual_time_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        dual_time(datetime(2026, 1, 1, 9, 0))


def test_format_local_without_date_shows_the_clock_only():
    assert format_local(datetime(2026, 1, 5, 9, 5, tzinfo=ZoneInfo("Asia/Tokyo")), with_date=False) == "09:05"


def test_a_time_the_clocks_skip_does_not_exist_and_one_they_pass_twice_means_the_first():
    from planner.core.timefmt import local_exists

    assert not local_exists(datetime(2027, 3, 28, 1, 30), "Europe/London")  # clocks go 01:00 → 02:00
    assert local_exists(datetime(2027, 3, 28, 2, 30), "Europe/London")
    assert local_exists(datetime(2027, 3, 28, 1, 30), "Asia/Tokyo")
    assert local_exists(datetime(2027, 10, 31, 1, 30), "Europe/London")  # passed twice (BST, then GMT)
    assert local_to_utc(datetime(2027, 10, 31, 1, 30), "Europe/London") == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_an_iso_date_kept_as_text_is_formatted_like_a_date(app):
    from flask_babel import force_locale

    from planner.core.timefmt import format_iso_date

    with app.test_request_context(), force_locale("ja"):
        assert format_iso_date("2026-11-20") == "2026年11月20日(金)"
        assert (format_iso_date(""), format_iso_date("not a date")) == ("", "not a date")
