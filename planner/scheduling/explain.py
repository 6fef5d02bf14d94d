"""Why could an unscheduled meeting not be placed?  Plain-language reasons."""

from __future__ import annotations

from .problem import Problem, parse_problem


def explain_unscheduled(problem: Problem | dict, result: dict) -> dict[str, str]:
    """Map each unscheduled meeting id to a one-sentence reason, judged against the
    returned schedule (which slots its firms are busy in, which slots are full)."""
    problem = parse_problem(problem)
    slot_of = {a["meeting"]: a["slot"] for a in result["assignments"]}
    busy: dict[str, set[int]] = {p.id: set() for p in problem.participants}
    count: dict[int, int] = {}
    interp: dict[int, int] = {}
    for mid, s in slot_of.items():
        m = problem.meeting(mid)
        for p in m.participants:
            busy[p].add(s)
        count[s] = count.get(s, 0) + 1
        interp[s] = interp.get(s, 0) + int(m.needs_interpreter)
    reasons = {}
    for mid in result["unscheduled"]:
        reasons[mid] = _reason(problem, problem.meeting(mid), slot_of, busy, count, interp)
    return reasons


def _reason(problem, m, slot_of, busy, count, interp) -> str:
    a, b = m.participants
    ua, ub = problem.participant(a).unavailable, problem.participant(b).unavailable
    where = {"any": "", "morning": " in the morning", "afternoon": " in the afternoon"}[m.session]
    if m.needs_interpreter and problem.interpreters == 0:
        return "it needs an interpreter and no interpreters are available"
    if m.fixed_slot is not None:
        s = m.fixed_slot
        if s not in problem.session_slots(m.session):
            return f"its fixed slot {s} is outside the {m.session} session"
        for p, u in ((a, ua), (b, ub)):
            if s in u:
                return f"{p} is unavailable in its fixed slot {s}"
        common = [s]
    else:
        session = list(problem.session_slots(m.session))
        if not session:
            return f"there are no slots{where}"
        common = [s for s in session if s not in ua and s not in ub]
        if not common:
            return f"{a} and {b} have no common free slot{where}"
    blocked = {"busy": [], "full": [], "interpreter": [], "order": []}
    open_slots = []
    for s in common:
        if s in busy[a] or s in busy[b]:
            blocked["busy"].append(s)
        elif count.get(s, 0) >= problem.tables:
            blocked["full"].append(s)
        elif (m.needs_interpreter and problem.interpreters is not None
              and interp.get(s, 0) >= problem.interpreters):
            blocked["interpreter"].append(s)
        elif not _order_ok(problem, m.id, s, slot_of):
            blocked["order"].append(s)
        else:
            open_slots.append(s)
    if open_slots:
        return (f"slot {open_slots[0]} is still open; the solver stopped before placing it "
                f"(raise the time limit)")
    fixed = f"in its fixed slot {m.fixed_slot}" if m.fixed_slot is not None else ""
    only = [k for k, v in blocked.items() if v]
    scope = fixed or f"in every common free slot{where}"
    if only == ["busy"]:
        return f"{a} or {b} already has another meeting {scope}"
    if only == ["full"]:
        return f"every table is taken {scope}" if fixed else \
            f"every slot{where} where both are free is full ({problem.tables} tables)"
    if only == ["interpreter"]:
        return f"all {problem.interpreters} interpreters are busy {scope}"
    if only == ["order"]:
        return f"its required order with other meetings rules out {'its fixed slot' if fixed else 'every common free slot'}"
    parts = []
    if blocked["busy"]:
        parts.append(f"{a} or {b} is busy in {_slots(blocked['busy'])}")
    if blocked["full"]:
        parts.append(f"all tables are taken in {_slots(blocked['full'])}")
    if blocked["interpreter"]:
        parts.append(f"all interpreters are busy in {_slots(blocked['interpreter'])}")
    if blocked["order"]:
        parts.append(f"the required meeting order rules out {_slots(blocked['order'])}")
    return "no common free slot is usable: " + "; ".join(parts)


def _slots(ss: list[int]) -> str:
    return ("slot " if len(ss) == 1 else "slots ") + ", ".join(map(str, ss))


def _order_ok(problem: Problem, mid: str, s: int, slot_of: dict[str, int]) -> bool:
    for x, y in problem.precedences:
        if y == mid and x in slot_of and slot_of[x] >= s:
            return False
        if x == mid and y in slot_of and slot_of[y] <= s:
            return False
    return True
