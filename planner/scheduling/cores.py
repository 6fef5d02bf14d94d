"""Core-guided lower bound on breaks (OLL), on a model with per-participant "day"
reasoning; when the bound is reached, the schedule found is optimal.

Why: the LP relaxations (CP-SAT's, and the flow LP of ``bounds``) stay at the sum of
the per-participant bounds on realistic instances: any fractional placement spreads
a participant over its whole day.  Unsatisfiability proofs by clause learning are
much stronger here: on the benchmark's "mid-12" (optimum 4 breaks), "every
participant keeps its per-participant bound" is refuted in a fraction of a second,
and the core-guided loop proves 4 in a fraction of a second (without LP relaxation,
see ``core_lower_bound``) where the LP gives 2.

Model (the usage / first-last view of the B2B scheduling literature: Bofill et al.,
"Constraint solving approaches to the business-to-business meeting scheduling
problem", JAIR 2022): the hard constraints of ``model._Base`` on x[m, s], and per
participant p with k_p >= 2 meetings

- ``u[p, s]``: p busy in slot s (the sum of its x there); ``sum_s u[p, s] = k_p``;
- ``started[p, s]`` / ``open[p, s]``: p has a meeting in some slot <= s / >= s
  (monotone chains, so "first" and "last" are order-encoded);
- ``idle[p, s] = started & open & not u``: an idle slot inside p's day;
- ``gap[p, s] = idle[p, s] & u[p, s-1]``: a break starts at s; breaks_p = sum of gap.

Implied constraints: per slot, the busy participants of each side of a bipartite
request graph number exactly the meetings of the slot (otherwise: all busy
participants number twice the meetings); with no break, p's day is one window of
k_p slots that must hold a matching of its meetings to distinct allowed slots, so
the windows that cannot are excluded up front, and the others are a choice: one
boolean per window, exactly one of them when p keeps its goal of no break, each
making its k_p slots busy.  The choice says the same as the chains, but CP-SAT
propagates and branches on it far better: from the first proven bound, the schedule
that reaches it came 1.3-2.5 times sooner (the benchmark's instances with roomy
tables: big-22 after 4.2-7.8 deterministic s instead of 7.7-11.6, forum-like-21 after
4.0-11.1 where two seeds of three found none in 15), and the bounds on the tight
ones rose by 1-2 in the same time.

Lower bound: unit-weight OLL (core-guided MaxSAT).  Soft goals
``breaks_p <= lb_p`` (lb_p from ``bounds.participant_break_bounds``) are
assumptions.  An infeasible answer comes with a core, a set of goals that cannot
all hold: the bound rises by one, the core's goals are replaced by a cardinality
constraint "at least one of them fails" and a new goal "at most one fails", and a
failed goal of a participant is followed by the next level "breaks_p <= lb_p + 1".
A feasible answer satisfies every current
goal, so its breaks equal the bound: it is optimal.  The bound ignores fairness
(it only restricts schedules), so it is valid for the lexicographic optimum.

Measured and not adopted (on the benchmark's instances with roomy tables, 21-22
slots, whose optimum is the loop's first bound: what takes the time there is the
solve that finds a schedule at that bound, 4-16 deterministic s by solver seed):
- CP-SAT's own core-based search on this model (one solve minimising the sum of
  the breaks, ``optimize_with_core``, one worker: no presolve again per core, its
  learnt clauses kept): 3.3-23 deterministic s against the loop's 4.0-11 on
  forum-like-21-roomy, 4.9-9.5 against 4.2-10.5 on big-22-roomy (seeds 0-3), as
  fast or as slow;
- MaxSAT with RC2 (PySAT; Glucose 4 or CaDiCaL) on a CNF of the same model (a
  break literal per participant and slot as the soft clauses, the windows as
  clauses; its SAT solver keeps what it learnt from core to core): the bounds
  came in 0.3 s on mid-12 (this loop: 0.7 s) but 4.6 s on forum-like-21-roomy
  (1.2-2.0 s), the schedules no sooner (mid-12: 4.9 s with the start schedule as
  the SAT solver's phases, 10.4 s without, against 3.4 s; forum-like-21-roomy:
  30 s, against 8.6-22 s; same machine);
- the same model without the table limit: the schedule 4.5-9 times sooner on
  forum-like-21-roomy (1.2-1.5 deterministic s against 6.8-11, seeds 0-1), no
  sooner on big-22-roomy, and it needs 24 tables where 18 are set (32 where 26 on
  big-22-roomy/s11), so it is no schedule of the problem;
- that schedule as a way in (the table limit behind a literal left out of the
  assumptions; its cores are cores of the problem too): as the hint of the solve
  with tables, 1.96 / 18.3 / 6.7 deterministic s against 4.0-17.8 without it
  (forum-like-21-roomy, seeds 0-2), 10.8 / 5.0 against 4.3 / 7.1 (big-22-roomy),
  no better; repaired by LNS (the meetings of a few firms of an overfull slot and
  of some of their partners freed, every goal kept, the overflow minimised), the
  19-21 meetings over the limit came down to 5-6 in 20 deterministic s and no
  further; CP-SAT minimising the overflow from it, one worker: 2 left after 30.
  The find solve without any hint: 2.4-15.9 deterministic s against 4.0-11.1 with
  the constructive one (seeds 0-3).

Determinism: one CP-SAT worker per call, budgets in deterministic time; the
wall-clock cap is a safety net only.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .bounds import _match
from .model import _Base
from .problem import Problem


class Interrupt:
    """Stops the core loop from another thread: before its next solve, and the
    solve under way (CP-SAT's ``stop_search``).  A stop that comes while a solve is
    being started can be missed by that solve (CP-SAT ignores ``stop_search`` before
    the solve has begun): call ``set`` again until the loop has ended.  The loop's
    result is then cut short at a moment that depends on timing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._set = False
        self._solver: cp_model.CpSolver | None = None

    def set(self) -> None:
        with self._lock:
            self._set = True
            if self._solver is not None:
                self._solver.stop_search()

    def running(self, solver: cp_model.CpSolver) -> bool:
        """Called by the loop before each solve; False once stopped."""
        with self._lock:
            self._solver = solver
            return not self._set


@dataclass
class CoreResult:
    lower_bound: int                      # valid lower bound on total breaks
    slot_of: dict[str, int] | None = None  # a schedule with exactly that many breaks
    cores: list[list[str]] = field(default_factory=list)  # participants of each core
    dtime: float = 0.0
    trace: list[tuple[float, int]] = field(default_factory=list)  # (dtime used, bound)


def _sides(problem: Problem) -> dict[str, int] | None:
    """2-colouring of the request graph (participant -> 0/1), None if not bipartite."""
    adj: dict[str, list[str]] = {p.id: [] for p in problem.participants}
    for m in problem.meetings:
        a, b = m.participants
        adj[a].append(b)
        adj[b].append(a)
    side: dict[str, int] = {}
    for p in problem.participants:
        if p.id in side:
            continue
        side[p.id] = 0
        stack = [p.id]
        while stack:
            q = stack.pop()
            for r in adj[q]:
                if r not in side:
                    side[r] = 1 - side[q]
                    stack.append(r)
                elif side[r] == side[q]:
                    return None
    return side


class DayModel:
    """The hard constraints plus the day encoding of every participant."""

    def __init__(self, problem: Problem, plb: dict[str, int]):
        self.problem = problem
        base = _Base(problem, force_all=True)
        self.base = base
        self.model = m_ = base.model
        S = problem.slots
        self.k = k = {p.id: 0 for p in problem.participants}
        for m in problem.meetings:
            for p in m.participants:
                k[p] += 1
        allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
        meets = problem.meetings_of()
        self.u: dict[str, dict[int, object]] = {}
        self.breaks: dict[str, object] = {}     # linear expression per participant
        self.goal0: dict[str, cp_model.IntVar] = {}
        for p in problem.participants:
            by_s = base.per_ps[p.id]
            u = {}
            for s in sorted(by_s):
                vs = by_s[s]
                if len(vs) == 1:
                    u[s] = vs[0]
                else:
                    b = m_.new_bool_var(f"u[{p.id},{s}]")
                    m_.add(b == sum(vs))
                    u[s] = b
            self.u[p.id] = u
            if k[p.id] < 2:
                continue
            m_.add(sum(u.values()) == k[p.id])
            started = {s: m_.new_bool_var(f"started[{p.id},{s}]") for s in range(1, S + 1)}
            open_ = {s: m_.new_bool_var(f"open[{p.id},{s}]") for s in range(1, S + 1)}
            for s in range(1, S + 1):
                us = u.get(s)
                if s > 1:
                    m_.add_implication(started[s - 1], started[s])
                if s < S:
                    m_.add_implication(open_[s + 1], open_[s])
                if us is not None:
                    m_.add_implication(us, started[s])
                    m_.add_implication(us, open_[s])
                m_.add_bool_or([started[s].Not()] + ([us] if us is not None else [])
                               + ([started[s - 1]] if s > 1 else []))
                m_.add_bool_or([open_[s].Not()] + ([us] if us is not None else [])
                               + ([open_[s + 1]] if s < S else []))
            idle = {}
            for s in range(1, S + 1):
                lits = [started[s], open_[s]] + ([u[s].Not()] if s in u else [])
                v = m_.new_bool_var(f"idle[{p.id},{s}]")
                m_.add_bool_and(lits).only_enforce_if(v)
                m_.add_bool_or([lit.Not() for lit in lits] + [v])
                idle[s] = v
            gaps = []
            for s in range(2, S + 1):
                if s - 1 not in u:
                    continue
                g = m_.new_bool_var(f"gap[{p.id},{s}]")
                m_.add_bool_and([idle[s], u[s - 1]]).only_enforce_if(g)
                m_.add_bool_or([idle[s].Not(), u[s - 1].Not(), g])
                gaps.append(g)
            br = sum(gaps)
            self.breaks[p.id] = br
            z = m_.new_bool_var(f"goal[{p.id},0]")
            self.goal0[p.id] = z
            lb = plb.get(p.id, 0)
            if lb == 0:
                for s in range(1, S + 1):
                    m_.add_implication(z, idle[s].Not())
                # with no break, the day is a window of k slots holding a matching
                doms = [allowed[m.id] for m in meets[p.id]]
                K = k[p.id]
                wins = {}
                for f in range(1, S + 1):
                    if f + K - 1 > S or _match(doms, set(range(f, f + K))) < K:
                        m_.add_bool_or([z.Not(), started[f].Not()]
                                       + ([started[f - 1]] if f > 1 else []))
                    else:
                        wins[f] = m_.new_bool_var(f"win[{p.id},{f}]")
                # the same as a choice of one of those windows (see the module
                # docstring): z = exactly one window, whose slots are all busy
                m_.add(sum(wins.values()) == z)
                for f, w in wins.items():
                    m_.add_implication(w, started[f])
                    if f > 1:
                        m_.add_implication(w, started[f - 1].Not())
                    for s in range(f, f + K):  # each holds a meeting (the matching)
                        m_.add_implication(w, u[s])
            else:
                m_.add(br <= lb).only_enforce_if(z)
            m_.add(br >= lb + 1).only_enforce_if(z.Not())
        # implied: busy participants per slot vs meetings in the slot
        side = _sides(problem)
        for s in range(1, S + 1):
            n_s = base.per_slot[s]
            if not n_s:
                continue
            busy = [(p, u[s]) for p, u in self.u.items() if s in u]
            if side is not None:
                for c in (0, 1):
                    m_.add(sum(v for p, v in busy if side[p] == c) == sum(n_s))
            else:
                m_.add(sum(v for _, v in busy) == 2 * sum(n_s))


def core_lower_bound(problem: Problem, plb: dict[str, int], dtime: float, seed: int = 0,
                     wall_cap: float = 10.0, hint: dict[str, int] | None = None,
                     first_call: float = 1.0, interrupt: Interrupt | None = None,
                     on_bound=None) -> CoreResult:
    """OLL lower bound on total breaks of any schedule that places every meeting
    (see the module docstring).  ``dtime``: CP-SAT deterministic time in total; the
    first solve gets at most ``first_call * dtime``, and when it ends without an
    answer the loop stops (the first core is usually the quickest: an instance that
    does not yield one soon will not yield more within the budget).  ``on_bound(lb)``
    is called each time the bound rises."""
    t0 = time.monotonic()
    dm = DayModel(problem, plb)
    m_ = dm.model
    if hint:
        dm.base.hint_x(hint)
    lb = sum(plb.values())
    # soft goals: index -> (kind, key, level, literal); kind "p" participant, "c" card.
    soft: dict[int, tuple] = {}
    for p, z in dm.goal0.items():
        soft[z.Index()] = ("p", p, 0, z)
    cards: list[tuple[object, list[str]]] = []
    res = CoreResult(lb)

    def next_level(kind, key, lev):
        nl = m_.new_bool_var(f"goal[{key},{lev + 1}]")
        if kind == "p":
            bound = plb.get(key, 0) + lev + 1
            expr = dm.breaks[key]
        else:
            bound, expr = lev + 1, cards[key][0]
        m_.add(expr <= bound).only_enforce_if(nl)
        m_.add(expr >= bound + 1).only_enforce_if(nl.Not())
        soft[nl.Index()] = (kind, key, lev + 1, nl)

    def relax(goals) -> None:
        """Process a core: the bound rises by one (see the module docstring)."""
        nonlocal lb
        lb += 1
        people = sorted({g[1] for g in goals if g[0] == "p"}
                        | {q for g in goals if g[0] == "c" for q in cards[g[1]][1]})
        res.cores.append(people)
        for kind, key, lev, _lit in goals:
            next_level(kind, key, lev)
        if len(goals) > 1:
            # number of failed goals of the core: at least one; the new goal "at most
            # one fails" is its level 1
            expr = sum(g[3].Not() for g in goals)
            m_.add(expr >= 1)
            cards.append((expr, people))
            next_level("c", len(cards) - 1, 0)

    used = 0.0
    while used < dtime and time.monotonic() - t0 < wall_cap:
        m_.clear_assumptions()
        m_.add_assumptions([g[3] for g in soft.values()])
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.random_seed = seed
        # no LP relaxation: it stays at the per-participant bounds on these instances
        # (see the module docstring) and only slows every node down; without it the
        # cores come about ten times sooner (mid-12: bound 4 after 0.19 instead of
        # 2.06 deterministic s, and a 4-break schedule, the optimum, after 1.0;
        # forum-like-21: bound 5 after 2.4, where 400 s gave 5 with the LP)
        prm.linearization_level = 0
        cap = dtime * first_call if not res.trace else dtime - used
        prm.max_deterministic_time = max(0.01, cap)
        prm.max_time_in_seconds = max(0.1, wall_cap - (time.monotonic() - t0))
        if interrupt is not None and not interrupt.running(solver):
            break
        status = solver.solve(m_)
        used += solver.deterministic_time
        if status == cp_model.INFEASIBLE:
            core = set(solver.sufficient_assumptions_for_infeasibility())
            goals = [soft.pop(i) for i in sorted(core) if i in soft]
            if not goals:  # infeasible without goals: no complete schedule
                break
            relax(goals)
            res.trace.append((round(used, 3), lb))
            if on_bound is not None:
                on_bound(lb)
            continue
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            res.slot_of = dm.base.read(solver)
        break
    res.lower_bound = lb
    res.dtime = used
    return res
