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

Placement upper bounds (used by the benchmark to print "placed / upper bound"):
``flow_upper_bound`` (max flow meeting -> slot with slot capacities, and per-firm
matching deficits; fast on 10,000 meetings) and ``lp_upper_bound`` (LP relaxation
with per firm-and-slot constraints; small instances only).
"""

from __future__ import annotations

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
