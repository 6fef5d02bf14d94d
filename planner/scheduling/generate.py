"""Seeded generators of B2B instances (used by tests and the benchmark)."""

from __future__ import annotations

import random


def realistic(seed: int, firms: int = 60, meetings: int = 150, slots: int = 16,
              morning: int | None = None, table_slack: float = 1.1,
              unavailable: float = 0.08, restricted: float = 0.1,
              interpreters: int | None = None, fairness: int | None = 2) -> dict:
    """Two sides (Indian "in*" and Japanese "jp*" firms); meetings across sides with
    skewed popularity; tables about meetings/slots * table_slack; a share of
    unavailable slots per firm (in blocks, e.g. arriving late / leaving early) and
    of morning/afternoon restrictions."""
    rng = random.Random(seed)
    morning = slots // 2 + 1 if morning is None else morning
    n_in = firms // 2
    ins = [f"in{i + 1}" for i in range(n_in)]
    jps = [f"jp{i + 1}" for i in range(firms - n_in)]
    w_in = [1.0 / (i + 1) ** 0.5 for i in range(len(ins))]
    w_jp = [1.0 / (i + 1) ** 0.5 for i in range(len(jps))]
    deg = {f: 0 for f in ins + jps}
    pairs = set()
    cap = max(2, slots - 2)  # nobody asks for more meetings than slots
    attempts = 0
    while len(pairs) < meetings and attempts < meetings * 200:
        attempts += 1
        a = rng.choices(ins, w_in)[0]
        b = rng.choices(jps, w_jp)[0]
        if (a, b) in pairs or deg[a] >= cap or deg[b] >= cap:
            continue
        pairs.add((a, b))
        deg[a] += 1
        deg[b] += 1
    parts = []
    for f in ins + jps:
        un = set()
        budget = round(unavailable * slots * rng.uniform(0.0, 2.0))
        budget = min(budget, max(0, slots - deg[f] - 1))
        if budget:
            kind = rng.random()
            if kind < 0.4:
                un = set(range(slots - budget + 1, slots + 1))          # leaves early
            elif kind < 0.7:
                un = set(range(1, budget + 1))                          # arrives late
            else:
                un = set(rng.sample(range(1, slots + 1), budget))       # scattered
        parts.append({"id": f, "unavailable": sorted(un)})
    ms = []
    for i, (a, b) in enumerate(sorted(pairs, key=lambda p: (int(p[0][2:]), int(p[1][2:])))):
        r = rng.random()
        session = "morning" if r < restricted / 2 else "afternoon" if r < restricted else "any"
        ms.append({"id": f"m{i + 1}", "participants": [a, b], "session": session,
                   "priority": 1, "fixed_slot": None,
                   "needs_interpreter": interpreters is not None and rng.random() < 0.3})
    tables = max(1, round(len(ms) / slots * table_slack))
    tables = max(tables, max(1, -(-len(ms) // slots)))
    return {"slots": slots, "morning_slots": morning, "tables": tables, "fairness": fairness,
            "interpreters": interpreters, "participants": parts, "meetings": ms,
            "precedences": []}


def from_schedule(seed: int, firms: int = 12, slots: int = 8, tables: int = 4,
                  density: float = 0.8) -> tuple[dict, dict[str, int]]:
    """An instance built from a known zero-break schedule: each firm gets a window of
    consecutive slots; meetings are added slot by slot between free firms.  Returns
    the instance and the generating schedule (which has 0 breaks and places all)."""
    rng = random.Random(seed)
    ids = [f"f{i + 1}" for i in range(firms)]
    window = {}
    for f in ids:
        a = rng.randint(1, slots)
        b = rng.randint(a, slots)
        window[f] = (a, b)
    meetings, schedule = [], {}
    busy = {f: set() for f in ids}
    # fill each firm's window contiguously from its start; keep going while possible
    for s in range(1, slots + 1):
        free = [f for f in ids if window[f][0] <= s <= window[f][1] and s not in busy[f]
                and (not busy[f] or s - 1 in busy[f])]
        rng.shuffle(free)
        placed = 0
        while len(free) >= 2 and placed < tables:
            a, b = free.pop(), free.pop()
            if rng.random() > density:
                continue
            mid = f"m{len(meetings) + 1}"
            meetings.append({"id": mid, "participants": [a, b]})
            schedule[mid] = s
            busy[a].add(s)
            busy[b].add(s)
            placed += 1
    parts = []
    for f in ids:
        un = [s for s in range(1, slots + 1) if s not in busy[f] and rng.random() < 0.3]
        parts.append({"id": f, "unavailable": un})
    return ({"slots": slots, "tables": tables, "participants": parts, "meetings": meetings},
            schedule)


def planted(seed: int, firms: int = 80, meetings: int = 250, slots: int = 16,
            morning: int | None = None, tables: int | None = None, restricted: float = 0.1,
            away: float = 0.3, fairness: int | None = 2,
            interpreters: int | None = None) -> tuple[dict, dict[str, int]]:
    """A realistic instance built from a known complete schedule with zero breaks.

    Two sides ("in*" and "jp*") with skewed popularity.  Slot by slot, firms are
    paired across sides (each pair meets at most once, at most ``tables`` meetings
    per slot); a firm's meetings are contiguous: once it has started it must meet in
    every slot until it stops, so the planted schedule has no break.  Sessions are
    restricted (share ``restricted``) consistently with the planted slot; a share
    ``away`` of the firms is unavailable before its first or after its last meeting
    (arrives late / leaves early), the others are available all day.  Returns the
    instance and the planted schedule, so a complete schedule and 0 breaks are
    achievable by construction."""
    rng = random.Random(seed)
    morning = slots // 2 + 1 if morning is None else morning
    tables = tables if tables is not None else max(1, round(meetings / slots * 1.05))
    n_in = firms // 2
    ins = [f"in{i + 1}" for i in range(n_in)]
    jps = [f"jp{i + 1}" for i in range(firms - n_in)]
    w = {f: 1.0 / (i + 1) ** 0.5 for side in (ins, jps) for i, f in enumerate(side)}
    # wanted number of meetings per firm: proportional to popularity, capped
    cap = max(2, slots - 2)
    per_side = meetings
    want = {}
    for side in (ins, jps):
        tot = sum(w[f] for f in side)
        for f in side:
            want[f] = max(1, min(cap, round(per_side * w[f] / tot + rng.uniform(-0.5, 0.5))))
    start = {f: rng.randint(1, max(1, slots - want[f] + 1)) for f in ins + jps}
    state = {f: "wait" for f in ins + jps}     # wait -> on -> done
    got = {f: 0 for f in ins + jps}
    met: set[tuple[str, str]] = set()
    out, schedule = [], {}
    def eligible(side, s):
        el = [f for f in side if state[f] != "done" and start[f] <= s and got[f] < want[f]]
        # firms already on must meet now (or stop); then the most urgent ones
        el.sort(key=lambda f: (state[f] != "on", start[f] + want[f], rng.random()))
        return el

    for s in range(1, slots + 1):
        a_side, b_side = eligible(ins, s), eligible(jps, s)
        used_b: set[str] = set()
        busy_now: set[str] = set()
        n = 0
        for a in a_side:
            if n >= tables:
                break
            for b in b_side:
                if b in used_b or (a, b) in met:
                    continue
                met.add((a, b))
                used_b.add(b)
                busy_now.update((a, b))
                mid = f"m{len(out) + 1}"
                out.append((mid, a, b))
                schedule[mid] = s
                n += 1
                break
        for f in ins + jps:
            if f in busy_now:
                state[f] = "on"
                got[f] += 1
            elif state[f] == "on":
                state[f] = "done"
    # input order must not reveal the planted schedule (first-fit would replay it)
    rng.shuffle(out)
    renamed = []
    for i, (_mid, a, b) in enumerate(out):
        renamed.append((f"m{i + 1}", a, b))
    schedule = {f"m{i + 1}": schedule[mid] for i, (mid, _a, _b) in enumerate(out)}
    out = renamed
    busy = {f: [] for f in ins + jps}
    for mid, a, b in out:
        busy[a].append(schedule[mid])
        busy[b].append(schedule[mid])
    parts = []
    for f in ins + jps:
        un: list[int] = []
        if busy[f] and rng.random() < away:
            lo, hi = min(busy[f]), max(busy[f])
            if rng.random() < 0.5 and lo > 1:
                un = list(range(1, rng.randint(1, lo - 1) + 1))          # arrives late
            elif hi < slots:
                un = list(range(rng.randint(hi + 1, slots), slots + 1))  # leaves early
        parts.append({"id": f, "unavailable": un})
    ms = []
    for mid, a, b in out:
        r = rng.random()
        session = "any"
        if r < restricted:
            session = "morning" if schedule[mid] <= morning else "afternoon"
        ms.append({"id": mid, "participants": [a, b], "session": session, "priority": 1,
                   "fixed_slot": None,
                   "needs_interpreter": interpreters is not None and rng.random() < 0.3})
    if interpreters is not None:  # keep the planted schedule feasible
        per = {}
        for m in ms:
            if m["needs_interpreter"]:
                s = schedule[m["id"]]
                per[s] = per.get(s, 0) + 1
                if per[s] > interpreters:
                    m["needs_interpreter"] = False
    return ({"slots": slots, "morning_slots": morning, "tables": tables, "fairness": fairness,
             "interpreters": interpreters, "participants": parts, "meetings": ms,
             "precedences": []}, schedule)
