"""The Gujarat cell prints name badges for its delegation to Shizuoka: ten 90 × 54 mm badges fit an A4 page,
two across, and the demo's seven members and hosts print on one page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, open_menu

MM = 96 / 25.4  # CSS pixels per millimetre


def test_name_badges_print_two_across_on_one_a4_page(page, live_server, shot):
    log_in(page, live_server, "gujarat@demo.planner")
    open_menu(page, "Delegations", "Delegations")
    page.get_by_role("link", name="Gujarat delegation to Shizuoka 2026").click()
    page.get_by_role("link", name=re.compile(r"^Members and hosts \(\d+\)$")).click()
    page.get_by_role("link", name="Name badges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name badges")
    badges = page.locator(".name-badge")
    expect(badges).to_have_count(7)
    expect(badges.first).to_contain_text("Head of delegation · 団長")
    expect(page.locator(".name-badge-host").first).to_contain_text("鈴木 一郎")

    page.emulate_media(media="print")
    boxes = [badges.nth(i).bounding_box() for i in range(7)]
    assert {round(box["width"] / MM) for box in boxes} == {90} and {round(box["height"] / MM) for box in boxes} == {54}
    assert len({round(box["x"]) for box in boxes}) == 2  # two across
    shot(page, "01-badges-print")  # how many print on a page: the test below


def test_ten_badges_fill_one_a4_page_and_the_eleventh_starts_the_next(page, live_server):
    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/delegations"))
    page.get_by_role("link", name="Gujarat delegation to Shizuoka 2026").click()
    page.get_by_role("link", name=re.compile(r"^Members and hosts \(\d+\)$")).click()
    page.get_by_role("link", name="Name badges").click()
    badges = page.locator(".name-badge")
    expect(badges).to_have_count(7)
    # three more members' badges, as a larger delegation's page has them (the demo's has seven)
    page.evaluate("""() => { const sheet = document.querySelector('.badge-sheet');
        for (let i = 0; i < 3; i++) sheet.append(sheet.firstElementChild.cloneNode(true)); }""")
    expect(badges).to_have_count(10)
    pages = lambda pdf: len(re.findall(rb"/Type\s*/Page\b", pdf))  # noqa: E731
    # the page's own top padding left room for four rows: ten badges took two pages, eight on the first
    assert pages(page.pdf(format="A4", prefer_css_page_size=True)) == 1
    page.evaluate("() => { const sheet = document.querySelector('.badge-sheet'); "
                  "sheet.append(sheet.firstElementChild.cloneNode(true)); }")
    assert pages(page.pdf(format="A4", prefer_css_page_size=True)) == 2


def test_the_schedule_of_stay_fits_a_phone_and_its_table_scrolls_in_its_own_box(page, live_server):
    # on a 390 px phone the consulate's four columns (the headers "Accommodation 宿泊予定先" do not break) made
    # the table 450 px wide, and the whole page scrolled sideways under the navigation bar
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/delegations/"))
    page.get_by_role("link", name="Gujarat delegation to Shizuoka 2026").click()
    page.get_by_role("link", name=re.compile(r"^Members and hosts \(\d+\)$")).click()
    page.get_by_role("link", name="Schedule of stay").first.click()
    expect(page.locator(".stay-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")  # on paper the table keeps its four columns on the page
    page.set_viewport_size({"width": 700, "height": 1000})
    right = page.evaluate("document.querySelector('.stay-table').getBoundingClientRect().right")
    assert right <= 700
