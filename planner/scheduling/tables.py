"""Table assignment once slots are fixed (objective 4: few distinct tables per firm).

Tables are interchangeable, so any slot assignment with at most T meetings per slot
has a valid table assignment; this step only chooses a good one.  Greedy: slot by
slot, a meeting first takes a free table both firms already sat at, then one either
firm sat at, then the least used free table.  For small instances a tiny CP-SAT
model (minimise the sum over firms of distinct tables, greedy as hint, tables of
the fullest slot fixed to break table symmetry) polishes the result.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from .problem import Problem

CPSAT_MAX_VARS = 12000
# the polish is only started with at least this long per model variable (meetings x
# tables) left before the deadline: building its model took 0.2-0.3 s for 300 meetings
# at 16-26 tables (5-8 k variables) on a slow 2-core machine, which the wall-clock cap
# of the solve does not cover, so twice that.  Per variable, not a fixed time: a fixed
# 0.5 s left out the polish of a 70-meeting, 2 s solve in one run and not in the next
# (its model builds in milliseconds), so the same input gave other tables
POLISH_SECONDS_PER_VAR = 80e-6


def greedy_tables(problem: Problem, slot_of: dict[str, int]) -> dict[str, int]:
    used: dict[str, set[int]] = {p.id: set() for p in problem.participants}
    claims = [0] * (problem.tables + 1)
    table_of: dict[str, int] = {}
    by_slot: dict[int, list[str]] = {}
    for m in problem.meetings:  # input order: deterministic
        if m.id in slot_of:
            by_slot.setdefault(slot_of[m.id], []).append(m.id)
    for s in sorted(by_slot):
        free = set(range(1, problem.tables + 1))
        pending = list(by_slot[s])
        for level in (0, 1, 2):
            rest = []
            for mid in pending:
                a, b = problem.meeting(mid).participants
                if level == 0:
                    cand = used[a] & used[b] & free
                elif level == 1:
                    cand = (used[a] | used[b]) & free
                else:
                    cand = free
                if not cand:
                    rest.append(mid)
                    continue
                t = min(cand, key=lambda t: (claims[t], t))
                free.discard(t)
                table_of[mid] = t
                for p in (a, b):
                    if t not in used[p]:
                        used[p].add(t)
                        claims[t] += 1
            pending = rest
        assert not pending, "more meetings than tables in a slot"
    return table_of


def distinct_tables(problem: Problem, slot_of, table_of) -> int:
    used: dict[str, set[int]] = {}
    for mid, t in table_of.items():
        for p in problem.meeting(mid).participants:
            used.setdefault(p, set()).add(t)
    return sum(len(v) for v in used.values())


def assign_tables(problem: Problem, slot_of: dict[str, int], dtime: float = 1.0,
                  seed: int = 0, wall_cap: float = 5.0, deadline: float | None = None) -> dict[str, int]:
    """Tables for the scheduled meetings: greedy, then the CP-SAT polish (``dtime``
    deterministic s, ``wall_cap`` s) if the instance is small enough and, when a
    ``deadline`` (``time.monotonic()``) is given, the polish can end before it."""
    table_of = greedy_tables(problem, slot_of)
    n_vars = len(slot_of) * problem.tables
    if not slot_of or n_vars > CPSAT_MAX_VARS or dtime <= 0:
        return table_of
    if deadline is not None and deadline - time.monotonic() < POLISH_SECONDS_PER_VAR * n_vars:
        return table_of
    T = problem.tables
    model = cp_model.CpModel()
    mids = [m.id for m in problem.meetings if m.id in slot_of]
    y = {(mid, t): model.new_bool_var(f"y[{mid},{t}]") for mid in mids for t in range(1, T + 1)}
    for mid in mids:
        model.add_exactly_one(y[mid, t] for t in range(1, T + 1))
    by_slot: dict[int, list[str]] = {}
    for mid in mids:
        by_slot.setdefault(slot_of[mid], []).append(mid)
    for _s, ms in by_slot.items():
        for t in range(1, T + 1):
            model.add_at_most_one(y[mid, t] for mid in ms)
    u = {}
    for mid in mids:
        for p in problem.meeting(mid).participants:
            for t in range(1, T + 1):
                if (p, t) not in u:
                    u[p, t] = model.new_bool_var(f"u[{p},{t}]")
                model.add_implication(y[mid, t], u[p, t])
    # symmetry breaking: tables are interchangeable; relabel so that the fullest
    # slot uses tables 1..n in input order (the greedy hint is relabelled likewise)
    fullest = max(sorted(by_slot), key=lambda s: len(by_slot[s]))
    relabel = {}
    for i, mid in enumerate(by_slot[fullest], start=1):
        relabel[table_of[mid]] = i
        model.add(y[mid, i] == 1)
    rest = [t for t in range(1, T + 1) if t not in relabel]
    for t, new in zip(rest, [t for t in range(1, T + 1) if t not in relabel.values()], strict=False):
        relabel[t] = new
    hint = {mid: relabel[t] for mid, t in table_of.items()}
    for (mid, t), v in y.items():
        model.add_hint(v, hint[mid] == t)
    hint_used = {(p, hint[mid]) for mid in mids for p in problem.meeting(mid).participants}
    for key, v in u.items():
        model.add_hint(v, key in hint_used)
    model.minimize(sum(u.values()))
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 2
    prm.interleave_search = True
    prm.random_seed = seed
    prm.max_deterministic_time = dtime
    prm.max_time_in_seconds = wall_cap if deadline is None else \
        max(0.01, min(wall_cap, deadline - time.monotonic()))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return table_of
    better = {mid: t for mid in mids for t in range(1, T + 1) if solver.boolean_value(y[mid, t])}
    if distinct_tables(problem, slot_of, better) <= distinct_tables(problem, slot_of, table_of):
        return better
    return table_of
