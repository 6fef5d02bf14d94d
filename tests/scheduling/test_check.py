"""The independent checker catches every kind of violation it is meant to catch."""

from planner.scheduling import check_schedule, parse_problem, participant_breaks

DATA = {"slots": 4, "morning_slots": 2, "tables": 1, "interpreters": 0,
        "participants": [{"id": "a"}, {"id": "b", "unavailable": [4]}, {"id": "c"}, {"id": "d"}],
        "meetings": [{"id": "m1", "participants": ["a", "b"], "session": "morning"},
                     {"id": "m2", "participants": ["a", "c"], "fixed_slot": 3},
                     {"id": "m3", "participants": ["c", "d"], "needs_interpreter": True}],
        "precedences": [["m2", "m1"]]}


def test_breaks_count_gaps_not_missing_slots():
    p = parse_problem(DATA)
    assert participant_breaks(p, [{"meeting": "m1", "slot": 1}, {"meeting": "m2", "slot": 4}]) == \
        {"a": 1, "b": 0, "c": 0, "d": 0}


def test_checker_accepts_a_valid_schedule():
    p = parse_problem({**DATA, "interpreters": None, "precedences": []})
    result = {"assignments": [{"meeting": "m1", "slot": 2, "table": 1},
                              {"meeting": "m2", "slot": 3, "table": 1}],
              "unscheduled": ["m3"], "scheduled": 2, "requested": 3, "breaks_total": 0,
              "breaks_per_participant": {"a": 0, "b": 0, "c": 0, "d": 0}}
    assert check_schedule(p, result) == []


def test_checker_reports_each_violated_hard_constraint():
    p = parse_problem(DATA)
    result = {"assignments": [{"meeting": "m1", "slot": 3, "table": 1},
                              {"meeting": "m2", "slot": 3, "table": 1},
                              {"meeting": "m3", "slot": 4, "table": 2}],
              "unscheduled": [], "scheduled": 3, "requested": 3, "breaks_total": 5}
    assert check_schedule(p, result) == [
        "meeting m1 is morning-only but in slot 3",
        "meeting m3 has table 2 out of range",
        "meetings m1 and m2 share table 1 in slot 3",
        "slot 3 has 2 meetings but only 1 tables",
        "a is in meetings m1 and m2 in slot 3",
        "slot 4 has 1 interpreter meetings but only 0 interpreters",
        "precedence m2 before m1 violated (slots 3, 3)",
        "breaks_total is 5 but recomputed 0",
    ]


def test_checker_reports_unavailable_and_fixed_slot_violations():
    p = parse_problem(DATA)
    result = {"assignments": [{"meeting": "m1", "slot": 4, "table": 1},
                              {"meeting": "m2", "slot": 2, "table": 1}]}
    assert check_schedule(p, result) == [
        "meeting m1 is morning-only but in slot 4",
        "meeting m1 in slot 4 where b is unavailable",
        "meeting m2 is fixed to slot 3 but in slot 2",
    ]
