"""The profile page tells a delegate where and in which language their calendar invitations go."""


def test_a_delegate_sees_where_and_in_which_language_their_invitations_go(login_as, factories, database):
    # the interface language on this page does not change the invitations' language, which the organisers set on
    # the person: a delegate who switched to 日本語 here still got English invitations, with nothing saying why
    client = login_as("delegate")
    person = factories.person("Mehul Shah", email="mehul.shah@example.in", preferred_language="ja",
                              user=client.user)
    database.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert ("Your calendar invitations go to mehul.shah@example.in, in Japanese; the "
            "organisers of your delegation change these on request.") in page
    assert f'href="/people/{person.id}/calendar-feed"' in page
    assert 'href="/agenda"' in page


def test_staff_without_a_person_see_no_invitations_section(login_as, database):
    page = login_as("state", "IN-GJ").get("/account").get_data(as_text=True)
    assert "data-invitations" not in page
