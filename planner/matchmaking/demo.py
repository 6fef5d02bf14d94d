"""Demo B2B session: the Gujarat–Shizuoka session at Act City Hamamatsu (December 2026) with 12 Indian and 12
Japanese firms from the demo registry, requests in every state, Yoko Tanaka (EN–JA) as the session's interpreter
and a schedule the solver produced and the organiser confirmed (which assigned her to meetings needing an
interpreter). Idempotent: nothing is added when the event has its session already, except the interpreter for a
demo database made before sessions had them."""

from datetime import time

from sqlalchemy import select

from planner.accounts.models import User
from planner.delegations.models import Person
from planner.extensions import db
from planner.firms.demo import FEATURED_FIRMS
from planner.firms.models import Firm
from planner.itinerary.models import Event
from planner.matchmaking.interpreters import assign_interpreters
from planner.matchmaking.meetings import create_meeting
from planner.matchmaking.models import B2BSession
from planner.matchmaking.operations import (
    RequestData,
    SessionData,
    answer_request,
    create_session,
    register_firm,
    rename_tables,
    request_meeting,
    set_unavailable,
)
from planner.matchmaking.runs import confirm_run, run_scheduler
from planner.regions.operations import region_by_code

EVENT_TITLE = "B2B session with Hamamatsu suppliers"
FIRMS_PER_SIDE = 12
TABLE_NAMES = ["Table 1 (Sakura)", "Table 2 (Fuji)", "Table 3 (Tenryu)", "Table 4 (Hamana)", "Table 5 (Enshu)",
               "Table 6 (Akiba)"]
MESSAGES = ["Looking for a machining partner for EV motor housings.", "Interested in your stamping capacity.",
            "We seek a distributor for Gujarat.", "", "Would like to discuss a joint venture in Sanand."]
SOLVER_SECONDS, SOLVER_SEED = 3, 7
INTERPRETER_EMAIL = "y.tanaka@example.jp"  # Yoko Tanaka, Interpreter (EN–JA), from the delegations demo


def _firms(region_code: str) -> list[Firm]:
    """The region's featured demo firm (its representative's own) first, then others by name."""
    region = region_by_code(region_code)
    return list(db.session.scalars(select(Firm).where(Firm.region_id == region.id, Firm.status == "active")
                                   .order_by(Firm.name != FEATURED_FIRMS.get(region_code), Firm.name)
                                   .limit(FIRMS_PER_SIDE)))


def _represent(participant, email: str) -> None:
    """``email``'s person represents the participant's firm, and is recorded as one of its people."""
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        return
    participant.representatives = [person]
    if person.firm_id is None and participant.firm.name in FEATURED_FIRMS.values():
        person.firm_id = participant.firm_id


def load_matchmaking_demo() -> dict[str, int]:
    event = db.session.scalar(select(Event).where(Event.title == EVENT_TITLE, Event.kind == "b2b"))
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.planner"))
    if event is None or admin is None:
        return {"B2B sessions added": 0}
    existing = db.session.scalar(select(B2BSession).where(B2BSession.event_id == event.id))
    if existing is not None:
        return {"B2B sessions added": 0, "B2B meetings given an interpreter": _ensure_interpreters(existing)}
    indian, japanese = _firms("IN-GJ"), _firms("JP-22")
    if not indian or not japanese:
        return {"B2B sessions added": 0}
    # 14:00–17:30 at the venue: 8 slots of 20 minutes with 5-minute pauses, 6 tables.
    session = create_session(event, SessionData(first_slot=time(14, 0), slot_minutes=20, pause_minutes=5,
                                                day_end=time(17, 30), table_count=len(TABLE_NAMES), fairness=2,
                                                interpreters=1, reminder_hours=48))  # the pool: Yoko
    rename_tables(session, TABLE_NAMES)
    interpreter = db.session.scalar(select(Person).where(Person.email == INTERPRETER_EMAIL))
    session.interpreter_pool = [interpreter] if interpreter is not None else []
    in_parts = [register_firm(session, firm.id, admin) for firm in indian]
    jp_parts = [register_firm(session, firm.id, admin) for firm in japanese]
    _represent(in_parts[0], "mehul.shah@example.in")  # the demo delegate, at his own firm (Rajkot)
    _represent(jp_parts[0], "k.ito@example.jp")  # whose plant the delegation visits
    set_unavailable(in_parts[3], [1])
    set_unavailable(jp_parts[5], [8])
    count = len(jp_parts)
    index = 0
    for i, in_part in enumerate(in_parts):
        for step in (0, 3, 7):
            jp_part = jp_parts[(i + step) % count]
            requester, target = (in_part, jp_part) if (i + step) % 2 == 0 else (jp_part, in_part)
            request = request_meeting(requester, RequestData(
                target_id=target.id, priority=2 if index % 3 == 0 else 1, message=MESSAGES[index % len(MESSAGES)]),
                admin)
            if index % 6 == 4:
                pass  # left waiting for an answer
            else:
                answer_request(request, accept=index % 6 != 5, user=admin)
            index += 1
    create_meeting(session, in_parts[0].id, jp_parts[1].id, priority=2)
    create_meeting(session, in_parts[5].id, jp_parts[9].id, priority=1)
    db.session.flush()
    run = run_scheduler(session, admin, time_limit=SOLVER_SECONDS, seed=SOLVER_SEED)
    if run.status == "ready":
        confirm_run(run, admin)
    db.session.flush()
    return {"B2B sessions added": 1}


def _ensure_interpreters(session: B2BSession) -> int:
    """Put the demo interpreter into a session made before pools existed, and assign her (invites follow)."""
    interpreter = db.session.scalar(select(Person).where(Person.email == INTERPRETER_EMAIL))
    if session.interpreter_pool or interpreter is None:
        return 0
    session.interpreter_pool = [interpreter]
    db.session.flush()
    return assign_interpreters(session)
