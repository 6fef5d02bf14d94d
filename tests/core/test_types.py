from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from planner.accounts.models import User


def test_utc_column_returns_aware_utc_for_a_time_given_in_ist(factories, database):
    user = factories.user("admin")
    ist = timezone(timedelta(hours=5, minutes=30))
    user.last_login_at = datetime(2026, 4, 1, 9, 0, tzinfo=ist)
    database.session.flush()
    database.session.expire_all()
    stored = database.session.scalar(select(User.last_login_at).where(User.id == user.id))
    assert stored == datetime(2026, 4, 1, 3, 30, tzinfo=UTC) and stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)


def test_utc_column_refuses_a_naive_datetime(factories, database):
    user = factories.user("admin")
    user.last_login_at = datetime(2026, 4, 1, 9, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        database.session.flush()
    database.session.rollback()
