"""The pages with the most interaction, used with the keyboard alone (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7): the B2B
schedule grid with its move and swap forms, the scheduler and its preview, and the meeting-request form.

On each page the Tab key walks through the page: it reaches every link, button and field that can be used, each
shows where the focus is (an outline or a focus ring, in view), and after the last one the focus leaves the
page (no keyboard trap). Transitions are off (reduced motion), so a focus ring is read as drawn, not half-way.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import from_the_top, log_in

B2B_SESSION = "B2B session with Hamamatsu suppliers"
MAX_TABS = 600

# Every element the Tab key should reach: what can take the focus, is shown and not disabled, in DOM order
# (no page of the planner sets a positive tabindex, so DOM order is the tab order).
TABBABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const all = [...document.querySelectorAll(selector)].filter((el) => el.tabIndex >= 0 && !el.disabled
      && el.checkVisibility({visibilityProperty: true}) && !el.closest('[inert]'));
  // radio buttons: one stop per group
  const seen = new Set();
  const stops = all.filter((el) => {
    if (el.type !== 'radio' || !el.name) return true;
    const key = el.form?.id + '/' + el.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  stops.forEach((el, index) => { el.dataset.tabStop = String(index); });
  return stops.length;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || (style.boxShadow !== 'none' && !/^rgba\\(\\d+, \\d+, \\d+, 0\\) 0px 0px 0px 0px$/.test(style.boxShadow));
  const inView = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth;
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '').replace(/\\s+/g, ' ').trim();
  return {stop: el.dataset.tabStop ?? null, ring, inView,
          what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${name.slice(0, 40)}”`};
}"""


def tab_through(page) -> list[dict]:
    """Press Tab from the top of the page until the focus leaves it; returns what took the focus, in order."""
    expected = page.evaluate(TABBABLE)
    from_the_top(page)
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        visited.append(focused)
    else:
        pytest.fail(f"the focus never left {page.url} after {MAX_TABS} presses of Tab: a keyboard trap? "
                    f"last: {[v['what'] for v in visited[-5:]]}")
    problems = [f"{v['what']} has no visible focus" for v in visited if not v["ring"]]
    problems += [f"{v['what']} is out of view when focused" for v in visited if not v["inView"]]
    problems += [f"{v['what']} takes the focus but is not a control" for v in visited if v["stop"] is None]
    reached = {int(v["stop"]) for v in visited if v["stop"] is not None}
    missed = sorted(set(range(expected)) - reached)
    if missed:
        names = page.evaluate("stops => stops.map(i => document.querySelector(`[data-tab-stop='${i}']`)"
                              ".outerHTML.slice(0, 120))", missed)
        problems += [f"Tab never reaches {html}" for html in names]
    assert not problems, f"keyboard use of {page.url}:\n" + "\n".join(problems)
    return visited


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _session(page, live_server) -> str:
    page.goto(live_server.url("/b2b/"))
    page.locator("main").get_by_role("link", name=B2B_SESSION, exact=True).first.click()
    expect(page.get_by_role("heading", name="Meetings")).to_be_visible()
    return page.url


def _tab_to(page, locator, limit: int = MAX_TABS) -> None:
    """Press Tab until ``locator`` has the focus (as a keyboard user would reach it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {locator}")


def test_schedule_grid_and_its_move_and_swap_forms_work_from_the_keyboard(keyboard_page, live_server):
    page = keyboard_page
    log_in(page, live_server, "gujarat@demo.planner")
    session = _session(page, live_server)
    page.goto(session + "/schedule")
    visited = tab_through(page)
    assert any(v["what"].startswith("a “Move ") for v in visited)

    # From the grid to a meeting's move form with Tab and Enter only; its fields take the keyboard too.
    from_the_top(page)
    move = page.locator("table.b2b-grid").get_by_role("link", name=re.compile("^Move ")).first
    _tab_to(page, move)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/b2b/meetings/\d+/edit(\?next=[^&]*)?$"))  # back to the grid afterwards
    tab_through(page)
    slot = page.get_by_label("Slot")
    before = slot.input_value()
    _tab_to(page, slot)
    page.keyboard.press("ArrowDown" if slot.locator("option").last.get_attribute("value") != before else "ArrowUp")
    assert slot.input_value() != before, "the slot cannot be chosen with the arrow keys"

    page.go_back()
    page.wait_for_load_state("load")
    swap = page.locator("table.b2b-grid").get_by_role("link", name=re.compile("^Swap ")).first
    from_the_top(page)
    _tab_to(page, swap)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/b2b/meetings/\d+/swap(\?next=[^&]*)?$"))
    tab_through(page)


def test_scheduler_and_its_preview_work_from_the_keyboard(keyboard_page, live_server):
    page = keyboard_page
    log_in(page, live_server, "gujarat@demo.planner")
    _session(page, live_server)
    tab_through(page)

    time_limit = page.get_by_label("Time limit (seconds)")
    from_the_top(page)
    _tab_to(page, time_limit)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")  # sends the scheduler's form, as its button would
    page.wait_for_url(re.compile(r"/b2b/runs/\d+$"), timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduler preview")
    tab_through(page)

    # Discard the preview with the keyboard: the schedule stays as it was for the other journeys.
    discard = page.get_by_role("button", name="Discard")
    from_the_top(page)
    _tab_to(page, discard)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.get_by_text("Preview discarded; the schedule is unchanged.")).to_be_visible()


def test_request_form_and_its_errors_work_from_the_keyboard(keyboard_page, live_server):
    page = keyboard_page
    log_in(page, live_server, "gujarat@demo.planner")
    _session(page, live_server)
    page.locator("main a[href*='/b2b/participants/']").first.click()
    request = page.get_by_role("link", name="Request a meeting")
    from_the_top(page)
    _tab_to(page, request)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/new$"))
    tab_through(page)

    # Sent without a firm chosen: the error summary takes the focus, its link leads to the field.
    send = page.get_by_role("button", name="Send request")
    from_the_top(page)
    _tab_to(page, send)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Meet with")).to_be_focused()
    page.keyboard.press("Enter")
    target = page.locator("#target")
    expect(target).to_be_focused()
    page.keyboard.press("ArrowDown")
    assert target.input_value() != "", "the firm cannot be chosen with the arrow keys"
    tab_through(page)


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", reduced_motion="reduce",
                                  is_mobile=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_wide_table_without_links_scrolls_from_the_keyboard_on_a_phone(phone_page, live_server):
    """The audit log's table is wider than a phone and has no link inside: its box takes the focus, named after
    the page's heading, and the arrow keys scroll it."""
    page = phone_page
    log_in(page, live_server, "admin@demo.planner")
    page.goto(live_server.url("/admin/audit"))
    box = page.locator("main .table-responsive").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the audit table fits the phone: test needs another"
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("aria-label", page.get_by_role("heading", level=1).inner_text())
    from_the_top(page)
    _tab_to(page, box)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
    tab_through(page)
