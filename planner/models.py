"""Imports every feature's models so the metadata (and Alembic) knows all tables."""

from planner.accounts.models import LoginFailure, User  # noqa: F401
from planner.core.audit import AuditEntry  # noqa: F401
from planner.delegations.models import (  # noqa: F401
    Delegation,
    DelegationMember,
    DelegationRegion,
    MemberImport,
    Person,
)
from planner.firms.models import Firm, FirmContact, FirmImport, firm_sectors  # noqa: F401
from planner.followups.agreement_models import (  # noqa: F401
    Agreement,
    AgreementStatusChange,
    ExchangeRate,
    agreement_firms,
    agreement_followups,
    agreement_meetings,
    agreement_regions,
)
from planner.followups.models import (  # noqa: F401
    FeedbackAnswer,
    FeedbackRequest,
    FollowUp,
    FollowUpEntry,
    followup_firms,
    followup_regions,
)
from planner.invites.models import CalendarFeed, CalendarInvite, InviteRecipient  # noqa: F401
from planner.itinerary.models import Event, EventAttendee, Venue  # noqa: F401
from planner.matchmaking.models import (  # noqa: F401
    B2BParticipant,
    B2BSession,
    B2BTable,
    Meeting,
    MeetingRequest,
    SolverRun,
    participant_representatives,
)
from planner.outbox.models import OutboxMessage, outbox_message_regions  # noqa: F401
from planner.partnerships.models import Partnership, partnership_sectors  # noqa: F401
from planner.regions.models import Region, Sector  # noqa: F401
