"""Planning a delegation in the browser: regions and sides, dates, status actions, tenancy of the list."""

from datetime import date

from sqlalchemy import func, select

from planner.core.audit import AuditEntry
from planner.delegations.models import Delegation
from planner.delegations.operations import change_status


def _form(factories, **extra):
    data = {"title": "Gujarat business delegation to Shizuoka", "direction": "IN_JP",
            "start_date": "2026-10-12", "end_date": "2026-10-16",
            "indian_regions": [str(factories.region("IN-GJ").id)],
            "japanese_regions": [str(factories.region("JP-22").id)], "purpose": "Auto components, EV"}
    data.update(extra)
    return data


def _count(database):
    return database.session.scalar(select(func.count()).select_from(Delegation))


def test_state_cell_plans_a_delegation_with_sending_and_host_sides(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post("/delegations/new", data=_form(factories))
    assert response.status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    assert [r.code for r in delegation.sending_regions] == ["IN-GJ"]
    assert [r.code for r in delegation.host_regions] == ["JP-22"]
    assert (delegation.status, delegation.partnership_id) == ("planning", partnership.id)
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Gujarat business delegation to Shizuoka" in page and 'Shizuoka <span lang="ja">(静岡県)</span>' in page


def test_japan_to_india_delegation_puts_prefectures_on_the_sending_side(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    assert client.post("/delegations/new", data=_form(factories, direction="JP_IN")).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    assert ([r.code for r in delegation.sending_regions], [r.code for r in delegation.host_regions]) == (
        ["JP-22"], ["IN-GJ"])


def test_delegation_may_visit_several_prefectures(login_as, factories, database):
    client = login_as("state", "IN-GJ")
    data = _form(factories, japanese_regions=[str(factories.region("JP-22").id), str(factories.region("JP-19").id)])
    assert client.post("/delegations/new", data=data).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    assert [r.code for r in delegation.host_regions] == ["JP-22", "JP-19"]  # by name: Shizuoka, Yamanashi


def test_state_cell_cannot_plan_a_delegation_without_its_state(login_as, factories, database):
    before = _count(database)
    page = login_as("state", "IN-GJ").post("/delegations/new", data=_form(
        factories, indian_regions=[str(factories.region("IN-MH").id)])).get_data(as_text=True)
    assert "A delegation you plan must involve Gujarat." in page
    assert _count(database) == before
    # the form says why Gujarat is ticked before anyone tries (a cell ticked another state's regions and
    # did not see its own stay ticked)
    form = login_as("state", "IN-GJ").get("/delegations/new").get_data(as_text=True)
    assert "Gujarat plans this delegation and takes part in it (ticked)." in form
    assert "plans this delegation" not in login_as("admin").get("/delegations/new").get_data(as_text=True)


def test_delegation_needs_regions_on_both_sides(login_as, factories, database):
    page = login_as("admin").post("/delegations/new", data=_form(factories, japanese_regions=[])).get_data(
        as_text=True)
    assert "Choose at least one Japanese prefecture." in page


def test_a_prefecture_in_the_indian_list_is_refused(login_as, factories, database):
    before = _count(database)
    page = login_as("admin").post("/delegations/new", data=_form(
        factories, indian_regions=[str(factories.region("JP-19").id)])).get_data(as_text=True)
    assert f"&#39;{factories.region('JP-19').id}&#39; is not a valid choice for this field." in page
    assert _count(database) == before


def test_last_day_before_first_day_is_refused(login_as, factories, database):
    page = login_as("admin").post("/delegations/new", data=_form(
        factories, start_date="2026-10-16", end_date="2026-10-12")).get_data(as_text=True)
    assert "The last day cannot be before the first day." in page


def test_a_visit_longer_than_sixty_days_is_refused(login_as, factories, database):
    page = login_as("admin").post("/delegations/new", data=_form(
        factories, start_date="2026-01-01", end_date="2026-03-02")).get_data(as_text=True)
    assert "A visit lasts at most 60 days." in page


def test_malformed_delegation_form_shows_errors_and_saves_nothing(login_as, factories, database):
    before = _count(database)
    client = login_as("admin")
    response = client.post("/delegations/new", data={"title": "x" * 201, "direction": "sideways",
                                                     "start_date": "0001-01-01", "end_date": "31/31/2026",
                                                     "indian_regions": ["abc"], "partnership": "zz"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Field cannot be longer than 200 characters." in page and "Not a valid date value." in page
    assert _count(database) == before
    assert client.post("/delegations/new", data={}).status_code == 200


def test_partnership_must_pair_regions_that_take_part(login_as, factories, database):
    other = factories.partnership("IN-MH", "JP-30")
    database.session.commit()
    page = login_as("admin").post("/delegations/new", data=_form(factories, partnership=str(other.id))).get_data(
        as_text=True)
    assert "The partnership&#39;s state and prefecture must both take part." in page


def test_status_moves_planning_confirmed_completed_and_is_audited(login_as, factories, database):
    delegation = factories.delegation(start=date(2026, 1, 10), end=date(2026, 1, 14))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.post(f"/delegations/{delegation.id}/status", data={"action": "confirm"}).status_code == 302
    assert client.post(f"/delegations/{delegation.id}/status", data={"action": "complete"}).status_code == 302
    database.session.refresh(delegation)
    assert delegation.status == "completed"
    actions = database.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "delegations", AuditEntry.object_id == str(delegation.id),
        AuditEntry.action.in_(("confirm", "complete"))).order_by(AuditEntry.id)).all()
    assert actions == ["confirm", "complete"]


def test_completed_cannot_be_confirmed_again(login_as, factories, database):
    delegation = factories.delegation(status="completed")
    database.session.commit()
    response = login_as("admin").post(f"/delegations/{delegation.id}/status", data={"action": "confirm"})
    assert response.status_code == 200 and "A completed delegation keeps its status." in response.get_data(as_text=True)
    database.session.refresh(delegation)
    assert delegation.status == "completed"


def test_cancelling_needs_a_reason_which_is_kept(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    page = client.post(f"/delegations/{delegation.id}/status", data={"action": "cancel"}).get_data(as_text=True)
    assert "Say why the delegation is cancelled." in page
    client.post(f"/delegations/{delegation.id}/status", data={"action": "cancel", "reason": "Typhoon warning"})
    database.session.refresh(delegation)
    assert (delegation.status, delegation.cancel_reason) == ("cancelled", "Typhoon warning")
    entry = database.session.scalars(select(AuditEntry).where(AuditEntry.action == "cancel",
                                                              AuditEntry.object_id == str(delegation.id))).one()
    assert (entry.note, entry.changes["status"]) == ("Typhoon warning", {"old": "planning", "new": "cancelled"})


def test_a_visit_that_has_not_started_cannot_be_completed(factories, database):
    from planner.core.errors import DomainError

    delegation = factories.delegation(status="confirmed", start=date(2026, 10, 12))
    try:
        change_status(delegation, "complete", today=date(2026, 10, 11))
    except DomainError as error:
        assert error.message == "A visit that has not started cannot be completed."
    else:
        raise AssertionError("completed a future visit")
    change_status(delegation, "complete", today=date(2026, 10, 12))
    assert delegation.status == "completed"


def test_delegation_list_shows_only_delegations_of_the_users_region(login_as, factories, database):
    factories.delegation(title="Ours to Shizuoka")
    factories.delegation(("IN-MH",), ("JP-30",), title="Theirs to Wakayama")
    database.session.commit()
    page = login_as("prefecture", "JP-22").get("/delegations/").get_data(as_text=True)
    assert "Ours to Shizuoka" in page and "Theirs to Wakayama" not in page
    page = login_as("admin").get("/delegations/").get_data(as_text=True)
    assert "Ours to Shizuoka" in page and "Theirs to Wakayama" in page


def test_delegate_cannot_open_the_delegation_list(login_as):
    assert login_as("delegate").get("/delegations/").status_code == 403


def test_edit_changes_dates_and_regions(login_as, factories, database):
    client = login_as("state", "IN-GJ")
    delegation = factories.delegation()
    delegation.organiser_region_id = client.user.region_id  # the planning region may take a region off
    database.session.commit()
    response = client.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, end_date="2026-10-18", japanese_regions=[str(factories.region("JP-19").id)]))
    assert response.status_code == 302
    database.session.refresh(delegation)
    assert (delegation.end_date, [r.code for r in delegation.host_regions]) == (date(2026, 10, 18), ["JP-19"])


def test_a_completed_visit_cannot_be_moved_into_the_future(login_as, factories, database):
    # the status rule "a visit that has not started cannot be completed" was got round by an edit of the dates,
    # and the exchange tracker counted a completed visit of next year
    delegation = factories.delegation(start=date(2026, 5, 10), end=date(2026, 5, 14))
    delegation.status = "completed"
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, start_date="2099-11-01", end_date="2099-11-03")).get_data(as_text=True)
    assert "A completed visit cannot start in the future" in page
    database.session.refresh(delegation)
    assert delegation.start_date == date(2026, 5, 10)
    assert client.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, start_date="2026-05-11", end_date="2026-05-14")).status_code == 302


def test_new_dates_that_leave_events_outside_the_visit_say_so(login_as, factories, database):
    from datetime import datetime

    delegation = factories.delegation()  # 12-16 Oct 2026
    factories.event(delegation, datetime(2026, 10, 15, 10), datetime(2026, 10, 15, 11), title="Plant visit")
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, start_date="2026-11-09", end_date="2026-11-13"), follow_redirects=True).get_data(as_text=True)
    assert "These events now lie outside the visit&#39;s dates: Plant visit." in page


def test_an_edit_keeps_a_focus_sector_deactivated_since(login_as, factories, database):
    import re

    from planner.regions.models import Sector

    sectors = list(database.session.scalars(select(Sector).where(Sector.is_active).order_by(Sector.id).limit(2)))
    client = login_as("state", "IN-GJ")
    response = client.post("/delegations/new", data=_form(factories, focus_sectors=[str(s.id) for s in sectors]))
    assert response.status_code == 302
    delegation = database.session.scalars(select(Delegation).order_by(Delegation.id.desc())).first()
    sectors[0].is_active = False
    database.session.commit()
    page = client.get(f"/delegations/{delegation.id}/edit").get_data(as_text=True)
    ticked = {re.search(r'value="(\d+)"', box).group(1)
              for box in re.findall(r'<input[^>]*name="focus_sectors"[^>]*>', page) if "checked" in box}
    assert ticked == {str(s.id) for s in sectors}
    assert client.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, focus_sectors=sorted(ticked))).status_code == 302
    database.session.expire_all()
    assert {s.id for s in database.session.get(Delegation, delegation.id).focus_sectors} == {s.id for s in sectors}


def test_only_the_planning_region_or_an_administrator_takes_a_region_off(login_as, factories, database):
    # a host prefecture took the state that planned the visit off it, and the state lost sight of its own
    # delegation, its people and its events
    gujarat = login_as("state", "IN-GJ")
    both = [str(factories.region("IN-GJ").id), str(factories.region("IN-MH").id)]
    hosts = [str(factories.region("JP-22").id), str(factories.region("JP-19").id)]
    assert gujarat.post("/delegations/new", data=_form(factories, indian_regions=both,
                                                       japanese_regions=hosts)).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    shizuoka = login_as("prefecture", "JP-22")
    page = shizuoka.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=both[1:], japanese_regions=hosts)).get_data(as_text=True)
    assert "Only Gujarat, which planned this delegation, or an administrator can take Gujarat off it." in page
    database.session.refresh(delegation)
    assert {r.code for r in delegation.sending_regions} == {"IN-GJ", "IN-MH"}
    # nor adds one: Uttar Pradesh would see Gujarat's delegation, its people and events
    page = shizuoka.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=both + [str(factories.region("IN-UP").id)],
        japanese_regions=hosts)).get_data(as_text=True)
    assert "Only Gujarat, which planned this delegation, or an administrator can add Uttar Pradesh to it." in page
    assert login_as("state", "IN-UP").get(f"/delegations/{delegation.id}").status_code == 404
    # the planning region adds and takes off
    assert gujarat.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=both + [str(factories.region("IN-UP").id)],
        japanese_regions=hosts)).status_code == 302
    assert gujarat.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=both, japanese_regions=hosts[:1])).status_code == 302
    database.session.refresh(delegation)
    assert ({r.code for r in delegation.sending_regions}, [r.code for r in delegation.host_regions]) == (
        {"IN-GJ", "IN-MH"}, ["JP-22"])
    assert login_as("admin").post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=both[:1])).status_code == 302
    database.session.refresh(delegation)
    assert [r.code for r in delegation.sending_regions] == ["IN-GJ"]


def test_a_delegation_recorded_by_an_administrator_loses_regions_only_by_an_administrator(
        login_as, factories, database):
    delegation = factories.delegation(("IN-GJ", "IN-MH"))
    database.session.commit()
    page = login_as("state", "IN-GJ").post(f"/delegations/{delegation.id}/edit", data=_form(
        factories)).get_data(as_text=True)
    assert "Only an administrator can take Maharashtra off this delegation." in page
    database.session.refresh(delegation)
    assert {r.code for r in delegation.sending_regions} == {"IN-GJ", "IN-MH"}
    page = login_as("state", "IN-GJ").post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, indian_regions=[str(factories.region(code).id) for code in ("IN-GJ", "IN-MH", "IN-TN")])
    ).get_data(as_text=True)
    assert "Only an administrator can add Tamil Nadu to this delegation." in page



def test_the_planning_region_stays_when_the_planners_account_moves(login_as, factories, database):
    # the rule followed the creator's account: moved to Uttar Pradesh, it made Uttar Pradesh (taking no part)
    # the planner, and Gujarat lost the right
    from planner.accounts.operations import update_user

    planner = login_as("state", "IN-GJ")
    hosts = [str(factories.region("JP-22").id), str(factories.region("JP-19").id)]
    assert planner.post("/delegations/new", data=_form(factories, japanese_regions=hosts)).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    user = database.session.get(type(planner.user), planner.user.id)
    update_user(user, name=user.name, role="state", region=factories.region("IN-UP"), is_active=True)
    database.session.commit()
    colleague = login_as("state", "IN-GJ")
    assert colleague.post(f"/delegations/{delegation.id}/edit", data=_form(
        factories, japanese_regions=hosts[:1])).status_code == 302
    database.session.refresh(delegation)
    assert [r.code for r in delegation.host_regions] == ["JP-22"]


def test_confirming_says_before_and_after_that_it_sends_invites(login_as, factories, database):
    from datetime import datetime

    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    people = [factories.person(name, email=email) for name, email in (
        ("Priya Shah", "priya@example.in"), ("Taro Yamada", "taro@example.jp"), ("No Mail", ""))]
    factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), attendees=people)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    form = client.get(f"/delegations/{delegation.id}/status").get_data(as_text=True)
    assert "Confirming sends a calendar invite to every attendee of its events" in form
    page = client.post(f"/delegations/{delegation.id}/status", data={"action": "confirm"},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 calendar mails (invites, updates or cancellations) are in the email log, on their way." in page


def test_a_host_office_neither_turns_cancels_nor_rearranges_the_planning_regions_delegation(login_as, factories,
                                                                                          database):
    # Yamanashi turned Uttar Pradesh's visit round (the tracker then counted it the other way), cancelled it,
    # and demoted its head of delegation (a browser walk-through)
    up = login_as("state", "IN-UP")
    form = _form(factories, indian_regions=[str(factories.region("IN-UP").id)],
                 japanese_regions=[str(factories.region("JP-19").id)])
    assert up.post("/delegations/new", data=form).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    head = factories.person("Alok Verma", region_code="IN-UP")
    member = factories.member(delegation, head, role="head")
    own = factories.member(delegation, factories.person("Sato Kenji", region_code="JP-19"))
    database.session.commit()
    yamanashi = login_as("prefecture", "JP-19")
    page = yamanashi.post(f"/delegations/{delegation.id}/edit", data={**form, "direction": "JP_IN"}).get_data(
        as_text=True)
    assert "Only Uttar Pradesh, which planned this delegation, or an administrator can change its direction." in page
    page = yamanashi.post(f"/delegations/{delegation.id}/status", data={"action": "cancel", "reason": "x"}
                          ).get_data(as_text=True)
    assert "can confirm, complete or cancel it." in page
    page = yamanashi.post(f"/delegations/{delegation.id}/members/{member.id}/edit",
                          data={"role": "member", "precedence": "5"}).get_data(as_text=True)
    assert "the region that recorded this person, or an administrator can change their part in it." in page
    database.session.refresh(delegation)
    database.session.refresh(member)
    assert (delegation.direction, delegation.status, member.role) == ("IN_JP", "planning", "head")
    # its own people it arranges; the planning region does all of it
    assert yamanashi.post(f"/delegations/{delegation.id}/members/{own.id}/edit",
                          data={"role": "member", "precedence": "7"}).status_code == 302
    assert up.post(f"/delegations/{delegation.id}/status", data={"action": "cancel", "reason": "Budget"}
                   ).status_code == 302


def test_a_region_put_into_another_regions_delegation_may_leave_it(login_as, factories, database):
    # Uttar Pradesh ticked Gujarat too; Gujarat, unticking itself, was told 'A delegation you plan must
    # involve Gujarat' and could not leave
    up = login_as("state", "IN-UP")
    regions = [str(factories.region(code).id) for code in ("IN-UP", "IN-GJ")]
    form = _form(factories, indian_regions=regions, japanese_regions=[str(factories.region("JP-19").id)])
    assert up.post("/delegations/new", data=form).status_code == 302
    delegation = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    gujarat = login_as("state", "IN-GJ")
    page = gujarat.post(f"/delegations/{delegation.id}/edit", data={**form, "indian_regions": regions[:1]},
                        follow_redirects=True).get_data(as_text=True)
    assert f"Gujarat no longer takes part in {delegation.title}." in page
    assert gujarat.get(f"/delegations/{delegation.id}").status_code == 404


def test_a_visit_yet_to_start_is_not_offered_as_completed(login_as, factories, database):
    from datetime import timedelta

    delegation = factories.delegation(start=date.today() + timedelta(days=30), end=date.today() + timedelta(days=33),
                                      status="confirmed")
    database.session.commit()
    page = login_as("admin").get(f"/delegations/{delegation.id}/status").get_data(as_text=True)
    assert "Cancel" in page and "Mark as completed" not in page


def test_a_region_cannot_show_another_regions_people_to_a_third_by_a_delegation_of_its_own(login_as, factories,
                                                                                             database):
    # Shizuoka, which sees Gujarat's Mehul Shah through their shared visit, put him into a new Shizuoka–
    # Maharashtra delegation (as a member, or an event's attendee): Maharashtra could then read and edit him
    shared = factories.delegation(("IN-GJ",), ("JP-22",))
    mehul = factories.person("Mehul Shah", region_code="IN-GJ", email="mehul@example.in")
    factories.member(shared, mehul)
    own = factories.person("Ichiro Suzuki", region_code="JP-22")
    database.session.commit()
    shizuoka = login_as("prefecture", "JP-22")
    form = _form(factories, indian_regions=[str(factories.region("IN-MH").id)],
                 japanese_regions=[str(factories.region("JP-22").id)], direction="JP_IN")
    assert shizuoka.post("/delegations/new", data=form).status_code == 302
    theirs = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    page = shizuoka.post(f"/delegations/{theirs.id}/members", data={"person": str(mehul.id), "role": "member",
                                                                     "precedence": "100"}).get_data(as_text=True)
    assert ("Mehul Shah&#39;s record is kept by another region, and Maharashtra, which takes part in this "
            "delegation, does not see it") in page
    venue = factories.venue("Mumbai hall", "IN", city="Mumbai", region_code="IN-MH")
    database.session.commit()
    page = shizuoka.post(f"/delegations/{theirs.id}/events/new", data={
        "kind": "meeting", "title": "Call", "venue": str(venue.id), "timezone": "Asia/Kolkata",
        "local_start": f"{theirs.start_date}T10:00", "local_end": f"{theirs.start_date}T11:00",
        "attendees": [str(mehul.id)]}).get_data(as_text=True)
    assert "does not see it: only that region or an administrator can add them here." in page
    maharashtra = login_as("state", "IN-MH")
    assert maharashtra.get(f"/people/{mehul.id}").status_code == 404
    # its own people it adds; so does it Mehul to a visit Gujarat takes part in; an administrator anyone
    assert shizuoka.post(f"/delegations/{theirs.id}/members", data={"person": str(own.id), "role": "member",
                                                                    "precedence": "100"}).status_code == 302
    other_shared = factories.delegation(("IN-GJ",), ("JP-22",))
    database.session.commit()
    assert shizuoka.post(f"/delegations/{other_shared.id}/members", data={
        "person": str(mehul.id), "role": "member", "precedence": "100"}).status_code == 302
    assert login_as("admin").post(f"/delegations/{theirs.id}/members", data={
        "person": str(mehul.id), "role": "member", "precedence": "100"}).status_code == 302


def test_a_region_added_to_a_delegation_later_does_not_see_another_regions_people_through_it(login_as, factories,
                                                                                               database):
    # found in review: Shizuoka put Gujarat's Mehul into its Gujarat–Shizuoka delegation (Gujarat sees him), then
    # added Maharashtra to it, which could then read and edit his record
    shared = factories.delegation(("IN-GJ",), ("JP-22",))
    mehul = factories.person("Mehul Shah", region_code="IN-GJ", email="mehul@example.in")
    factories.member(shared, mehul)
    database.session.commit()
    shizuoka = login_as("prefecture", "JP-22")
    form = _form(factories, direction="JP_IN")
    assert shizuoka.post("/delegations/new", data=form).status_code == 302
    own = database.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
    assert shizuoka.post(f"/delegations/{own.id}/members", data={
        "person": str(mehul.id), "role": "member", "precedence": "100"}).status_code == 302
    form["indian_regions"] = [str(factories.region("IN-GJ").id), str(factories.region("IN-MH").id)]
    page = shizuoka.post(f"/delegations/{own.id}/edit", data=form).get_data(as_text=True)
    assert "Maharashtra, which takes part in this delegation, does not see it" in page
    assert login_as("state", "IN-MH").get(f"/people/{mehul.id}").status_code == 404
    # a region that sees everyone in it already may be added
    form["indian_regions"] = [str(factories.region("IN-GJ").id)]
    form["japanese_regions"] = [str(factories.region("JP-22").id), str(factories.region("JP-19").id)]
    factories.member(factories.delegation(("IN-GJ",), ("JP-19",)), mehul)
    database.session.commit()
    assert shizuoka.post(f"/delegations/{own.id}/edit", data=form).status_code == 302
