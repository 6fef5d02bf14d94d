from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_

from planner.core.access import can_edit, can_see, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import staff_required
from planner.core.timefmt import display_language
from planner.core.views import Page, commit_or_report, name_search, page_arg
from planner.delegations import diets
from planner.delegations.forms import LANGUAGE_LABELS, PersonForm
from planner.delegations.models import Delegation, Person
from planner.delegations.operations import (
    PersonData,
    add_member,
    create_person,
    delegations_of_person,
    update_person,
)
from planner.delegations.ordering import people_order
from planner.delegations.views import LABELS
from planner.extensions import db
from planner.firms.models import Firm
from planner.i18n.names import local_name
from planner.regions.operations import regions_of

PERSON_FIELDS = ("name", "name_ja", "name_kana", "organisation", "title", "email", "phone", "preferred_language",
                 "needs_interpreter", "diet", "dietary", "accessibility")


def _fill_choices(form: PersonForm, person: Person | None = None) -> None:
    form.diet.choices = diets.choices(display_language(), _("(no particular diet)"))
    form.home_region.choices = [("", _("(not given)"))] + [(r.id, r.display_name) for r in regions_of("IN")] + [
        (r.id, r.display_name) for r in regions_of("JP")]
    firms = db.session.execute(
        scoped_select(Firm).where(Firm.merged_into_id.is_(None))  # a firm merged away is no one's firm now
        .with_only_columns(Firm.id, Firm.name, Firm.name_ja).order_by(Firm.name)).all()
    form.firm.choices = [("", _("(none)"))] + [
        # the name the page's readers use first, the other in brackets (株式会社浜松精機 (Hamamatsu Seiki Co., Ltd.))
        (firm_id, (f"{name_ja} ({name})" if display_language() == "ja" else f"{name} ({name_ja})") if name_ja
         else name) for firm_id, name, name_ja in firms]
    if person is not None and person.firm_id and person.firm_id not in {firm_id for firm_id, *_ in firms}:
        # the person's firm is another region's profile this user may not see: kept, not named
        form.firm.choices.insert(1, (person.firm_id, _("(a firm of another region, unchanged)")))


def _data_from(form: PersonForm) -> PersonData:
    values = {name: getattr(form, name).data for name in PERSON_FIELDS}
    values = {key: (value if value is not None else "") for key, value in values.items()}
    return PersonData(**values, home_region_id=form.home_region.data, account_email=form.account_email.data or "",
                      firm_id=form.firm.data)


@staff_required
def index():
    query = (request.args.get("q") or "").strip()[:100]
    stmt = scoped_select(Person).order_by(*people_order())
    if query:
        # any spacing between the words; kana in either script, full- or half-width (as the firm directory
        # searches), and as typed (a name stored in half-width kana)
        stmt = stmt.where(or_(*name_search(query, (Person.name, Person.name_ja, Person.name_kana),
                                           (Person.organisation, Person.email))))
    return render_template("delegations/people.html", page=Page(stmt, page_arg(), per_page=50), query=query,
                           language_labels=LANGUAGE_LABELS)


@staff_required
def new():
    delegation = None
    delegation_id = request.args.get("delegation", type=int)
    if delegation_id:
        delegation = load(Delegation, delegation_id, edit=True)
    form = PersonForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.region_id:
        form.home_region.data = current_user.region_id
        # a prefecture office records mostly Japanese speakers: their invites in Japanese unless changed
        form.preferred_language.data = "ja" if current_user.region.country == "JP" else "en"
    if form.validate_on_submit():
        try:
            person = create_person(_data_from(form), current_user)
            if delegation is not None:
                add_member(delegation, person, "member", 100, user=current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("This delegate account belongs to someone else already."),
                                "account_email"):
                flash(_("%(name)s recorded.", name=local_name(person)), "success")
                if delegation is not None:
                    return redirect(url_for("delegations.members", delegation_id=delegation.id))
                return redirect(url_for("people.view", person_id=person.id))
    return render_template("delegations/person_form.html", form=form, person=None, delegation=delegation)


@login_required
def view(person_id: int):
    person = load(Person, person_id)
    firm = person.firm if person.firm is not None and can_see(person.firm) else None
    from planner.invites.feeds import may_manage_feed

    return render_template("delegations/person.html", person=person, may_edit=can_edit(person), firm=firm,
                           may_feed=may_manage_feed(person, current_user),
                           delegations=delegations_of_person(person, current_user),
                           language_labels=LANGUAGE_LABELS, **LABELS)


@staff_required
def edit(person_id: int):
    person = load(Person, person_id, edit=True)
    form = PersonForm(data={**{name: getattr(person, name) for name in PERSON_FIELDS},
                            "home_region": person.home_region_id, "firm": person.firm_id,
                            "account_email": person.user.email if person.user else ""})
    _fill_choices(form, person)
    if form.validate_on_submit():
        try:
            update_person(person, _data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("This delegate account belongs to someone else already."),
                                "account_email"):
                flash(_("%(name)s saved.", name=local_name(person)), "success")
                return redirect(url_for("people.view", person_id=person.id))
    return render_template("delegations/person_form.html", form=form, person=person, delegation=None)
