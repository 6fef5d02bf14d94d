"""SQL snippets for CHECK constraints, written the same way by every model (so migrations compare equal)."""


def one_of(values) -> str:
    """"('a', 'b')" for `column IN ('a', 'b')` checks. The values are the models' own constants, never input."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"
