"""Core-guided lower bound on breaks (planner.scheduling.cores): valid on instances
whose optimum is known (by hand, by construction, by enumeration), and the schedule
it returns when the bound is reached has exactly that many breaks."""

import itertools
import random

import pytest

from planner.scheduling import check_schedule, parse_problem, participant_breaks
from planner.scheduling.bounds import participant_break_bounds
from planner.scheduling.cores import Interrupt, _sides, core_lower_bound
from planner.scheduling.generate import from_schedule, planted, realistic
from tests.scheduling.helpers import as_result


def _breaks(problem, slot_of):
    return sum(participant_breaks(problem, as_result(slot_of)["assignments"]).values())


def _pair_instance():
    # a: unavailable in 3, one morning-only meeting -> a break-free day is slots 1-2;
    # b: unavailable in 2, one afternoon-only meeting -> a break-free day is in 3-5;
    # their meeting cannot be in both days, so a or b has a break (optimum 1), while
    # each of them alone can meet back to back (per-participant bounds 0).
    return parse_problem({
        "slots": 5, "morning_slots": 2, "tables": 3, "fairness": None,
        "participants": [{"id": "a", "unavailable": [3]}, {"id": "b", "unavailable": [2]},
                         {"id": "c"}, {"id": "d"}],
        "meetings": [{"id": "ab", "participants": ["a", "b"]},
                     {"id": "ac", "participants": ["a", "c"], "session": "morning"},
                     {"id": "bd", "participants": ["b", "d"], "session": "afternoon"}]})


def test_pair_conflict_is_a_core_and_the_bound_is_reached():
    problem = _pair_instance()
    plb = participant_break_bounds(problem)
    assert plb == {"a": 0, "b": 0, "c": 0, "d": 0}
    res = core_lower_bound(problem, plb, dtime=5)
    assert res.lower_bound == 1
    assert res.cores == [["a", "b"]]
    assert res.slot_of is not None
    assert check_schedule(problem, as_result(res.slot_of)) == []
    assert _breaks(problem, res.slot_of) == 1


def test_triangle_in_three_slots_with_one_table_needs_one_break():
    problem = parse_problem({
        "slots": 3, "tables": 1, "fairness": None,
        "participants": [{"id": x} for x in "abc"],
        "meetings": [{"id": "m1", "participants": ["a", "b"]},
                     {"id": "m2", "participants": ["b", "c"]},
                     {"id": "m3", "participants": ["a", "c"]}]})
    assert _sides(problem) is None  # not bipartite: the general implied constraint
    res = core_lower_bound(problem, participant_break_bounds(problem), dtime=5)
    assert res.lower_bound == 1 and _breaks(problem, res.slot_of) == 1


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_bound_is_zero_and_reached_on_instances_built_from_zero_break_schedules(seed):
    data, _schedule = from_schedule(seed, firms=12, slots=8, tables=4)
    problem = parse_problem(data)
    res = core_lower_bound(problem, participant_break_bounds(problem), dtime=5)
    assert res.lower_bound == 0 and res.cores == []
    assert res.slot_of is not None and _breaks(problem, res.slot_of) == 0
    assert check_schedule(problem, as_result(res.slot_of)) == []


def test_bound_never_exceeds_zero_on_a_planted_instance():
    data, schedule = planted(3, firms=30, meetings=60, slots=10, tables=8)
    problem = parse_problem(data)
    assert _breaks(problem, schedule) == 0
    res = core_lower_bound(problem, participant_break_bounds(problem), dtime=3)
    assert res.lower_bound == 0


def _brute_force_min_breaks(problem):
    """Fewest breaks over all complete schedules (None if there is none)."""
    ms = problem.meetings
    best = None
    for combo in itertools.product(*[problem.allowed_slots(m) for m in ms]):
        slot_of = {m.id: s for m, s in zip(ms, combo, strict=True)}
        if check_schedule(problem, as_result(slot_of)):
            continue
        b = _breaks(problem, slot_of)
        best = b if best is None or b < best else best
    return best


def _tiny_random(seed):
    rng = random.Random(seed)
    ids = [f"f{i}" for i in range(5)]
    pairs = rng.sample(list(itertools.combinations(ids, 2)), 6)
    return parse_problem({
        "slots": 5, "morning_slots": 2, "tables": 2, "fairness": None,
        "participants": [{"id": f, "unavailable": rng.sample(range(1, 6), rng.randint(0, 1))}
                         for f in ids],
        "meetings": [{"id": f"m{i}", "participants": [a, b],
                      "session": rng.choice(["any", "any", "morning", "afternoon"])}
                     for i, (a, b) in enumerate(pairs)]})


# seeds of _tiny_random whose instance has a complete schedule (1 and 9 have none);
# their optima are 3, 1, 1, 0, 0, 1, 0, 1, 2
@pytest.mark.parametrize("seed", [0, 2, 3, 4, 5, 6, 7, 8, 10])
def test_bound_matches_enumeration_on_tiny_random_instances(seed):
    problem = _tiny_random(seed)
    optimum = _brute_force_min_breaks(problem)
    assert optimum is not None
    res = core_lower_bound(problem, participant_break_bounds(problem), dtime=10)
    # tiny: the loop always ends with a schedule, which is then optimal
    assert res.slot_of is not None
    assert res.lower_bound == optimum == _breaks(problem, res.slot_of)


def test_bench_mid_12_is_proven_to_need_four_breaks_and_solved():
    # the benchmark's "mid-12": the per-participant bounds and the flow LP give 2;
    # the optimum is 4: the loop proves it and finds a 4-break schedule
    problem = parse_problem(realistic(seed=2, firms=50, meetings=150, slots=12, morning=6,
                                      table_slack=1.1))
    plb = participant_break_bounds(problem)
    assert sum(plb.values()) == 2
    bounds = []
    res = core_lower_bound(problem, plb, dtime=4, on_bound=bounds.append)
    assert res.lower_bound == 4
    assert bounds == [lb for _, lb in res.trace] == [3, 4]
    assert len(res.cores) == 2 and ["in23", "jp9"] in res.cores
    assert res.slot_of is not None and _breaks(problem, res.slot_of) == 4
    assert check_schedule(problem, as_result(res.slot_of)) == []


def test_same_input_and_seed_give_the_same_bound_and_cores():
    data, _ = from_schedule(9, firms=14, slots=8, tables=4)
    problem = parse_problem(data)
    plb = participant_break_bounds(problem)
    a = core_lower_bound(problem, plb, dtime=2, seed=1)
    b = core_lower_bound(problem, plb, dtime=2, seed=1)
    assert (a.lower_bound, a.cores, a.slot_of) == (b.lower_bound, b.cores, b.slot_of)


def test_an_interrupt_stops_the_loop_before_its_next_solve():
    problem = _pair_instance()
    stop = Interrupt()
    stop.set()
    res = core_lower_bound(problem, participant_break_bounds(problem), dtime=5, interrupt=stop)
    assert (res.lower_bound, res.slot_of, res.cores, res.dtime) == (0, None, [], 0.0)
