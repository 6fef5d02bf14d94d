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
