"""Reasons given for meetings that could not be placed."""

from planner.scheduling import explain_unscheduled, unscheduled_reasons


def firms(*ids, unavailable=None):
    unavailable = unavailable or {}
    return [{"id": f, "unavailable": unavailable.get(f, [])} for f in ids]


def reasons(data, assignments):
    placed = {a["meeting"] for a in assignments}
    result = {"assignments": assignments,
              "unscheduled": [m["id"] for m in data["meetings"] if m["id"] not in placed]}
    return explain_unscheduled(data, result)


def test_no_common_free_slot_in_the_morning():
    data = {"slots": 4, "morning_slots": 2, "tables": 2,
            "participants": firms("a", "b", unavailable={"a": [1], "b": [2]}),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "session": "morning"}]}
    assert reasons(data, []) == {"m1": "a and b have no common free slot in the morning"}


def test_both_firms_busy_in_every_common_free_slot():
    data = {"slots": 2, "tables": 3, "participants": firms("a", "b", "c"),
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["b", "c"]},
                         {"id": "m3", "participants": ["a", "c"]}]}
    got = reasons(data, [{"meeting": "m1", "slot": 1, "table": 1},
                         {"meeting": "m2", "slot": 2, "table": 1}])
    assert got == {"m3": "a or c already has another meeting in every common free slot"}


def test_every_slot_where_both_are_free_is_full():
    data = {"slots": 2, "tables": 1, "participants": firms("a", "b", "c", "d", "e", "f"),
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["c", "d"]},
                         {"id": "m3", "participants": ["e", "f"]}]}
    got = reasons(data, [{"meeting": "m1", "slot": 1, "table": 1},
                         {"meeting": "m2", "slot": 2, "table": 1}])
    assert got == {"m3": "every slot where both are free is full (1 tables)"}


def test_fixed_slot_where_a_firm_is_unavailable():
    data = {"slots": 3, "tables": 1, "participants": firms("a", "b", unavailable={"b": [2]}),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "fixed_slot": 2}]}
    assert reasons(data, []) == {"m1": "b is unavailable in its fixed slot 2"}


def test_all_interpreters_busy():
    data = {"slots": 1, "tables": 2, "interpreters": 1, "participants": firms("a", "b", "c", "d"),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "needs_interpreter": True},
                         {"id": "m2", "participants": ["c", "d"], "needs_interpreter": True}]}
    got = reasons(data, [{"meeting": "m1", "slot": 1, "table": 1}])
    assert got == {"m2": "all 1 interpreters are busy in every common free slot"}


def test_mixed_blockers_are_listed_per_slot():
    data = {"slots": 2, "tables": 1, "participants": firms("a", "b", "c", "d"),
            "meetings": [{"id": "m1", "participants": ["a", "c"]},
                         {"id": "m2", "participants": ["c", "d"]},
                         {"id": "m3", "participants": ["a", "b"]}]}
    got = reasons(data, [{"meeting": "m1", "slot": 1, "table": 1},
                         {"meeting": "m2", "slot": 2, "table": 1}])
    # a has the meeting of slot 1, not b: the firm is named
    assert got == {"m3": "no common free slot is usable: a is busy in slot 1; "
                         "all tables are taken in slot 2"}


def test_open_slot_points_at_the_time_limit():
    data = {"slots": 2, "tables": 1, "participants": firms("a", "b"),
            "meetings": [{"id": "m1", "participants": ["a", "b"]}]}
    assert reasons(data, []) == {
        "m1": "slot 1 is still open; the solver stopped before placing it (raise the time limit)"}


def test_a_firm_unavailable_in_every_slot_of_the_meetings_half_is_named():
    # it said "a and b have no common free slot in the afternoon", as if both were to blame
    data = {"slots": 4, "morning_slots": 2, "tables": 2,
            "participants": firms("a", "b", unavailable={"b": [3, 4]}),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "session": "afternoon"}]}
    assert reasons(data, []) == {"m1": "b is unavailable in every slot in the afternoon"}
    assert unscheduled_reasons(data, {"assignments": [], "unscheduled": ["m1"]}) == {
        "m1": {"code": "unavailable_throughout", "participants": ["b"], "session": "afternoon"}}
    data["participants"] = firms("a", "b", unavailable={"a": [1, 2, 3, 4], "b": [1, 2, 3, 4]})
    data["meetings"][0]["session"] = "any"
    assert reasons(data, []) == {"m1": "a and b are unavailable in every slot"}


def test_both_firms_unavailable_in_the_fixed_slot_are_both_named():
    data = {"slots": 3, "tables": 1, "participants": firms("a", "b", unavailable={"a": [2], "b": [2]}),
            "meetings": [{"id": "m1", "participants": ["a", "b"], "fixed_slot": 2}]}
    assert reasons(data, []) == {"m1": "a and b are unavailable in its fixed slot 2"}


def test_the_one_firm_that_has_the_other_meetings_is_named():
    # c meets a in slot 1 and b in slot 2: a and c have no other meeting, only c does
    data = {"slots": 2, "tables": 3, "participants": firms("a", "b", "c", "d"),
            "meetings": [{"id": "m1", "participants": ["c", "a"]},
                         {"id": "m2", "participants": ["c", "b"]},
                         {"id": "m3", "participants": ["d", "c"]}]}
    result = {"assignments": [{"meeting": "m1", "slot": 1, "table": 1}, {"meeting": "m2", "slot": 2, "table": 1}],
              "unscheduled": ["m3"]}
    assert unscheduled_reasons(data, result)["m3"]["busy_firms"] == ["c"]
    assert explain_unscheduled(data, result) == {"m3": "c already has another meeting in every common free slot"}
