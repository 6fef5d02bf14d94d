"""Bad input never produces a 500 or a half-saved record."""

from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from planner.partnerships.models import Partnership


def _count(database):
    return database.session.scalar(select(func.count()).select_from(Partnership))


def test_partnership_form_with_missing_fields_shows_errors_and_saves_nothing(login_as, database):
    before = _count(database)
    response = login_as("admin").post("/partnerships/new", data={})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("invalid-feedback") >= 2
    assert _count(database) == before


def test_partnership_form_with_wrong_types_and_unknown_ids_is_refused_at_the_fields(login_as, factories, database):
    before = _count(database)
    page = login_as("admin").post("/partnerships/new", data={
        "state": "abc", "prefecture": "999999", "status": "signed", "since": "31/31/2026",
        "focus_sectors": ["x", "424242"]}).get_data(as_text=True)
    assert "Not a valid date value." in page
    assert _count(database) == before


def test_overlong_text_is_refused_with_a_message(login_as, factories, database):
    page = login_as("admin").post("/partnerships/new", data={
        "state": str(factories.region("IN-GJ").id), "prefecture": str(factories.region("JP-22").id),
        "status": "active", "agreement_title": "x" * 301}).get_data(as_text=True)
    assert "Field cannot be longer than 300 characters." in page


def test_dates_outside_sensible_bounds_are_refused(login_as, factories, database):
    page = login_as("admin").post("/partnerships/new", data={
        "state": str(factories.region("IN-GJ").id), "prefecture": str(factories.region("JP-22").id),
        "status": "active", "since": "0001-01-01"}).get_data(as_text=True)
    assert "Enter a date between 1950 and 2100." in page


def test_unknown_ids_in_urls_are_404_not_500(login_as):
    client = login_as("admin")
    for url in ("/partnerships/0", "/partnerships/99999999999999999999", "/partnerships/-1/edit"):
        assert client.get(url).status_code == 404


def test_a_number_no_row_can_have_is_404_in_every_route_whatever_the_other_ids(app, login_as, factories, database):
    # /firms/<own firm>/contacts/18446744073709551616/edit reached SQLite, which cannot bind it: a 500
    firm = factories.firm("JP-22")
    database.session.commit()
    client = login_as("admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        if not ints or "GET" not in rule.methods:
            continue
        for huge in ints:  # the other ids name a row that exists (or at least a small number)
            values = {name: (2**64 if name == huge else firm.id) for name in ints}
            values.update({name: "x" for name in rule.arguments if name not in values})
            path = rule.build(values, append_unknown=False)[1]
            assert client.get(path).status_code == 404, path
            checked += 1
    assert checked > 50


def test_non_numeric_region_in_user_form_is_a_field_error(login_as, database):
    response = login_as("admin").post("/admin/users/new", data={
        "email": "a@example.org", "name": "A", "role": "nonsense", "region": "NaN", "password": "x"})
    assert response.status_code == 200
    assert "Not a valid choice." in response.get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused_when_protection_is_on(app, login_as):
    client = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/partnerships/new", data={"state": "1"})
        assert response.status_code == 400
        assert "Form expired" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_error_pages_render_in_the_layout(login_as):
    response = login_as("state", "IN-GJ").get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Delegation Planner" in page and "Not found" in page


def test_pages_send_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_an_unexpected_error_shows_the_500_page_in_the_layout(tmp_path):
    from planner import create_app
    from tests.conftest import app_settings

    app = create_app({**app_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path), "TESTING": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("unexpected")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "Nothing was saved" in page and "RuntimeError" not in page


def test_a_number_of_hundreds_of_digits_is_a_field_error_not_a_500(login_as, database):
    # NumberRange compares through float: 10**309 raised OverflowError in every number box with a range
    from planner.itinerary.models import Venue

    client = login_as("state", "IN-GJ")
    for digits in (16, 310):
        response = client.post("/venues/new", data={"name": "Hall", "country": "IN", "capacity": "1" + "0" * digits})
        assert response.status_code == 200
        assert 'id="capacity-error"' in response.get_data(as_text=True)
    assert database.session.scalar(select(func.count()).select_from(Venue)) == 0


def test_a_name_of_invisible_characters_is_no_name_and_titles_stay_on_one_line(login_as, database):
    from planner.firms.models import Firm

    client = login_as("prefecture", "JP-22")
    region = client.user.region_id
    for invisible in ("\ufeff", "\x7f\x01\x1b", "\u200b \u200d"):
        page = client.post("/firms/new", data={"name": invisible, "region": str(region)}).get_data(as_text=True)
        assert 'id="name-error"' in page
    assert database.session.scalar(select(func.count()).select_from(Firm)) == 0
    assert client.post("/firms/new", data={"name": "Fuji\r\nBcc: x@example.com\ufeff", "region": str(region),
                                           "description": "Line one\nLine two"}).status_code == 302
    firm = database.session.scalars(select(Firm)).one()
    assert (firm.name, firm.description) == ("Fuji Bcc: x@example.com", "Line one\nLine two")
