"""``python -m planner.scheduling INPUT.json [--time-limit S] [--seed N] [-o OUT.json]``."""

from .cli import solve_cmd

if __name__ == "__main__":
    solve_cmd(prog_name="python -m planner.scheduling")
