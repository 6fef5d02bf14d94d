"""Input validation: every invalid input names its problem in one line."""

import pytest

from planner.scheduling import ProblemError, parse_problem


def base():
    return {"slots": 4, "morning_slots": 2, "tables": 2,
            "participants": [{"id": "a"}, {"id": "b", "unavailable": [3]}, {"id": "c"}],
            "meetings": [{"id": "m1", "participants": ["a", "b"]},
                         {"id": "m2", "participants": ["a", "c"], "session": "morning",
                          "priority": 3, "fixed_slot": 2, "needs_interpreter": True}],
            "precedences": [["m1", "m2"]]}


def test_parse_problem_applies_documented_defaults():
    p = parse_problem(base())
    m1, m2 = p.meetings
    assert (m1.session, m1.priority, m1.fixed_slot, m1.needs_interpreter) == ("any", 1, None, False)
    assert (m2.session, m2.priority, m2.fixed_slot, m2.needs_interpreter) == ("morning", 3, 2, True)
    assert p.fairness == 2 and p.interpreters is None
    assert p.participant("b").unavailable == frozenset({3})
    assert p.precedences == (("m1", "m2"),)


def test_allowed_slots_combine_session_fixed_slot_and_unavailability():
    p = parse_problem(base())
    assert p.allowed_slots(p.meeting("m1")) == [1, 2, 4]
    assert p.allowed_slots(p.meeting("m2")) == [2]


def _mutate(fn):
    d = base()
    fn(d)
    return d


INVALID = [
    (lambda d: d["meetings"][0].update(participants=["a", "x"]),
     'meeting "m1" names unknown participant "x"'),
    (lambda d: d["meetings"][0].update(participants=["a", "a"]),
     'meeting "m1" is a meeting of "a" with itself'),
    (lambda d: d["meetings"][1].update(id="m1"), 'duplicate meeting id "m1"'),
    (lambda d: d["participants"].append({"id": "a"}), 'duplicate participant id "a"'),
    (lambda d: d["participants"][0].update(unavailable=[5]),
     'participant "a" unavailable slot is 5, outside 1..4'),
    (lambda d: d["meetings"][1].update(fixed_slot=0), 'meeting "m2" fixed_slot is 0, outside 1..4'),
    (lambda d: d.update(slots="4"), "slots must be an integer, got '4'"),
    (lambda d: d.update(tables=True), "tables must be an integer, got True"),
    (lambda d: d.update(morning_slots=5), "morning_slots is 5, outside 0..4"),
    (lambda d: d["meetings"][0].update(session="evening"),
     "meeting \"m1\" session must be one of any, morning, afternoon, got 'evening'"),
    (lambda d: d["meetings"][0].update(priority=0), 'meeting "m1" priority is 0, outside >= 1'),
    (lambda d: d["meetings"][0].update(needs_interpreter="yes"),
     "meeting \"m1\" needs_interpreter must be true or false, got 'yes'"),
    (lambda d: d["meetings"][0].update(participants=["a"]),
     'meeting "m1" must name exactly two participants'),
    (lambda d: d.update(precedences=[["m1", "m9"]]), 'precedence #1 names unknown meeting "m9"'),
    (lambda d: d.update(precedences=[["m1", "m1"]]), 'precedence #1 puts meeting "m1" before itself'),
    (lambda d: d.pop("tables"), "input is missing required key 'tables'"),
    (lambda d: d["meetings"][0].update(fixed=1), "meeting #1 has unknown key 'fixed'"),
    (lambda d: d.update(meetings={}), "meetings must be a list"),
    (lambda d: d.pop("morning_slots"),
     'meeting "m2" asks for the morning but morning_slots is not set'),
]


@pytest.mark.parametrize("mutate,message", INVALID, ids=[m for _, m in INVALID])
def test_parse_problem_rejects_invalid_input_with_one_line_message(mutate, message):
    with pytest.raises(ProblemError) as exc:
        parse_problem(_mutate(mutate))
    assert str(exc.value) == message


def test_parse_problem_rejects_non_object_input():
    with pytest.raises(ProblemError, match="^input must be a JSON object, got list$"):
        parse_problem([])


def test_problem_error_is_a_value_error():
    assert issubclass(ProblemError, ValueError)
