"""``planner schedule solve INPUT.json [--time-limit S] [--seed N] [-o OUTPUT.json]``."""

from __future__ import annotations

import json
import sys

import click

from .problem import ProblemError, parse_problem
from .solver import solve as solve_problem

schedule = click.Group(
    "schedule",
    help="Schedule B2B meetings into slots and tables (input and output are JSON).")


class _Fail(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"error: {self.message}", err=True)


@schedule.command("solve")
@click.argument("input_file", metavar="INPUT.json", type=click.Path(dir_okay=False))
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to search for a better schedule.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same input and seed give the same schedule.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the result here instead of standard output.")
def solve_cmd(input_file: str, time_limit: float, seed: int, output: str | None) -> None:
    """Schedule the meetings in INPUT.json and print or write the result JSON."""
    try:
        with open(input_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise _Fail(f"cannot read {input_file}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _Fail(f"{input_file} is not valid JSON: {exc}") from None
    try:
        problem = parse_problem(data)
    except ProblemError as exc:
        raise _Fail(str(exc)) from None
    progress = _print_progress if sys.stderr.isatty() else None
    result = solve_problem(problem, time_limit=time_limit, seed=seed, on_progress=progress)
    text = json.dumps(result, indent=2)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        click.echo(text)


def _print_progress(info: dict) -> None:
    if info["phase"] == "bound":
        click.echo(f"[{info['seconds']:6.2f}s] bound: at least {info['breaks_lower_bound']} breaks",
                   err=True)
        return
    extra = f", {info['breaks']} breaks" if "breaks" in info else ""
    click.echo(f"[{info['seconds']:6.2f}s] {info['phase']}: {info['scheduled']} scheduled{extra}",
               err=True)
