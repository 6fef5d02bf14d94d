"""The tracker's counting, as a pure function: year boundaries on both bases, and the four target statuses."""

from datetime import date

import pytest

from planner.exchanges.tracker import (
    DelegationFact,
    RegionRef,
    year_bounds,
    year_label,
    year_of,
    year_report,
    years_with_data,
)

GJ, UP, MH, AP = (RegionRef("IN-GJ", "Gujarat", "IN"), RegionRef("IN-UP", "Uttar Pradesh", "IN"),
                  RegionRef("IN-MH", "Maharashtra", "IN"), RegionRef("IN-AP", "Andhra Pradesh", "IN"))
SZ, YN, WK, TY = (RegionRef("JP-22", "Shizuoka", "JP"), RegionRef("JP-19", "Yamanashi", "JP"),
                  RegionRef("JP-30", "Wakayama", "JP"), RegionRef("JP-16", "Toyama", "JP"))


def visit(day, state, prefecture, status="completed", direction="IN_JP", partnership=""):
    sending, host = ((state,), (prefecture,)) if direction == "IN_JP" else ((prefecture,), (state,))
    return DelegationFact(day, status, direction, sending, host, partnership)


def report(facts, year, basis="calendar", today=date(2030, 1, 1), states=3, prefectures=3):
    return year_report(facts, year, basis=basis, target_states=states, target_prefectures=prefectures, today=today)


@pytest.mark.parametrize(("day", "basis", "expected"), [
    (date(2026, 3, 31), "calendar", 2026), (date(2026, 4, 1), "calendar", 2026),
    (date(2026, 3, 31), "fiscal", 2025), (date(2026, 4, 1), "fiscal", 2026),
    (date(2026, 12, 31), "calendar", 2026), (date(2027, 1, 1), "calendar", 2027),
    (date(2027, 1, 1), "fiscal", 2026), (date(2027, 3, 31), "fiscal", 2026),
])
def test_year_of_day_on_each_basis(day, basis, expected):
    assert year_of(day, basis) == expected


def test_fiscal_year_runs_april_to_march_and_is_labelled_with_both_years():
    assert year_bounds(2026, "fiscal") == (date(2026, 4, 1), date(2027, 3, 31))
    assert year_label(2026, "fiscal") == "FY2026-27"
    assert year_label(2099, "fiscal") == "FY2099-00"
    assert (year_bounds(2026, "calendar"), year_label(2026, "calendar")) == (
        (date(2026, 1, 1), date(2026, 12, 31)), "2026")


def test_visit_on_31_march_counts_in_the_previous_fiscal_year_and_the_same_calendar_year():
    facts = [visit(date(2026, 3, 31), GJ, SZ)]
    assert [r.code for r in report(facts, 2025, "fiscal").completed_states] == ["IN-GJ"]
    assert report(facts, 2026, "fiscal").completed_states == []
    assert [r.code for r in report(facts, 2026, "calendar").completed_prefectures] == ["JP-22"]


def test_visit_on_1_april_counts_in_the_new_fiscal_year():
    facts = [visit(date(2026, 4, 1), UP, YN)]
    assert report(facts, 2025, "fiscal").completed_states == []
    assert [r.code for r in report(facts, 2026, "fiscal").completed_states] == ["IN-UP"]
    assert [r.code for r in report(facts, 2026, "calendar").completed_states] == ["IN-UP"]


def test_target_met_with_three_states_and_three_prefectures_completed():
    facts = [visit(date(2025, 5, 1), GJ, SZ), visit(date(2025, 7, 1), UP, YN, direction="JP_IN"),
             visit(date(2025, 11, 1), MH, WK)]
    result = report(facts, 2025, today=date(2025, 12, 1))
    assert result.status == "met"
    assert [r.name for r in result.completed_states] == ["Gujarat", "Maharashtra", "Uttar Pradesh"]
    assert [r.name for r in result.completed_prefectures] == ["Shizuoka", "Wakayama", "Yamanashi"]


def test_target_on_track_when_confirmed_visits_fill_the_gap_while_the_year_runs():
    facts = [visit(date(2026, 5, 1), GJ, SZ), visit(date(2026, 7, 1), UP, YN),
             visit(date(2026, 12, 1), MH, WK, status="confirmed")]
    result = report(facts, 2026, today=date(2026, 11, 25))
    assert result.status == "on_track"
    assert [r.code for r in result.confirmed_states] == ["IN-MH"]


def test_target_at_risk_when_even_confirmed_visits_fall_short():
    facts = [visit(date(2026, 5, 1), GJ, SZ), visit(date(2026, 12, 1), UP, YN, status="confirmed")]
    assert report(facts, 2026, today=date(2026, 11, 25)).status == "at_risk"


def test_a_year_still_to_come_is_not_started_unless_its_visits_already_reach_the_target():
    facts = [visit(date(2027, 5, 1), GJ, SZ, status="confirmed")]
    assert report(facts, 2027, today=date(2026, 11, 25)).status == "not_started"
    assert report(facts, 2027, today=date(2027, 1, 1)).status == "at_risk"
    facts += [visit(date(2027, 6, 1), UP, YN, status="confirmed"), visit(date(2027, 7, 1), MH, WK, status="confirmed")]
    assert report(facts, 2027, today=date(2026, 11, 25)).status == "on_track"


def test_target_missed_when_the_year_is_over_without_enough_completed():
    facts = [visit(date(2024, 5, 1), GJ, SZ), visit(date(2024, 7, 1), UP, YN),
             visit(date(2024, 12, 1), MH, WK, status="confirmed")]
    assert report(facts, 2024, today=date(2025, 1, 1)).status == "missed"
    assert report(facts, 2024, today=date(2024, 12, 31)).status == "on_track"


def test_fiscal_year_is_over_only_after_31_march():
    facts = [visit(date(2026, 5, 1), GJ, SZ)]
    assert report(facts, 2026, "fiscal", today=date(2027, 3, 31)).status == "at_risk"
    assert report(facts, 2026, "fiscal", today=date(2027, 4, 1)).status == "missed"


def test_a_region_both_completed_and_confirmed_counts_once_as_completed():
    facts = [visit(date(2026, 5, 1), GJ, SZ), visit(date(2026, 12, 1), GJ, SZ, status="confirmed")]
    result = report(facts, 2026, today=date(2026, 6, 1))
    assert ([r.code for r in result.completed_states], result.confirmed_states) == (["IN-GJ"], [])
    assert result.sent[GJ] == {"completed": 1, "confirmed": 1}


def test_planning_and_cancelled_delegations_do_not_count():
    facts = [visit(date(2026, 5, 1), GJ, SZ, status="planning"), visit(date(2026, 6, 1), UP, YN, status="cancelled")]
    result = report(facts, 2026, today=date(2026, 6, 1))
    assert (result.completed_states, result.confirmed_states, result.by_direction) == ([], [], {})


def test_sent_and_hosted_follow_the_direction_and_partnership_counts_per_direction():
    facts = [visit(date(2025, 5, 1), GJ, SZ, direction="JP_IN", partnership="Gujarat–Shizuoka"),
             visit(date(2025, 9, 1), GJ, SZ, partnership="Gujarat–Shizuoka", status="confirmed")]
    result = report(facts, 2025, today=date(2025, 6, 1))
    assert result.sent == {SZ: {"completed": 1}, GJ: {"confirmed": 1}}
    assert result.hosted == {GJ: {"completed": 1}, SZ: {"confirmed": 1}}
    assert result.by_partnership["Gujarat–Shizuoka"] == {("JP_IN", "completed"): 1, ("IN_JP", "confirmed"): 1}


def test_targets_are_settings():
    facts = [visit(date(2025, 5, 1), GJ, SZ)]
    assert report(facts, 2025, states=1, prefectures=1).status == "met"
    assert report(facts, 2025, states=1, prefectures=2).status == "missed"


def test_years_with_data_depend_on_the_basis():
    facts = [visit(date(2026, 3, 31), GJ, SZ), visit(date(2026, 4, 1), UP, YN)]
    assert years_with_data(facts, "calendar") == [2026]
    assert years_with_data(facts, "fiscal") == [2025, 2026]


def test_years_run_from_the_first_with_data_to_today_with_no_gap_and_future_visits_kept():
    # a year with no visit is a year the target was missed, and the current year the one being worked on:
    # the overview listed neither
    facts = [visit(date(2023, 5, 19), GJ, SZ), visit(date(2025, 5, 19), UP, YN), visit(date(2029, 2, 1), GJ, SZ)]
    assert years_with_data(facts, "calendar", date(2026, 11, 26)) == [2023, 2024, 2025, 2026, 2029]
    assert years_with_data(facts, "fiscal", date(2026, 3, 1)) == [2023, 2024, 2025, 2028]
    assert years_with_data([], "calendar", date(2026, 11, 26)) == []  # nothing yet: nothing to list
    assert years_with_data([visit(date(2028, 5, 1), GJ, SZ)], "calendar", date(2026, 11, 26)) == [2026, 2028]


def test_unknown_basis_is_refused():
    with pytest.raises(ValueError):
        report([], 2026, basis="lunar")
