"""A members import confirmed while someone adds one of its people to the delegation (real commits, each in its
own connection): the import is refused with a word, not a server error, and saves nothing."""

import time

import pytest
from sqlalchemy import select

from planner.accounts.models import User
from planner.delegations import member_import
from planner.delegations.models import Delegation, DelegationMember, MemberImport, Person
from planner.delegations.operations import add_member
from planner.extensions import db
from tests import factories
from tests.conftest import committing_app
from tests.races import race_calls


@pytest.fixture(scope="module")
def import_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "memberimport") as application:
        yield application


def test_a_person_added_on_the_members_page_while_the_import_is_confirmed(import_app, monkeypatch):
    with import_app.app_context():
        delegation = factories.delegation(("IN-GJ",), ("JP-22",))
        cell = factories.user("state", "IN-GJ")
        recorded = factories.person("Rakesh Patel", region_code="IN-GJ", email="rakesh.patel@gidc.example.in")
        pending = factories.member_import(delegation, cell, "name,email\nRakesh Patel,rakesh.patel@gidc.example.in\n"
                                                            "Mehul Shah,mehul@sabarmati-auto.example.in\n")
        db.session.commit()
        ids = (delegation.id, cell.id, recorded.id, pending.id)
        db.session.remove()
    real_classify = member_import.classify

    def slow_classify(*args, **kwargs):
        outcomes = real_classify(*args, **kwargs)
        time.sleep(0.5)  # the members page adds Rakesh Patel now
        return outcomes

    monkeypatch.setattr(member_import, "classify", slow_classify)
    delegation_id, cell_id, person_id, import_id = ids

    def confirm():
        member_import.confirm_import(db.session.get(MemberImport, import_id), db.session.get(User, cell_id))

    def add_on_the_members_page():
        time.sleep(0.2)  # once the import has read the delegation's members
        add_member(db.session.get(Delegation, delegation_id), db.session.get(Person, person_id),
                   user=db.session.get(User, cell_id))

    outcomes = race_calls(import_app, [confirm, add_on_the_members_page])

    with import_app.app_context():
        members = db.session.scalars(select(DelegationMember.person_id).where(
            DelegationMember.delegation_id == delegation_id)).all()
        mehul = db.session.scalar(select(Person.id).where(Person.name == "Mehul Shah"))
        if db.engine.dialect.name == "postgresql":  # the import read the members before the add committed
            assert outcomes == ["saved", "Someone added people to the delegation while the import was being saved; "
                                         "nothing from the file was saved. Confirm again: the rows are checked again."]
            assert (members, mehul) == ([person_id], None)
            assert db.session.get(MemberImport, import_id).confirmed_at is None  # it may be confirmed again
        else:  # SQLite's writers take turns: the add waited for the import, which saved both
            assert outcomes == ["saved", "Rakesh Patel is in this delegation already."]
            assert sorted(members) == sorted([person_id, mehul])
        db.session.remove()
