"""The navigation marks one entry (and its group) as the current page."""

import re

import pytest


def _current(page: str) -> list[str]:
    """The current entries of the navigation bar (a page's own tabs mark their current tab too)."""
    navigation = page[page.index('id="mainnav"'):page.index("</nav>")]
    return re.findall(r'aria-current="page" href="[^"]*">([^<]+)</a>', navigation)


def _active_groups(page: str) -> list[str]:
    return re.findall(r'dropdown-toggle text-nowrap active"[^>]*>([^<]+)</button>', page)


@pytest.mark.parametrize("url, entry, group", [
    ("/outcomes/", "Dashboard", "Outcomes"),
    ("/outcomes/agreements/", "Agreements", "Outcomes"),
    ("/outcomes/rates", "Exchange rates", "Administration"),
    ("/outcomes/followups/", "Follow-ups", "Outcomes"),
    ("/venues/", "Venues", "Delegations"),
])
def test_one_entry_is_the_current_page(login_as, url, entry, group):
    # the dashboard, agreements and exchange rates pages marked "Follow-ups" current as well (its prefix
    # "followups." matched them), and the rates page lit two groups
    page = login_as("admin").get(url).get_data(as_text=True)
    assert (_current(page), _active_groups(page)) == ([entry], [group])
