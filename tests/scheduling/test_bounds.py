"""Lower bounds on breaks and upper bounds on placeable meetings (hand-computed)."""

import pytest

from planner.scheduling import parse_problem
from planner.scheduling.bounds import (
    flow_upper_bound,
    lp_upper_bound,
    min_runs_lower_bound,
    participant_break_bounds,
    placement_upper_bound,
)


@pytest.mark.parametrize("domains, expected", [
    ([], 0),
    ([[2]], 0),
    ([[1, 2, 3], [1, 2, 3]], 0),             # any two adjacent slots
    ([[1], [3]], 1),                         # forced gap at slot 2
    ([[1], [2], [4]], 1),
    ([[1], [3], [5]], 2),
    ([[1], [3], [5], [1, 2, 3, 4, 5, 6]], 1),  # the free meeting fills one gap (slot 2 or 4)
    ([[1], [3], [5], [2, 4]], 1),
    ([[1], [4], [2, 3], [2, 3]], 0),          # 1,2,3,4 in one run
    ([[1], [6], [1, 2], [5, 6]], 1),          # 1,2 and 5,6: two runs
    ([[1], [1]], None),                      # cannot both be placed
    ([[1, 2], [1, 2], [1, 2]], None),
])
def test_min_runs_lower_bound_hand_computed(domains, expected):
    assert min_runs_lower_bound(domains) == expected


def test_session_restrictions_are_per_meeting_and_may_touch_at_the_boundary():
    # morning = 1..3, afternoon = 4..6: a morning and an afternoon meeting can be 3, 4
    data = {"slots": 6, "morning_slots": 3, "tables": 2,
            "participants": [{"id": "a"}, {"id": "b"}, {"id": "c", "unavailable": [3]}],
            "meetings": [{"id": "m1", "participants": ["a", "b"], "session": "morning"},
                         {"id": "m2", "participants": ["a", "c"], "session": "afternoon"}]}
    assert participant_break_bounds(parse_problem(data)) == {"a": 0, "b": 0, "c": 0}
    # if b cannot take slot 3 either, a's morning meeting is at most slot 2: one break
    data["participants"][1]["unavailable"] = [3]
    assert participant_break_bounds(parse_problem(data))["a"] == 1


def test_partner_unavailability_and_fixed_slots_count():
    # a meets b (b free only in 1) and c (c free only in 3); d's meetings: fixed 1 and 4
    data = {"slots": 4, "tables": 4,
            "participants": [{"id": "a"}, {"id": "b", "unavailable": [2, 3, 4]},
                             {"id": "c", "unavailable": [1, 2, 4]}, {"id": "d"},
                             {"id": "e"}, {"id": "f"}],
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["a", "c"]},
                         {"id": "m3", "participants": ["d", "e"], "fixed_slot": 1},
                         {"id": "m4", "participants": ["d", "f"], "fixed_slot": 4},
                         {"id": "m5", "participants": ["d", "a"]}]}
    lb = participant_break_bounds(parse_problem(data))
    # a: slots 1 and 3 forced, m5 at 2 closes the gap -> 0; d: 1, 4 and one of 2, 3 -> 1
    assert lb == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 0, "f": 0}


def _firms(*ids):
    return [{"id": f} for f in ids]


def test_placement_upper_bound_odd_triangle_in_two_slots():
    data = {"slots": 2, "tables": 3, "participants": _firms("a", "b", "c"),
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["b", "c"]},
                         {"id": "m3", "participants": ["a", "c"]}]}
    p = parse_problem(data)
    # flow: each firm can host 2 of its 2 meetings -> no deficit; per slot 3 firms -> 1
    assert flow_upper_bound(p) == 2
    assert placement_upper_bound(p) == 2


def test_placement_upper_bound_tables_interpreters_and_firm_deficit():
    data = {"slots": 1, "tables": 2, "interpreters": 1,
            "participants": _firms("a", "b", "c", "d", "e", "f"),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "needs_interpreter": True},
                         {"id": "m2", "participants": ["c", "d"], "needs_interpreter": True},
                         {"id": "m3", "participants": ["e", "f"]}]}
    p = parse_problem(data)
    assert flow_upper_bound(p) == 2 and lp_upper_bound(p) == 2
    # a firm with three meetings and two slots: one of them cannot be placed
    data = {"slots": 2, "tables": 5, "participants": _firms("a", "b", "c", "d"),
            "meetings": [{"id": f"m{i}", "participants": ["a", x]}
                         for i, x in enumerate("bcd")]}
    assert placement_upper_bound(parse_problem(data)) == 2


# -- flow LP bound on breaks (interaction of participants) ----------------------

def _triangle(slots):
    from planner.scheduling import parse_problem as pp
    return pp({"slots": slots, "tables": 1, "fairness": None,
               "participants": [{"id": x} for x in "abc"],
               "meetings": [{"id": "m1", "participants": ["a", "b"]},
                            {"id": "m2", "participants": ["b", "c"]},
                            {"id": "m3", "participants": ["a", "c"]}]})


def test_flow_lp_bound_sees_a_break_that_no_participant_alone_forces():
    # three pairwise meetings in three slots, one table: the firm whose meetings are
    # in slots 1 and 3 has a break; each firm alone could meet back to back
    from planner.scheduling.bounds import flow_lp_break_bound
    problem = _triangle(3)
    assert sum(participant_break_bounds(problem).values()) == 0
    assert flow_lp_break_bound(problem) == 1


def test_flow_lp_bound_is_a_relaxation_and_respects_the_arc_cap():
    from planner.scheduling.bounds import flow_lp_break_bound
    # in four slots the optimum still has one break; the LP may only say 0 (valid)
    assert flow_lp_break_bound(_triangle(4)) in (0, 1)
    assert flow_lp_break_bound(_triangle(3), max_arcs=1) is None
    # counted by hand: each firm's day graph (2 meetings in 3 slots) has 2 + 3 + 3 arcs;
    # the cap is on the total of the three, and counted before the LP is built
    assert flow_lp_break_bound(_triangle(3), max_arcs=24) == 1
    assert flow_lp_break_bound(_triangle(3), max_arcs=23) is None


@pytest.mark.parametrize("seed", range(4))
def test_flow_lp_bound_never_exceeds_the_proven_optimum(seed):
    from planner.scheduling import solve
    from planner.scheduling.bounds import flow_lp_break_bound
    from planner.scheduling.generate import realistic
    data = realistic(seed=seed, firms=8, meetings=10, slots=5, morning=3, table_slack=1.3,
                     fairness=None)
    problem = parse_problem(data)
    res = solve(problem, time_limit=5, seed=0)
    if res["scheduled"] < len(problem.meetings):
        pytest.skip("not every meeting fits")
    bound = flow_lp_break_bound(problem, participant_break_bounds(problem))
    assert bound is not None and bound <= res["breaks_total"]
    if res["status"] == "optimal":
        assert res["breaks_lower_bound"] >= bound or res["breaks_total"] == bound


def test_flow_lp_bound_proves_the_small_benchmark_instance():
    # bench "small-8": per-participant bounds sum to 0, the annealing finds 8 breaks;
    # the flow LP proves 8
    from planner.scheduling.bounds import flow_lp_break_bound
    from planner.scheduling.generate import realistic
    problem = parse_problem(realistic(seed=1, firms=30, meetings=100, slots=8, morning=4,
                                      table_slack=1.15))
    plb = participant_break_bounds(problem)
    assert sum(plb.values()) == 0
    assert flow_lp_break_bound(problem, plb) == 8
