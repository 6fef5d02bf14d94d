"""Writes to another region's firm or import are refused with 404 and change nothing (the matrix checks reads)."""

from sqlalchemy import func, select

from planner.firms.models import Firm, FirmContact, FirmImport


def test_another_regions_import_cannot_be_confirmed(login_as, factories, database):
    uploader = factories.user("prefecture", "JP-30")
    firm_import = factories.firm_import(uploader)
    database.session.commit()
    before = database.session.scalar(select(func.count()).select_from(Firm))
    assert login_as("prefecture", "JP-22").post(f"/firms/imports/{firm_import.id}/confirm").status_code == 404
    assert login_as("state", "IN-GJ").get(f"/firms/imports/{firm_import.id}/errors.csv").status_code == 404
    assert database.session.scalar(select(func.count()).select_from(Firm)) == before
    database.session.refresh(firm_import)
    assert firm_import.confirmed_at is None


def test_a_colleague_of_the_same_office_may_confirm_the_import(login_as, factories, database):
    firm_import = factories.firm_import(factories.user("prefecture", "JP-22"))
    database.session.commit()
    assert login_as("prefecture", "JP-22").post(f"/firms/imports/{firm_import.id}/confirm").status_code == 302
    assert database.session.get(FirmImport, firm_import.id).confirmed_at is not None


def test_another_regions_contact_cannot_be_changed_or_removed(login_as, factories, database):
    firm = factories.firm("JP-30")
    contact = factories.firm_contact(firm, "Haruka Yamamoto")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    assert client.post(f"/firms/{firm.id}/contacts/{contact.id}/edit", data={"name": "X"}).status_code == 404
    assert client.post(f"/firms/{firm.id}/contacts/{contact.id}/delete").status_code == 404
    assert client.post(f"/firms/{firm.id}/contacts/new", data={"name": "X"}).status_code == 404
    database.session.refresh(contact)
    assert contact.name == "Haruka Yamamoto"
    assert database.session.scalar(select(func.count()).select_from(FirmContact)) == 1


def test_unknown_and_overlong_ids_are_404(login_as):
    client = login_as("admin")
    for url in ("/firms/0", "/firms/99999999999999999999", "/firms/1/contacts/99999999999/edit",
                "/firms/imports/0", "/firms/imports/99999999999999/confirm"):
        assert client.get(url).status_code == 404, url
