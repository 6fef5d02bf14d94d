"""Large neighbourhood search (LNS) on breaks and fairness with small CP-SAT
sub-models; the solver uses it to repair a fairness excess left by the annealing.

Why: the annealing of ``localsearch.improve_breaks`` weighs the fairness excess far
above the breaks, so it never accepts a move that raises the excess; when it ends
with a firm above the bound (3 breaks while others have none, d = 2: seen with the
annealing alone on the benchmark's big-22, one seed of twelve), lowering that firm's
breaks can take several coordinated moves, and the excess stays.  CP-SAT
re-optimising *all* meetings of that firm and of a few firms around it at once, the
rest fixed, finds the coordinated multi-meeting change, and each sub-model is tiny
(tens of meetings), so it solves in milliseconds.

Measured and not worth it as a general break improver: started from an annealed
schedule (mid-12, forum-like-21, mid-16, big-22, planted-22, 4-6 s), none of the
neighbourhoods tried -- a firm with breaks and some partners, a window of 2-8
consecutive slots, a firm's meetings plus a window around one of its gaps, a
re-ordering of whole slots (each slot's meetings move together), CP-SAT on a
copy of the whole day model of ``cores`` with 20-50 % of the firms free --
improved the breaks once, even when solved to optimality: the better schedules
differ from the annealed ones almost everywhere (mid-12: 124 of 150 meetings moved,
43 of 50 firms with another set of busy slots, between the 11-break annealed
schedule and a 4-break optimum).

Sub-model (built from scratch per step, not by copying a full model, so its cost
is proportional to the neighbourhood): ``x[m, s]`` for every freed meeting m and every
slot s it may take -- allowed for m, inside the neighbourhood's slot window if any,
where neither firm has a fixed meeting, with room left by the fixed meetings
(tables, interpreters), and compatible with the precedences to fixed meetings; every
freed meeting takes exactly one slot (the placement is kept); per firm at most one
meeting per slot; per slot at most T minus the fixed meetings (and likewise
interpreters); precedences among freed meetings.  Each firm touched by a freed
meeting gets its exact number of breaks (run starts minus one, its fixed busy slots
as constants).  Objective, as in the annealing: ``W * fairness excess + breaks of
the touched firms`` (the other firms' breaks are constants; their minimum and
maximum enter the fairness bound as constants); in repair mode, the overshoot of
``lns_breaks`` comes between the two.  The current schedule is the hint,
and a sub-solution is only taken when it is no worse, so a step never worsens the
schedule; equal ones are taken too (they move the search across plateaus).

Neighbourhoods (seeded RNG): (1) a firm -- while there is an excess, always one at
the maximum of breaks, otherwise one with breaks, with probability proportional to
them -- and partners around it: all their meetings free; (2) without an excess,
sometimes a window of consecutive slots: all its meetings free to permute inside
it.  Their size adapts: it grows after sub-models solved to optimality and shrinks
after sub-models that ran out of time, so that most steps are complete.

Determinism: one CP-SAT worker per step with a deterministic time limit, seeded
neighbourhoods, and a budget in deterministic units: CP-SAT deterministic time
plus a cost per step and per sub-model variable for the Python model building
(``STEP_COST``, ``BUILD_COST_PER_VAR``); the wall-clock cap is a safety net only.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .greedy import SlotState
from .problem import Problem

# deterministic-time equivalent of building and loading one sub-model variable, and
# of one step (neighbourhood, model, solver call); with these the budget is about
# wall seconds on the reference machine (unloaded: 1.0 unit took 1.0-1.2 s)
BUILD_COST_PER_VAR = 25e-6
STEP_COST = 2e-3
# deterministic time limit of one sub-model solve
STEP_DTIME = 0.05
# share of the steps on firm neighbourhoods (the rest: slot windows)
P_FIRMS = 0.7
# initial neighbourhood sizes: firms, consecutive slots
INITIAL_SIZE = {"firms": 4, "window": 4}


@dataclass
class LnsResult:
    slot_of: dict[str, int]
    steps: int = 0
    improved: int = 0
    used: float = 0.0     # budget units spent


def _breaks_of(slots) -> int:
    ss = sorted(slots)
    return sum(1 for x, y in zip(ss, ss[1:], strict=False) if y - x > 1)


class _State:
    """The schedule being improved, with per-firm breaks and the fairness data."""

    def __init__(self, problem: Problem, slot_of: dict[str, int], spread: bool = False):
        self.problem = problem
        self.spread = spread and problem.fairness is not None
        self.st = SlotState(problem)
        for mid, s in slot_of.items():
            self.st.place(problem.meeting(mid), s)
        # fairness is over firms with at least one requested meeting
        self.requested = sorted({p for m in problem.meetings for p in m.participants})
        self.br = {p: _breaks_of(self.st.busy[p]) for p in self.requested}
        self.W = sum(self.br.values()) + 10 * len(slot_of) + 1
        self.Wo = len(self.requested) * problem.slots + 1   # > any total overshoot

    def excess(self) -> int:
        d = self.problem.fairness
        if d is None or not self.br:
            return 0
        vals = self.br.values()
        return max(0, max(vals) - min(vals) - d)

    def overshoot(self) -> int:
        """Breaks above min + d, summed over the firms (0 iff no excess)."""
        if not self.br:
            return 0
        cap = min(self.br.values()) + self.problem.fairness
        return sum(max(0, b - cap) for b in self.br.values())

    def value(self) -> int:
        if self.spread:
            return self.W * (self.Wo * self.excess() + self.overshoot()) + sum(self.br.values())
        return self.W * self.excess() + sum(self.br.values())


def _neighbourhood(state: _State, rng: random.Random, size: dict, meets_of, partners):
    """(freed meeting ids, slot window or None, kind) for one step."""
    problem, st = state.problem, state.st
    S = problem.slots
    bad = [p for p in state.requested if state.br[p] > 0]
    excess = state.excess() > 0
    if bad and (excess or rng.random() < P_FIRMS):
        if excess:
            top = max(state.br.values())
            p = rng.choice([q for q in bad if state.br[q] == top])
        else:
            p = rng.choices(bad, [state.br[q] for q in bad])[0]
        group = [p]
        frontier = list(partners[p])
        while len(group) < max(1, size["firms"]) and frontier:
            q = frontier.pop(rng.randrange(len(frontier)))
            if q in group:
                continue
            group.append(q)
            if rng.random() < 0.5:  # sometimes grow from the new firm too
                frontier.extend(r for r in partners[q] if r not in group)
        freed = {mid for q in group for mid in meets_of[q] if mid in st.slot_of}
        return freed, None, "firms"
    w = max(2, min(S, size["window"]))
    a = rng.randint(1, S - w + 1)
    window = set(range(a, a + w))
    freed = {mid for s in window for mid in st.by_slot[s]}
    return freed, window, "window"


def _solve_sub(state: _State, freed: set[str], window: set[int] | None, seed: int,
               dtime: float, wall_cap: float):
    """Re-optimise the freed meetings (see the module docstring).  Returns (new slots
    of the freed meetings or None, CP-SAT status, deterministic time used, number of
    variables)."""
    problem, st = state.problem, state.st
    T, K, S = problem.tables, problem.interpreters, problem.slots
    m_ = cp_model.CpModel()
    freed_sorted = [m.id for m in problem.meetings if m.id in freed]
    fixed_busy: dict[str, set[int]] = {}
    touched: list[str] = []
    for mid in freed_sorted:
        for p in problem.meeting(mid).participants:
            if p not in fixed_busy:
                fixed_busy[p] = {s for s, o in st.busy[p].items() if o not in freed}
                touched.append(p)
    fixed_count = {s: sum(1 for o in st.by_slot[s] if o not in freed) for s in st.by_slot}
    fixed_interp = {s: sum(1 for o in st.by_slot[s] if o not in freed
                           and problem.meeting(o).needs_interpreter) for s in st.by_slot}
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    per_ps: dict[str, dict[int, list]] = {p: {} for p in touched}
    per_slot: dict[int, list] = {}
    interp_slot: dict[int, list] = {}
    for mid in freed_sorted:
        m = problem.meeting(mid)
        a, b = m.participants
        lo, hi = 0, S + 1
        for o in st.before[mid]:
            if o in st.slot_of and o not in freed:
                lo = max(lo, st.slot_of[o])
        for o in st.after[mid]:
            if o in st.slot_of and o not in freed:
                hi = min(hi, st.slot_of[o])
        vs = []
        for s in st.allowed[mid]:
            if (window is not None and s not in window) or s in fixed_busy[a] \
                    or s in fixed_busy[b] or not lo < s < hi or fixed_count[s] >= T \
                    or (m.needs_interpreter and K is not None and fixed_interp[s] >= K):
                continue
            v = m_.new_bool_var("")
            x[mid, s] = v
            vs.append(v)
            m_.add_hint(v, st.slot_of[mid] == s)
            per_ps[a].setdefault(s, []).append(v)
            per_ps[b].setdefault(s, []).append(v)
            per_slot.setdefault(s, []).append(v)
            if m.needs_interpreter:
                interp_slot.setdefault(s, []).append(v)
        m_.add_exactly_one(vs)  # the current slot is always among them
    for p in touched:
        for vs in per_ps[p].values():
            if len(vs) > 1:
                m_.add_at_most_one(vs)
    for s, vs in per_slot.items():
        if len(vs) > T - fixed_count[s]:
            m_.add(sum(vs) <= T - fixed_count[s])
    if K is not None:
        for s, vs in interp_slot.items():
            if len(vs) > K - fixed_interp[s]:
                m_.add(sum(vs) <= K - fixed_interp[s])
    for a_, b_ in problem.precedences:
        if a_ in freed and b_ in freed:
            a_slots = [(s, v) for (mid, s), v in x.items() if mid == a_]
            for (mid, sb), vb in x.items():
                if mid == b_:
                    later = [v for sa, v in a_slots if sa >= sb]
                    if later:
                        m_.add(vb + sum(later) <= 1)
    # exact breaks of the touched firms: run starts - 1, fixed busy slots as constants
    n_vars = len(x)
    br_vars = {}
    for p in touched:
        fb, var = fixed_busy[p], per_ps[p]

        def busy(s, fb=fb, var=var):
            if s in fb:
                return 1
            vs = var.get(s)
            return sum(vs) if vs else 0
        starts, const = [], 0
        for s in range(1, S + 1):
            cur = busy(s)
            prev = busy(s - 1) if s > 1 else 0
            if (isinstance(cur, int) and cur == 0) or (isinstance(prev, int) and prev == 1):
                continue  # no run can start here
            if isinstance(cur, int) and isinstance(prev, int):
                const += 1  # a fixed run starts here
                continue
            start = m_.new_bool_var("")   # start == cur and not prev
            n_vars += 1
            m_.add(start <= cur)
            if not isinstance(prev, int):
                m_.add(start <= 1 - prev)
            m_.add(start >= cur - prev)
            m_.add_hint(start, s in st.busy[p] and (s - 1) not in st.busy[p])
            starts.append(start)
        br = m_.new_int_var(0, S, "")
        m_.add(br == sum(starts) + const - 1)
        m_.add_hint(br, state.br[p])
        br_vars[p] = br
    objective = sum(br_vars.values())
    d = problem.fairness
    if d is not None and state.requested:
        others = [state.br[p] for p in state.requested if p not in br_vars]
        lo_v, hi_v, ex = (m_.new_int_var(0, S, "") for _ in range(3))
        for br in br_vars.values():
            m_.add(lo_v <= br)
            m_.add(hi_v >= br)
        if others:
            m_.add(lo_v <= min(others))
            m_.add(hi_v >= max(others))
        m_.add(ex >= hi_v - lo_v - d)
        m_.add_hint(lo_v, min(state.br.values()))
        m_.add_hint(hi_v, max(state.br.values()))
        m_.add_hint(ex, state.excess())
        if state.spread:
            # (excess, overshoot of the touched firms, breaks), lexicographically
            over = []
            for p, br in br_vars.items():
                o = m_.new_int_var(0, S, "")
                m_.add(o >= br - lo_v - d)
                m_.add_hint(o, max(0, state.br[p] - min(state.br.values()) - d))
                over.append(o)
            w_b = len(br_vars) * S + 1
            objective = objective + w_b * (state.Wo * ex + sum(over))
        else:
            objective = objective + state.W * ex
    m_.minimize(objective)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 1
    prm.random_seed = seed
    prm.max_deterministic_time = dtime
    prm.max_time_in_seconds = max(0.05, wall_cap)   # safety net only
    status = solver.solve(m_)
    used = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status, used, n_vars
    new = {mid: s for (mid, s), v in x.items() if solver.boolean_value(v)}
    return new, status, used, n_vars


def lns_breaks(problem: Problem, slot_of: dict[str, int], budget: float, seed: int = 0,
               wall_cap: float = 10.0, until_fair: bool = False) -> LnsResult:
    """Improve (fairness excess, breaks) of a schedule lexicographically, placement
    kept, by LNS (see the module docstring).  ``budget``: deterministic units (CP-SAT
    deterministic time plus model building).  Stops early at 0 breaks.

    ``until_fair`` (repair mode): the order is (excess, overshoot, breaks), where the
    overshoot sums the firms' breaks above min + d: an excess set by many firms at
    the maximum (the 10k-meeting benchmark: 22 firms at 3 breaks, d = 2, the minimum
    0) falls only when all of them come down, and the overshoot counts that
    progress, which the excess and the total breaks do not; it stops as soon as the
    excess is 0.  Returns the best schedule seen, never worse than ``slot_of`` in
    that order."""
    t0 = time.monotonic()
    state = _State(problem, slot_of, spread=until_fair)
    st = state.st
    rng = random.Random(seed)
    meets_of: dict[str, list[str]] = {p.id: [] for p in problem.participants}
    for m in problem.meetings:
        for p in m.participants:
            meets_of[p].append(m.id)
    partners = {p: sorted({q for mid in meets_of[p] for q in problem.meeting(mid).participants}
                          - {p}) for p in meets_of}
    size = dict(INITIAL_SIZE)
    res = LnsResult(dict(st.slot_of))
    cur = state.value()
    while res.used < budget and time.monotonic() - t0 < wall_cap:
        if cur == 0 or (until_fair and state.excess() == 0):
            break
        freed, window, kind = _neighbourhood(state, rng, size, meets_of, partners)
        res.used += STEP_COST
        if not freed:
            continue
        res.steps += 1
        new, status, used, n_vars = _solve_sub(
            state, freed, window, rng.randrange(1 << 30),
            min(STEP_DTIME, max(0.005, budget - res.used)), wall_cap - (time.monotonic() - t0))
        res.used += used + BUILD_COST_PER_VAR * n_vars
        if status == cp_model.OPTIMAL:
            size[kind] += rng.random() < 0.5
        else:
            size[kind] = max(2, size[kind] - 1)
        if new is None:
            continue
        moved = [mid for mid in sorted(new) if new[mid] != st.slot_of[mid]]
        if not moved:
            continue
        old = {mid: st.slot_of[mid] for mid in moved}
        _move(st, problem, moved, new)
        old_br = {p: state.br[p] for mid in moved for p in problem.meeting(mid).participants}
        for p in old_br:
            state.br[p] = _breaks_of(st.busy[p])
        val = state.value()
        if val > cur:  # defensive (the sub-model's objective is exact): undo
            _move(st, problem, moved, old)
            state.br.update(old_br)
            continue
        if val < cur:
            res.improved += 1
            res.slot_of = dict(st.slot_of)
        cur = val
    return res


def _move(st: SlotState, problem: Problem, moved: list[str], to: dict[str, int]) -> None:
    """Move the meetings ``moved`` to the slots ``to`` (all removed first, so that
    exchanges between them never meet an occupied slot)."""
    for mid in moved:
        st.remove(problem.meeting(mid))
    for mid in moved:
        st.place(problem.meeting(mid), to[mid])
