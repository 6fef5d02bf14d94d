"""CP-SAT models: phase 1 places meetings (maximise priority), phase 2 minimises
breaks under the fairness bound with the placement of phase 1 as a hint.

Variables: ``x[m, s]`` for every meeting m and every slot s allowed for it (session,
fixed slot, both participants available).  A participant's slot usage
``busy[p, s] = sum_m x[m, s]`` is a linear expression; ``start[p, s]`` is exactly
``busy[p, s] and not busy[p, s-1]``, and ``breaks_p = sum_s start[p, s] - has_p``
(``has_p``: p has at least one meeting).  Implied constraints: the span of a
participant's day (last - first + 1) is at least meetings + breaks; the number of
meetings in a slot is at most min(T, participants free there / 2); when every
meeting is scheduled, ``breaks_p >= lb_p`` with the per-participant lower bounds of
``bounds.participant_break_bounds`` (lets CP-SAT prove optimality when they are met).

The solver runs phase 1 only on instances where the local search left meetings
unplaced, and phase 2 (direct solve, ``use_lns=False``) as a short proof attempt
after the annealing of ``localsearch.improve_breaks``.

Determinism: ``interleave_search`` with a fixed ``num_workers`` and a
*deterministic* time limit (``max_deterministic_time``); the wall-clock limit is
only a safety net (see ``_parameters``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Problem

NUM_WORKERS = 2


@dataclass
class PhaseResult:
    slot_of: dict[str, int]
    proven: bool                 # optimal for this phase's objective
    breaks_lower_bound: int | None = None


def _parameters(solver: cp_model.CpSolver, dtime: float, seed: int, wall_cap: float) -> None:
    p = solver.parameters
    p.num_workers = NUM_WORKERS
    p.interleave_search = True          # deterministic multi-worker search
    p.random_seed = seed
    p.max_deterministic_time = max(0.05, dtime)
    p.max_time_in_seconds = max(1.0, wall_cap)   # safety net only
    p.log_search_progress = False


class _Base:
    def __init__(self, problem: Problem, force_all: bool):
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x: dict[tuple[str, int], cp_model.IntVar] = {}
        self.sched: dict[str, list] = {}
        m_ = self.model
        for m in problem.meetings:
            allowed = problem.allowed_slots(m)
            vs = []
            for s in allowed:
                v = m_.new_bool_var(f"x[{m.id},{s}]")
                self.x[m.id, s] = v
                vs.append(v)
            self.sched[m.id] = vs
            if force_all:
                m_.add_exactly_one(vs)
            elif vs:
                m_.add_at_most_one(vs)
        self.per_ps: dict[str, dict[int, list]] = {p.id: {} for p in problem.participants}
        self.per_slot: dict[int, list] = {s: [] for s in range(1, problem.slots + 1)}
        self.interp_slot: dict[int, list] = {s: [] for s in range(1, problem.slots + 1)}
        for (mid, s), v in self.x.items():
            mt = problem.meeting(mid)
            for p in mt.participants:
                self.per_ps[p].setdefault(s, []).append(v)
            self.per_slot[s].append(v)
            if mt.needs_interpreter:
                self.interp_slot[s].append(v)
        for by_s in self.per_ps.values():
            for s in sorted(by_s):
                if len(by_s[s]) > 1:
                    m_.add_at_most_one(by_s[s])
        for s, vs in self.per_slot.items():
            # implied: a slot holds at most (participants with a candidate there) / 2
            free = sum(1 for p in self.per_ps if s in self.per_ps[p])
            cap = min(problem.tables, free // 2)
            if len(vs) > cap:
                m_.add(sum(vs) <= cap)
        if problem.interpreters is not None:
            for vs in self.interp_slot.values():
                if len(vs) > problem.interpreters:
                    m_.add(sum(vs) <= problem.interpreters)
        for a, b in problem.precedences:
            a_slots = sorted(s for (mid, s) in self._slots_of(a))
            for sb in (s for (_, s) in self._slots_of(b)):
                later_a = [self.x[a, sa] for sa in a_slots if sa >= sb]
                if later_a:
                    m_.add(self.x[b, sb] + sum(later_a) <= 1)
        self.prio_expr = sum(problem.meeting(mid).priority * v for (mid, _), v in self.x.items())

    def _slots_of(self, mid: str):
        return [(mid, s) for s in self.problem.allowed_slots(self.problem.meeting(mid))]

    def hint_x(self, slot_of: dict[str, int]) -> None:
        for (mid, s), v in self.x.items():
            self.model.add_hint(v, slot_of.get(mid) == s)

    def read(self, solver) -> dict[str, int]:
        return {mid: s for (mid, s), v in self.x.items() if solver.boolean_value(v)}


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress, phase: str, count_vars, breaks_expr, t0: float):
        super().__init__()
        self.on_progress, self.phase = on_progress, phase
        self.count_vars, self.breaks_expr, self.t0 = count_vars, breaks_expr, t0

    def on_solution_callback(self) -> None:
        info = {"phase": self.phase,
                "scheduled": sum(self.value(v) for v in self.count_vars),
                "seconds": round(time.monotonic() - self.t0, 2)}
        if self.breaks_expr is not None:
            info["breaks"] = int(self.value(self.breaks_expr))
        self.on_progress(info)


def _run(model_obj: _Base, dtime, seed, wall_cap, on_progress, phase, breaks_expr, t0):
    solver = cp_model.CpSolver()
    _parameters(solver, dtime, seed, wall_cap)
    cb = None
    if on_progress is not None:
        cb = _Progress(on_progress, phase, list(model_obj.x.values()), breaks_expr, t0)
    status = solver.solve(model_obj.model, cb)
    return solver, status


def solve_placement(problem: Problem, hint: dict[str, int], dtime: float, seed: int,
                    wall_cap: float, on_progress=None, t0: float | None = None) -> PhaseResult:
    """Phase 1: maximise the total priority of scheduled meetings."""
    t0 = time.monotonic() if t0 is None else t0
    total = sum(m.priority for m in problem.meetings)
    got = sum(problem.meeting(mid).priority for mid in hint)
    if got == total:
        return PhaseResult(dict(hint), True)
    mo = _Base(problem, force_all=False)
    mo.hint_x(hint)
    mo.model.add(mo.prio_expr >= got)
    mo.model.maximize(mo.prio_expr)
    solver, status = _run(mo, dtime, seed, wall_cap, on_progress, "placement", None, t0)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PhaseResult(mo.read(solver), status == cp_model.OPTIMAL)
    return PhaseResult(dict(hint), False)


def solve_breaks(problem: Problem, hint: dict[str, int], priority_proven: bool, dtime: float,
                 seed: int, wall_cap: float, on_progress=None,
                 t0: float | None = None, break_lb: dict[str, int] | None = None,
                 use_lns: bool = True) -> PhaseResult:
    """Phase 2: keep the priority of the hint (or better), minimise breaks subject to the
    fairness bound; when the bound cannot be met, its excess is minimised first.

    The objective is lexicographic through weights:
    ``W_p * unscheduled priority + W_e * fairness excess + breaks``.
    """
    t0 = time.monotonic() if t0 is None else t0
    total = sum(m.priority for m in problem.meetings)
    got = sum(problem.meeting(mid).priority for mid in hint)
    force_all = got == total
    mo = _Base(problem, force_all=force_all)
    m_ = mo.model
    S = problem.slots
    if not force_all:
        m_.add(mo.prio_expr >= got)
    k = {p.id: 0 for p in problem.participants}
    for mt in problem.meetings:
        for p in mt.participants:
            k[p] += 1
    br_terms = []
    br_of: dict[str, object] = {}
    first_last: dict[str, tuple] = {}
    hint_busy = {p.id: set() for p in problem.participants}
    for mid, s in hint.items():
        for p in problem.meeting(mid).participants:
            hint_busy[p].add(s)
    for p in problem.participants:
        by_s = mo.per_ps[p.id]
        if k[p.id] < 2 or len(by_s) < 2:
            continue
        busy = {s: sum(by_s[s]) for s in by_s}
        hb = hint_busy[p.id]
        starts = []
        for s in sorted(by_s):
            st = m_.new_bool_var(f"start[{p.id},{s}]")
            m_.add(st <= busy[s])
            if s - 1 in busy:
                m_.add(st >= busy[s] - busy[s - 1])
                m_.add(st <= 1 - busy[s - 1])
            else:
                m_.add(st >= busy[s])
            m_.add_hint(st, s in hb and s - 1 not in hb)
            starts.append(st)
        p_all_forced = force_all  # every meeting of p is scheduled
        if p_all_forced:
            has = 1
        else:
            has = m_.new_bool_var(f"has[{p.id}]")
            for st in starts:
                m_.add(has >= st)
            m_.add(has <= sum(starts))
            m_.add_hint(has, bool(hb))
        br = m_.new_int_var(0, min(k[p.id], len(by_s)) - 1, f"br[{p.id}]")
        m_.add(br == sum(starts) - has)
        if force_all and break_lb and break_lb.get(p.id, 0) > 0:
            # valid: every meeting of p is scheduled (see bounds.participant_break_bounds)
            m_.add(br >= break_lb[p.id])
        m_.add_hint(br, _count_breaks(hb))
        # implied: span of the day >= meetings + breaks
        if p_all_forced and k[p.id] >= 2:
            first = m_.new_int_var(min(by_s), max(by_s), f"first[{p.id}]")
            last = m_.new_int_var(min(by_s), max(by_s), f"last[{p.id}]")
            for s in by_s:
                for v in by_s[s]:
                    m_.add(first <= s).only_enforce_if(v)
                    m_.add(last >= s).only_enforce_if(v)
            m_.add(last - first + 1 >= k[p.id] + br)
            first_last[p.id] = (first, last)
            if hb:
                m_.add_hint(first, min(hb))
                m_.add_hint(last, max(hb))
        br_of[p.id] = br
        br_terms.append(br)
    breaks_expr = sum(br_terms) if br_terms else 0
    bmax = sum(max(0, k[p] - 1) for p in k)
    w_e = bmax + 1
    objective = breaks_expr
    excess = None
    d = problem.fairness
    if d is not None and br_of:
        attending = [p for p in k if k[p] >= 1]
        lo = m_.new_int_var(0, S, "lo")
        hi = m_.new_int_var(0, S, "hi")
        for p in attending:
            if p in br_of:
                m_.add(lo <= br_of[p])
                m_.add(hi >= br_of[p])
            else:
                m_.add(lo <= 0)
        excess = m_.new_int_var(0, S, "excess")
        mo.fair_vars = (lo, hi, excess, attending)
        m_.add(excess >= hi - lo - d)
        hbr = [(_count_breaks(hint_busy[p]) if p in br_of else 0) for p in attending]
        m_.add_hint(lo, min(hbr))
        m_.add_hint(hi, max(hbr))
        m_.add_hint(excess, max(0, max(hbr) - min(hbr) - d))
        objective = objective + w_e * excess
    if not force_all:
        w_p = w_e * (S + 1)
        objective = objective + w_p * (total - mo.prio_expr)
    m_.minimize(objective)
    t_start = time.monotonic()
    expr = breaks_expr if br_terms else None
    # 1) direct solve: small instances are proven optimal here
    first = FIRST_SHARE if use_lns else 1.0
    solver, status = _run(mo, first * dtime, seed, min(wall_cap, first * wall_cap * 1.5),
                          on_progress, "breaks", expr, t0)
    bound = solver.best_objective_bound if status != cp_model.UNKNOWN else -1e18
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slot_of = mo.read(solver)
    else:
        slot_of = dict(hint)
    if status != cp_model.OPTIMAL and use_lns:
        # 2) large neighbourhood search, 3) direct solve again from its result
        stop_at = -(-bound // 1) if bound > -1e17 else None
        slot_of = _lns(mo, slot_of, LNS_SHARE * dtime, seed,
                       max(0.3, LNS_SHARE * wall_cap), on_progress, t0, stop_at)
        mo.model.clear_hints()
        _hint_all(mo, slot_of, br_of, first_last)
        left = max(0.3, wall_cap - (time.monotonic() - t_start))
        solver, status = _run(mo, (1 - FIRST_SHARE - LNS_SHARE) * dtime, seed, left,
                              on_progress, "breaks", expr, t0)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slot_of = mo.read(solver)
        if status not in (cp_model.UNKNOWN, cp_model.MODEL_INVALID):
            bound = max(bound, solver.best_objective_bound)
    lb = None
    if (priority_proven or force_all) and bound > -1e17:
        # objective = W_p * unscheduled priority + W_e * excess + breaks; the optimum has
        # the same priority and an excess no larger than ours, so this bounds its breaks
        busy = {p.id: set() for p in problem.participants}
        for mid, s in slot_of.items():
            for q in problem.meeting(mid).participants:
                busy[q].add(s)
        lb = int(-(-bound // 1))  # ceil
        if not force_all:
            lb -= w_e * (S + 1) * (total - sum(problem.meeting(mid).priority for mid in slot_of))
        if excess is not None:
            vals = [_count_breaks(busy[q]) for q in mo.fair_vars[3]] or [0]
            lb -= w_e * max(0, max(vals) - min(vals) - d)
        lb = max(0, lb)
    proven = status == cp_model.OPTIMAL and (priority_proven or force_all)
    return PhaseResult(slot_of, proven, lb)


FIRST_SHARE = 0.25
LNS_SHARE = 0.5


def _hint_all(mo: _Base, slot_of: dict[str, int], br_of: dict, first_last: dict) -> None:
    """Complete hint (x, starts, breaks, first/last, fairness) for a slot assignment."""
    problem, m_ = mo.problem, mo.model
    mo.hint_x(slot_of)
    busy = {p.id: set() for p in problem.participants}
    for mid, s in slot_of.items():
        for p in problem.meeting(mid).participants:
            busy[p].add(s)
    for p, br in br_of.items():
        m_.add_hint(br, _count_breaks(busy[p]))
    for p, (first, last) in first_last.items():
        if busy[p]:
            m_.add_hint(first, min(busy[p]))
            m_.add_hint(last, max(busy[p]))
    fv = getattr(mo, "fair_vars", None)
    if fv is not None:
        lo, hi, excess, attending = fv
        vals = [_count_breaks(busy[p]) for p in attending] or [0]
        m_.add_hint(lo, min(vals))
        m_.add_hint(hi, max(vals))
        m_.add_hint(excess, max(0, max(vals) - min(vals) - mo.problem.fairness))


def _lns(mo: _Base, slot_of: dict[str, int], dtime: float, seed: int, wall_cap: float,
         on_progress, t0: float, stop_at=None) -> dict[str, int]:
    """Large neighbourhood search on the full model: free the meetings of a window of
    slots, of a participant with breaks and its partners, or of two slots; fix the
    rest; re-optimise with one deterministic CP-SAT worker.  Deterministic: the
    neighbourhoods come from a seeded RNG and the budget is deterministic time."""
    problem = mo.problem
    base = mo.model.proto
    S = problem.slots
    rng = random.Random(seed)
    x_items = [(mid, s, v.Index()) for (mid, s), v in mo.x.items()]
    meets_of = problem.meetings_of()
    cur = dict(slot_of)
    cur_obj = None
    used, start_wall = 0.0, time.monotonic()
    while used < dtime and time.monotonic() - start_wall < wall_cap:
        if cur_obj is not None and stop_at is not None and cur_obj <= stop_at:
            break
        busy = {p.id: set() for p in problem.participants}
        for mid, s in cur.items():
            for p in problem.meeting(mid).participants:
                busy[p].add(s)
        unplaced = {m.id for m in problem.meetings if m.id not in cur}
        kind = rng.random()
        window = None
        with_breaks = [p.id for p in problem.participants if _count_breaks(busy[p.id]) > 0]
        if kind < 0.4 or not with_breaks:
            w = min(S, rng.randint(3, 6))
            a = rng.randint(1, S - w + 1)
            window = set(range(a, a + w))
        elif kind < 0.55:
            window = set(rng.sample(range(1, S + 1), min(S, 2)))
        if window is not None:
            freed = {mid for mid, s in cur.items() if s in window} | unplaced
        else:
            p = rng.choice(with_breaks)
            group = {p}
            partners = sorted({q for m in meets_of[p] for q in m.participants} - {p})
            group |= set(rng.sample(partners, min(len(partners), rng.randint(1, 3))))
            freed = {m.id for q in sorted(group) for m in meets_of[q]}
        sub = cp_model.CpModel()
        sub.proto.copy_from(base)
        sub.clear_hints()
        sp = sub.proto
        for mid, s, idx in x_items:
            if mid in freed and (window is None or s in window):
                sp.solution_hint.vars.append(idx)
                sp.solution_hint.values.append(int(cur.get(mid) == s))
            else:
                val = int(cur.get(mid) == s)
                dom = sp.variables[idx].domain
                dom.clear()
                dom.extend([val, val])
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.random_seed = seed
        prm.max_deterministic_time = min(0.3, max(0.02, dtime - used))
        prm.max_time_in_seconds = max(0.1, wall_cap - (time.monotonic() - start_wall))
        status = solver.solve(sub)
        used += solver.response_proto.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj = solver.objective_value
            if cur_obj is None or obj < cur_obj:
                improved = cur_obj is not None
                cur_obj = obj
                cur = {mid: s for mid, s, idx in x_items if solver.value(mo.x[mid, s])}
                if improved and on_progress is not None:
                    b2 = {p.id: set() for p in problem.participants}
                    for mid, s in cur.items():
                        for q in problem.meeting(mid).participants:
                            b2[q].add(s)
                    on_progress({"phase": "breaks", "scheduled": len(cur),
                                 "breaks": sum(_count_breaks(v) for v in b2.values()),
                                 "seconds": round(time.monotonic() - t0, 2)})
    return cur


def _count_breaks(slots: set[int]) -> int:
    ss = sorted(slots)
    return sum(1 for a, b in zip(ss, ss[1:], strict=False) if b - a > 1)
