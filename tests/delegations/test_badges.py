"""Name badges: one per member and host in order of precedence, each in both scripts (names, region, role)
whatever the page's language, the hosts' in their own colour; a link from the members page."""

import re

from sqlalchemy import select

from planner.regions.models import Region


def _world(factories, database):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",), title="Gujarat delegation to Shizuoka 2026")
    delegation.title_ja = "グジャラート州経済ミッション 静岡訪問 2026"
    gujarat, shizuoka = (database.session.scalar(select(Region).where(Region.code == code))
                         for code in ("IN-GJ", "JP-22"))
    anjali = factories.person("Anjali Mehta", title="Principal Secretary (Industries)",
                              organisation="Government of Gujarat", home_region_id=gujarat.id)
    suzuki = factories.person("Ichiro Suzuki", name_ja="鈴木 一郎", title="Director",
                              organisation="Shizuoka Prefecture", home_region_id=shizuoka.id,
                              preferred_language="ja")
    mehul = factories.person("Mehul Shah", organisation="Shah Precision Components")
    factories.member(delegation, suzuki, "host", 50)
    factories.member(delegation, mehul, "member", 10)
    factories.member(delegation, anjali, "head", 1)
    database.session.commit()
    return delegation


def _badges(page: str) -> list[str]:
    return re.findall(r'<div class="name-badge name-badge-(?:sending|host)">.*?<div class="name-badge-role">.*?</div>',
                      page, re.S)


def test_each_member_gets_a_badge_in_both_scripts_in_order_of_precedence(login_as, factories, database):
    delegation = _world(factories, database)
    client = login_as("prefecture", "JP-22")
    members = client.get(f"/delegations/{delegation.id}/members").get_data(as_text=True)
    assert f'href="/delegations/{delegation.id}/badges"' in members

    for locale in ("en", "ja"):  # the badges read the same on either page
        client.user.locale = locale
        database.session.commit()
        badges = _badges(client.get(f"/delegations/{delegation.id}/badges").get_data(as_text=True))
        assert len(badges) == 3
        head, member, host = badges
        assert "Anjali Mehta" in head and "Principal Secretary (Industries), Government of Gujarat" in head
        assert "Gujarat · <span lang=\"ja\">グジャラート州</span>" in head
        assert "Head of delegation · <span lang=\"ja\">団長</span>" in head
        assert "Mehul Shah" in member and "Member · " in member and "name-badge-region" not in member
        assert 'class="name-badge name-badge-host"' in host
        assert '<div class="name-badge-name" lang="ja">鈴木 一郎</div><div class="name-badge-second">Ichiro Suzuki' in host
        assert "Shizuoka · <span lang=\"ja\">静岡県</span>" in host
        assert all("Gujarat delegation to Shizuoka 2026<br><span lang=\"ja\">グジャラート州経済ミッション" in b
                   for b in badges)


def test_a_delegation_without_members_says_so_and_offers_no_print(login_as, factories, database):
    delegation = factories.delegation()
    database.session.commit()
    page = login_as("state", "IN-GJ").get(f"/delegations/{delegation.id}/badges").get_data(as_text=True)
    assert "Nobody yet." in page and "data-print" not in page and not _badges(page)
