"""Shared by the scheduler tests."""


def as_result(slot_of: dict[str, int]) -> dict:
    """A slot assignment as the solver's output for check_schedule / participant_breaks: the tables are
    irrelevant to these checks, so meetings are numbered within their slot."""
    per: dict[int, int] = {}
    out = []
    for mid, slot in sorted(slot_of.items()):
        per[slot] = per.get(slot, 0) + 1
        out.append({"meeting": mid, "slot": slot, "table": per[slot]})
    return {"assignments": out}
