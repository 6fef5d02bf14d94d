"""Local search on slot assignments (pure Python, deterministic for a seed).

``repair_placement``: insert unplaced meetings by ejection chains.  An unplaced
meeting m goes into the allowed slot where it evicts the least priority: the
meetings of its two firms in that slot, meetings that would violate a precedence,
and, when the slot is full (tables or interpreters), one more meeting of the slot.
Each evicted meeting is re-inserted directly if it fits somewhere else, otherwise
it joins the unplaced pool.  A tabu list forbids putting an evicted meeting back
into the slot it just left; ties are broken by a seeded RNG and then by the break
delta.  This generalises alternating-path (Kempe chain) swaps of bipartite edge
colouring to capacities, availability, sessions, interpreters and precedences.
The best assignment seen (total priority, then fewer breaks) is returned.

Measured and not adopted in ``improve_breaks``: a second Kempe chain between the
same two slots when the first would overfill one of them (the pair keeps both
slots within the tables).  With tight tables one was found for three in four of
the rejected chains, and the breaks stayed where they were (forum-like-21 with 11 and 15
tables, 9 M units, seeds 0-1: 29 and 21 against 27 and 26; 8 and 7 against 7 and
8): the tables are not what holds the annealing back.

Determinism: the budget is a number of steps; the wall-clock deadline is only a
safety net.
"""

from __future__ import annotations

import math
import random
import threading
import time

from .greedy import SlotState
from .problem import Problem


def _best_fit(st: SlotState, m, rng: random.Random, tabu_until: dict, step: int,
              avoid: int | None = None):
    best = None
    for s in st.allowed[m.id]:
        if s == avoid or tabu_until.get((m.id, s), -1) > step or not st.fits(m, s):
            continue
        key = (st.break_delta(m, s), rng.random())
        if best is None or key < best[0]:
            best = (key, s)
    return None if best is None else best[1]


def repair_placement(problem: Problem, start: dict[str, int], max_work: int, seed: int = 0,
                     deadline: float | None = None, tenure: int = 12) -> dict[str, int]:
    st = SlotState(problem)
    for mid, s in start.items():
        st.place(problem.meeting(mid), s)
    rng = random.Random(seed)
    prio = {m.id: m.priority for m in problem.meetings}
    pool = [m.id for m in problem.meetings if m.id not in st.slot_of and st.allowed[m.id]]
    tabu_until: dict[tuple[str, int], int] = {}
    # direct insertion first
    rest = []
    for mid in pool:
        s = _best_fit(st, problem.meeting(mid), rng, tabu_until, 0)
        if s is None:
            rest.append(mid)
        else:
            st.place(problem.meeting(mid), s)
    pool = rest
    got = sum(prio[mid] for mid in st.slot_of)
    best_got, best = got, dict(st.slot_of)
    T, K = problem.tables, problem.interpreters
    step = work = 0
    while pool and work < max_work:
        work += 4
        if deadline is not None and step % 64 == 0 and time.monotonic() > deadline:
            break
        step += 1
        i = rng.randrange(len(pool))
        # prefer high priority: among two random picks take the higher priority one
        j = rng.randrange(len(pool))
        if prio[pool[j]] > prio[pool[i]]:
            i = j
        mid = pool[i]
        m = problem.meeting(mid)
        a, b = m.participants
        choice = None
        work += len(st.allowed[mid])
        for s in st.allowed[mid]:
            if tabu_until.get((mid, s), -1) > step:
                continue
            ev = set()
            if s in st.busy[a]:
                ev.add(st.busy[a][s])
            if s in st.busy[b]:
                ev.add(st.busy[b][s])
            for o in st.before[mid]:
                if o in st.slot_of and st.slot_of[o] >= s:
                    ev.add(o)
            for o in st.after[mid]:
                if o in st.slot_of and st.slot_of[o] <= s:
                    ev.add(o)
            in_s = [o for o in ev if st.slot_of[o] == s]
            need_t = st.count[s] - len(in_s) >= T
            need_i = (m.needs_interpreter and K is not None and st.interp[s]
                      - sum(problem.meeting(o).needs_interpreter for o in in_s) >= K)
            if need_t or need_i:
                cands = [o for o in st.by_slot[s] if o not in ev
                         and (not need_i or problem.meeting(o).needs_interpreter)]
                if not cands:
                    continue
                ev.add(cands[rng.randrange(len(cands))])
            cost = sum(prio[o] for o in ev)
            key = (cost, len(ev), rng.random())
            if choice is None or key < choice[0]:
                choice = (key, s, ev)
        if choice is None:
            continue
        _, s, ev = choice
        undo = [(o, st.remove(problem.meeting(o))) for o in sorted(ev)]
        if not st.fits(m, s):  # defensive: never leave an infeasible state
            for o, os_ in undo:
                st.place(problem.meeting(o), os_)
            continue
        for o, os_ in undo:
            tabu_until[(o, os_)] = step + tenure
        st.place(m, s)
        pool[i] = pool[-1]
        pool.pop()
        got += prio[mid]
        work += 2 * len(ev) * problem.slots
        for o in sorted(ev):
            om = problem.meeting(o)
            s2 = _best_fit(st, om, rng, tabu_until, step)
            if s2 is None:
                pool.append(o)
                got -= prio[o]
            else:
                st.place(om, s2)
        if got > best_got:
            work += len(st.slot_of) // 64
            best_got, best = got, dict(st.slot_of)
    return best


FOCUS_SHARE = 0.8
# share of the focused moves that aim at a gap directly (an end-of-run meeting of the
# firm with breaks into an idle slot of its day next to another run); over seeds
# 4-9 at 3.8 M work units it lowered the mean breaks from 10.0 to 9.0 on the
# benchmark's mid-12 and from 3.2 to 1.8 on planted-22 (0.15 and 0.5 did worse)
GAP_MOVE = 0.3
# temperature schedule of the annealing: geometric from T_START to the final
# temperature (in breaks).  The final temperature was 0.05 for every run; runs of at
# least LONG_RUN work units now end at T_END_LONG = 0.15: the walk keeps crossing the
# large plateaus (and occasionally climbs one break) until the end, and the best
# schedule is kept anyway.  Mean breaks over seeds 0-11 at 4.67 M units (the
# benchmark's 10 s budget), final temperature 0.05 / 0.1 / 0.15 / 0.2: mid-12 9.5 /
# 8.8 / 8.6 / 9.5, forum-like-21 27.8 / 26.4 / 26.4 / 28.0, mid-16 19.5 / - / 18.8 / -,
# big-22 30.8 / 29.2 / 29.4 / 30.4, planted-22 1.9 / 0.5 / 0.4 / 0.75 (T_START 0.3 or
# 0.7 did no better); at 3.3 M units, 0.05 / 0.15 (seeds 0-7): forum-like-21 27.9 /
# 28.1, mid-16 20.5 / 19.5, big-22 31.1 / 30.4, planted-22 1.9 / 0.5.  Shorter runs
# gain nothing: at 2.2 M units, 0.05 / 0.1 / 0.15 gave mid-12 9.3 / 9.4 / 9.5,
# forum-like-21 28.5 / 28.9 / 28.9, and the solver's split runs on mid-12 (0.4 M +
# 1.8 M) did worse (10.4 -> 11.3 breaks, seeds 1-8), so they keep 0.05; so do runs of
# fewer than LONG_RUN_PER_MEETING units per meeting (the 10k-meeting instances get
# about 1,600 in 60 s: untested there).
T_START = 0.4
T_END_SHORT = 0.05
T_END_LONG = 0.15
LONG_RUN = 3_000_000
LONG_RUN_PER_MEETING = 10_000


def _run_delta(busy: dict, s: int, t: int) -> int:
    """Change of the number of runs of consecutive slots in ``busy`` (a dict or set
    keyed by slot) when slot s is replaced by slot t; busy is left unchanged."""
    d = 0
    left, right = (s - 1) in busy, (s + 1) in busy
    if left and right:
        d += 1
    elif not left and not right:
        d -= 1
    # after removing s
    left = (t - 1) in busy and t - 1 != s
    right = (t + 1) in busy and t + 1 != s
    if left and right:
        d -= 1
    elif not left and not right:
        d += 1
    return d


def _breaks_of(slots) -> int:
    ss = sorted(slots)
    return sum(1 for x, y in zip(ss, ss[1:], strict=False) if y - x > 1)


def improve_breaks(problem: Problem, slot_of: dict[str, int], max_work: int, seed: int = 0,
                   deadline: float | None = None, t_start: float | None = None,
                   t_end: float | None = None,
                   stop_at: int | None = None,
                   stop: threading.Event | None = None) -> dict[str, int]:
    """Simulated annealing on breaks with the placement kept (every scheduled meeting
    stays scheduled).  Move: a Kempe chain swap between two slots s, t -- the
    connected set of meetings in s or t linked through shared firms, started from a
    meeting -- exchanges its slots; only the two firms at the ends of the chain change
    their busy slots, so the break delta is local.  The chain starts from a meeting of
    a firm with breaks more than half the time, often moving an end-of-run meeting
    into a gap of that firm's day (``GAP_MOVE``).  Objective: fairness excess
    (weighted first) then total breaks.  Temperature: geometric from ``t_start`` to
    ``t_end`` (defaults: ``T_START``, and the final temperature by run length, see
    ``T_END_LONG``).  Returns the best assignment seen; ``stop`` ends the run early
    when another thread sets it (the result then depends on timing: only for a
    caller that no longer needs it)."""
    t_start = T_START if t_start is None else t_start
    if t_end is None:
        long_run = max_work >= max(LONG_RUN, LONG_RUN_PER_MEETING * len(slot_of))
        t_end = T_END_LONG if long_run else T_END_SHORT
    st = SlotState(problem)
    for mid, s in slot_of.items():
        st.place(problem.meeting(mid), s)
    rng = random.Random(seed)
    S, T, K, d = problem.slots, problem.tables, problem.interpreters, problem.fairness
    # fairness is over firms with at least one requested meeting
    requested = sorted({p for m in problem.meetings for p in m.participants})
    br = {p: _breaks_of(st.busy[p]) for p in requested}
    hist = [0] * (S + 2)
    for p in requested:
        hist[br[p]] += 1
    W = sum(br.values()) + 10 * len(slot_of) + 1

    def excess() -> int:
        if d is None or not requested:
            return 0
        lo = next(i for i, c in enumerate(hist) if c)
        hi = max(i for i, c in enumerate(hist) if c)
        return max(0, hi - lo - d)

    total = sum(br.values())
    cur = W * excess() + total
    best_val, best = cur, dict(st.slot_of)
    mids = [mid for mid in (m.id for m in problem.meetings) if mid in st.slot_of]
    if not mids or cur == 0:
        return best
    meets_of: dict[str, list[str]] = {}
    for mid in mids:
        for p in problem.meeting(mid).participants:
            meets_of.setdefault(p, []).append(mid)
    pm = {mid: problem.meeting(mid) for mid in mids}
    allowed_set = {mid: set(st.allowed[mid]) for mid in mids}
    prec = bool(problem.precedences)
    bad, bad_at = [], 0
    work, step = 0, 0
    rnd = rng.random
    slot_of_ = st.slot_of
    busy_ = st.busy
    n_mids = len(mids)
    temp = t_start
    cur_ex = excess()
    while work < max_work:
        step += 1
        work += 4
        if step & 255 == 0:
            if deadline is not None and time.monotonic() > deadline:
                break
            if stop is not None and stop.is_set():
                break
            temp = t_start * (t_end / t_start) ** (work / max_work)
        if stop_at is not None and cur <= stop_at:
            break
        # pick a meeting: half the time one of a firm with breaks
        focus = None
        if rnd() < 0.6:
            if step >= bad_at:
                bad = [p for p in requested if br[p] > 0]
                bad_at = step + 64
                work += len(requested) // 8
            if bad:
                focus = bad[int(rnd() * len(bad))]
                lst = meets_of.get(focus)
                if not lst:
                    continue
                mid = lst[int(rnd() * len(lst))]
            else:
                mid = mids[int(rnd() * n_mids)]
        else:
            mid = mids[int(rnd() * n_mids)]
        m = pm[mid]
        s = slot_of_[mid]
        # target slot: mostly next to another meeting of the firm with breaks, or of
        # one of m's firms
        if focus is not None and rnd() < GAP_MOVE:
            # close a gap of the firm with breaks: one of its meetings at the end of a
            # run moves into an idle slot of its day next to another run
            bq = busy_[focus]
            work += 2
            holes = [x for x in range(min(bq), max(bq) + 1) if x not in bq
                     and (x - 1 in bq or x + 1 in bq)]
            if not holes:
                continue
            ends = [x for x in bq if x - 1 not in bq or x + 1 not in bq]
            s = ends[int(rnd() * len(ends))]
            mid = bq[s]
            m = pm[mid]
            t = holes[int(rnd() * len(holes))]
        elif rnd() < 0.7:
            q = focus if focus is not None and rnd() < FOCUS_SHARE else \
                m.participants[0 if rnd() < 0.5 else 1]
            bs = list(busy_[q])
            t = bs[int(rnd() * len(bs))] + (1 if rnd() < 0.5 else -1)
        else:
            t = 1 + int(rnd() * S)
        if t == s or t not in allowed_set[mid]:
            continue
        # build the Kempe chain
        chain = [mid]
        seen = {mid}
        k = 0
        ok = True
        while k < len(chain):
            x = chain[k]
            k += 1
            work += 1
            other = t if slot_of_[x] == s else s
            if other not in allowed_set[x]:
                ok = False
                break
            for q in pm[x].participants:
                y = busy_[q].get(other)
                if y is not None and y not in seen:
                    seen.add(y)
                    chain.append(y)
        if not ok:
            continue
        n_s = sum(1 for x in chain if st.slot_of[x] == s)
        n_t = len(chain) - n_s
        if st.count[t] - n_t + n_s > T or st.count[s] - n_s + n_t > T:
            continue
        if K is not None:
            i_s = sum(1 for x in chain if st.slot_of[x] == s and pm[x].needs_interpreter)
            i_t = sum(1 for x in chain if st.slot_of[x] == t and pm[x].needs_interpreter)
            if st.interp[t] - i_t + i_s > K or st.interp[s] - i_s + i_t > K:
                continue
        # endpoint firms: busy in exactly one of s, t
        ends = []
        for x in chain:
            for q in pm[x].participants:
                bq = st.busy[q]
                if (s in bq) != (t in bq):
                    ends.append(q)
        ends = sorted(set(ends))
        changes = []
        dtot = 0
        for q in ends:
            bq = st.busy[q]
            dq = _run_delta(bq, s, t) if s in bq else _run_delta(bq, t, s)
            if dq:
                changes.append((q, dq))
                dtot += dq
        if changes and d is not None:
            for q, dq in changes:
                hist[br[q]] -= 1
                hist[br[q] + dq] += 1
            ex = excess()
            for q, dq in changes:
                hist[br[q] + dq] -= 1
                hist[br[q]] += 1
        else:
            ex = cur_ex
        new = W * ex + total + dtot
        delta = new - cur
        if delta > 0 and (delta > 20 * temp or rnd() >= math.exp(-delta / temp)):
            continue
        moves = [(x, st.slot_of[x]) for x in chain]
        for x, _ in moves:
            st.remove(pm[x])
        for x, sx in moves:
            st.place(pm[x], t if sx == s else s)
        if prec and any(not _prec_ok(st, x) for x, _ in moves):
            for x, _ in moves:
                st.remove(pm[x])
            for x, sx in moves:
                st.place(pm[x], sx)
            continue
        for q, dq in changes:
            hist[br[q]] -= 1
            br[q] += dq
            hist[br[q]] += 1
        total += dtot
        cur, cur_ex = new, ex
        if cur < best_val:
            best_val = cur
            work += len(mids) // 64
            best = dict(st.slot_of)
    return best


def _prec_ok(st: SlotState, x: str) -> bool:
    s = st.slot_of[x]
    for o in st.before[x]:
        if o in st.slot_of and st.slot_of[o] >= s:
            return False
    for o in st.after[x]:
        if o in st.slot_of and st.slot_of[o] <= s:
            return False
    return True
