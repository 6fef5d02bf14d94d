"""Test data built through the same operations the app uses, so factories obey the rules too."""

import uuid
from datetime import date

from planner.accounts.operations import create_user
from planner.extensions import db
from planner.partnerships.operations import PartnershipData, create_partnership
from planner.regions.operations import region_by_code

TEST_PASSWORD = "correct horse battery"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.org"


class _System:
    """An actor allowed everything, for building data in tests."""

    role = "admin"
    region_id = None
    region = None
    is_authenticated = True


SYSTEM = _System()


def region(code: str):
    found = region_by_code(code)
    assert found is not None, f"reference data lacks {code}"
    return found


def user(role: str, region_code: str | None = None, *, email: str | None = None, name: str | None = None,
         password: str = TEST_PASSWORD):
    created = create_user(
        email=email or unique_email(role), name=name or f"Test {role}", role=role, password=password,
        region=region(region_code) if region_code else None)
    db.session.flush()
    return created


def partnership(state_code: str = "IN-GJ", prefecture_code: str = "JP-22", **overrides):
    data = PartnershipData(state_id=region(state_code).id, prefecture_id=region(prefecture_code).id,
                           status=overrides.pop("status", "active"),
                           since=overrides.pop("since", date(2023, 5, 16)), **overrides)
    created = create_partnership(data, SYSTEM)
    db.session.flush()
    return created
