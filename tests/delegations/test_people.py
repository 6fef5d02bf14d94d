"""People and membership: one record per human, history across years, delegate accounts, protocol order."""

from datetime import date

from sqlalchemy import func, select

from planner.delegations.models import DelegationMember, Person


def _person_form(**extra):
    data = {"name": "Ichiro Suzuki", "name_ja": "鈴木 一郎", "organisation": "Shizuoka Prefecture",
            "title": "Director", "email": "I.Suzuki@example.jp", "preferred_language": "ja",
            "needs_interpreter": "y", "dietary": "", "accessibility": "Wheelchair access"}
    data.update(extra)
    return data


def test_staff_records_a_person_who_then_is_visible_to_their_region_only(login_as, database):
    client = login_as("prefecture", "JP-22")
    response = client.post("/people/new", data=_person_form())
    assert response.status_code == 302
    person = database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki"))
    assert (person.email, person.preferred_language, person.needs_interpreter) == (
        "i.suzuki@example.jp", "ja", True)
    assert client.get(f"/people/{person.id}").status_code == 200
    assert login_as("prefecture", "JP-30").get(f"/people/{person.id}").status_code == 404


def test_person_created_from_a_delegation_joins_it_as_member(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    client = login_as("state", "IN-GJ")
    response = client.post(f"/people/new?delegation={delegation.id}", data=_person_form(name="Priti Joshi"))
    assert response.headers["Location"].endswith(f"/delegations/{delegation.id}/members")
    database.session.refresh(delegation)
    assert [(m.person.name, m.role) for m in delegation.members] == [("Priti Joshi", "member")]


def test_person_form_refuses_bad_email_and_overlong_text(login_as, database):
    page = login_as("admin").post("/people/new", data=_person_form(
        email="not-an-address", dietary="x" * 501)).get_data(as_text=True)
    assert "Invalid email address." in page and "Field cannot be longer than 500 characters." in page
    assert database.session.scalar(select(func.count()).select_from(Person)) == 0


def test_person_form_refuses_a_phone_that_is_no_number(login_as, database):
    client = login_as("state", "IN-GJ")
    page = client.post("/people/new", data=_person_form(phone="via the front desk")).get_data(as_text=True)
    assert 'id="phone-error"' in page and "Enter a phone number in digits" in page
    assert database.session.scalar(select(func.count()).select_from(Person)) == 0
    assert client.post("/people/new", data=_person_form(phone="+91 79 2658 0000")).status_code == 302


def test_a_full_width_phone_number_is_stored_in_ordinary_digits(login_as, database):
    # pasted from a Japanese document, it was stored '０２２－２６８７\u3000００５２': CSVs and diallers got that
    client = login_as("prefecture", "JP-22")
    assert client.post("/people/new", data=_person_form(phone="０２２－２６８７\u3000００５２")).status_code == 302
    assert database.session.scalar(select(Person.phone)) == "022-2687 0052"


def test_a_phone_number_is_checked_as_it_will_be_stored(login_as, database):
    # '⒇' is one character typed and '(20)' stored: fifty of them passed Length(max=50) and overflowed the
    # column (a 500 on PostgreSQL); Devanagari digits were accepted and stored as typed
    from planner.core.phones import plain_phone

    client = login_as("state", "IN-GJ")
    page = client.post("/people/new", data=_person_form(phone="⒇" * 50)).get_data(as_text=True)
    assert 'id="phone-error"' in page and "Enter at most 50 characters." in page
    assert database.session.scalar(select(func.count()).select_from(Person)) == 0
    assert client.post("/people/new", data=_person_form(phone="+९१ ७९ २६५८ ००००")).status_code == 302
    assert database.session.scalar(select(Person.phone)) == "+91 79 2658 0000"
    assert plain_phone("+81 (53) 000-0000 内線12") == "+81 (53) 000-0000 内線12"  # otherwise as written


def test_linking_a_delegate_account_needs_a_delegate_and_only_once(login_as, factories, database):
    delegate = factories.user("delegate", email="mehul@example.in")
    staff = factories.user("state", "IN-GJ", email="cell@example.in")
    factories.person("Someone", user=delegate)
    database.session.commit()
    client = login_as("admin")
    page = client.post("/people/new", data=_person_form(account_email="cell@example.in")).get_data(as_text=True)
    assert "No delegate account has this e-mail address." in page
    page = client.post("/people/new", data=_person_form(account_email="mehul@example.in")).get_data(as_text=True)
    assert "This account belongs to Someone already." in page
    assert staff.id


def test_one_person_in_two_years_shows_both_delegations_on_their_page(login_as, factories, database):
    mehul = factories.person("Mehul Shah")
    for year in (2025, 2026):
        factories.member(factories.delegation(title=f"Gujarat to Shizuoka {year}", start=date(year, 5, 19),
                                              end=date(year, 5, 23)), mehul)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/people/{mehul.id}").get_data(as_text=True)
    assert page.index("Gujarat to Shizuoka 2026") < page.index("Gujarat to Shizuoka 2025")


def test_a_delegation_has_one_head(login_as, factories, database):
    delegation = factories.delegation()
    factories.member(delegation, factories.person("Anjali Mehta"), role="head", precedence=1)
    other = factories.person("Second Head", region_code="IN-GJ")
    database.session.commit()
    page = login_as("state", "IN-GJ").post(f"/delegations/{delegation.id}/members", data={
        "person": str(other.id), "role": "head", "precedence": "2"}).get_data(as_text=True)
    assert "The delegation has a head already: Anjali Mehta." in page
    assert len(delegation.members) == 1


def test_members_are_listed_by_precedence(login_as, factories, database):
    delegation = factories.delegation()
    factories.member(delegation, factories.person("Zara Member"), precedence=20)
    factories.member(delegation, factories.person("Anjali Head"), role="head", precedence=1)
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/members").get_data(as_text=True)
    assert page.index("Anjali Head") < page.index("Zara Member")


def test_member_cannot_be_added_twice_or_with_a_person_outside_scope(login_as, factories, database):
    delegation = factories.delegation()
    person = factories.person("Once", region_code="IN-GJ")
    stranger = factories.person("Stranger", region_code="IN-MH")
    factories.member(delegation, person)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.post(f"/delegations/{delegation.id}/members", data={
        "person": str(person.id), "role": "member", "precedence": "5"}).get_data(as_text=True)
    assert "Not a valid choice." in page
    response = client.post(f"/delegations/{delegation.id}/members", data={
        "person": str(stranger.id), "role": "member", "precedence": "5"})
    assert response.status_code == 200
    assert database.session.scalar(select(func.count()).select_from(DelegationMember)) == 1


def test_member_role_and_precedence_change_and_removal(login_as, factories, database):
    delegation = factories.delegation()
    member = factories.member(delegation, factories.person("Rakesh Desai"))
    database.session.commit()
    client = login_as("state", "IN-GJ")
    url = f"/delegations/{delegation.id}/members/{member.id}/edit"
    assert client.post(url, data={"role": "staff", "precedence": "7"}).status_code == 302
    database.session.refresh(member)
    assert (member.role, member.precedence) == ("staff", 7)
    page = client.post(url, data={"role": "staff", "precedence": "0"}).get_data(as_text=True)
    assert "Number must be between 1 and 999." in page
    assert client.post(url, data={"remove": "1"}).status_code == 302
    assert database.session.scalar(select(func.count()).select_from(DelegationMember)) == 0


def test_member_attending_events_cannot_be_removed(login_as, factories, database):
    from datetime import datetime

    delegation = factories.delegation()
    person = factories.person("Busy")
    member = factories.member(delegation, person)
    factories.event(delegation, datetime(2026, 10, 13, 10), datetime(2026, 10, 13, 11), attendees=[person])
    database.session.commit()
    page = login_as("admin").post(f"/delegations/{delegation.id}/members/{member.id}/edit",
                                  data={"remove": "1"}).get_data(as_text=True)
    assert "Busy attends events of this delegation; take them off those events first." in page


def test_member_of_another_delegation_in_the_url_is_404(login_as, factories, database):
    ours = factories.delegation()
    theirs_member = factories.member(factories.delegation(), factories.person("Elsewhere"))
    database.session.commit()
    assert login_as("admin").get(f"/delegations/{ours.id}/members/{theirs_member.id}/edit").status_code == 404


def test_person_is_linked_to_the_registered_firm_they_represent(login_as, factories, database):
    firm = factories.firm("JP-22", name="Hamamatsu Seiki K.K.")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    response = client.post("/people/new", data=_person_form(firm=str(firm.id)))
    assert response.status_code == 302
    person = database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki"))
    assert person.firm_id == firm.id
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f"/firms/{firm.id}" in page and "Hamamatsu Seiki K.K." in page
    cleared = client.post(f"/people/{person.id}/edit", data=_person_form(firm=""))
    assert cleared.status_code == 302
    database.session.refresh(person)
    assert person.firm_id is None


def test_person_cannot_be_linked_to_a_firm_outside_the_users_view(login_as, factories, database):
    draft = factories.firm("IN-MH", name="Pune Draft Works", status="draft")
    database.session.commit()
    before = database.session.scalar(select(func.count()).select_from(Person))
    response = login_as("prefecture", "JP-22").post("/people/new", data=_person_form(firm=str(draft.id)))
    assert response.status_code == 200
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert database.session.scalar(select(func.count()).select_from(Person)) == before


def test_another_regions_draft_firm_is_neither_shown_nor_unlinked(login_as, factories, database):
    import re

    draft = factories.firm("JP-22", name="Secret Draft Seiki", status="draft")
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    suzuki = factories.person("Ichiro Suzuki", region_code="JP-22")
    suzuki.firm = draft
    factories.member(delegation, suzuki, "host", 50)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    assert client.get(f"/firms/{draft.id}").status_code == 404
    assert "Secret Draft Seiki" not in client.get(f"/people/{suzuki.id}").get_data(as_text=True)
    form = client.get(f"/people/{suzuki.id}/edit").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="firm".*?</select>', form, re.S).group(0)
    assert "Secret Draft Seiki" not in select_
    chosen = re.search(r'<option[^>]*selected[^>]*value="(\d+)"|<option[^>]*value="(\d+)"[^>]*selected', select_)
    assert chosen and str(draft.id) in chosen.groups()
    response = client.post(f"/people/{suzuki.id}/edit", data={
        "name": "Ichiro Suzuki", "preferred_language": "ja", "phone": "+81 54 000 0000", "firm": str(draft.id)})
    assert response.status_code == 302
    database.session.expire_all()
    person = database.session.get(Person, suzuki.id)
    assert (person.phone, person.firm_id) == ("+81 54 000 0000", draft.id)
    # the owning region still sees its firm on the page
    assert "Secret Draft Seiki" in login_as("prefecture", "JP-22").get(f"/people/{suzuki.id}").get_data(as_text=True)


def test_an_account_held_by_someone_the_user_cannot_see_is_refused_without_the_name(login_as, factories, database):
    delegate = factories.user("delegate")
    factories.person("Secret Wakayama Delegate", region_code="JP-30", user=delegate)
    database.session.commit()
    response = login_as("state", "IN-GJ").post("/people/new", data=_person_form(account_email=delegate.email))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    neutral = "No free delegate account has this e-mail address (an administrator makes delegate accounts)."
    assert neutral in body and "Secret Wakayama Delegate" not in body
    # an address with no account at all gets the very same answer: the form tells no one who has an account
    body = login_as("state", "IN-GJ").post("/people/new", data=_person_form(
        account_email="nobody@example.org")).get_data(as_text=True)
    assert neutral in body
    body = login_as("prefecture", "JP-30").post("/people/new", data=_person_form(
        account_email=delegate.email)).get_data(as_text=True)
    assert "belongs to Secret Wakayama Delegate already" in body


def test_only_the_recording_region_redirects_a_persons_mail_or_links_an_account(login_as, factories, database):
    # Shizuoka shared one old delegation with Gujarat's Mehul: it could edit him, and so sent his invites of a
    # Gujarat–Aichi visit to its own address and linked him to a delegate account it held
    mehul = factories.person("Mehul Shah", region_code="IN-GJ", email="mehul@gujarat.example")
    old = factories.delegation(("IN-GJ",), ("JP-22",))
    factories.member(old, mehul)
    delegate = factories.user("delegate")
    database.session.commit()
    shizuoka = login_as("prefecture", "JP-22")
    base = {"name": "Mehul Shah", "preferred_language": "en", "email": "mehul@gujarat.example"}
    for changes, field in (({"email": "mine@shizuoka.example"}, "email"),
                           ({"account_email": delegate.email}, "account_email"),
                           ({"home_region": str(factories.region("JP-22").id)}, "home_region")):
        page = shizuoka.post(f"/people/{mehul.id}/edit", data={**base, **changes}).get_data(as_text=True)
        assert "Only グジャラート州" in page or "Only Gujarat" in page, field
    database.session.expire_all()
    person = database.session.get(Person, mehul.id)
    assert (person.email, person.user_id, person.home_region_id) == ("mehul@gujarat.example", None, None)
    # other details it may still correct, and Gujarat may change these too
    assert shizuoka.post(f"/people/{mehul.id}/edit", data={**base, "phone": "+91 79 000"}).status_code == 302
    gujarat = login_as("state", "IN-GJ")
    assert gujarat.post(f"/people/{mehul.id}/edit", data={**base, "email": "m.shah@gujarat.example"}
                        ).status_code == 302


def test_people_are_found_whatever_the_spacing_or_kana_script_and_addresses_typed_full_width_are_read(login_as,
                                                                                                      factories,
                                                                                                      database):
    # 佐藤 花子 (a half-width space) did not find 佐藤　花子; ｙａｍａｄａ＠… was refused as no address
    factories.person("Sato Hanako", name_ja="佐藤　花子", region_code="JP-22")
    factories.person("Yamada Taro", name_ja="ヤマダ タロウ", region_code="JP-22")
    database.session.commit()
    client = login_as("prefecture", "JP-22")
    # 佐藤花子 (run together, as Japanese names are written) did not find 佐藤　花子 either
    for query, found in (("佐藤 花子", "Sato Hanako"), ("佐藤花子", "Sato Hanako"), ("やまだたろう", "Yamada Taro"),
                         ("やまだ", "Yamada Taro"), ("ﾔﾏﾀﾞ", "Yamada Taro"), ("100%", None)):
        page = client.get("/people/", query_string={"q": query}).get_data(as_text=True)
        for name in ("Sato Hanako", "Yamada Taro"):
            assert (name in page) == (name == found), (query, name)
    response = client.post("/people/new", data={"name": "Suzuki Ichiro", "email": "ｓｕｚｕｋｉ＠ｅｘａｍｐｌｅ．ｊｐ",
                                                "preferred_language": "ja"})
    assert response.status_code == 302
    assert database.session.scalars(select(Person.email).where(Person.name == "Suzuki Ichiro")).one() == \
        "suzuki@example.jp"


def test_a_name_stored_in_half_width_kana_is_found_as_typed(login_as, factories, database):
    factories.person("Yamada", name_ja="ﾔﾏﾀﾞ", region_code="JP-22")
    database.session.commit()
    page = login_as("prefecture", "JP-22").get("/people/", query_string={"q": "ﾔﾏﾀﾞ"}).get_data(as_text=True)
    assert ">Yamada<" in page or "Yamada" in page[page.index("<tbody"):]


def test_a_second_person_with_the_same_address_is_refused(login_as, factories, database):
    # RK.Singh@example.in and rk.singh@example.in were both accepted: both records would get every invite
    client = login_as("state", "IN-UP")
    assert client.post("/people/new", data={"name": "R K Singh", "email": "rk.singh@example.in",
                                            "preferred_language": "en"}).status_code == 302
    first = database.session.scalars(select(Person).where(Person.name == "R K Singh")).one()
    page = client.post("/people/new", data={"name": "Rajesh Singh", "email": "RK.Singh@example.in",
                                            "preferred_language": "en"}).get_data(as_text=True)
    assert f"R K Singh has this e-mail address already (person no. {first.id}): open that record instead." in page
    assert client.post(f"/people/{first.id}/edit", data={"name": "R K Singh", "email": "rk.singh@example.in",
                                                          "preferred_language": "ja"}).status_code == 302


def test_an_address_typed_with_a_japanese_full_stop_is_the_address_it_means(login_as, factories, database):
    client = login_as("prefecture", "JP-22")
    assert client.post("/people/new", data={"name": "Yamada", "email": "yamada@example.jp",
                                            "preferred_language": "ja"}).status_code == 302
    page = client.post("/people/new", data={"name": "Yamada Taro", "email": "yamada@example。jp",
                                            "preferred_language": "ja"}).get_data(as_text=True)
    assert "has this e-mail address already" in page


def test_a_person_recorded_with_their_firm_and_no_organisation_shows_the_firm_where_they_work(login_as, factories,
                                                                                            database):
    # the people list, members, agendas and the person's page showed an empty 所属 ('— · 株式会社…', ', CEO')
    firm = factories.firm("JP-19", name="Fujisan Winery Co., Ltd.", name_ja="株式会社富士山ワイナリー")
    delegation = factories.delegation(("IN-UP",), ("JP-19",))
    hanako = factories.person("Hanako Yamada", name_ja="山田 花子", region_code="JP-19", firm_id=firm.id,
                              title="Overseas Sales Manager")
    factories.member(delegation, hanako, role="host")
    database.session.commit()
    client = login_as("prefecture", "JP-19")
    for url in ("/people/", f"/delegations/{delegation.id}/members", f"/delegations/{delegation.id}/agenda",
                f"/delegations/{delegation.id}"):
        assert "Fujisan Winery Co., Ltd." in client.get(url).get_data(as_text=True), url
    page = client.get(f"/people/{hanako.id}").get_data(as_text=True)
    assert "— ·" not in page and f'/firms/{firm.id}">Fujisan Winery' in page
    own = client.get(f"/people/{hanako.id}/agenda").get_data(as_text=True)
    assert '<p class="mb-3">Fujisan Winery Co., Ltd., Overseas Sales Manager</p>' in own
    client.post("/language", data={"locale": "ja", "next": "/"})
    japanese = client.get(f"/people/{hanako.id}/agenda").get_data(as_text=True)
    assert '<p class="mb-3">株式会社富士山ワイナリー Overseas Sales Manager</p>' in japanese


def test_another_regions_draft_firm_is_not_named_as_where_a_person_works(login_as, factories, database):
    # found in review: the people list, members, delegation page and agenda named Yamanashi's draft firm to UP
    draft = factories.firm("JP-19", name="Kofu Unannounced Venture K.K.", name_ja="甲府未発表株式会社")
    draft.status = "draft"
    delegation = factories.delegation(("IN-UP",), ("JP-19",))
    hanako = factories.person("Hanako Yamada", region_code="JP-19", firm_id=draft.id)
    factories.member(delegation, hanako, role="host")
    database.session.commit()
    up = login_as("state", "IN-UP")
    assert up.get(f"/firms/{draft.id}").status_code == 404
    for url in ("/people/", f"/delegations/{delegation.id}/members", f"/delegations/{delegation.id}",
                f"/delegations/{delegation.id}/agenda", f"/people/{hanako.id}"):
        assert "Kofu Unannounced" not in up.get(url).get_data(as_text=True), url
    yamanashi = login_as("prefecture", "JP-19")
    assert "Kofu Unannounced" in yamanashi.get(f"/delegations/{delegation.id}/members").get_data(as_text=True)


def test_an_address_typed_full_width_is_stored_in_plain_letters_whatever_the_way_in(login_as, database, factories):
    # ｋａｔｏ@… is a valid internationalised address, but no office means one: every invite would bounce. The form
    # cleans it; imports and other callers of the operations must get the same
    client = login_as("prefecture", "JP-22")
    assert client.post("/people/new", data=_person_form(email="ｋａｔｏ．ｈａｎａｋｏ@pref.shizuoka.example.jp")
                       ).status_code == 302
    person = database.session.scalar(select(Person).where(Person.name == "Ichiro Suzuki"))
    assert person.email == "kato.hanako@pref.shizuoka.example.jp"
    from planner.delegations.operations import PersonData, create_person

    other = create_person(PersonData(name="Jiro Kato", email="ｊｉｒｏ@pref.shizuoka.example.jp"), client.user)
    assert other.email == "jiro@pref.shizuoka.example.jp"
