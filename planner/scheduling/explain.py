"""Why could an unscheduled meeting not be placed?  Plain-language reasons."""

from __future__ import annotations

from .problem import Problem, parse_problem


def explain_unscheduled(problem: Problem | dict, result: dict) -> dict[str, str]:
    """Map each unscheduled meeting id to a one-sentence reason in English, judged
    against the returned schedule (which slots its firms are busy in, which slots
    are full).  Participants are named by their ids; see ``unscheduled_reasons``."""
    return {mid: describe(reason) for mid, reason in unscheduled_reasons(problem, result).items()}


def unscheduled_reasons(problem: Problem | dict, result: dict) -> dict[str, dict]:
    """The same reasons as data, for a caller that words them itself (in another
    language, with firm names for the participant ids): ``{"code": ..., **params}``
    with the codes and parameters of ``describe``."""
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


def _reason(problem, m, slot_of, busy, count, interp) -> dict:
    a, b = m.participants
    ua, ub = problem.participant(a).unavailable, problem.participant(b).unavailable
    if m.needs_interpreter and problem.interpreters == 0:
        return {"code": "no_interpreters"}
    if m.fixed_slot is not None:
        s = m.fixed_slot
        if s not in problem.session_slots(m.session):
            return {"code": "fixed_outside_session", "slot": s, "session": m.session}
        away = [p for p, u in ((a, ua), (b, ub)) if s in u]
        if away:  # "participant": the first, as runs stored before "participants" have it
            return {"code": "unavailable_in_fixed_slot", "participant": away[0], "participants": away, "slot": s}
        common = [s]
    else:
        session = list(problem.session_slots(m.session))
        if not session:
            return {"code": "no_slots", "session": m.session}
        # a firm away the whole day (or the whole half of it the meeting is restricted to) is the cause, not
        # the two firms' lack of a common free slot
        away = [p for p, u in ((a, ua), (b, ub)) if u.issuperset(session)]
        if away:
            return {"code": "unavailable_throughout", "participants": away, "session": m.session}
        common = [s for s in session if s not in ua and s not in ub]
        if not common:
            return {"code": "no_common_free_slot", "a": a, "b": b, "session": m.session}
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
        return {"code": "stopped_early", "slot": open_slots[0]}
    only = [k for k, v in blocked.items() if v]
    common_ = {"fixed_slot": m.fixed_slot, "session": m.session}
    # which of the two has the other meetings: often one firm alone, which the organiser can then look at
    busy_firms = [p for p in (a, b) if any(s in busy[p] for s in blocked["busy"])]
    if only == ["busy"]:
        return {"code": "busy", "a": a, "b": b, "busy_firms": busy_firms, **common_}
    if only == ["full"]:
        return {"code": "full", "tables": problem.tables, **common_}
    if only == ["interpreter"]:
        return {"code": "interpreters_busy", "interpreters": problem.interpreters, **common_}
    if only == ["order"]:
        return {"code": "order", **common_}
    return {"code": "mixed", "a": a, "b": b, "busy_firms": busy_firms, **blocked}


def describe(reason: dict) -> str:
    """One reason of ``unscheduled_reasons`` as an English sentence."""
    r = reason
    code = r["code"]
    where = {"any": "", "morning": " in the morning", "afternoon": " in the afternoon"}.get(r.get("session"), "")
    fixed = f"in its fixed slot {r['fixed_slot']}" if r.get("fixed_slot") is not None else ""
    scope = fixed or f"in every common free slot{where}"
    if code == "no_interpreters":
        return "it needs an interpreter and no interpreters are available"
    if code == "fixed_outside_session":
        return f"its fixed slot {r['slot']} is outside the {r['session']} session"
    if code == "unavailable_in_fixed_slot":
        away = r.get("participants") or [r["participant"]]
        return f"{' and '.join(away)} {'is' if len(away) == 1 else 'are'} unavailable in its fixed slot {r['slot']}"
    if code == "unavailable_throughout":
        away = r["participants"]
        return f"{' and '.join(away)} {'is' if len(away) == 1 else 'are'} unavailable in every slot{where}"
    if code == "no_slots":
        return f"there are no slots{where}"
    if code == "no_common_free_slot":
        return f"{r['a']} and {r['b']} have no common free slot{where}"
    if code == "stopped_early":
        return f"slot {r['slot']} is still open; the solver stopped before placing it (raise the time limit)"
    if code == "busy":
        return f"{_busy_firms(r)} already has another meeting {scope}"
    if code == "full":
        return f"every table is taken {scope}" if fixed else \
            f"every slot{where} where both are free is full ({r['tables']} tables)"
    if code == "interpreters_busy":
        return f"all {r['interpreters']} interpreters are busy {scope}"
    if code == "order":
        return f"its required order with other meetings rules out {'its fixed slot' if fixed else 'every common free slot'}"
    parts = []
    if r["busy"]:
        parts.append(f"{_busy_firms(r)} is busy in {_slots(r['busy'])}")
    if r["full"]:
        parts.append(f"all tables are taken in {_slots(r['full'])}")
    if r["interpreter"]:
        parts.append(f"all interpreters are busy in {_slots(r['interpreter'])}")
    if r["order"]:
        parts.append(f"the required meeting order rules out {_slots(r['order'])}")
    return "no common free slot is usable: " + "; ".join(parts)


def _busy_firms(r: dict) -> str:
    """The firm that has the other meetings, or "a or b" when both have some (or the reason predates the
    "busy_firms" key)."""
    firms = r.get("busy_firms") or [r["a"], r["b"]]
    return firms[0] if len(firms) == 1 else f"{r['a']} or {r['b']}"


def _slots(ss: list[int]) -> str:
    return ("slot " if len(ss) == 1 else "slots ") + ", ".join(map(str, ss))


def _order_ok(problem: Problem, mid: str, s: int, slot_of: dict[str, int]) -> bool:
    for x, y in problem.precedences:
        if y == mid and x in slot_of and slot_of[x] >= s:
            return False
        if x == mid and y in slot_of and slot_of[y] <= s:
            return False
    return True
