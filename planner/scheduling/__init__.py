"""B2B meeting slot scheduler (pure Python + OR-Tools CP-SAT; no Flask imports).

Public API::

    solve(problem: Problem | dict, time_limit=10, seed=0, on_progress=None) -> dict
    parse_problem(data: dict) -> Problem           # raises ProblemError(ValueError)
    explain_unscheduled(problem, result) -> dict[meeting_id, reason]   # English
    unscheduled_reasons(problem, result) -> dict[meeting_id, dict]     # the same as data
    check_schedule(problem, result) -> list[str]   # independent checker
    first_fit(problem) -> dict[meeting_id, slot]   # greedy baseline

See ``solver.py`` for the phases and the objective order, ``model.py`` for the CP-SAT
models, ``localsearch.py`` for placement repair and break annealing, ``bounds.py``
for the lower bounds on breaks and upper bounds on placeable meetings, ``cores.py`` for
the core-guided lower bound on breaks, ``lns.py`` for the LNS that repairs a fairness
excess left by the annealing.
"""

from .check import check_schedule, participant_breaks
from .explain import explain_unscheduled, unscheduled_reasons
from .greedy import first_fit
from .problem import Meeting, Participant, Problem, ProblemError, parse_problem, problem_to_dict
from .solver import solve

__all__ = ["solve", "parse_problem", "problem_to_dict", "Problem", "Meeting", "Participant",
           "ProblemError", "explain_unscheduled", "check_schedule", "participant_breaks",
           "first_fit", "unscheduled_reasons"]
