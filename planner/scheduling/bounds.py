"""Valid lower bounds on breaks, and upper bounds on placeable meetings.

Breaks (per participant, exact for the participant alone): when every meeting of a
participant p is scheduled, p occupies exactly k slots (k = its meetings); each
meeting must sit in one of its allowed slots (session, fixed slot, both firms'
availability) and two meetings of p never share a slot.  The fewest maximal runs
of consecutive busy slots any such placement can have, minus one, is a lower bound
on p's breaks in *every* complete schedule, whatever the other firms do.  The sum
over participants is a valid global lower bound.

Computed exactly: first the one-run case (every window of k slots, bipartite
matching), then a tiny single-worker CP-SAT model (deterministic) for the few
participants that need more.

Breaks (global, ``flow_lp_break_bound``): the LP relaxation of an extended
formulation where each participant's day is a path in a layered graph (slot,
meetings so far, busy), linked to the meeting-slot assignment.  It captures
interactions between participants (table capacity, shared meetings) that the
per-participant bounds cannot; e.g. it proves the 8 breaks of the benchmark's
"small-8" where the per-participant bounds sum to 0.

Placement upper bounds (used by the benchmark to print "placed / upper bound"):
``flow_upper_bound`` (max flow meeting -> slot with slot capacities, and per-firm
matching deficits; fast on 10,000 meetings) and ``lp_upper_bound`` (LP relaxation
with per firm-and-slot constraints; small instances only).
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from .problem import Problem


def _match(domains: list[list[int]], slots: set[int] | None = None) -> int:
    """Size of a maximum matching of items to distinct slots (Kuhn's algorithm),
    restricted to ``slots`` when given."""
    owner: dict[int, int] = {}

    def aug(i: int, seen: set[int]) -> bool:
        for s in domains[i]:
            if (slots is not None and s not in slots) or s in seen:
                continue
            seen.add(s)
            if s not in owner or aug(owner[s], seen):
                owner[s] = i
                return True
        return False

    return sum(1 for i in range(len(domains)) if aug(i, set()))


def min_runs_lower_bound(domains: list[list[int]], dtime: float = 0.5) -> int | None:
    """Fewest breaks (runs - 1) of a placement of items with the given allowed slots
    into distinct slots; None if no placement of all items exists.  Exact when the
    CP-SAT fallback finishes (always on realistic sizes), else a valid lower bound."""
    k = len(domains)
    if k <= 1:
        return 0 if all(domains) else None
    if _match(domains) < k:
        return None
    union = sorted(set().union(*map(set, domains)))
    lo_s, hi_s = union[0], union[-1]
    for a in range(lo_s, hi_s - k + 2):
        if _match(domains, set(range(a, a + k))) == k:
            return 0
    model = cp_model.CpModel()
    busy: dict[int, list] = {}
    for i, dom in enumerate(domains):
        vs = []
        for s in dom:
            v = model.new_bool_var(f"x{i}_{s}")
            busy.setdefault(s, []).append(v)
            vs.append(v)
        model.add_exactly_one(vs)
    starts = []
    for s in sorted(busy):
        model.add_at_most_one(busy[s])
        st = model.new_bool_var(f"st{s}")
        if s - 1 in busy:
            model.add(st >= sum(busy[s]) - sum(busy[s - 1]))
        else:
            model.add(st >= sum(busy[s]))
        starts.append(st)
    model.add(sum(starts) >= 2)
    model.minimize(sum(starts))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.symmetry_level = 0
    solver.parameters.max_deterministic_time = dtime
    solver.parameters.max_time_in_seconds = 10 * dtime + 1
    status = solver.solve(model)
    if status == cp_model.OPTIMAL:
        return int(round(solver.objective_value)) - 1
    if status == cp_model.INFEASIBLE:  # cannot happen (matching exists)
        return None
    return max(1, int(-(-solver.best_objective_bound // 1)) - 1)


def participant_break_bounds(problem: Problem) -> dict[str, int]:
    """Per participant: a lower bound on its breaks in any schedule that places all
    of its meetings (0 when it has fewer than two, or when that is impossible)."""
    allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
    out = {}
    for p, ms in problem.meetings_of().items():
        doms = [allowed[m.id] for m in ms]
        if len(doms) < 2:
            out[p] = 0
            continue
        lb = min_runs_lower_bound(doms)
        out[p] = lb or 0
    return out


def placement_upper_bound(problem: Problem, lp_max_vars: int = 20_000) -> int:
    """An upper bound on the number of meetings any schedule places.

    Always: the flow bound of ``flow_upper_bound``.  When the instance has at most
    ``lp_max_vars`` meeting-slot pairs, also the LP bound of ``lp_upper_bound``."""
    ub = flow_upper_bound(problem)
    if sum(len(problem.allowed_slots(m)) for m in problem.meetings) <= lp_max_vars:
        ub = min(ub, lp_upper_bound(problem))
    return ub


def flow_upper_bound(problem: Problem) -> int:
    """Cheap upper bound on placeable meetings (fast on 10,000 meetings):
    n minus the larger of (a) the meetings a max flow meeting -> slot cannot carry,
    where slot s has capacity min(T, K + non-interpreter share ..., firms that could
    meet in s // 2) -- interpreters handled by a second flow layer -- and (b) half the
    sum over firms of the meetings its own max matching to slots cannot place (an
    unplaced meeting relieves at most two firms)."""
    from ortools.graph.python import max_flow

    ms = [m for m in problem.meetings]
    allowed = {m.id: problem.allowed_slots(m) for m in ms}
    S = problem.slots
    firms_in = {s: set() for s in range(1, S + 1)}
    for m in ms:
        for s in allowed[m.id]:
            firms_in[s].update(m.participants)
    # nodes: 0 source, 1 sink, meetings 2.., slots after, interpreter gates after
    n = len(ms)
    src, snk = 0, 1
    slot_node = {s: 2 + n + s - 1 for s in range(1, S + 1)}
    gate = {s: 2 + n + S + s - 1 for s in range(1, S + 1)}
    f = max_flow.SimpleMaxFlow()
    for i, m in enumerate(ms):
        if not allowed[m.id]:
            continue
        f.add_arc_with_capacity(src, 2 + i, 1)
        for s in allowed[m.id]:
            if m.needs_interpreter and problem.interpreters is not None:
                f.add_arc_with_capacity(2 + i, gate[s], 1)
            else:
                f.add_arc_with_capacity(2 + i, slot_node[s], 1)
    for s in range(1, S + 1):
        if problem.interpreters is not None:
            f.add_arc_with_capacity(gate[s], slot_node[s], problem.interpreters)
        f.add_arc_with_capacity(slot_node[s], snk, min(problem.tables, len(firms_in[s]) // 2))
    flow = f.solve(src, snk) == f.OPTIMAL and f.optimal_flow() or 0
    deficit = 0
    for _p, pms in problem.meetings_of().items():
        doms = [allowed[m.id] for m in pms]
        deficit += len(doms) - _match(doms)
    return min(flow, n - (deficit + 1) // 2)


def lp_upper_bound(problem: Problem) -> int:
    """Upper bound on placeable meetings: the optimum of
    the LP relaxation (GLOP) of the placement problem -- x[m, s] >= 0 over allowed
    slots, at most one slot per meeting, per firm and slot at most one meeting, per
    slot at most T meetings (and at most K interpreter meetings).  Precedences are
    ignored (a relaxation).  Rounded down with a small tolerance."""
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    per_m: dict[str, list] = {}
    per_ps: dict[tuple[str, int], list] = {}
    per_s: dict[int, list] = {}
    per_si: dict[int, list] = {}
    for m in problem.meetings:
        for s in problem.allowed_slots(m):
            v = lp.NumVar(0.0, 1.0, "")
            per_m.setdefault(m.id, []).append(v)
            for p in m.participants:
                per_ps.setdefault((p, s), []).append(v)
            per_s.setdefault(s, []).append(v)
            if m.needs_interpreter:
                per_si.setdefault(s, []).append(v)
    if not per_m:
        return 0
    for vs in per_m.values():
        if len(vs) > 1:
            lp.Add(lp.Sum(vs) <= 1)
    for vs in per_ps.values():
        if len(vs) > 1:
            lp.Add(lp.Sum(vs) <= 1)
    for vs in per_s.values():
        if len(vs) > problem.tables:
            lp.Add(lp.Sum(vs) <= problem.tables)
    if problem.interpreters is not None:
        for vs in per_si.values():
            if len(vs) > problem.interpreters:
                lp.Add(lp.Sum(vs) <= problem.interpreters)
    lp.Maximize(lp.Sum([v for vs in per_m.values() for v in vs]))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return len(per_m)
    return min(len(per_m), int(lp.Objective().Value() + 1e-6))


def _day_arcs(K: int, busy_slots: set[int], S: int):
    """The arcs of one participant's layered day graph (see ``flow_lp_break_bound``):
    (slot s, meetings before s, busy at s - 1, busy at s), for a participant with K
    meetings and candidate meetings in ``busy_slots``."""
    after = [0] * (S + 2)  # candidate slots after slot s
    for s in range(S, 0, -1):
        after[s - 1] = after[s] + (1 if s in busy_slots else 0)
    reach = {(0, 0)}  # (meetings so far, busy at previous slot)
    for s in range(1, S + 1):
        nxt = set()
        for c, b in sorted(reach):
            if K - c <= after[s]:  # idle at s
                yield s, c, b, 0
                nxt.add((c, 0))
            if s in busy_slots and c < K and K - c - 1 <= after[s]:  # busy at s
                yield s, c, b, 1
                nxt.add((c + 1, 1))
        reach = nxt


def _too_many_arcs(k: dict[str, int], candidates: dict[str, set[int]], S: int,
                   max_arcs: int) -> bool:
    """Whether the day graphs have more than ``max_arcs`` arcs; counted before the LP
    is built (on the benchmark's 10k-meeting instance the LP's meeting variables alone
    took 4.6 s before the cap said no), and only as far as the cap."""
    n = 0
    for p, by in candidates.items():
        if k[p] >= 2:
            for _ in _day_arcs(k[p], by, S):
                n += 1
                if n > max_arcs:
                    return True
    return False


def flow_lp_break_bound(problem: Problem, break_lb: dict[str, int] | None = None,
                        dtime: float = 2.0, wall_cap: float = 10.0,
                        max_arcs: int | None = None) -> int | None:
    """A global lower bound on total breaks, valid when every meeting is scheduled:
    the LP relaxation (GLOP) of an extended formulation, rounded up.

    Per participant p with k >= 2 meetings, its day is a path through a layered graph
    with nodes (slot s, meetings so far c, busy at s); a busy arc at slot s exists only
    where p has a candidate meeting, and entering a busy node from an idle one opens a
    run (cost 1).  The LP of one participant alone is integral (a shortest path over
    exactly-k-busy days), so, unlike the "start >= busy[s] - busy[s-1]" linking of the
    CP-SAT model, it cannot spread a fraction of a run over the day.  Linking:
    busy arcs of p at s = sum of x[m, s] over p's meetings; every meeting in exactly
    one allowed slot; at most T meetings (and K interpreter meetings) per slot;
    breaks_p = runs_p - 1 >= break_lb[p].  Precedences and fairness are relaxed
    (dropped), so the bound is valid for the optimum under any fairness outcome.

    Returns None when the LP does not finish within its deterministic time ``dtime``
    (GLOP units; ``wall_cap`` seconds is only a safety net), or when the layered graphs
    have more than ``max_arcs`` arcs (the LP is then too slow to pay off)."""
    from ortools.linear_solver import pywraplp

    S = problem.slots
    k: dict[str, int] = {}
    candidates: dict[str, set[int]] = {}
    for m in problem.meetings:
        allowed = problem.allowed_slots(m)
        for p in m.participants:
            k[p] = k.get(p, 0) + 1
            candidates.setdefault(p, set()).update(allowed)
    if max_arcs is not None and _too_many_arcs(k, candidates, S, max_arcs):
        return None
    lp = pywraplp.Solver.CreateSolver("GLOP")
    lp.SetSolverSpecificParametersAsString(f"max_deterministic_time: {max(0.01, dtime)}")
    lp.SetTimeLimit(int(1000 * max(0.1, wall_cap)))
    per_ps: dict[str, dict[int, list]] = {}
    per_s: dict[int, list] = {}
    per_si: dict[int, list] = {}
    for m in problem.meetings:
        vs = []
        for s in problem.allowed_slots(m):
            v = lp.NumVar(0.0, 1.0, "")
            vs.append(v)
            for p in m.participants:
                per_ps.setdefault(p, {}).setdefault(s, []).append(v)
            per_s.setdefault(s, []).append(v)
            if m.needs_interpreter:
                per_si.setdefault(s, []).append(v)
        if not vs:
            return None  # some meeting cannot be scheduled: the bound does not apply
        lp.Add(lp.Sum(vs) == 1)
    for vs in per_s.values():
        if len(vs) > problem.tables:
            lp.Add(lp.Sum(vs) <= problem.tables)
    if problem.interpreters is not None:
        for vs in per_si.values():
            if len(vs) > problem.interpreters:
                lp.Add(lp.Sum(vs) <= problem.interpreters)
    objective = []
    order = {x.id: i for i, x in enumerate(problem.participants)}
    for p in sorted(per_ps, key=order.__getitem__):
        K, by = k[p], per_ps[p]
        if K < 2:
            continue
        inflow: dict[tuple, list] = {}
        outflow: dict[tuple, list] = {}
        runs, busy = [], {s: [] for s in by}
        for s, c, b, is_busy in _day_arcs(K, set(by), S):
            a = lp.NumVar(0.0, 1.0, "")
            outflow.setdefault((s - 1, c, b), []).append(a)
            inflow.setdefault((s, c + is_busy, is_busy), []).append(a)
            if is_busy:
                busy[s].append(a)
                if b == 0:
                    runs.append(a)
        lp.Add(lp.Sum(outflow.get((0, 0, 0), [])) == 1)
        for node in set(inflow) | set(outflow):
            if node[0] in (0, S):
                continue
            lp.Add(lp.Sum(inflow.get(node, [])) == lp.Sum(outflow.get(node, [])))
        lp.Add(lp.Sum([a for c, b in [(K, 0), (K, 1)] for a in inflow.get((S, c, b), [])]) == 1)
        for s, arcs in busy.items():
            lp.Add(lp.Sum(by[s]) == lp.Sum(arcs))
        br = lp.Sum(runs) - 1
        if break_lb and break_lb.get(p, 0) > 0:
            lp.Add(br >= break_lb[p])
        objective.append(br)
    if not objective:
        return 0
    lp.Minimize(lp.Sum(objective))
    status = lp.Solve()
    if status == pywraplp.Solver.INFEASIBLE:
        return None  # no complete schedule (the caller only asks when one exists)
    if status != pywraplp.Solver.OPTIMAL:
        return None
    return max(0, math.ceil(lp.Objective().Value() - 1e-6))
