"""Where the keyboard's focus is must be seen (WCAG 2.2 SC 2.4.7 Focus Visible; 2.4.11 Focus Not Obscured), and
the focus indicator is a part of the page that needs a contrast of 3:1 against what is next to it (SC 1.4.11
Non-text Contrast; the measure SC 2.4.13 uses).

Tab walks through representative pages (the login page, a delegation, the B2B schedule grid, forms); for each
element that takes the focus the browser reports its outline and box-shadow as drawn, and the colour behind them
(the page's backgrounds, composed from the element outwards). An indicator counts when it is at least 1 px wide
and its colour, laid over that background, reaches 3:1 against it; an element fails without one, when it is
hidden under another element (a sticky bar), or when a box around it that scrolls cuts its ring off.
Transitions are off (reduced motion), so a ring is read as drawn. Each failing kind of element is reported once,
with an example.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import from_the_top, log_in

B2B_SESSION = "B2B session with Hamamatsu suppliers"
DELEGATION = "Gujarat delegation to Shizuoka 2026"
MAX_TABS = 400
MINIMUM_CONTRAST = 3.0

# What the focused element shows, measured in the page (colours as the browser computed them).
FOCUS_INDICATOR = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgba = (text) => {
    const m = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,\/]\s*([\d.]+))?\)/.exec(text || '');
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (top, bottom) => {  // ``top`` (with its alpha) painted over an opaque ``bottom``
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // the colour behind ``start``: the backgrounds of it and its ancestors, laid one over the other on white
  const behind = (start) => {
    const layers = [];
    for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] === 1) break;
    }
    return layers.reverse().reduce((bottom, top) => over(top, bottom), [255, 255, 255, 1]);
  };
  const style = getComputedStyle(el);
  const indicators = [];
  if (!el.matches(':focus')) {
    // the focus is on a part the browser draws inside the control (a date field's calendar button): the
    // browser's own ring (outline-style: auto, near-black and white) marks it, and no style reaches it
    const background = behind(el);
    indicators.push({kind: "the browser's ring on a part of the control", width: 1,
                     ratio: Math.max(contrast([16, 16, 16, 1], background), contrast([255, 255, 255, 1], background)),
                     background});
  }
  const outlineWidth = parseFloat(style.outlineWidth) || 0;
  if (style.outlineStyle !== 'none' && outlineWidth > 0) {
    const inside = (parseFloat(style.outlineOffset) || 0) < -outlineWidth;
    const background = behind(inside ? el : el.parentElement);
    const colour = rgba(style.outlineColor);
    // Chrome's own ring (outline-style: auto) is two rings, the outline colour and white
    const colours = style.outlineStyle === 'auto' ? [colour, [255, 255, 255, 1]] : [colour];
    for (const c of colours.filter(Boolean)) {
      indicators.push({kind: `outline ${style.outlineStyle} ${outlineWidth}px ${style.outlineColor}`, width: outlineWidth,
                       ratio: contrast(over(c, background), background), background,
                       reach: (parseFloat(style.outlineOffset) || 0) + outlineWidth});
    }
  }
  if (style.boxShadow && style.boxShadow !== 'none') {
    for (const shadow of style.boxShadow.split(/,(?![^(]*\))/)) {
      const colour = rgba(shadow);
      const lengths = shadow.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g) || [];
      const [, , blur, spread] = lengths.map(parseFloat).concat([0, 0, 0, 0]);
      const inset = /\binset\b/.test(shadow);
      const width = Math.max(spread, 0) + (blur > 0 ? blur / 2 : 0);  // a blur fades out: half of it counts
      if (!colour || width <= 0) continue;
      const background = behind(inset ? el : el.parentElement);
      indicators.push({kind: `box-shadow ${shadow.trim()}`, width,
                       ratio: contrast(over(colour, background), background), background, reach: inset ? 0 : width});
    }
  }
  const rect = el.getBoundingClientRect();
  // the ring's outer edge, and whether a box that scrolls or clips its content (overflow) cuts it off
  const reach = Math.max(0, ...indicators.map((i) => i.reach || 0));
  let cut = null;
  for (let node = el.parentElement; node && node !== document.body && reach > 0; node = node.parentElement) {
    const s = getComputedStyle(node);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const box = node.getBoundingClientRect();
    const left = box.left + node.clientLeft, top = box.top + node.clientTop;
    if (rect.left - reach < left - 1 || rect.top - reach < top - 1 || rect.right + reach > left + node.clientWidth + 1
        || rect.bottom + reach > top + node.clientHeight + 1) {
      cut = node.tagName.toLowerCase() + [...node.classList].map((c) => '.' + c).join('');
      break;
    }
  }
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const label = el.labels && el.labels[0];
  const obscured = rect.width > 0 && rect.height > 0 && top !== null && !el.contains(top) && !top.contains(el)
      && !(label && (label === top || label.contains(top)));
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.id || '').replace(/\s+/g, ' ').trim();
  const classes = [...el.classList].filter((c) => !/^(m[trblsexy]?|p[trblsexy]?|g[xy]?)-\d$|^(w|h)-\d+$/.test(c));
  return {
    kind: el.tagName.toLowerCase() + (el.type && el.tagName !== 'A' ? `[type=${el.type}]` : '')
          + classes.map((c) => '.' + c).join('') + (el.closest('.bg-planner') ? ' (in the navigation bar)' : ''),
    example: `“${name.slice(0, 40)}”`,
    best: indicators.filter((i) => i.width >= 1).sort((a, b) => b.ratio - a.ratio)[0] || null,
    indicators: indicators.map((i) => `${i.kind}: ${i.ratio.toFixed(2)}:1 over rgb(${i.background.slice(0, 3).map(Math.round)})`),
    obscured,
    cut,
  };
}"""


def _focus_problems(page, name: str, start=None, presses: int = MAX_TABS) -> list[str]:
    """Tab through the page (or ``presses`` times on from the element ``start``); one line per kind of element
    whose focus cannot be seen well enough."""
    page.wait_for_load_state("load")
    if start is None:
        from_the_top(page)
    else:
        start.focus()
    problems, reached = {}, 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_INDICATOR)
        if focused is None:
            break
        reached += 1
        best = focused["best"]
        if best is None or best["ratio"] < MINIMUM_CONTRAST:
            shown = "; ".join(focused["indicators"]) or "no outline and no box-shadow"
            problems.setdefault(focused["kind"], f"{name}: {focused['kind']} {focused['example']}: {shown}")
        if focused["obscured"]:
            problems.setdefault(focused["kind"] + " obscured",
                                f"{name}: {focused['kind']} {focused['example']} is hidden under another element")
        if focused["cut"]:
            problems.setdefault(focused["kind"] + " cut",
                                f"{name}: {focused['kind']} {focused['example']}: its focus ring is cut off by the "
                                f"box around it ({focused['cut']}), which clips what overflows it")
    else:
        if start is None:
            pytest.fail(f"the focus never left {page.url} after {MAX_TABS} presses of Tab")
    assert reached, f"nothing on {page.url} takes the focus"
    return list(problems.values())


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_focus_indicator_reaches_three_to_one_on_representative_pages(keyboard_page, live_server):
    page = keyboard_page
    page.goto(live_server.url("/login"))
    problems = _focus_problems(page, "login")

    log_in(page, live_server, "gujarat@demo.planner")
    page.goto(live_server.url("/delegations/"))
    page.locator("main").get_by_role("link", name=DELEGATION, exact=True).first.click()
    delegation = re.sub(r"[?#].*$", "", page.url)
    problems += _focus_problems(page, "delegation")
    page.locator("#user-menu").click()  # a menu of the navigation bar, open: white, under the indigo bar
    expect(page.locator("#mainnav .dropdown-menu-end.show")).to_be_visible()
    problems += _focus_problems(page, "user menu", start=page.locator("#user-menu"), presses=4)

    page.goto(delegation + "/edit")  # the regions' checkboxes, in a box that scrolls
    problems += _focus_problems(page, "delegation form")
    page.goto(delegation + "/events/new")
    problems += _focus_problems(page, "new event form")
    page.locator("main form[method=post] button[type=submit]").last.click()  # sent empty: the errors, and their
    page.wait_for_load_state("load")  # summary's links on its tinted background
    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    problems += _focus_problems(page, "new event form with errors")

    page.goto(live_server.url("/b2b/"))
    page.locator("main").get_by_role("link", name=B2B_SESSION, exact=True).first.click()
    page.goto(re.sub(r"[?#].*$", "", page.url) + "/schedule")
    problems += _focus_problems(page, "B2B schedule grid")
    assert not problems, "focus that cannot be seen well enough (WCAG 2.4.7, 2.4.11, 1.4.11):\n" + "\n".join(problems)
