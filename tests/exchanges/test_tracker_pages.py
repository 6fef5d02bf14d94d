"""The tracker pages: target status per year from the database, settings, and the SVG chart."""

from datetime import date

import pytest


@pytest.fixture
def exchanges(factories, database):
    # 2025: three states and three prefectures completed → met (the year is over).
    factories.delegation(("IN-GJ",), ("JP-22",), start=date(2025, 5, 19), end=date(2025, 5, 23), status="completed")
    factories.delegation(("IN-UP",), ("JP-19",), start=date(2025, 9, 15), end=date(2025, 9, 18), status="completed",
                         direction="JP_IN")
    factories.delegation(("IN-MH",), ("JP-30",), start=date(2025, 3, 31), end=date(2025, 4, 2), status="completed")
    factories.delegation(("IN-AP",), ("JP-16",), start=date(2025, 6, 1), end=date(2025, 6, 3), status="planning")
    database.session.commit()


def test_year_page_names_the_regions_that_count_and_the_status(login_as, exchanges, app):
    page = login_as("state", "IN-GJ").get("/exchanges/2025").get_data(as_text=True)
    assert "tracker-met" in page and ">Met<" in page
    for name in ("Gujarat", "Uttar Pradesh", "Maharashtra", "Shizuoka", "Yamanashi", "Wakayama"):
        assert name in page
    assert "Andhra Pradesh" not in page  # planning does not count


def test_year_page_names_the_regions_in_the_users_language(login_as, exchanges, database):
    client = login_as("state", "IN-GJ")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get("/exchanges/2025").get_data(as_text=True)
    assert "グジャラート州" in page and "静岡県" in page
    assert ">Gujarat<" not in page and ">Shizuoka<" not in page


def test_fiscal_basis_moves_the_31_march_visit_to_the_previous_year(login_as, exchanges, app):
    client = login_as("prefecture", "JP-22")
    page = client.get("/exchanges/2025?basis=fiscal").get_data(as_text=True)
    assert "FY2025-26" in page and "Maharashtra" not in page and ">Missed<" in page
    page = client.get("/exchanges/2024?basis=fiscal").get_data(as_text=True)
    assert "FY2024-25" in page and "Maharashtra" in page


def test_year_basis_and_targets_come_from_settings(login_as, exchanges, app):
    app.config.update(EXCHANGE_YEAR_BASIS="fiscal", EXCHANGE_TARGET_STATES=1, EXCHANGE_TARGET_PREFECTURES=1)
    try:
        page = login_as("admin").get("/exchanges/2024").get_data(as_text=True)
        assert "FY2024-25" in page and ">Met<" in page
    finally:
        app.config.update(EXCHANGE_YEAR_BASIS="calendar", EXCHANGE_TARGET_STATES=3, EXCHANGE_TARGET_PREFECTURES=3)


def test_overview_has_the_chart_and_the_table_behind_it(login_as, exchanges):
    client = login_as("admin")
    page = client.get("/exchanges/").get_data(as_text=True)
    assert 'src="/exchanges/chart.svg?basis=calendar&amp;lang=en"' in page
    assert "<caption" in page and ">2025</a>" in page
    response = client.get("/exchanges/chart.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).lstrip().startswith("<?xml") and "<svg" in response.get_data(as_text=True)


def test_unknown_basis_falls_back_to_the_setting_and_absurd_years_are_404(login_as, exchanges):
    client = login_as("admin")
    assert client.get("/exchanges/2025?basis=lunar").status_code == 200
    assert client.get("/exchanges/1200").status_code == 404
    assert client.get("/exchanges/99999999999").status_code == 404


def test_delegates_do_not_see_the_tracker(login_as):
    assert login_as("delegate").get("/exchanges/").status_code == 403


def test_overview_lists_every_year_up_to_the_current_one(login_as, exchanges, factories, database):
    from planner.core.timefmt import today_ist

    factories.delegation(("IN-GJ",), ("JP-22",), start=date(2023, 5, 19), end=date(2023, 5, 23), status="completed")
    database.session.commit()
    page = login_as("admin").get("/exchanges/").get_data(as_text=True)
    current = today_ist().year
    for year in range(2023, current + 1):
        assert f">{year}</a>" in page
    # 2023 short of the target, 2024 with no visit at all (and any year after 2025 that is over); 2025 met;
    # the current year at risk
    assert page.count(">Missed<") == 2 + max(0, current - 1 - 2025)
    assert (page.count(">Met<"), page.count(">At risk<")) == (1, 1)


def test_the_chart_address_names_the_language(login_as, exchanges, database):
    # the chart is cached for a minute: after switching to Japanese the page showed the English one
    client = login_as("admin")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get("/exchanges/?basis=fiscal").get_data(as_text=True)
    assert 'src="/exchanges/chart.svg?basis=fiscal&amp;lang=ja"' in page
    assert "2025年度" in page and "FY2025" not in page  # the fiscal year in Japanese


def test_every_year_link_leads_to_a_page_and_the_ends_have_no_further_link(login_as, factories, database):
    factories.delegation(("IN-GJ",), ("JP-22",), start=date(2000, 1, 15), end=date(2000, 1, 16), status="completed")
    database.session.commit()
    client = login_as("admin")
    page = client.get("/exchanges/?basis=fiscal").get_data(as_text=True)
    assert 'href="/exchanges/1999?basis=fiscal">FY1999-00</a>' in page
    first = client.get("/exchanges/1999?basis=fiscal")
    assert first.status_code == 200 and "/exchanges/1998" not in first.get_data(as_text=True)
    last = client.get("/exchanges/2100").get_data(as_text=True)
    assert "/exchanges/2101" not in last and "/exchanges/2099" in last


def test_the_outcome_dashboard_names_fiscal_years_in_the_readers_language(login_as, database):
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get("/outcomes/?basis=fiscal&year=2025").get_data(as_text=True)
    assert "2025年度" in page and "FY2025" not in page
