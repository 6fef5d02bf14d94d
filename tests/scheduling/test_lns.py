"""LNS on breaks (planner.scheduling.lns): every step keeps the hard constraints and
the placement (independent checker), never makes the schedule worse, is
deterministic, and repairs a fairness excess the annealing cannot."""

import pytest

from planner.scheduling import check_schedule, first_fit, parse_problem, participant_breaks
from planner.scheduling.generate import planted, realistic
from planner.scheduling.lns import lns_breaks
from planner.scheduling.localsearch import repair_placement
from tests.scheduling.helpers import as_result


def _value(problem, slot_of):
    """(fairness excess, total breaks), as the LNS orders them."""
    br = participant_breaks(problem, as_result(slot_of)["assignments"])
    vals = [br[p] for p in {p for m in problem.meetings for p in m.participants}]
    d = problem.fairness
    excess = 0 if d is None else max(0, max(vals) - min(vals) - d)
    return excess, sum(br.values())


@pytest.mark.parametrize("seed", [1, 2])
def test_lns_keeps_hard_constraints_and_placement_and_never_gets_worse(seed):
    data = realistic(seed, firms=30, meetings=90, slots=10, morning=5, interpreters=3)
    data["precedences"] = [["m1", "m2"], ["m4", "m9"], ["m10", "m3"]]
    problem = parse_problem(data)
    start = repair_placement(problem, first_fit(problem), 100_000, seed=0)
    assert check_schedule(problem, as_result(start)) == []
    prev = start
    # several short runs chained: each one must keep everything and not get worse
    for k in range(4):
        res = lns_breaks(problem, prev, budget=0.15, seed=seed + k)
        assert set(res.slot_of) == set(start)
        assert check_schedule(problem, as_result(res.slot_of)) == []
        assert _value(problem, res.slot_of) <= _value(problem, prev)
        prev = res.slot_of
    # from a first-fit start there is much to gain
    assert _value(problem, prev)[1] < _value(problem, start)[1]


def test_lns_is_deterministic_for_a_seed():
    data, _ = planted(3, firms=40, meetings=120, slots=10, morning=5, tables=10)
    problem = parse_problem(data)
    start = repair_placement(problem, first_fit(problem), 100_000, seed=0)
    a = lns_breaks(problem, start, budget=0.3, seed=7)
    b = lns_breaks(problem, start, budget=0.3, seed=7)
    assert a.slot_of == b.slot_of and a.steps == b.steps


def test_lns_repairs_a_fairness_excess():
    # a meets b, c, d, e in slots 1, 3, 5, 7: 3 breaks while its partners have none;
    # with d = 1 the excess is 2, and it is 0 only when a has at most one break
    data = {"slots": 8, "tables": 2, "fairness": 1,
            "participants": [{"id": f} for f in "abcde"],
            "meetings": [{"id": f"a{q}", "participants": ["a", q]} for q in "bcde"]}
    problem = parse_problem(data)
    start = {"ab": 1, "ac": 3, "ad": 5, "ae": 7}
    assert _value(problem, start) == (2, 3)
    res = lns_breaks(problem, start, budget=0.5, seed=0, until_fair=True)
    assert check_schedule(problem, as_result(res.slot_of)) == []
    assert _value(problem, res.slot_of)[0] == 0
