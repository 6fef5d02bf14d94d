"""Imports every feature's models so the metadata (and Alembic) knows all tables."""

from planner.accounts.models import LoginFailure, User  # noqa: F401
from planner.core.audit import AuditEntry  # noqa: F401
from planner.partnerships.models import Partnership, partnership_sectors  # noqa: F401
from planner.regions.models import Region, Sector  # noqa: F401
