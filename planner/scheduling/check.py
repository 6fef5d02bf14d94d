"""Independent checker of a schedule: every hard constraint, and breaks recomputed.

Deliberately shares no code with the solver (only the Problem data), so tests and
the benchmark can trust it.
"""

from __future__ import annotations

from collections import defaultdict

from .problem import Problem


def participant_breaks(problem: Problem, assignments) -> dict[str, int]:
    """Breaks per participant: pairs of consecutive meetings in the participant's
    own time-ordered list that are not in adjacent slots."""
    slots_of: dict[str, list[int]] = {p.id: [] for p in problem.participants}
    for a in assignments:
        m = problem.meeting(a["meeting"])
        for p in m.participants:
            slots_of[p].append(a["slot"])
    out = {}
    for pid, ss in slots_of.items():
        ss.sort()
        out[pid] = sum(1 for x, y in zip(ss, ss[1:], strict=False) if y - x > 1)
    return out


def check_schedule(problem: Problem, result: dict) -> list[str]:
    """Return a list of violations (empty when the result is valid and consistent)."""
    errors: list[str] = []
    assignments = result.get("assignments", [])
    slot_of: dict[str, int] = {}
    by_slot: dict[int, list[str]] = defaultdict(list)
    for a in assignments:
        mid, s, t = a.get("meeting"), a.get("slot"), a.get("table")
        try:
            m = problem.meeting(mid)
        except KeyError:
            errors.append(f"unknown meeting {mid!r} in assignments")
            continue
        if mid in slot_of:
            errors.append(f"meeting {mid} assigned twice")
            continue
        if not isinstance(s, int) or not 1 <= s <= problem.slots:
            errors.append(f"meeting {mid} has slot {s!r} out of range")
            continue
        if not isinstance(t, int) or not 1 <= t <= problem.tables:
            errors.append(f"meeting {mid} has table {t!r} out of range")
        slot_of[mid] = s
        by_slot[s].append(mid)
        if m.session == "morning" and not s <= (problem.morning_slots or 0):
            errors.append(f"meeting {mid} is morning-only but in slot {s}")
        if m.session == "afternoon" and not s > (problem.morning_slots or 0):
            errors.append(f"meeting {mid} is afternoon-only but in slot {s}")
        if m.fixed_slot is not None and s != m.fixed_slot:
            errors.append(f"meeting {mid} is fixed to slot {m.fixed_slot} but in slot {s}")
        for p in m.participants:
            if s in problem.participant(p).unavailable:
                errors.append(f"meeting {mid} in slot {s} where {p} is unavailable")

    table_in_slot: dict[tuple[int, int], str] = {}
    for a in assignments:
        mid = a.get("meeting")
        if mid not in slot_of:
            continue
        key = (a["slot"], a.get("table"))
        if key in table_in_slot and table_in_slot[key] != mid:
            errors.append(f"meetings {table_in_slot[key]} and {mid} share table {key[1]} in slot {key[0]}")
        table_in_slot[key] = mid

    for s, mids in sorted(by_slot.items()):
        if len(mids) > problem.tables:
            errors.append(f"slot {s} has {len(mids)} meetings but only {problem.tables} tables")
        busy: dict[str, str] = {}
        for mid in mids:
            for p in problem.meeting(mid).participants:
                if p in busy:
                    errors.append(f"{p} is in meetings {busy[p]} and {mid} in slot {s}")
                busy[p] = mid
        if problem.interpreters is not None:
            n = sum(1 for mid in mids if problem.meeting(mid).needs_interpreter)
            if n > problem.interpreters:
                errors.append(f"slot {s} has {n} interpreter meetings but only {problem.interpreters} interpreters")

    for a, b in problem.precedences:
        if a in slot_of and b in slot_of and not slot_of[a] < slot_of[b]:
            errors.append(f"precedence {a} before {b} violated (slots {slot_of[a]}, {slot_of[b]})")

    # consistency of the summary fields
    all_ids = [m.id for m in problem.meetings]
    unscheduled = [mid for mid in all_ids if mid not in slot_of]
    if "unscheduled" in result and sorted(result["unscheduled"]) != sorted(unscheduled):
        errors.append("unscheduled list does not match the assignments")
    if "scheduled" in result and result["scheduled"] != len(slot_of):
        errors.append(f"scheduled is {result['scheduled']} but {len(slot_of)} meetings are assigned")
    if "requested" in result and result["requested"] != len(all_ids):
        errors.append(f"requested is {result['requested']} but there are {len(all_ids)} meetings")
    breaks = participant_breaks(problem, [a for a in assignments if a.get("meeting") in slot_of])
    if "breaks_per_participant" in result and result["breaks_per_participant"] != breaks:
        errors.append("breaks_per_participant does not match the recomputed breaks")
    if "breaks_total" in result and result["breaks_total"] != sum(breaks.values()):
        errors.append(f"breaks_total is {result['breaks_total']} but recomputed {sum(breaks.values())}")
    lb = result.get("breaks_lower_bound")
    if lb is not None and lb > sum(breaks.values()):
        errors.append(f"breaks_lower_bound {lb} exceeds the breaks of the schedule")
    return errors
