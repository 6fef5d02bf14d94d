"""Small helpers views share: committing a form's change, client address, a safe ?next=, pagination."""

from urllib.parse import urlsplit

from flask import request
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from planner.core.access import MAX_ID
from planner.core.errors import DomainError, populate_errors
from planner.extensions import db


def commit_or_report(form, conflict_message: str, field: str | None = None) -> bool:
    """Commit the request's transaction; on a constraint race, roll back and show `conflict_message` on the form."""
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        populate_errors(form, DomainError(conflict_message, field))
        return False


def local_url(target: str | None) -> str | None:
    """`target` when it is a path on this site (a ?next= to go back to), else None.  No control characters nor
    backslashes: a CR/LF made the redirect's header invalid (a 500), and browsers read "\\" as "/"."""
    if target and not any(ord(char) < 0x20 or char in "\x7f\\" for char in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return None


def client_address() -> str:
    return request.remote_addr or "unknown"


class Page:
    """One page of a SELECT: items, total, and links' page numbers."""

    def __init__(self, stmt, page: int, per_page: int = 50):
        self.per_page = per_page
        self.total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(1, page), self.pages)
        self.items = list(db.session.scalars(_stable(stmt).limit(per_page).offset((self.page - 1) * per_page))
                          .unique())

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _stable(stmt):
    """The ordering made total with the listed entity's primary key: rows sharing a sort key (people of one
    name, mails of one instant) otherwise come in any order from one page's query to the next, and a row
    could show on two pages and another on none (PostgreSQL does not keep an order it was not asked for)."""
    entity = stmt.column_descriptions[0].get("entity") if stmt.column_descriptions else None
    if entity is None:
        return stmt
    mapper = inspect(entity).mapper
    return stmt.order_by(*(getattr(entity, mapper.get_property_by_column(column).key) for column in mapper.primary_key))


def page_arg() -> int:
    return int_arg("page") or 1


def refused_arg(name: str, low: int, high: int) -> str | None:
    """The query string's value of ``name`` when it is given but is not a whole number in [low, high], so a
    filter page can say it did not apply it instead of silently showing something else."""
    value = request.args.get(name, "").strip()
    return value[:20] if value and int_arg(name, low, high) is None else None


def int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string within [low, high]; None when absent or malformed.
    ASCII digits only: "²" passes ``str.isdigit`` but not ``int``, and a huge id overflows the
    database's integer (both were 500s)."""
    value = request.args.get(name, "").strip()  # " 2025" pasted with a space is 2025
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    number = int(value)
    return number if low <= number <= high else None


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern with escape '\\': %, _ and \\ stand for themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape '\\') matching `text` anywhere, its words with anything between them (佐藤 花子 finds
    佐藤　花子 and 佐藤花子)."""
    return "%" + "%".join(escape_like(word) for word in text.split()) + "%"


def name_search(text: str, name_columns, other_columns=()) -> list:
    """SQL conditions, any of which finds a person by ``text`` (``firms.normalise.name_patterns``: any spacing,
    width and kana script, two words in either order: Suzuki Ichiro finds Ichiro Suzuki) in ``name_columns`` or
    ``other_columns``. A name typed
    without a space (鈴木一郎, as Japanese names are written) also finds one stored with one (鈴木 一郎, 鈴木　一郎):
    the name columns are compared without their spaces too."""
    from planner.firms.normalise import name_patterns

    patterns = name_patterns(text)
    clauses = [column.ilike(pattern, escape="\\") for pattern in patterns
               for column in (*name_columns, *other_columns)]
    if len(text.split()) == 1:
        clauses += [func.replace(func.replace(column, " ", ""), "\u3000", "").ilike(pattern, escape="\\")
                    for pattern in patterns for column in name_columns]
    return clauses
