"""gunicorn, started from the project directory as the README says, must not kill a worker while the scheduling
button's solver runs: the longest time limit an organiser may choose, plus the time to build the preview."""

import re
import subprocess
import sys
from pathlib import Path

from planner.matchmaking.runs import MAX_TIME_LIMIT

ROOT = Path(__file__).resolve().parents[1]


def _settings(cwd: Path) -> dict[str, str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    out = subprocess.run([str(gunicorn), "--print-config", "wsgi:app"], cwd=cwd, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    return dict(re.findall(r"^(\w+)\s+= (.*)$", out, flags=re.MULTILINE))


def test_gunicorn_worker_timeout_outlasts_the_longest_scheduler_run():
    # without gunicorn.conf.py this is gunicorn's default, 30
    settings = _settings(ROOT)
    assert int(settings["timeout"]) >= MAX_TIME_LIMIT + 30, settings["timeout"]

