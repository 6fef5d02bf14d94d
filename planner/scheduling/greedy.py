"""Greedy schedules: the first-fit baseline, and the constructive start for CP-SAT.

Both return ``{meeting_id: slot}`` for the meetings they could place and respect
every hard constraint except tables (a slot never gets more than T meetings, so
tables can always be assigned afterwards).
"""

from __future__ import annotations

from .problem import Meeting, Problem


class SlotState:
    """Incremental bookkeeping of a partial slot assignment."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.allowed = {m.id: problem.allowed_slots(m) for m in problem.meetings}
        self.busy: dict[str, dict[int, str]] = {p.id: {} for p in problem.participants}
        self.count = [0] * (problem.slots + 2)
        self.interp = [0] * (problem.slots + 2)
        self.slot_of: dict[str, int] = {}
        self.by_slot: dict[int, dict[str, None]] = {s: {} for s in range(1, problem.slots + 1)}
        self.before: dict[str, list[str]] = {m.id: [] for m in problem.meetings}  # must precede m
        self.after: dict[str, list[str]] = {m.id: [] for m in problem.meetings}   # must follow m
        for a, b in problem.precedences:
            self.before[b].append(a)
            self.after[a].append(b)

    def fits(self, m: Meeting, s: int) -> bool:
        p = self.problem
        if self.count[s] >= p.tables:
            return False
        if m.needs_interpreter and p.interpreters is not None and self.interp[s] >= p.interpreters:
            return False
        a, b = m.participants
        if s in self.busy[a] or s in self.busy[b]:
            return False
        for o in self.before[m.id]:
            if o in self.slot_of and self.slot_of[o] >= s:
                return False
        for o in self.after[m.id]:
            if o in self.slot_of and self.slot_of[o] <= s:
                return False
        return True

    def place(self, m: Meeting, s: int) -> None:
        self.slot_of[m.id] = s
        self.by_slot[s][m.id] = None
        self.count[s] += 1
        if m.needs_interpreter:
            self.interp[s] += 1
        for p in m.participants:
            self.busy[p][s] = m.id

    def remove(self, m: Meeting) -> int:
        s = self.slot_of.pop(m.id)
        del self.by_slot[s][m.id]
        self.count[s] -= 1
        if m.needs_interpreter:
            self.interp[s] -= 1
        for p in m.participants:
            del self.busy[p][s]
        return s

    def break_delta(self, m: Meeting, s: int) -> int:
        """Increase of the total breaks if m were placed in slot s."""
        d = 0
        for p in m.participants:
            used = self.busy[p]
            if not used:
                continue
            left, right = s - 1 in used, s + 1 in used
            if left and right:
                d -= 1  # closes a one-slot gap
            elif not left and not right:
                lo, hi = min(used), max(used)
                if lo < s < hi:
                    d += 1  # splits a gap without touching either side
                else:
                    d += 1  # new island outside the current day
        return d


def first_fit(problem: Problem) -> dict[str, int]:
    """Baseline: meetings in input order, each in the earliest slot where it fits."""
    st = SlotState(problem)
    for m in problem.meetings:
        for s in st.allowed[m.id]:
            if st.fits(m, s):
                st.place(m, s)
                break
    return dict(st.slot_of)


def constructive(problem: Problem, repair_rounds: int = 2) -> dict[str, int]:
    """Constructive start: most constrained meetings first, each in the slot that adds
    the fewest breaks (ties: the slot next to the participants' other meetings, then
    the earliest); then a repair pass that tries to place leftovers by moving one
    blocking meeting elsewhere."""
    st = SlotState(problem)
    degree: dict[str, int] = {p.id: 0 for p in problem.participants}
    for m in problem.meetings:
        for p in m.participants:
            degree[p] += 1
    order = sorted(
        problem.meetings,
        key=lambda m: (m.fixed_slot is None, -m.priority, len(st.allowed[m.id]),
                       -max(degree[p] for p in m.participants)))
    for m in order:
        best = None
        for s in st.allowed[m.id]:
            if not st.fits(m, s):
                continue
            key = (st.break_delta(m, s), s)
            if best is None or key < best:
                best = key
        if best is not None:
            st.place(m, best[1])
    for _ in range(repair_rounds):
        left = [m for m in order if m.id not in st.slot_of]
        if not left or not any(_repair(st, m) for m in left):
            break
    return dict(st.slot_of)


def _relocate(st: SlotState, o: Meeting, avoid: int) -> bool:
    """Move already-removed meeting o to some fitting slot other than avoid."""
    best = None
    for s in st.allowed[o.id]:
        if s != avoid and st.fits(o, s):
            key = (st.break_delta(o, s), s)
            if best is None or key < best:
                best = key
    if best is None:
        return False
    st.place(o, best[1])
    return True


def _repair(st: SlotState, m: Meeting) -> bool:
    """Try to place m in a slot after moving its blockers (at most 3) elsewhere."""
    prob = st.problem
    for s in st.allowed[m.id]:
        blockers = {st.busy[p][s] for p in m.participants if s in st.busy[p]}
        need_room = st.count[s] - len(blockers) >= prob.tables or (
            m.needs_interpreter and prob.interpreters is not None
            and st.interp[s] - sum(prob.meeting(b).needs_interpreter for b in blockers)
            >= prob.interpreters)
        extra_options = [None]
        if need_room:
            extra_options = [o for o in st.by_slot[s] if o not in blockers
                             and (not m.needs_interpreter or prob.interpreters is None
                                  or prob.meeting(o).needs_interpreter)][:20]
        for extra in extra_options:
            group = sorted(blockers | ({extra} if extra else set()))
            if len(group) > 3:
                continue
            moved = [prob.meeting(o) for o in group]
            for o in moved:
                st.remove(o)
            if st.fits(m, s):
                st.place(m, s)
                done = []
                for o in moved:
                    if _relocate(st, o, s):
                        done.append(o)
                    else:
                        break
                if len(done) == len(moved):
                    return True
                for o in done:
                    st.remove(o)
                st.remove(m)
            for o in moved:
                st.place(o, s)
    return False
