"""Orchestration: constructive start -> placement repair -> lower bounds -> breaks
(local search, then CP-SAT on small instances) -> tables, and the output document.

Phases:
1. Constructive start (greedy), then ejection-chain repair (``localsearch``) to
   place the leftovers; on instances small enough for CP-SAT, if meetings are still
   unplaced, CP-SAT phase 1 tries to prove or improve the maximal priority.
2. Per-participant lower bounds on breaks (``bounds``), valid when every meeting is
   placed; their sum is a proven global lower bound.  On instances small enough
   (see ``FLOW_LP_ARCS_PER_SECOND``), unless the core loop of phase 3 runs, the
   flow LP bound of ``bounds.flow_lp_break_bound`` (per-participant layered day
   graphs linked by the meeting-slot LP) raises it: it accounts for the interaction
   of participants, which the per-participant bounds and CP-SAT's own LP relaxation
   do not.
3. Simulated annealing on breaks with Kempe-chain moves (placement kept), stopped
   early when it reaches the lower bound (then the schedule is proven optimal;
   beside the core loop below, the solve still waits for the loop to end).
   On mid-size instances (``CORES_MAX_X``, up to about 300 meetings) the
   core-guided loop of ``cores.core_lower_bound`` (clause learning on a
   per-participant "day" model: it refutes "everyone keeps its per-participant
   bound" where LPs cannot) runs in a second thread beside the annealing, each with
   its own deterministic budget: it raises the lower bound and, when it reaches it,
   returns a schedule with that many breaks, which is then optimal.  This solves
   e.g. the benchmark's "mid-12" (4 breaks; the LP bounds say 2) and most of its
   instances with roomy tables (up to 300 meetings; not yet those with tight tables).
   If the annealing ends with a fairness excess (it never accepts a move that
   raises the excess, and lowering the firm at the maximum can take several moves
   at once), LNS with CP-SAT sub-models on that firm and firms around it
   (``lns.lns_breaks``) tries to remove it, and a short annealing lowers the breaks
   again (kept only if better).
4. On small instances, CP-SAT phase 2 (placement hint, per-participant bounds
   as constraints) improves the breaks or proves the optimum.
5. Tables (objective 4).

Semantics chosen where the contract leaves room:
- Objectives are lexicographic: (1) total priority of scheduled meetings; then
  (2+3) total breaks *subject to* the fairness bound d (max - min breaks over the
  participants that have at least one requested meeting); when d cannot be met at
  maximal priority, the excess over d is minimised first; (4) distinct tables per
  firm, by a separate table step (greedy, CP-SAT polish on small instances).
- A precedence (a, b) applies when both meetings are scheduled.
- status "optimal": (1)-(3) proven optimal (table step not included);
  "feasible": otherwise.  "infeasible" is never returned for valid input: the empty
  schedule satisfies every hard constraint, and the greedy start is always available.
- breaks_lower_bound: a proven lower bound on the breaks of the optimum, or None when
  the maximal priority is not proven (then no bound on breaks is meaningful).
- Determinism: local-search budgets are counted in work units and CP-SAT budgets in
  deterministic time, both derived from time_limit only; CP-SAT runs with
  interleave_search and a fixed num_workers (2).  Wall-clock limits are safety nets
  only; if one triggers (machine much slower than calibrated), determinism is lost.
"""

from __future__ import annotations

import threading
import time

from .bounds import flow_lp_break_bound, participant_break_bounds
from .check import participant_breaks
from .cores import CoreResult, Interrupt, core_lower_bound
from .greedy import constructive, first_fit
from .lns import lns_breaks
from .localsearch import improve_breaks, repair_placement
from .model import solve_breaks, solve_placement
from .problem import Problem, parse_problem
from .tables import assign_tables

# CP-SAT deterministic time units per wall-clock second on the reference machine
# (2 cores, 2 interleaved workers); the wall-clock limit is only a safety net.
# Lowered from 0.33: on a 2-core machine where CP-SAT did a quarter of the
# deterministic time per second it did where 0.33 was set (the benchmark's first line),
# a 2 s solve of 70 meetings ran its phase 2 and table polish into the deadline, and
# the same input and seed gave other tables from one run to the next.
DTIME_PER_SECOND = 0.15
# local-search work units per wall-clock second on the reference machine (loaded),
# on instances up to CPSAT_MAX_X pairs and above (steps cost more on large instances).
# Raised from 300,000 for all: the 10 s runs ended after 3-5 s; the annealing finds
# fewer breaks the longer it runs (mid-12: ~10 breaks after 3.8 M units, 6 after 90 M).
# With these rates the benchmark's 10 s runs of 150-300 meetings end after 5-8 s
# and the 10k ones after 33-46 s of 60 (2-core machine, load about 2); 650,000 ran
# into the wall-clock safety net (10.7 s) on planted-22 at that load.
# Lowered to 400,000 with DTIME_PER_SECOND (same machine: the annealing alone did 0.9 M
# units per second, and the 2 s solve of 70 meetings used 1.8-1.96 s of its 2; now
# 1.1-1.5 s).
WORK_PER_SECOND = 400_000
# Lowered from 450,000: on that machine the 10k-meeting runs ended after 55.8-59.6 s of
# 60 (the annealing from 15 s to 57.7 s), where they had taken 43-47 s on one whose
# Python loop was three times slower.
WORK_PER_SECOND_LARGE = 350_000
# CP-SAT models are built only up to this many x[m, s] variables
CPSAT_MAX_X = 20_000
# CP-SAT phase 2 (breaks) is only worth its model-building time on small instances:
# beyond this it never improved the annealing nor proved a bound in our benchmarks
# (lowered from 1,500: on the 1,443-pair "mid-12" it neither improved 11 breaks nor
# raised the bound of 2 in 60 s, even with the flow formulation; the annealing given
# its share finds 8)
CPSAT_BREAKS_MAX_X = 1_000
# cap of the annealing budget per x[m, s] pair (keeps tiny instances fast)
SA_WORK_PER_X = 4_000
# the flow LP bound on breaks (bounds.flow_lp_break_bound) is computed when its
# layered graphs have at most this many arcs per second of time_limit (beyond, GLOP
# takes longer than the bound is worth: on 21-22 slot instances it did not beat the
# per-participant bounds in our benchmarks), within this share of time_limit as
# GLOP deterministic time.  Not on the instances where the core loop runs
# (CPSAT_BREAKS_MAX_X < x pairs <= CORES_MAX_X): its bound was at least as high on
# every benchmark instance (mid-12: 4 where the LP says 3), and with time limits
# above 10 s the LP, then within its arc cap, took 10-11 s of a 60 s run on the
# 16-21 slot ones (forum-like-21, mid-16, 2-core machine) to say no more than the
# per-participant bounds, while the loop waited for it
FLOW_LP_ARCS_PER_SECOND = 400
FLOW_LP_DTIME_SHARE = 0.3
# annealing share of the work budget on instances without CP-SAT phase 2 (that
# time was unused before: the solve ended after 5-7 s of 10)
SA_SHARE_NO_CPSAT = 0.85
# The core-guided loop of ``cores.core_lower_bound`` on instances with
# CPSAT_BREAKS_MAX_X < x pairs <= CORES_MAX_X (up to 300 meetings of 22 slots):
# it runs in a thread of its own, side by side with the annealing
# (``_anneal_beside_cores``), with CORE_DTIME_SHARE of time_limit in single-worker
# CP-SAT deterministic time, while the annealing gets SA_BESIDE_CORES_PER_SECOND work
# units per second of time_limit.  Rates on the reference machine (2 cores,
# unloaded): the loop 1.45-1.6 deterministic s per wall second beside the
# annealing, the annealing 1.7-2.2 M units per second beside the loop; the
# constants leave 1.5-2 times that for a busier machine before the safety net
# (SAFETY_SHARE of time_limit) stops either and determinism is lost.  Before, the
# two took turns in one thread, the loop with 0.12-0.4 of the time; it proved the
# bound of the benchmark's instances (2-3 where the LP bounds say 1-2) but seldom
# had the time to find a schedule that reaches it, which it does on instances with
# roomy tables (forum-like-21, mid-16, big-22 with 1.9 times the average need: 2, 2
# and 3 breaks, optimal, after 0.6-8 deterministic s).  The annealing is the answer
# when it does not (tight tables).  The rates were 1.0 and 900,000 until a 2-core
# machine where CP-SAT did 0.38-0.58 deterministic s per s alone (the benchmark prints
# this figure), the loop 0.26-0.33 beside the annealing, and the annealing 0.44-0.55 M
# units per s beside the loop: there the safety net stopped the loop in every 10 s
# run of 150-300 meetings, so their outputs depended on timing, and a 6 s solve of
# mid-12, which the loop proves in 2 deterministic s, gave its proof in some runs and
# not in others.  With these rates most such runs end after 5-8.4 s there (mid-12
# proven after 5.2-5.7 s); the 300-meeting ones still reached the net in slow spells
# of that machine (its speed changed by up to two over minutes).  A faster machine
# ends early.  There, the 21-22 slot schedules that reach the loop's bound (4-16
# deterministic s by seed) come after 8.6-38 s of wall time.
CORES_MAX_X = 8_000
CORE_DTIME_SHARE = 0.75
CORE_DTIME_PER_SECOND = 0.28
SA_BESIDE_CORES_PER_SECOND = 300_000
SAFETY_SHARE = 0.85
# fairness repair (``_repair_fairness``), only when the annealing ends with a fairness
# excess (seen with the annealing alone on big-22, one seed of twelve: one firm with
# 3 breaks, d = 2; the LNS removed it in 24 steps): LNS budget in deterministic
# units per second of time_limit, then this share of the annealing budget again
LNS_REPAIR_SHARE = 0.1
SA_AFTER_REPAIR = 0.25
# the table step (objective 4) ends by this share of time_limit, leaving the rest for the output
END_SHARE = 0.97


def _breaks(problem: Problem, slot_of: dict[str, int]) -> dict[str, int]:
    return participant_breaks(problem, [{"meeting": m, "slot": s} for m, s in slot_of.items()])


def _excess(problem: Problem, br: dict[str, int]) -> int:
    if problem.fairness is None:
        return 0
    attending = {p for m in problem.meetings for p in m.participants}
    vals = [br[p] for p in br if p in attending]
    return max(0, max(vals) - min(vals) - problem.fairness) if vals else 0


def _total_breaks(problem: Problem, slot_of: dict[str, int]) -> int:
    return sum(_breaks(problem, slot_of).values())


def _score(problem: Problem, slot_of: dict[str, int]):
    """Lexicographic objective (smaller is better): -priority, fairness excess, breaks."""
    prio = sum(problem.meeting(m).priority for m in slot_of)
    br = _breaks(problem, slot_of)
    return (-prio, _excess(problem, br), sum(br.values()))


def solve(problem: Problem | dict, time_limit: float = 10, seed: int = 0,
          on_progress=None) -> dict:
    """Schedule the meetings; return the output document (see the package docstring).

    ``on_progress(info: dict)`` is called with the best solution so far (keys
    ``phase``, ``scheduled``, ``seconds`` and ``breaks`` where known) and, in the "bound" phase,
    each time the proven lower bound on breaks rises (keys ``phase``,
    ``breaks_lower_bound``, ``seconds``; called from the core loop's thread).
    """
    t0 = time.monotonic()
    problem = parse_problem(problem)
    total_prio = sum(m.priority for m in problem.meetings)
    n_x = sum(len(problem.allowed_slots(m)) for m in problem.meetings)
    small = n_x <= CPSAT_MAX_X

    def left() -> float:
        return max(0.5, time_limit - (time.monotonic() - t0))

    def report(phase: str, slot_of: dict[str, int]) -> None:
        if on_progress:
            on_progress({"phase": phase, "scheduled": len(slot_of),
                         "breaks": sum(_breaks(problem, slot_of).values()),
                         "seconds": round(time.monotonic() - t0, 2)})

    def report_bound(lb: int) -> None:
        if on_progress:
            on_progress({"phase": "bound", "breaks_lower_bound": lb,
                         "seconds": round(time.monotonic() - t0, 2)})

    work = time_limit * (WORK_PER_SECOND if small else WORK_PER_SECOND_LARGE)
    dt_total = time_limit * DTIME_PER_SECOND
    deadline = t0 + 0.9 * time_limit  # safety net only
    start = min((constructive(problem), first_fit(problem)), key=lambda h: _score(problem, h))
    report("start", start)
    slot_of = start
    if sum(problem.meeting(m).priority for m in slot_of) < total_prio:
        slot_of = repair_placement(problem, start, int(0.2 * work), seed, deadline)
        report("placement", slot_of)
    got = sum(problem.meeting(m).priority for m in slot_of)
    priority_proven = got == total_prio
    if not priority_proven and small:
        p1 = solve_placement(problem, slot_of, 0.3 * dt_total, seed, 0.5 * left(),
                             on_progress, t0)
        if p1.proven or _score(problem, p1.slot_of) < _score(problem, slot_of):
            slot_of = p1.slot_of
        priority_proven = p1.proven
    force_all = len(slot_of) == len(problem.meetings)
    # per-participant bounds are valid when every meeting is scheduled
    plb = participant_break_bounds(problem) if force_all else {}
    lb_sum = sum(plb.values())
    day_model = force_all and CPSAT_BREAKS_MAX_X < n_x <= CORES_MAX_X
    # not where the core loop runs: its bound is the stronger (see FLOW_LP_ARCS_PER_SECOND)
    if force_all and not day_model and lb_sum < _total_breaks(problem, slot_of):
        flb = flow_lp_break_bound(problem, plb, dtime=FLOW_LP_DTIME_SHARE * time_limit,
                                  wall_cap=0.4 * time_limit,
                                  max_arcs=int(FLOW_LP_ARCS_PER_SECOND * time_limit))
        if flb is not None:
            lb_sum = max(lb_sum, flb)
    score = _score(problem, slot_of)
    if force_all:
        goal = lb_sum  # objective of improve_breaks: W * excess + breaks
        # no CP-SAT phase 2 above CPSAT_BREAKS_MAX_X: its share goes to the annealing
        share = (0.6 if not small else 0.7 if n_x <= CPSAT_BREAKS_MAX_X
                 else SA_SHARE_NO_CPSAT)
    else:
        goal, share = 0, (0.5 if small else 0.6)
    # deterministic budget: from time_limit and the instance size only (tiny
    # instances are left to CP-SAT, which proves them optimal in milliseconds)
    budget = int(min(share * work, SA_WORK_PER_X * n_x))
    if day_model:
        budget = int(min(SA_BESIDE_CORES_PER_SECOND * time_limit, SA_WORK_PER_X * n_x))
        cand, cr = _anneal_beside_cores(
            problem, slot_of, plb, budget, seed, goal,
            dtime=CORE_DTIME_SHARE * time_limit * CORE_DTIME_PER_SECOND,
            deadline=t0 + SAFETY_SHARE * time_limit, on_bound=report_bound)
        lb_sum = max(lb_sum, cr.lower_bound)
        candidates = [cand] + ([cr.slot_of] if cr.slot_of is not None else [])
    else:
        candidates = [improve_breaks(problem, slot_of, budget, seed, deadline, stop_at=goal)]
    # on a tie the later one: the core loop's, which is the optimum when it has no
    # fairness excess (else only the fewest breaks), and deterministic in any case
    for cand in candidates:
        if _score(problem, cand) <= score:
            slot_of, score = cand, _score(problem, cand)
    report("breaks", slot_of)
    if score[1] > 0 and _repair_can_work(problem, slot_of, plb):
        slot_of, score = _repair_fairness(problem, slot_of, score, budget, seed, time_limit, t0)
        report("breaks", slot_of)
    lb = lb_sum if force_all else (0 if priority_proven else None)
    proven = priority_proven and score[1] == 0 and score[2] == (lb_sum if force_all else 0)
    if not proven and priority_proven and n_x <= CPSAT_BREAKS_MAX_X:
        p2 = solve_breaks(problem, slot_of, priority_proven, 0.15 * dt_total, seed,
                          max(1.0, left()), on_progress, t0, break_lb=plb, use_lns=False)
        if _score(problem, p2.slot_of) <= score:
            slot_of, score = p2.slot_of, _score(problem, p2.slot_of)
        if p2.breaks_lower_bound is not None:
            lb = max(lb, p2.breaks_lower_bound)
        proven = p2.proven or score[2] == lb and score[1] == 0
    if lb is not None:
        lb = min(lb, score[2])
    # the table polish ends before the time limit, or is left out (greedy tables):
    # after the safety nets above, the solve overran 10 s by 0.01-0.02 s on a slow
    # machine (300 meetings, 26 tables: the polish's wall cap did not cover its model)
    table_of = assign_tables(problem, slot_of, dtime=0.08 * dt_total, seed=seed,
                             deadline=t0 + END_SHARE * time_limit)
    return build_output(problem, slot_of, table_of, "optimal" if proven else "feasible", lb,
                        time.monotonic() - t0)


def _anneal_beside_cores(problem: Problem, start: dict[str, int], plb: dict[str, int],
                         sa_budget: int, seed: int, stop_at: int, dtime: float,
                         deadline: float, on_bound=None) -> tuple[dict[str, int], CoreResult]:
    """The annealing from ``start`` in this thread while the core-guided loop
    (``cores.core_lower_bound``, hinted with ``start``) runs in another: CP-SAT
    releases the GIL while it solves, so on two cores they run side by side.  Each
    has its own deterministic budget and neither reads the other's progress, so the
    pair's outcome is deterministic too.  One exception, which keeps it so: when the
    loop reaches its bound with a schedule that has no fairness excess (optimal,
    lexicographically), the annealing stops, and its schedule, now cut short at a
    moment that depends on timing, cannot be better (the caller takes the loop's on
    a tie).  Not the other way round: when the annealing reaches ``stop_at`` while
    the loop is about to reach its bound, which of the two optimal schedules is
    returned would depend on which came first; so the solve waits for the loop.
    Returns the annealed schedule and the core result (its lower bound, and its
    schedule when the bound was reached)."""
    out: dict[str, object] = {}
    stop_annealing = threading.Event()
    stop_cores = Interrupt()  # only on Ctrl-C or an error in this thread

    def cores() -> None:
        try:
            res = core_lower_bound(problem, plb, dtime, seed, hint=start, interrupt=stop_cores,
                                   wall_cap=max(0.5, deadline - time.monotonic()),
                                   on_bound=on_bound)
            out["result"] = res
            if res.slot_of is not None and _score(problem, res.slot_of)[1:] == (0, res.lower_bound):
                stop_annealing.set()
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=cores, name="planner-core-bound", daemon=True)
    worker.start()
    try:
        annealed = improve_breaks(problem, start, sa_budget, seed, deadline, stop_at=stop_at,
                                  stop=stop_annealing)
        worker.join()
    except BaseException:  # Ctrl-C or an error, in the annealing or while waiting
        while worker.is_alive():  # again and again: a solve may start just after a stop
            stop_cores.set()
            worker.join(0.05)
        raise
    if "error" in out:
        raise out["error"]
    return annealed, out["result"]


def _repair_can_work(problem: Problem, slot_of: dict[str, int], plb: dict[str, int]) -> bool:
    """False when the LNS repair cannot remove the excess: it lowers the firms above
    min + d, and one of them cannot come down (its per-participant lower bound is
    above).  The 10k-meeting benchmark is such a case: two firms must have 3 breaks,
    d = 2, and hundreds have none (raising all of them is not what the repair does)."""
    br = _breaks(problem, slot_of)
    attending = {p for m in problem.meetings for p in m.participants}
    vals = [br[p] for p in attending]
    return not vals or max((plb.get(p, 0) for p in attending), default=0) \
        <= min(vals) + problem.fairness


def _repair_fairness(problem: Problem, slot_of: dict[str, int], score, sa_budget: int,
                     seed: int, time_limit: float, t0: float):
    """The annealing ended with a fairness excess: LNS on the firms at the maximum of
    breaks (``lns.lns_breaks``, until the excess is gone), then a short annealing
    from there, which keeps the excess and lowers the breaks again.  Returns the
    better of the two schedules and its score."""
    wall = max(0.3, 0.9 * time_limit - (time.monotonic() - t0))
    fix = lns_breaks(problem, slot_of, LNS_REPAIR_SHARE * time_limit, seed,
                     wall_cap=0.5 * wall, until_fair=True).slot_of
    if _score(problem, fix)[1] < score[1]:
        fix = improve_breaks(problem, fix, int(SA_AFTER_REPAIR * sa_budget), seed + 2,
                             t0 + 0.9 * time_limit)
    if _score(problem, fix) < score:
        return fix, _score(problem, fix)
    return slot_of, score


def build_output(problem: Problem, slot_of: dict[str, int], table_of: dict[str, int],
                 status: str, breaks_lower_bound: int | None, seconds: float) -> dict:
    br = _breaks(problem, slot_of)
    return {
        "status": status,
        "assignments": [{"meeting": m.id, "slot": slot_of[m.id], "table": table_of[m.id]}
                        for m in problem.meetings if m.id in slot_of],
        "unscheduled": [m.id for m in problem.meetings if m.id not in slot_of],
        "scheduled": len(slot_of),
        "requested": len(problem.meetings),
        "breaks_total": sum(br.values()),
        "breaks_lower_bound": breaks_lower_bound,
        "breaks_per_participant": br,
        "seconds": round(seconds, 2),
    }
