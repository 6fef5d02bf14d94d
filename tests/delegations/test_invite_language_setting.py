"""The organiser's choice of the language of a delegation's invitations and emails: each recipient's own
(default) or both, Japanese first. Set on the delegation form, shown on the delegation page."""

from sqlalchemy import func, select

from planner.delegations.models import Delegation


def _form(factories, **extra):
    data = {"title": "Shizuoka business delegation to Gujarat", "direction": "JP_IN",
            "start_date": "2026-11-02", "end_date": "2026-11-06",
            "indian_regions": [str(factories.region("IN-GJ").id)],
            "japanese_regions": [str(factories.region("JP-22").id)]}
    data.update(extra)
    return data


def _count(database):
    return database.session.scalar(select(func.count()).select_from(Delegation))


def test_new_delegation_sends_in_each_recipients_language_unless_both_is_chosen(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    form = client.get("/delegations/new").get_data(as_text=True)
    assert '<option selected value="recipient">Each recipient\'s preferred language</option>' in form
    assert "Each person's preferred language is set on their page." in form
    assert client.post("/delegations/new", data=_form(factories)).status_code == 302
    assert client.post("/delegations/new", data=_form(factories, title="Bilingual visit",
                                                      invite_language="both")).status_code == 302
    languages = dict(database.session.execute(select(Delegation.title, Delegation.invite_language)).all())
    assert languages == {"Shizuoka business delegation to Gujarat": "recipient", "Bilingual visit": "both"}


def test_delegation_page_shows_the_choice_in_the_pages_language(login_as, factories, database):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    delegation.invite_language = "both"
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Language of invitations and emails</dt><dd class=\"col-sm-8\">Both: Japanese first, then English" in page
    client.user.locale = "ja"
    database.session.commit()
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "招待・メールの言語</dt><dd class=\"col-sm-8\">日英併記(日本語の後に英語)" in page


def test_edit_keeps_or_changes_the_choice(login_as, factories, database):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    delegation.invite_language = "both"
    database.session.commit()
    client = login_as("state", "IN-GJ")
    form = client.get(f"/delegations/{delegation.id}/edit").get_data(as_text=True)
    assert '<option selected value="both">' in form
    assert client.post(f"/delegations/{delegation.id}/edit",
                       data=_form(factories, invite_language="recipient")).status_code == 302
    database.session.refresh(delegation)
    assert delegation.invite_language == "recipient"


def test_unknown_choice_is_refused_at_the_field_and_nothing_is_saved(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    before = _count(database)
    response = client.post("/delegations/new", data=_form(factories, invite_language="klingon"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="invite_language-error"' in page and "Not a valid choice." in page
    assert _count(database) == before
