"""Local search: placement repair on instances completable by construction, and the
break-improving annealing keeps every hard constraint."""

from planner.scheduling import check_schedule, first_fit, parse_problem, participant_breaks, solve
from planner.scheduling.generate import planted, realistic
from planner.scheduling.localsearch import improve_breaks, repair_placement
from tests.scheduling.helpers import as_result


def _breaks(problem, slot_of):
    return sum(participant_breaks(problem, [{"meeting": m, "slot": s}
                                            for m, s in slot_of.items()]).values())


def test_repair_places_every_meeting_of_a_medium_planted_instance():
    # 533 meetings in 12 slots x 45 tables: 99 % of the seats taken
    data, schedule = planted(4, firms=300, meetings=2000, slots=12, morning=6, tables=45)
    problem = parse_problem(data)
    assert len(schedule) == len(problem.meetings)  # complete by construction
    start = first_fit(problem)
    assert len(start) < len(problem.meetings)      # the greedy alone does not manage
    slot_of = repair_placement(problem, start, max_work=3_000_000, seed=1)
    assert len(slot_of) == len(problem.meetings)
    assert check_schedule(problem, as_result(slot_of)) == []


def test_repair_is_deterministic_for_a_seed():
    data, _ = planted(5, firms=200, meetings=900, slots=10, tables=50)
    problem = parse_problem(data)
    start = first_fit(problem)
    assert repair_placement(problem, start, 500_000, seed=3) == \
        repair_placement(problem, start, 500_000, seed=3)


def test_improve_breaks_keeps_the_placement_and_never_gets_worse():
    data = realistic(7, firms=40, meetings=120, slots=12, interpreters=3)
    data["precedences"] = [["m1", "m2"], ["m4", "m9"]]
    problem = parse_problem(data)
    start = repair_placement(problem, first_fit(problem), 200_000, seed=0)
    better = improve_breaks(problem, start, 300_000, seed=0)
    assert set(better) == set(start)
    assert check_schedule(problem, as_result(better)) == []
    assert _breaks(problem, better) <= _breaks(problem, start)


def test_solve_places_everything_on_a_planted_instance_and_reports_valid_bounds():
    data, schedule = planted(6, firms=120, meetings=400, slots=14, tables=20)
    result = solve(data, time_limit=2, seed=0)
    problem = parse_problem(data)
    assert check_schedule(problem, result) == []
    assert result["scheduled"] == len(schedule)
    assert 0 == result["breaks_lower_bound"] <= result["breaks_total"]
