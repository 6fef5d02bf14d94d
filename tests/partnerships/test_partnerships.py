import re

from sqlalchemy import func, select

from planner.core.audit import AuditEntry
from planner.partnerships.models import Partnership
from planner.regions.models import Sector


def _form(factories, state="IN-GJ", prefecture="JP-22", **extra):
    data = {"state": str(factories.region(state).id), "prefecture": str(factories.region(prefecture).id),
            "status": "active", "since": "2023-05-16", "agreement_title": "Memorandum of Cooperation",
            "agreement_date": "2023-05-16", "agreement_reference": "GJ-SZ/2023", "notes": "Hamamatsu suppliers"}
    data.update(extra)
    return data


def _count(database):
    return database.session.scalar(select(func.count()).select_from(Partnership))


def test_state_cell_records_a_partnership_of_its_state(login_as, factories, database):
    client = login_as("state", "IN-GJ")
    sectors = [str(s.id) for s in database.session.scalars(select(Sector).order_by(Sector.id).limit(2))]
    response = client.post("/partnerships/new", data={**_form(factories), "focus_sectors": sectors})
    assert response.status_code == 302
    partnership = database.session.scalar(select(Partnership).where(
        Partnership.state_id == factories.region("IN-GJ").id, Partnership.prefecture_id == factories.region("JP-22").id))
    assert (partnership.status, partnership.agreement_reference) == ("active", "GJ-SZ/2023")
    assert len(partnership.focus_sectors) == 2
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gujarat" in page and "静岡県" in page and "GJ-SZ/2023" in page


def test_a_pair_exists_once(login_as, factories, database):
    factories.partnership("IN-GJ", "JP-22")
    database.session.commit()
    before = _count(database)
    response = login_as("admin").post("/partnerships/new", data=_form(factories))
    assert "Gujarat and Shizuoka (静岡県) are partners already." in response.get_data(as_text=True)
    assert _count(database) == before


def test_state_cell_cannot_record_another_states_partnership(login_as, factories, database):
    before = _count(database)
    response = login_as("state", "IN-GJ").post("/partnerships/new", data=_form(factories, state="IN-MH"))
    assert "Your cell can only record partnerships of Gujarat." in response.get_data(as_text=True)
    assert _count(database) == before


def test_prefecture_office_cannot_record_another_prefectures_partnership(login_as, factories, database):
    response = login_as("prefecture", "JP-22").post("/partnerships/new", data=_form(factories, prefecture="JP-30"))
    assert "Your office can only record partnerships of Shizuoka (静岡県)." in response.get_data(as_text=True)


def test_state_field_refuses_a_prefecture(login_as, factories, database):
    response = login_as("admin").post("/partnerships/new", data=_form(factories, state="JP-19"))
    assert response.status_code == 200
    assert "Not a valid choice." in response.get_data(as_text=True)


def test_partnership_cannot_start_before_its_agreement(login_as, factories, database):
    response = login_as("admin").post("/partnerships/new", data=_form(
        factories, since="2020-01-01", agreement_date="2021-01-01"))
    assert "cannot start before the agreement" in response.get_data(as_text=True)


def test_partner_office_edits_the_partnership_and_the_change_is_audited(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22", status="proposed")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    response = client.post(f"/partnerships/{partnership.id}/edit", data=_form(factories, status="lapsed"))
    assert response.status_code == 302
    entry = database.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "partnerships", AuditEntry.object_id == str(partnership.id),
        AuditEntry.action == "update")).first()
    assert entry.changes["status"] == {"old": "proposed", "new": "lapsed"}
    assert entry.actor_label == client.user.email


def test_partnership_list_filters_by_status(login_as, factories, database):
    factories.partnership("IN-GJ", "JP-22", status="active")
    factories.partnership("IN-TN", "JP-38", status="proposed", since=None)
    database.session.commit()
    client = login_as("state", "IN-UP")
    page = client.get("/partnerships/?status=proposed").get_data(as_text=True)
    assert "Tamil Nadu" in page and "Gujarat" not in page


def test_edit_link_shows_only_for_those_who_may_edit(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22")
    database.session.commit()
    edit_url = f"/partnerships/{partnership.id}/edit"
    assert edit_url in login_as("state", "IN-GJ").get(f"/partnerships/{partnership.id}").get_data(as_text=True)
    assert edit_url not in login_as("state", "IN-MH").get(f"/partnerships/{partnership.id}").get_data(as_text=True)


def test_a_partner_cannot_move_the_partnership_to_another_region(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22")
    database.session.commit()
    response = login_as("prefecture", "JP-22").post(f"/partnerships/{partnership.id}/edit",
                                                   data=_form(factories, state="IN-MH"))
    assert response.status_code == 200
    assert "cannot change; record a new partnership" in response.get_data(as_text=True)
    database.session.expire_all()
    assert database.session.get(Partnership, partnership.id).state.code == "IN-GJ"


def test_an_administrator_corrects_a_pair_only_while_nothing_refers_to_it(login_as, factories, database):
    partnership = factories.partnership("IN-GJ", "JP-22")
    database.session.commit()
    admin = login_as("admin")
    assert admin.post(f"/partnerships/{partnership.id}/edit",
                      data=_form(factories, prefecture="JP-30")).status_code == 302
    database.session.expire_all()
    partnership = database.session.get(Partnership, partnership.id)
    assert partnership.prefecture.code == "JP-30"
    factories.delegation(("IN-GJ",), ("JP-30",), partnership_id=partnership.id)
    database.session.commit()
    response = admin.post(f"/partnerships/{partnership.id}/edit", data=_form(factories, prefecture="JP-22"))
    assert "refer to this pair already" in response.get_data(as_text=True)
    database.session.expire_all()
    assert database.session.get(Partnership, partnership.id).prefecture.code == "JP-30"


def test_an_edit_keeps_a_focus_sector_deactivated_since(login_as, factories, database):
    sectors = list(database.session.scalars(select(Sector).where(Sector.is_active).order_by(Sector.id).limit(2)))
    partnership = factories.partnership("IN-GJ", "JP-22", focus_sector_ids=[s.id for s in sectors])
    sectors[0].is_active = False
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/partnerships/{partnership.id}/edit").get_data(as_text=True)
    ticked = {re.search(r'value="(\d+)"', box).group(1)
              for box in re.findall(r'<input[^>]*name="focus_sectors"[^>]*>', page) if "checked" in box}
    assert ticked == {str(s.id) for s in sectors}
    response = client.post(f"/partnerships/{partnership.id}/edit",
                           data={**_form(factories, notes="typo"), "focus_sectors": [str(s.id) for s in sectors]})
    assert response.status_code == 302
    database.session.expire_all()
    assert {s.id for s in database.session.get(Partnership, partnership.id).focus_sectors} == {s.id for s in sectors}


def test_names_in_messages_and_lists_are_in_the_readers_language(login_as, factories, database):
    # a Japanese office read 「GujaratとShizuokaは既に友好交流関係にあります。」 and an English state list
    factories.partnership("IN-GJ", "JP-22")
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.post("/partnerships/new", data=_form(factories)).get_data(as_text=True)
    assert "グジャラート州と静岡県は既に友好交流関係にあります。" in page
    assert "グジャラート州 (IN-GJ)" in page and "Gujarat (IN-GJ)" not in page


def _as_the_browser_sends(html: str) -> dict:
    """The form's selects as a browser submits them untouched: the selected option, else the first."""
    values = {}
    for name, options in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        tags = re.findall(r"<option[^>]*>", options)
        chosen = next((tag for tag in tags if "selected" in tag), tags[0])
        values[name] = re.search(r'value="([^"]*)"', chosen).group(1)
    return values


def test_saving_the_new_form_untouched_records_no_pair_nobody_chose(login_as, factories, database):
    # the prefecture select preselected its first prefecture: Save recorded "Gujarat–Aichi"
    client = login_as("state", "IN-GJ")
    before = _count(database)
    page = client.get("/partnerships/new").get_data(as_text=True)
    sent = _as_the_browser_sends(page)
    assert sent["state"] == str(factories.region("IN-GJ").id) and sent["prefecture"] == ""
    html = client.post("/partnerships/new", data=sent).get_data(as_text=True)
    assert re.search(r'id="prefecture-error"[^>]*>Choose a Japanese prefecture\.<', html)
    assert _count(database) == before


def test_an_active_partnership_cannot_start_in_the_future(login_as, factories, database):
    client = login_as("state", "IN-GJ")
    before = _count(database)
    html = client.post("/partnerships/new", data=_form(factories, since="2030-01-01")).get_data(as_text=True)
    assert re.search(r'id="since-error"[^>]*>An active partnership cannot start in the future', html)
    assert _count(database) == before
    # a proposed partnership may name the date it is planned to take effect
    response = client.post("/partnerships/new", data=_form(factories, status="proposed", since="2030-01-01",
                                                           agreement_date="2030-01-01"))
    assert response.status_code == 302 and _count(database) == before + 1


def test_an_agreement_date_or_reference_needs_the_agreements_title(login_as, factories, database):
    client = login_as("state", "IN-GJ")
    before = _count(database)
    for extra in ({"agreement_reference": ""}, {"agreement_date": ""}):
        html = client.post("/partnerships/new", data=_form(factories, agreement_title="", **extra)).get_data(
            as_text=True)
        assert re.search(r'id="agreement_title-error"[^>]*>Give the agreement&#39;s title', html), extra
    assert _count(database) == before
    response = client.post("/partnerships/new", data=_form(
        factories, agreement_title="", agreement_date="", agreement_reference=""))
    assert response.status_code == 302 and _count(database) == before + 1
