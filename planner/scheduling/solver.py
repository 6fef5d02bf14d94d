"""Orchestration: constructive start -> phase 1 (placement) -> phase 2 (breaks) ->
tables, and the output document.

Semantics chosen where the contract leaves room:
- Objectives are lexicographic: (1) total priority of scheduled meetings; then
  (2+3) total breaks *subject to* the fairness bound d (max - min breaks over the
  participants that have at least one requested meeting); when d cannot be met at
  maximal priority, the excess over d is minimised first; (4) distinct tables per
  firm, by a separate table step (greedy, CP-SAT polish on small instances).
- A precedence (a, b) applies when both meetings are scheduled.
- status "optimal": (1)-(3) proven optimal by CP-SAT (table step not included);
  "feasible": otherwise.  "infeasible" is never returned for valid input: the empty
  schedule satisfies every hard constraint, and the greedy start is always available.
- breaks_lower_bound: a proven lower bound on the breaks of the optimum, or None when
  the maximal priority is not proven (then no bound on breaks is meaningful).
- Determinism: phase budgets are CP-SAT deterministic time derived from time_limit
  only; CP-SAT runs with interleave_search and a fixed num_workers (2), the LNS with
  one worker and a seeded RNG.  Wall-clock limits are safety nets only; if one
  triggers (machine much slower than calibrated), determinism is lost.
"""

from __future__ import annotations

import time

from .check import participant_breaks
from .greedy import constructive, first_fit
from .model import solve_breaks, solve_placement
from .problem import Problem, parse_problem
from .tables import assign_tables

# CP-SAT deterministic time units per wall-clock second on the reference machine
# (2 cores, 2 interleaved workers); the wall-clock limit is only a safety net.
DTIME_PER_SECOND = 0.33


def _breaks(problem: Problem, slot_of: dict[str, int]) -> dict[str, int]:
    return participant_breaks(problem, [{"meeting": m, "slot": s} for m, s in slot_of.items()])


def _score(problem: Problem, slot_of: dict[str, int]):
    prio = sum(problem.meeting(m).priority for m in slot_of)
    return (-prio, sum(_breaks(problem, slot_of).values()))


def _fair(problem: Problem, slot_of: dict[str, int]) -> bool:
    if problem.fairness is None:
        return True
    br = _breaks(problem, slot_of)
    attending = {p for m in problem.meetings for p in m.participants}
    vals = [br[p] for p in br if p in attending]
    return not vals or max(vals) - min(vals) <= problem.fairness


def solve(problem: Problem | dict, time_limit: float = 10, seed: int = 0,
          on_progress=None) -> dict:
    """Schedule the meetings; return the output document (see the package docstring).

    ``on_progress(info: dict)`` is called with the best solution so far
    (keys ``phase``, ``scheduled``, ``seconds`` and, in the breaks phase, ``breaks``).
    """
    t0 = time.monotonic()
    problem = parse_problem(problem)
    total_prio = sum(m.priority for m in problem.meetings)

    def left() -> float:
        return max(0.5, time_limit - (time.monotonic() - t0))

    start = min((constructive(problem), first_fit(problem)), key=lambda h: _score(problem, h))
    if on_progress:
        on_progress({"phase": "start", "scheduled": len(start),
                     "breaks": sum(_breaks(problem, start).values()),
                     "seconds": round(time.monotonic() - t0, 2)})
    dt_total = time_limit * DTIME_PER_SECOND
    p1 = solve_placement(problem, start, 0.35 * dt_total, seed, 0.45 * left(), on_progress, t0)
    slot_of = p1.slot_of
    if not p1.proven and _score(problem, start) < _score(problem, slot_of):
        slot_of = start
    got = sum(problem.meeting(m).priority for m in slot_of)
    priority_proven = p1.proven or got == total_prio
    if priority_proven and sum(_breaks(problem, slot_of).values()) == 0 and _fair(problem, slot_of):
        proven, lb = True, 0
    else:
        p2 = solve_breaks(problem, slot_of, priority_proven, 0.55 * dt_total, seed,
                          0.9 * left(), on_progress, t0)
        slot_of = p2.slot_of  # never worse: phase 2 keeps at least the hint's priority
        proven, lb = p2.proven, p2.breaks_lower_bound
    table_of = assign_tables(problem, slot_of, dtime=0.08 * dt_total, seed=seed,
                             wall_cap=max(0.2, 0.8 * (time_limit - (time.monotonic() - t0))))
    return build_output(problem, slot_of, table_of, "optimal" if proven else "feasible", lb,
                        time.monotonic() - t0)


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
