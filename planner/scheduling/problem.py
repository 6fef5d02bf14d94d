"""Problem data for the B2B meeting scheduler: dataclasses, parsing, validation.

Input format (JSON object)::

    {"slots": 21, "morning_slots": 13, "tables": 14, "fairness": 2, "interpreters": null,
     "participants": [{"id": "f1", "unavailable": [19]}, ...],
     "meetings": [{"id": "m1", "participants": ["f1", "f2"], "session": "any",
                   "priority": 1, "fixed_slot": null, "needs_interpreter": false}, ...],
     "precedences": [["m1", "m7"], ...]}

Slots are numbered 1..slots; slots 1..morning_slots are the morning, the rest the
afternoon.  Unknown keys are rejected so that typos ("fixed-slot") do not pass
silently.  Every problem is reported as a :class:`ProblemError` whose message is
one line naming the offending item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SESSIONS = ("any", "morning", "afternoon")


class ProblemError(ValueError):
    """Invalid scheduling input; the message is one line naming the problem."""


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, str]
    session: str = "any"
    priority: int = 1
    fixed_slot: int | None = None
    needs_interpreter: bool = False


@dataclass(frozen=True)
class Problem:
    slots: int
    tables: int
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    morning_slots: int | None = None
    fairness: int | None = 2
    interpreters: int | None = None
    precedences: tuple[tuple[str, str], ...] = ()
    # derived lookups, filled in __post_init__
    _participant: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _meeting: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._participant.update((p.id, p) for p in self.participants)
        self._meeting.update((m.id, m) for m in self.meetings)

    # -- lookups -----------------------------------------------------------
    def participant(self, pid: str) -> Participant:
        return self._participant[pid]

    def meeting(self, mid: str) -> Meeting:
        return self._meeting[mid]

    def session_slots(self, session: str) -> range:
        """Slots (1-based) belonging to a session restriction."""
        if session == "morning":
            return range(1, (self.morning_slots or 0) + 1)
        if session == "afternoon":
            return range((self.morning_slots or 0) + 1, self.slots + 1)
        return range(1, self.slots + 1)

    def allowed_slots(self, meeting: Meeting) -> list[int]:
        """Slots where the meeting may take place, ignoring other meetings:
        inside its session, at its fixed slot if any, both participants available."""
        a, b = (self.participant(p) for p in meeting.participants)
        cand = self.session_slots(meeting.session)
        if meeting.fixed_slot is not None:
            cand = [meeting.fixed_slot] if meeting.fixed_slot in cand else []
        return [s for s in cand if s not in a.unavailable and s not in b.unavailable]

    def meetings_of(self) -> dict[str, list[Meeting]]:
        """Participant id -> its meetings, in input order (participants in input order)."""
        out: dict[str, list[Meeting]] = {p.id: [] for p in self.participants}
        for m in self.meetings:
            for p in m.participants:
                out[p].append(m)
        return out


# -- parsing ----------------------------------------------------------------

_TOP_KEYS = {"slots", "morning_slots", "tables", "fairness", "interpreters",
             "participants", "meetings", "precedences"}
_PART_KEYS = {"id", "unavailable"}
_MEET_KEYS = {"id", "participants", "session", "priority", "fixed_slot", "needs_interpreter"}


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int(v, what: str, lo: int, hi: int | None = None, optional: bool = False):
    if v is None and optional:
        return None
    if not _is_int(v):
        raise ProblemError(f"{what} must be an integer, got {v!r}")
    if v < lo or (hi is not None and v > hi):
        rng = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise ProblemError(f"{what} is {v}, outside {rng}")
    return v


def _check_keys(obj, allowed: set, what: str) -> None:
    if not isinstance(obj, dict):
        raise ProblemError(f"{what} must be a JSON object, got {type(obj).__name__}")
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ProblemError(f"{what} has unknown key {extra[0]!r}")


def _ident(v, what: str) -> str:
    if not isinstance(v, str) or not v:
        raise ProblemError(f"{what} must be a non-empty string, got {v!r}")
    return v


def parse_problem(data) -> Problem:
    """Validate a decoded JSON document and build a :class:`Problem`.

    Raises :class:`ProblemError` with a one-line message on the first problem found.
    """
    if isinstance(data, Problem):
        return data
    _check_keys(data, _TOP_KEYS, "input")
    for key in ("slots", "tables", "participants", "meetings"):
        if key not in data:
            raise ProblemError(f"input is missing required key {key!r}")
    slots = _int(data["slots"], "slots", 1)
    tables = _int(data["tables"], "tables", 1)
    morning = _int(data.get("morning_slots"), "morning_slots", 0, slots, optional=True)
    fairness = _int(data.get("fairness", 2), "fairness", 0, optional=True)
    interpreters = _int(data.get("interpreters"), "interpreters", 0, optional=True)

    raw_parts = data["participants"]
    if not isinstance(raw_parts, list):
        raise ProblemError("participants must be a list")
    participants: list[Participant] = []
    seen: set[str] = set()
    for i, rp in enumerate(raw_parts):
        _check_keys(rp, _PART_KEYS, f"participant #{i + 1}")
        if "id" not in rp:
            raise ProblemError(f"participant #{i + 1} has no id")
        pid = _ident(rp["id"], f"participant #{i + 1} id")
        if pid in seen:
            raise ProblemError(f'duplicate participant id "{pid}"')
        seen.add(pid)
        unav = rp.get("unavailable", [])
        if unav is None:
            unav = []
        if not isinstance(unav, list):
            raise ProblemError(f'participant "{pid}" unavailable must be a list of slots')
        for s in unav:
            _int(s, f'participant "{pid}" unavailable slot', 1, slots)
        participants.append(Participant(pid, frozenset(unav)))

    raw_meets = data["meetings"]
    if not isinstance(raw_meets, list):
        raise ProblemError("meetings must be a list")
    meetings: list[Meeting] = []
    mseen: set[str] = set()
    for i, rm in enumerate(raw_meets):
        _check_keys(rm, _MEET_KEYS, f"meeting #{i + 1}")
        if "id" not in rm:
            raise ProblemError(f"meeting #{i + 1} has no id")
        mid = _ident(rm["id"], f"meeting #{i + 1} id")
        if mid in mseen:
            raise ProblemError(f'duplicate meeting id "{mid}"')
        mseen.add(mid)
        ps = rm.get("participants")
        if not isinstance(ps, list) or len(ps) != 2:
            raise ProblemError(f'meeting "{mid}" must name exactly two participants')
        for p in ps:
            _ident(p, f'meeting "{mid}" participant')
            if p not in seen:
                raise ProblemError(f'meeting "{mid}" names unknown participant "{p}"')
        if ps[0] == ps[1]:
            raise ProblemError(f'meeting "{mid}" is a meeting of "{ps[0]}" with itself')
        session = rm.get("session", "any")
        if session is None:
            session = "any"
        if session not in SESSIONS:
            raise ProblemError(
                f'meeting "{mid}" session must be one of any, morning, afternoon, got {session!r}')
        if session != "any" and morning is None:
            raise ProblemError(f'meeting "{mid}" asks for the {session} but morning_slots is not set')
        priority = rm.get("priority", 1)
        priority = 1 if priority is None else _int(priority, f'meeting "{mid}" priority', 1)
        fixed = _int(rm.get("fixed_slot"), f'meeting "{mid}" fixed_slot', 1, slots, optional=True)
        interp = rm.get("needs_interpreter", False)
        if interp is None:
            interp = False
        if not isinstance(interp, bool):
            raise ProblemError(f'meeting "{mid}" needs_interpreter must be true or false, got {interp!r}')
        meetings.append(Meeting(mid, (ps[0], ps[1]), session, priority, fixed, interp))

    raw_prec = data.get("precedences", [])
    if raw_prec is None:
        raw_prec = []
    if not isinstance(raw_prec, list):
        raise ProblemError("precedences must be a list of [before, after] pairs")
    precedences: list[tuple[str, str]] = []
    for i, pr in enumerate(raw_prec):
        if not isinstance(pr, list) or len(pr) != 2 or not all(isinstance(x, str) for x in pr):
            raise ProblemError(f"precedence #{i + 1} must be a pair of meeting ids, got {pr!r}")
        for x in pr:
            if x not in mseen:
                raise ProblemError(f'precedence #{i + 1} names unknown meeting "{x}"')
        if pr[0] == pr[1]:
            raise ProblemError(f'precedence #{i + 1} puts meeting "{pr[0]}" before itself')
        precedences.append((pr[0], pr[1]))

    return Problem(slots=slots, tables=tables, participants=tuple(participants),
                   meetings=tuple(meetings), morning_slots=morning, fairness=fairness,
                   interpreters=interpreters, precedences=tuple(precedences))


def problem_to_dict(problem: Problem) -> dict:
    """Inverse of :func:`parse_problem` (handy for generators and benchmarks)."""
    return {
        "slots": problem.slots, "morning_slots": problem.morning_slots,
        "tables": problem.tables, "fairness": problem.fairness,
        "interpreters": problem.interpreters,
        "participants": [{"id": p.id, "unavailable": sorted(p.unavailable)}
                         for p in problem.participants],
        "meetings": [{"id": m.id, "participants": list(m.participants), "session": m.session,
                      "priority": m.priority, "fixed_slot": m.fixed_slot,
                      "needs_interpreter": m.needs_interpreter} for m in problem.meetings],
        "precedences": [list(p) for p in problem.precedences],
    }
