"""Benchmark of the B2B slot scheduler against a first-fit greedy baseline.

    python bench/scheduling_bench.py [--quick] [--time-limit S] [--large-time-limit S]

Realistic generated instances (planner.scheduling.generate.realistic) and one large
instance (2,000 firms, 10,000 meetings, 20 slots).  Every result is verified by the
independent checker.  Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.scheduling import check_schedule, first_fit, parse_problem, participant_breaks, solve  # noqa: E402
from planner.scheduling.generate import realistic  # noqa: E402

INSTANCES = [  # name, seed, firms, meetings, slots, morning, table slack
    ("small-8", 1, 30, 100, 8, 4, 1.15),
    ("mid-12", 2, 50, 150, 12, 6, 1.1),
    ("forum-like-21", 3, 70, 200, 21, 13, 1.2),
    ("mid-16", 4, 80, 250, 16, 8, 1.1),
    ("big-22", 5, 100, 300, 22, 12, 1.15),
]
LARGE = ("large-10k", 9, 2000, 10000, 20, 10, 1.05)


def run(name, seed, firms, meetings, slots, morning, slack, time_limit):
    data = realistic(seed, firms=firms, meetings=meetings, slots=slots, morning=morning,
                     table_slack=slack)
    problem = parse_problem(data)
    t = time.monotonic()
    ff = first_fit(problem)
    t_ff = time.monotonic() - t
    ff_breaks = sum(participant_breaks(problem, [{"meeting": m, "slot": s}
                                                 for m, s in ff.items()]).values())
    res = solve(problem, time_limit=time_limit, seed=0)
    errors = check_schedule(problem, res)
    n = len(problem.meetings)
    lb = "-" if res["breaks_lower_bound"] is None else res["breaks_lower_bound"]
    print(f"{name:15} {n:6} {problem.tables:6} {len(ff):8} {ff_breaks:8} {t_ff:7.2f} "
          f"{res['scheduled']:8} {res['breaks_total']:8} {lb!s:>5} {res['status']:>9} "
          f"{res['seconds']:7.2f} {'ok' if not errors else 'INVALID: ' + errors[0]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="two small instances, short limits")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--large-time-limit", type=float, default=60.0)
    args = ap.parse_args()
    print(f"{'instance':15} {'mtgs':>6} {'tables':>6} {'ff_plcd':>8} {'ff_brks':>8} {'ff_s':>7} "
          f"{'cp_plcd':>8} {'cp_brks':>8} {'lb':>5} {'status':>9} {'cp_s':>7} check")
    todo = INSTANCES[:2] if args.quick else INSTANCES
    for inst in todo:
        run(*inst, time_limit=2.0 if args.quick else args.time_limit)
    if not args.quick:
        run(*LARGE, time_limit=args.large_time_limit)


if __name__ == "__main__":
    main()
