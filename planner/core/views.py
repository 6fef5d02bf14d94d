"""Small helpers views share: committing a form's change, client address, pagination."""

from flask import request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

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


def client_address() -> str:
    return request.remote_addr or "unknown"


class Page:
    """One page of a SELECT: items, total, and links' page numbers."""

    def __init__(self, stmt, page: int, per_page: int = 50):
        self.per_page = per_page
        self.total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(1, page), self.pages)
        self.items = list(db.session.scalars(stmt.limit(per_page).offset((self.page - 1) * per_page)).unique())

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1
