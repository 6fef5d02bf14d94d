"""Demo outcomes: follow-ups in every stage (a few overdue) owned by the demo cells and offices, agreements across
the five partnerships and four years, and a rate table. Idempotent: keyed by titles."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from planner.accounts.models import User
from planner.core.timefmt import today_ist
from planner.core.types import utcnow
from planner.delegations.models import Delegation
from planner.extensions import db
from planner.firms.models import Firm
from planner.followups.agreement_models import Agreement, ExchangeRate
from planner.followups.agreements import AgreementData, change_status, create_agreement
from planner.followups.models import FollowUp
from planner.followups.operations import FollowUpData, create_followup, load_origin
from planner.itinerary.models import Event
from planner.matchmaking.models import B2BSession, Meeting
from planner.partnerships.models import Partnership
from planner.regions.operations import region_by_code

RATES = [("USD", "INR", "83.00", date(2023, 1, 1)), ("USD", "JPY", "140.00", date(2023, 1, 1)),
         ("USD", "INR", "84.25", date(2025, 1, 1)), ("USD", "JPY", "150.50", date(2025, 1, 1))]

# delegation title, follow-up title, stage, owner e-mail, due in days from today (None: none), open, next action
FOLLOWUPS = [
    ("Shizuoka delegation to Ahmedabad and GIFT City 2026", "Hamamatsu die-casting supplier for Sanand EV plant",
     "negotiation_started", "gujarat@demo.planner", -6, True, "Send the revised price sheet for 40k housings/yr"),
    ("Shizuoka delegation to Ahmedabad and GIFT City 2026", "Green ammonia pilot with Shizuoka utilities",
     "exploring", "shizuoka@demo.planner", 4, True, "Share Kandla port land options"),
    ("Shizuoka delegation to Ahmedabad and GIFT City 2026", "Tea processing machinery distributor",
     "nda_signed", "gujarat@demo.planner", 12, True, "Organise a factory visit in Shizuoka"),
    ("Gujarat delegation to Shizuoka 2025", "Auto-parts JV in Mandal", "mou_signed", "shizuoka@demo.planner", 30,
     True, "Track land allotment with GIDC"),
    ("Gujarat delegation to Shizuoka 2025", "Precision tooling order", "order_placed", "gujarat@demo.planner", None,
     False, ""),
    ("Shizuoka delegation to Ahmedabad 2024", "Food processing line", "no_interest", "gujarat@demo.planner", None,
     False, ""),
    ("Uttar Pradesh hydrogen delegation to Yamanashi 2025", "P2G electrolyser pilot in Noida",
     "investment_committed", "up@demo.planner", -15, True, "Confirm the subsidy sanction letter"),
    ("Yamanashi delegation to Lucknow 2026", "Fruit wine export partner", "exploring", "yamanashi@demo.planner", 2,
     True, "Send samples to Lucknow buyers"),
    ("Wakayama delegation to Mumbai 2025", "Citrus cold chain with JNPT logistics", "negotiation_started",
     "maharashtra@demo.planner", 20, True, "Joint visit to the JNPT cold store"),
    ("Toyama delegation to Andhra Pradesh 2025", "Generic API contract manufacturing", "nda_signed",
     "andhra@demo.planner", -3, True, "Receive the Toyama firm's audit checklist"),
    # (not the cancelled Andhra Pradesh visit of 2024: nothing came of a visit that did not take place)
    ("Toyama delegation to Andhra Pradesh 2025", "Machining SME in Sri City", "mou_signed", "toyama@demo.planner",
     45, True, "Plan the groundbreaking"),
]

# title, kind, state, prefecture, signed, value, currency, jobs, status changes [(status, date)]
AGREEMENTS = [
    ("MoU on EV component manufacturing in Mandal", "mou", "IN-GJ", "JP-22", date(2026, 2, 10), "4500000000.00",
     "INR", 650, [("under_implementation", date(2026, 7, 1))]),
    ("LoI on green ammonia bunkering at Kandla", "loi", "IN-GJ", "JP-22", date(2026, 6, 3), "120000000.00", "USD",
     120, []),
    ("Auto-parts JV, Mandal", "jv", "IN-GJ", "JP-22", date(2025, 8, 20), "2800000000.00", "JPY", 310,
     [("under_implementation", date(2025, 11, 1)), ("commissioned", date(2026, 9, 15))]),
    ("MoU on power-to-gas hydrogen pilot", "mou", "IN-UP", "JP-19", date(2025, 10, 2), "35000000.00", "USD", 80,
     [("under_implementation", date(2026, 2, 1))]),
    ("LoI on fruit processing exchange", "loi", "IN-UP", "JP-19", date(2024, 7, 10), None, None, None,
     [("dropped", date(2025, 3, 1))]),
    ("MoU on citrus cold-chain logistics", "mou", "IN-MH", "JP-30", date(2023, 9, 5), "750000000.00", "INR", 95,
     [("under_implementation", date(2024, 1, 10)), ("commissioned", date(2025, 2, 1))]),
    ("JV for generic API manufacturing", "jv", "IN-AP", "JP-16", date(2026, 3, 18), "1500000000.00", "JPY", 210,
     []),
    ("Draft MoU on towel and textile technology", "mou", "IN-TN", "JP-38", date(2026, 10, 1), "5000000.00", "USD", 40,
     []),
]


def _users() -> dict[str, User]:
    return {user.email: user for user in db.session.scalars(select(User).where(User.email.like("%@demo.planner")))}


def _first_firm(region_code: str):
    region = region_by_code(region_code)
    return db.session.scalars(select(Firm).where(Firm.region_id == region.id, Firm.status == "active")
                              .order_by(Firm.name)).first()


def _rates() -> int:
    added = 0
    for base, quote, rate, valid_from in RATES:
        if db.session.scalar(select(ExchangeRate.id).where(ExchangeRate.base == base, ExchangeRate.quote == quote,
                                                           ExchangeRate.valid_from == valid_from)) is None:
            db.session.add(ExchangeRate(base=base, quote=quote, rate=Decimal(rate), valid_from=valid_from))
            added += 1
    return added


def _followups(users: dict, admin: User, today: date) -> int:
    added = 0
    existing = set(db.session.scalars(select(FollowUp.title)))
    for delegation_title, title, stage, owner_email, due_in, is_open, next_action in FOLLOWUPS:
        delegation = db.session.scalar(select(Delegation).where(Delegation.title == delegation_title))
        if title in existing or delegation is None or owner_email not in users:
            continue
        origin = load_origin("delegation", delegation.id, admin)
        firms = [firm for firm in (_first_firm(r.code) for r in origin.regions) if firm is not None]
        create_followup(origin, FollowUpData(
            title=title, stage=stage, owner_id=users[owner_email].id, is_open=is_open, next_action=next_action,
            due_date=today + timedelta(days=due_in) if due_in is not None else None,
            firm_ids=[f.id for f in firms], region_ids=[r.id for r in origin.regions],
            notes="Demo data."), admin, note="Recorded after the visit.")
        added += 1
    # Two meetings of a B2B session that has taken place, if there is one (the demo's Gujarat–Shizuoka session
    # lies ahead in December: a follow-up of a meeting not yet held, at "NDA signed", made no sense).
    gujarat = users.get("gujarat@demo.planner")
    if db.session.scalar(select(FollowUp.id).where(FollowUp.meeting_id.is_not(None)).limit(1)) is not None:
        return added  # the meeting follow-ups were made (or answered by feedback) before
    held = (select(Meeting).join(B2BSession, B2BSession.id == Meeting.session_id)
            .join(Event, Event.id == B2BSession.event_id)
            .where(Meeting.status == "scheduled", Event.status == "scheduled", Event.ends_at < utcnow()))
    for index, meeting in enumerate(db.session.scalars(held.order_by(Meeting.id).limit(2))):
        if gujarat is None:
            continue
        origin = load_origin("meeting", meeting.id, admin)
        create_followup(origin, FollowUpData(
            stage=("exploring", "nda_signed")[index], owner_id=gujarat.id, due_date=today + timedelta(days=7 + index),
            next_action="Call both firms after the session", firm_ids=[f.id for f in origin.firms],
            region_ids=[r.id for r in origin.regions]), admin)
        added += 1
    return added


def _agreements(admin: User) -> int:
    added = 0
    existing = set(db.session.scalars(select(Agreement.title)))
    for title, kind, state, prefecture, signed, value, currency, jobs, changes in AGREEMENTS:
        if title in existing:
            continue
        state_region, prefecture_region = region_by_code(state), region_by_code(prefecture)
        partnership = db.session.scalar(select(Partnership).where(Partnership.state_id == state_region.id,
                                                                  Partnership.prefecture_id == prefecture_region.id))
        firms = [firm for firm in (_first_firm(state), _first_firm(prefecture)) if firm is not None]
        followups = list(db.session.scalars(select(FollowUp).where(
            FollowUp.partnership_id == (partnership.id if partnership else -1),
            FollowUp.stage.in_(("mou_signed", "investment_committed", "order_placed"))).limit(1)))
        agreement = create_agreement(AgreementData(
            title=title, kind=kind, partnership_id=partnership.id if partnership else None, signed_on=signed,
            value_amount=Decimal(value) if value else None, value_currency=currency, jobs_expected=jobs,
            region_ids=[state_region.id, prefecture_region.id], firm_ids=[f.id for f in firms],
            followup_ids=[f.id for f in followups]), admin)
        for status, day in changes:
            change_status(agreement, status, day)
        added += 1
    return added


def load_followups_demo() -> dict[str, int]:
    users = _users()
    admin = users.get("admin@demo.planner")
    if admin is None:
        return {}
    summary = {"exchange rates added": _rates()}
    db.session.flush()
    summary["follow-ups added"] = _followups(users, admin, today_ist())
    summary["agreements added"] = _agreements(admin)
    db.session.flush()
    return summary
