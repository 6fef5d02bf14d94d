"""The command line: `planner schedule solve` / `python -m planner.scheduling`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.scheduling.cli import schedule

ROOT = Path(__file__).resolve().parents[2]
VALID = {"slots": 3, "tables": 2,
         "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
         "meetings": [{"id": "m1", "participants": ["a", "b"]},
                      {"id": "m2", "participants": ["a", "c"]}]}
KEYS = {"status", "assignments", "unscheduled", "scheduled", "requested", "breaks_total",
        "breaks_lower_bound", "breaks_per_participant", "seconds"}


def test_solve_writes_output_json_with_exactly_the_documented_keys(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(VALID))
    res = CliRunner().invoke(schedule, ["solve", str(src), "--time-limit", "2", "--seed", "1",
                                        "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert set(doc) == KEYS
    assert (doc["status"], doc["scheduled"], doc["requested"], doc["unscheduled"]) == \
        ("optimal", 2, 2, [])
    assert doc["breaks_total"] == 0 and doc["breaks_lower_bound"] == 0
    assert sorted(a["slot"] for a in doc["assignments"]) in ([1, 2], [2, 3])


def test_solve_without_output_option_prints_json_to_stdout(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(json.dumps(VALID))
    res = CliRunner().invoke(schedule, ["solve", str(src), "--time-limit", "1"])
    assert res.exit_code == 0
    assert set(json.loads(res.stdout)) == KEYS


def _bad(mutate):
    d = json.loads(json.dumps(VALID))
    mutate(d)
    return json.dumps(d)


INVALID = [
    ("{not json", None),
    (_bad(lambda d: d["meetings"][0].update(participants=["a", "f9"])),
     'error: meeting "m1" names unknown participant "f9"'),
    (_bad(lambda d: d["meetings"][0].update(participants=["a", "a"])),
     'error: meeting "m1" is a meeting of "a" with itself'),
    (_bad(lambda d: d["meetings"][1].update(id="m1")), 'error: duplicate meeting id "m1"'),
    (_bad(lambda d: d["participants"].append({"id": "b"})), 'error: duplicate participant id "b"'),
    (_bad(lambda d: d["meetings"][0].update(fixed_slot=4)),
     'error: meeting "m1" fixed_slot is 4, outside 1..3'),
    (_bad(lambda d: d["participants"][0].update(unavailable=[0])),
     'error: participant "a" unavailable slot is 0, outside 1..3'),
    (_bad(lambda d: d.update(tables="2")), "error: tables must be an integer, got '2'"),
    (_bad(lambda d: d.update(meetings=None)), "error: meetings must be a list"),
]


@pytest.mark.parametrize("text,message", INVALID, ids=[m or "malformed" for _, m in INVALID])
def test_invalid_input_exits_non_zero_with_one_clear_line(tmp_path, text, message):
    src = tmp_path / "in.json"
    src.write_text(text)
    res = CliRunner().invoke(schedule, ["solve", str(src), "-o", str(tmp_path / "out.json")])
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert len(lines) == 1
    if message is None:
        assert lines[0].startswith(f"error: {src} is not valid JSON: Expecting property name")
    else:
        assert lines[0] == message
    assert not (tmp_path / "out.json").exists()


def test_missing_input_file_exits_non_zero_with_one_line(tmp_path):
    res = CliRunner().invoke(schedule, ["solve", str(tmp_path / "nope.json")])
    assert res.exit_code == 1
    assert res.stderr == f"error: cannot read {tmp_path / 'nope.json'}: No such file or directory\n"


def test_module_entry_point_runs_as_a_subprocess(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(VALID))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "planner.scheduling", str(src),
                           "--time-limit", "1", "-o", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # not a terminal: no progress lines
    assert set(json.loads(out.read_text())) == KEYS


def test_module_entry_point_reports_invalid_input_on_stderr(tmp_path):
    src = tmp_path / "in.json"
    src.write_text(_bad(lambda d: d["meetings"][0].update(participants=["a", "f9"])))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "planner.scheduling", str(src)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == 'error: meeting "m1" names unknown participant "f9"\n'
    assert proc.stdout == ""


def test_progress_goes_to_a_terminal_on_stderr(tmp_path):
    # the benchmark's mid-12: the core loop raises the bound from 2 to 4 and finds
    # a 4-break schedule; a terminal on stderr sees both, and the JSON goes to the file
    import pty

    from planner.scheduling.generate import realistic
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(realistic(seed=2, firms=50, meetings=150, slots=12, morning=6,
                                        table_slack=1.1)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "planner.scheduling", str(src),
                             "--time-limit", "20", "-o", str(out)],  # it ends once proven
                            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the process has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    lines = b"".join(chunks).decode().splitlines()
    assert "] start: 150 scheduled, " in lines[0], lines
    bounds = [line.split("at least ")[1] for line in lines if "] bound: at least " in line]
    assert bounds == ["3 breaks", "4 breaks"], lines
    assert lines[-1].endswith("breaks: 150 scheduled, 4 breaks"), lines
    result = json.loads(out.read_text())
    assert (result["status"], result["breaks_total"], result["breaks_lower_bound"]) == \
        ("optimal", 4, 4)
