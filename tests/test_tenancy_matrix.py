"""The tenancy matrix: for every route that takes an object id, each role gets what its region may see and a
404 (or, where the whole page is not for the role, 403) for the rest. A route with an id that is not listed
here fails `test_every_id_route_is_in_the_matrix`, so new features must extend the matrix.

World: Gujarat (IN-GJ) and Shizuoka (JP-22) are "ours"; Maharashtra (IN-MH) and Wakayama (JP-30) are "theirs".
Each case builds one object that involves our regions and one that involves only theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests import factories


@dataclass
class Case:
    build_own: Callable  # (world) -> url
    build_other: Callable
    # role -> (status for own object, status for the other region's object)
    expect: dict
    method: str = "GET"  # a POST-only action is tried as a POST (with no form data)


def _partnership_url(suffix=""):
    def own(world):
        return f"/partnerships/{world.partnership('IN-GJ', 'JP-22').id}{suffix}"

    def other(world):
        return f"/partnerships/{world.partnership('IN-MH', 'JP-30').id}{suffix}"

    return own, other


def _user_edit_url(page="edit"):
    return (lambda world: f"/admin/users/{world.users['state'].id}/{page}",
            lambda world: f"/admin/users/{factories.user('state', 'IN-MH').id}/{page}")


def _region_url():
    return (lambda world: "/regions/IN-GJ", lambda world: "/regions/IN-MH")


STAFF_READ_ALL = {"admin": (200, 200), "state": (200, 200), "prefecture": (200, 200), "delegate": (403, 403)}
OWN_REGION_ONLY = {"admin": (200, 200), "state": (200, 404), "prefecture": (200, 404), "delegate": (403, 403)}
ADMIN_ONLY = {"admin": (200, 200), "state": (403, 403), "prefecture": (403, 403), "delegate": (403, 403)}

MATRIX = {
    "partnerships.view": Case(*_partnership_url(), expect=STAFF_READ_ALL),
    "partnerships.edit": Case(*_partnership_url("/edit"), expect=OWN_REGION_ONLY),
    "regions.view": Case(*_region_url(), expect=STAFF_READ_ALL),
    "admin.edit_user": Case(*_user_edit_url(), expect=ADMIN_ONLY),
    "admin.reset_user_password": Case(*_user_edit_url("password"), expect=ADMIN_ONLY),
    # POST only: mails the user a link and goes back to their page
    "admin.send_password_link": Case(*_user_edit_url("password-link"), method="POST",
                                     expect={**ADMIN_ONLY, "admin": (302, 302)}),
}


def _outbox_url(suffix=""):
    """A message concerning our regions, and one concerning only theirs."""
    def build(*codes):
        def url(world):
            messages = world.__dict__.setdefault("_outbox_messages", {})
            if codes not in messages:
                messages[codes] = factories.outbox_invite(*codes)
            return f"/outbox/{messages[codes].id}{suffix}"
        return url

    return build("IN-GJ", "JP-22"), build("IN-MH", "JP-30")


MATRIX.update({
    "outbox.view": Case(*_outbox_url(), expect=OWN_REGION_ONLY),
    "outbox.ics": Case(*_outbox_url("/invite.ics"), expect=OWN_REGION_ONLY),
    "outbox.retry": Case(*_outbox_url("/retry"), expect=OWN_REGION_ONLY),
})


def _firm_url(suffix="", own=("IN-GJ", "active"), other=("IN-MH", "active"), contact=False):
    """A firm of our region and one of theirs (optionally a contact of each); built once per world."""
    def build(region_code, status):
        def url(world):
            firms = world.__dict__.setdefault("_firms", {})
            key = (region_code, status, contact)
            if key not in firms:
                firm = factories.firm(region_code, status=status)
                firms[key] = (firm, factories.firm_contact(firm) if contact else None)
            firm, person = firms[key]
            path = f"/firms/{firm.id}" + (f"/contacts/{person.id}" if person else "")
            return path + suffix
        return url

    return build(*own), build(*other)


def _firm_import_url(suffix=""):
    def build(region_code):
        def url(world):
            uploader = world.users["state"] if region_code == "IN-GJ" else factories.user("state", region_code)
            return f"/firms/imports/{factories.firm_import(uploader).id}{suffix}"
        return url

    return build("IN-GJ"), build("IN-MH")


# Firms: active profiles are shared with all staff (and delegates, without contacts); drafts stay in their region;
# only the home region's cell or office edits. Imports belong to the uploader's region.
FIRM_EDIT_IN = {"admin": (200, 200), "state": (200, 404), "prefecture": (404, 404), "delegate": (403, 403)}
FIRM_EDIT_JP = {"admin": (200, 200), "state": (404, 404), "prefecture": (200, 404), "delegate": (403, 403)}
MATRIX.update({
    "firms.view": Case(*_firm_url(other=("IN-MH", "draft")),
                       expect={"admin": (200, 200), "state": (200, 404), "prefecture": (200, 404),
                               "delegate": (200, 404)}),
    "firms.edit": Case(*_firm_url("/edit"), expect=FIRM_EDIT_IN),
    "firms.merge": Case(*_firm_url("/merge"), expect=ADMIN_ONLY),
    "firms.new_contact": Case(*_firm_url("/contacts/new", own=("JP-22", "active"), other=("JP-30", "active")),
                              expect=FIRM_EDIT_JP),
    "firms.edit_contact": Case(*_firm_url("/edit", own=("JP-22", "active"), other=("JP-30", "active"),
                                          contact=True), expect=FIRM_EDIT_JP),
    "firms.delete_contact": Case(*_firm_url("/delete", own=("JP-22", "active"), other=("JP-30", "active"),
                                            contact=True), expect=FIRM_EDIT_JP),
    "firms.import_preview": Case(*_firm_import_url(), expect=FIRM_EDIT_IN),
    "firms.import_errors": Case(*_firm_import_url("/errors.csv"), expect=FIRM_EDIT_IN),
    "firms.import_confirm": Case(*_firm_import_url("/confirm"), expect={
        "admin": (302, 302), "state": (302, 404), "prefecture": (404, 404), "delegate": (403, 403)}),
})


# Delegations, people, itineraries and the exchange tracker (issue 3). "Ours": a Gujarat → Shizuoka delegation
# whose member and event attendee is the world's delegate; "theirs": a Maharashtra → Wakayama delegation.
def _delegation_world(world) -> dict:
    built = world.__dict__.setdefault("_delegation_world", {})
    if not built:
        from datetime import datetime

        for side, states, prefectures in (("own", ("IN-GJ",), ("JP-22",)), ("other", ("IN-MH",), ("JP-30",))):
            delegation = factories.delegation(states, prefectures)
            person = factories.person(f"{side} delegate", user=world.users["delegate"] if side == "own" else None)
            member = factories.member(delegation, person)
            venue = factories.venue(f"{side} venue", "IN", city="Ahmedabad", region_code=states[0])
            event = factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11),
                                    attendees=[person])
            stay = factories.event(delegation, datetime(2026, 10, 12, 15), datetime(2026, 10, 14, 11), kind="stay",
                                   title=f"{side} hotel", attendees=[person])
            built[side] = {"delegation": delegation, "person": person, "member": member, "venue": venue,
                           "event": event, "stay": stay}
    return built


def _issue3_url(template):
    def build(side):
        return lambda world: template.format(**{key: obj.id for key, obj in _delegation_world(world)[side].items()})

    return build("own"), build("other")


OWN_OR_DELEGATES_OWN = {"admin": (200, 200), "state": (200, 404), "prefecture": (200, 404), "delegate": (200, 404)}
FEED_OF_NO_REGION = {"admin": (200, 200), "state": (403, 404), "prefecture": (403, 404), "delegate": (200, 404)}
VENUE_EDIT = {"admin": (200, 200), "state": (200, 404), "prefecture": (404, 404), "delegate": (403, 403)}
MATRIX.update({
    "delegations.view": Case(*_issue3_url("/delegations/{delegation}"), expect=OWN_REGION_ONLY),
    "delegations.edit": Case(*_issue3_url("/delegations/{delegation}/edit"), expect=OWN_REGION_ONLY),
    "delegations.status": Case(*_issue3_url("/delegations/{delegation}/status"), expect=OWN_REGION_ONLY),
    "delegations.members": Case(*_issue3_url("/delegations/{delegation}/members"), expect=OWN_REGION_ONLY),
    "delegations.badges": Case(*_issue3_url("/delegations/{delegation}/badges"), expect=OWN_REGION_ONLY),
    "delegations.members_csv": Case(*_issue3_url("/delegations/{delegation}/members.csv"), expect=OWN_REGION_ONLY),
    "delegations.members_xlsx": Case(*_issue3_url("/delegations/{delegation}/members.xlsx"),
                                     expect=OWN_REGION_ONLY),
    "delegations.schedule_of_stay": Case(*_issue3_url("/delegations/{delegation}/members/{member}/schedule-of-stay"),
                                         expect=OWN_REGION_ONLY),
    "delegations.edit_member": Case(*_issue3_url("/delegations/{delegation}/members/{member}/edit"),
                                    expect=OWN_REGION_ONLY),
    "delegations.import_members": Case(*_issue3_url("/delegations/{delegation}/members/import"),
                                       expect=OWN_REGION_ONLY),
    "delegations.member_template_csv": Case(*_issue3_url("/delegations/{delegation}/members/import/template.csv"),
                                            expect=OWN_REGION_ONLY),
    "delegations.member_template_xlsx": Case(*_issue3_url("/delegations/{delegation}/members/import/template.xlsx"),
                                             expect=OWN_REGION_ONLY),
    "itinerary.new_event": Case(*_issue3_url("/delegations/{delegation}/events/new"), expect=OWN_REGION_ONLY),
    "itinerary.delegation_agenda": Case(*_issue3_url("/delegations/{delegation}/agenda"), expect=OWN_REGION_ONLY),
    "itinerary.delegation_csv": Case(*_issue3_url("/delegations/{delegation}/itinerary.csv"),
                                     expect=OWN_REGION_ONLY),
    "itinerary.event": Case(*_issue3_url("/events/{event}"), expect=OWN_OR_DELEGATES_OWN),
    "itinerary.dietary_sheet": Case(*_issue3_url("/events/{event}/dietary"), expect=OWN_REGION_ONLY),
    "itinerary.rooming_list": Case(*_issue3_url("/events/{stay}/rooming-list"), expect=OWN_REGION_ONLY),
    "itinerary.edit_event": Case(*_issue3_url("/events/{event}/edit"), expect=OWN_REGION_ONLY),
    "itinerary.event_status": Case(*_issue3_url("/events/{event}/status"), expect=OWN_REGION_ONLY),
    "people.view": Case(*_issue3_url("/people/{person}"), expect=OWN_OR_DELEGATES_OWN),
    "people.edit": Case(*_issue3_url("/people/{person}/edit"), expect=OWN_REGION_ONLY),
    "itinerary.person_agenda": Case(*_issue3_url("/people/{person}/agenda"), expect=OWN_OR_DELEGATES_OWN),
    "itinerary.venue": Case(*_issue3_url("/venues/{venue}"), expect=STAFF_READ_ALL),
    "itinerary.edit_venue": Case(*_issue3_url("/venues/{venue}/edit"), expect=VENUE_EDIT),
    "exchanges.year": Case(lambda world: "/exchanges/2026", lambda world: "/exchanges/2025", expect=STAFF_READ_ALL),
})



def _member_import_url(suffix=""):
    """An import into our delegation by Gujarat's cell (Shizuoka takes part in the delegation but did not upload
    it), and one into theirs by Maharashtra's."""
    def build(side, region_code):
        def url(world):
            imports = world.__dict__.setdefault("_member_imports", {})
            if side not in imports:
                uploader = world.users["state"] if side == "own" else factories.user("state", region_code)
                imports[side] = factories.member_import(_delegation_world(world)[side]["delegation"], uploader)
            return f"/delegations/{imports[side].delegation_id}/members/imports/{imports[side].id}{suffix}"
        return url

    return build("own", "IN-GJ"), build("other", "IN-MH")


MEMBER_IMPORT = {"admin": (200, 200), "state": (200, 404), "prefecture": (404, 404), "delegate": (403, 403)}
MATRIX.update({
    "delegations.member_import_preview": Case(*_member_import_url(), expect=MEMBER_IMPORT),
    "delegations.member_import_errors": Case(*_member_import_url("/errors.csv"), expect=MEMBER_IMPORT),
    "delegations.member_import_confirm": Case(*_member_import_url("/confirm"), method="POST", expect={
        "admin": (302, 302), "state": (302, 404), "prefecture": (404, 404), "delegate": (403, 403)}),
})

# B2B sessions (issue 5). "Ours": a session on the Gujarat → Shizuoka delegation, whose Indian firm the world's
# delegate represents; "theirs": one on the Maharashtra → Wakayama delegation with firms of those regions.
def _b2b_world(world) -> dict:
    built = world.__dict__.setdefault("_b2b_world", {})
    if not built:
        from datetime import datetime

        from planner.matchmaking.models import SolverRun
        from planner.matchmaking.operations import RequestData, request_meeting

        for side, (state, prefecture) in (("own", ("IN-GJ", "JP-22")), ("other", ("IN-MH", "JP-30"))):
            delegation = _delegation_world(world)[side]["delegation"]
            session = factories.b2b_session(delegation)
            person = _delegation_world(world)[side]["person"]
            indian = factories.b2b_participant(session, state, representatives=[person])
            japanese = factories.b2b_participant(session, prefecture)
            meeting = factories.b2b_meeting(session, indian, japanese, slot=1)
            request = request_meeting(japanese, RequestData(target_id=factories.b2b_participant(
                session, state, representatives=[person]).id), factories.SYSTEM)
            run = SolverRun(session=session, status="failed", error="test", problem={"meetings": []}, snapshot={})
            factories.db.session.add(run)
            event = factories.event(delegation, datetime(2026, 10, 14, 10), datetime(2026, 10, 14, 12), kind="b2b")
            factories.db.session.flush()
            built[side] = {"session": session, "participant": indian, "meeting": meeting, "request": request,
                           "table": session.tables[0], "run": run, "event": event}
    return built


def _b2b_url(template):
    def build(side):
        return lambda world: template.format(**{key: obj.id for key, obj in _b2b_world(world)[side].items()})

    return build("own"), build("other")


B2B_FIRM_PAGE = {"admin": (200, 200), "state": (200, 404), "prefecture": (200, 404), "delegate": (200, 404)}
# acting for the world's participant (a Gujarat firm): its region's cell and its representative, not the
# partner office that organises the session with it
B2B_FIRM_ACT = {"admin": (200, 200), "state": (200, 404), "prefecture": (404, 404), "delegate": (200, 404)}
B2B_FIRM_ACT_REDIRECT = {"admin": (302, 302), "state": (302, 404), "prefecture": (404, 404), "delegate": (302, 404)}
B2B_REDIRECT = {"admin": (302, 302), "state": (302, 404), "prefecture": (302, 404), "delegate": (403, 403)}
MATRIX.update({
    "matchmaking.setup": Case(*_b2b_url("/events/{event}/b2b"), expect=OWN_REGION_ONLY),
    "matchmaking.view": Case(*_b2b_url("/b2b/{session}"), expect=OWN_REGION_ONLY),
    "matchmaking.edit": Case(*_b2b_url("/b2b/{session}/edit"), expect=OWN_REGION_ONLY),
    "matchmaking.tables": Case(*_b2b_url("/b2b/{session}/tables"), expect=OWN_REGION_ONLY),
    "matchmaking.register": Case(*_b2b_url("/b2b/{session}/register"), expect=OWN_REGION_ONLY),
    "matchmaking.grid": Case(*_b2b_url("/b2b/{session}/schedule"), expect=OWN_REGION_ONLY),
    "matchmaking.schedule_csv": Case(*_b2b_url("/b2b/{session}/schedule.csv"), expect=OWN_REGION_ONLY),
    "matchmaking.table_sheet": Case(*_b2b_url("/b2b/{session}/tables/{table}"), expect=OWN_REGION_ONLY),
    "matchmaking.solve": Case(*_b2b_url("/b2b/{session}/solve"), expect=OWN_REGION_ONLY),
    "matchmaking.new_meeting": Case(*_b2b_url("/b2b/{session}/meetings/new"), expect=OWN_REGION_ONLY),
    "matchmaking.run": Case(*_b2b_url("/b2b/runs/{run}"), expect=OWN_REGION_ONLY),
    "matchmaking.confirm": Case(*_b2b_url("/b2b/runs/{run}/confirm"), expect=B2B_REDIRECT),
    "matchmaking.move": Case(*_b2b_url("/b2b/meetings/{meeting}/edit"), expect=OWN_REGION_ONLY),
    "matchmaking.swap": Case(*_b2b_url("/b2b/meetings/{meeting}/swap"), expect=OWN_REGION_ONLY),
    "matchmaking.cancel": Case(*_b2b_url("/b2b/meetings/{meeting}/cancel"), expect=OWN_REGION_ONLY),
    "matchmaking.participant": Case(*_b2b_url("/b2b/participants/{participant}"), expect=B2B_FIRM_PAGE),
    "matchmaking.new_request": Case(*_b2b_url("/b2b/participants/{participant}/requests/new"),
                                    expect=B2B_FIRM_ACT),
    "matchmaking.availability": Case(*_b2b_url("/b2b/participants/{participant}/availability"),
                                     expect=B2B_FIRM_ACT_REDIRECT),
    "matchmaking.representatives": Case(*_b2b_url("/b2b/participants/{participant}/representatives"),
                                        expect={**B2B_FIRM_ACT_REDIRECT, "delegate": (403, 403)}),
    "matchmaking.answer": Case(*_b2b_url("/b2b/requests/{request}/answer"), expect=B2B_FIRM_ACT),
    # the world's request is asked by the Japanese firm: its office withdraws it, the Gujarat cell and the
    # delegate (the asked side) cannot; in this order, the administrator then finds only the other one left
    "matchmaking.withdraw": Case(*_b2b_url("/b2b/requests/{request}/withdraw"), method="POST", expect={
        "state": (404, 404), "delegate": (404, 404), "prefecture": (302, 404), "admin": (404, 302)}),
})


# Calendar invites (issue 6): downloads are behind login and tenancy like the pages they belong to.
MATRIX.update({
    "invites.event_ics": Case(*_issue3_url("/events/{event}/invite.ics"), expect=OWN_OR_DELEGATES_OWN),
    # the people of this world were recorded by no region (the system): their feed is theirs and the
    # administrators' (tests/invites/test_invite_feed.py: the recording region's too)
    "invites.person_feed": Case(*_issue3_url("/people/{person}/calendar-feed"), expect=FEED_OF_NO_REGION),
    "invites.meeting_ics": Case(*_b2b_url("/b2b/meetings/{meeting}/invite.ics"), expect=B2B_FIRM_PAGE),
})

# Routes whose argument is a secret, not an object id: the signed RSVP token, the calendar feed's secret and the
# mailed link to set a forgotten password are the authority (no login; calendar apps and mail recipients have
# none). tests/invites and tests/accounts/test_password_recovery.py test them instead: tampered, expired, used
# and revoked secrets are refused.
TOKEN_ROUTES = {"invites.rsvp", "invites.feed", "accounts.reset_password"}


# Follow-ups, agreements and exchange rates (issue 7). "Ours": a follow-up of the Gujarat–Shizuoka B2B meeting and
# an agreement with Gujarat and Shizuoka as parties; "theirs": the same for Maharashtra–Wakayama. The feedback page
# takes a signed token, not an id: a valid token opens for anyone, a tampered one is 404 for everyone.
def _outcomes_world(world) -> dict:
    built = world.__dict__.setdefault("_outcomes_world", {})
    if not built:
        from datetime import UTC, date, datetime, timedelta

        from planner.followups.agreements import add_rate
        from planner.followups.feedback import make_token
        from planner.followups.models import FeedbackRequest

        for side, regions in (("own", ("IN-GJ", "JP-22")), ("other", ("IN-MH", "JP-30"))):
            b2b = _b2b_world(world)[side]
            owner = world.users["state"] if side == "own" else factories.user("state", "IN-MH")
            followup = factories.followup(b2b["meeting"], owner=owner)
            agreement = factories.agreement(regions=regions)
            rate = add_rate("USD", "INR" if side == "own" else "JPY", "84", date(2026, 1, 1))
            participant = b2b["participant"]
            request = FeedbackRequest(session_id=b2b["session"].id, participant_id=participant.id,
                                      person_id=participant.representatives[0].id, round=1)
            factories.db.session.add(request)
            factories.db.session.flush()
            token = make_token(request.id, datetime.now(UTC) + timedelta(days=1))
            built[side] = {"followup": followup, "agreement": agreement, "rate": rate, "session": b2b["session"],
                           "token": token if side == "own" else token[:-4] + "AAAA"}
    return built


def _outcomes_url(template):
    def build(side):
        return lambda world: template.format(**{key: getattr(obj, "id", obj)
                                                for key, obj in _outcomes_world(world)[side].items()})

    return build("own"), build("other")


MATRIX.update({
    "followups.view": Case(*_outcomes_url("/outcomes/followups/{followup}"), expect=OWN_REGION_ONLY),
    "followups.edit": Case(*_outcomes_url("/outcomes/followups/{followup}/edit"), expect=OWN_REGION_ONLY),
    "followups.agreement": Case(*_outcomes_url("/outcomes/agreements/{agreement}"), expect=OWN_REGION_ONLY),
    "followups.edit_agreement": Case(*_outcomes_url("/outcomes/agreements/{agreement}/edit"),
                                     expect=OWN_REGION_ONLY),
    "followups.agreement_status": Case(*_outcomes_url("/outcomes/agreements/{agreement}/status"),
                                       expect=OWN_REGION_ONLY),
    "followups.session_feedback": Case(*_outcomes_url("/outcomes/b2b/{session}/feedback"), expect=OWN_REGION_ONLY),
    "followups.delete_rate": Case(*_outcomes_url("/outcomes/rates/{rate}/delete"), expect=ADMIN_ONLY),
    "followups.feedback": Case(*_outcomes_url("/outcomes/feedback/{token}"),
                               expect={role: (200, 404) for role in ("admin", "state", "prefecture", "delegate")}),
})


# B2B interpreters (issue 6): the session's pool, the "Assign interpreters" button and a meeting's interpreter are the
# organisers'; a GET only redirects to the page holding the form.
MATRIX.update({
    "matchmaking.interpreters": Case(*_b2b_url("/b2b/{session}/interpreters"), expect=B2B_REDIRECT),
    "matchmaking.assign_interpreters": Case(*_b2b_url("/b2b/{session}/interpreters/assign"), expect=B2B_REDIRECT),
    "matchmaking.interpreter": Case(*_b2b_url("/b2b/meetings/{meeting}/interpreter"), expect=B2B_REDIRECT),
})


class World:
    def __init__(self):
        self.users = {"admin": factories.user("admin"), "state": factories.user("state", "IN-GJ"),
                      "prefecture": factories.user("prefecture", "JP-22"), "delegate": factories.user("delegate")}
        self._partnerships = {}

    def partnership(self, state, prefecture):
        key = (state, prefecture)
        if key not in self._partnerships:
            self._partnerships[key] = factories.partnership(state, prefecture)
        return self._partnerships[key]


def _id_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.arguments - {"filename"} and rule.endpoint != "static"}


def test_every_id_route_is_in_the_matrix(app):
    missing = _id_routes(app) - set(MATRIX) - TOKEN_ROUTES
    assert not missing, f"routes with an id that the tenancy matrix does not cover: {sorted(missing)}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_tenancy_matrix(endpoint, app, database):
    from tests.conftest import login

    world = World()
    case = MATRIX[endpoint]
    own_url, other_url = case.build_own(world), case.build_other(world)
    database.session.commit()
    for role, (own_status, other_status) in case.expect.items():
        client = app.test_client()
        login(client, world.users[role].email)
        got = (client.open(own_url, method=case.method).status_code,
               client.open(other_url, method=case.method).status_code)
        assert got == (own_status, other_status), f"{endpoint} as {role}: got {got}"
        if other_status == 404 and own_url.endswith("/edit"):
            # A POST to someone else's record is refused the same way, and changes nothing.
            assert client.post(other_url, data={}).status_code == 404

