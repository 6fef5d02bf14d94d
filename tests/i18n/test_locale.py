"""The interface language: the user's setting, else the switcher's cookie, else the browser; pages, forms and
WTForms' own messages in Japanese."""

import re

import pytest

from planner.extensions import db
from planner.i18n.locales import COOKIE_NAME

JA = {"Accept-Language": "ja,en;q=0.5"}


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html).group(1)


def test_login_page_in_japanese_with_japanese_browser(client):
    html = client.get("/login", headers=JA).get_data(as_text=True)
    assert _lang(html) == "ja"
    assert "<title>ログイン · 訪問団プランナー</title>" in html
    assert "州投資促進機関、県庁担当課、参加者、管理者の方はこちらからログインしてください。" in html


def test_login_page_in_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert _lang(html) == "en"
    assert "<title>Log in · Delegation Planner</title>" in html


@pytest.mark.parametrize(("url", "heading"), [
    ("/partnerships/", "州・県の友好交流"),
    ("/delegations/", "訪問団"),
    ("/firms/", "企業一覧"),
    ("/exchanges/", "年間交流実績"),
])
def test_key_pages_render_in_japanese(login_as, factories, url, heading):
    factories.partnership("IN-GJ", "JP-22")
    client = login_as("prefecture", "JP-22")
    response = client.get(url, headers=JA)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _lang(html) == "ja"
    assert re.search(rf"<h1[^>]*>\s*{heading}", html), f"no Japanese heading {heading!r} on {url}"
    assert "メインメニュー" in html and "ログアウト" in html


def test_partnership_list_shows_regions_in_japanese_script(login_as, factories):
    factories.partnership("IN-GJ", "JP-22")
    client = login_as("prefecture", "JP-22")
    html = client.get("/partnerships/", headers=JA).get_data(as_text=True)
    assert "グジャラート州" in html and "<td>静岡県</td>" in html
    assert "Shizuoka" not in html


def test_delegation_dates_are_japanese_on_japanese_pages(login_as, factories):
    delegation = factories.delegation(("IN-GJ",), ("JP-22",))
    client = login_as("prefecture", "JP-22")
    html = client.get(f"/delegations/{delegation.id}", headers=JA).get_data(as_text=True)
    assert "2026年10月12日(月)" in html
    english = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "Mon 12 Oct 2026" in english


def test_wtforms_messages_are_japanese(client):
    html = client.post("/login", data={"email": "", "password": ""}, headers=JA).get_data(as_text=True)
    assert html.count("この項目は必須です。") == 2


def test_wtforms_type_and_choice_messages_come_from_the_planners_catalogue(login_as, factories, database):
    # WTForms' own catalogue said 「無効な少数です。」 (少数 for 小数) and left a choice no longer offered in English
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.post("/firms/new", data={"name": "Hamamatsu Seiki", "region": str(factories.region("JP-22").id),
                                           "status": "active", "employees": "many", "capital_amount": "lots",
                                           "sectors": ["99999"]}).get_data(as_text=True)
    # one message a field: the range check no longer follows a value that could not be read
    assert "整数を入力してください。" in page and "「lots」は金額ではありません" in page
    assert "までの数値を入力してください" not in page
    assert "「99999」はこの項目では選べません。" in page
    assert "無効な少数" not in page and "not a valid choice" not in page


def test_switcher_remembers_japanese_for_anonymous_visitors_in_a_cookie(client):
    response = client.post("/language", data={"locale": "ja", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert f"{COOKIE_NAME}=ja" in response.headers["Set-Cookie"]
    assert _lang(client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "ja"


def test_switcher_saves_the_choice_on_the_account(login_as):
    client = login_as("prefecture", "JP-22")
    response = client.post("/language", data={"locale": "ja", "next": "/partnerships/"})
    assert response.headers["Location"] == "/partnerships/"
    db.session.refresh(client.user)
    assert client.user.locale == "ja"
    client.delete_cookie(COOKIE_NAME)
    assert _lang(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "ja"


def test_account_setting_wins_over_the_browser(login_as):
    client = login_as("state", "IN-GJ")
    client.user.locale = "en"
    db.session.commit()
    assert _lang(client.get("/", headers=JA).get_data(as_text=True)) == "en"


def test_switcher_refuses_get_and_unknown_languages(client):
    assert client.get("/language?locale=ja").status_code == 405
    assert client.post("/language", data={"locale": "fr"}).status_code == 400
    assert client.post("/language", data={}).status_code == 400
    assert client.post("/language", data={"locale": "ja" * 600}).status_code == 400


def test_switcher_does_not_redirect_off_site(client):
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_switcher_needs_a_csrf_token(app, database):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/language", data={"locale": "ja"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400


def test_header_switcher_marks_the_current_language(client):
    html = client.get("/login", headers=JA).get_data(as_text=True)
    assert 'name="locale" value="ja" lang="ja" aria-pressed="true">日本語</button>' in html
    assert 'name="locale" value="en" lang="en">EN</button>' in html


def test_profile_saves_the_language(login_as):
    client = login_as("prefecture", "JP-22")
    response = client.post("/account", data={"locale": "ja"})
    assert response.status_code == 302
    db.session.refresh(client.user)
    assert client.user.locale == "ja"
    html = client.get("/account").get_data(as_text=True)
    assert "表示言語の設定を保存しました。" in html
    client.post("/account", data={"locale": ""})
    db.session.refresh(client.user)
    assert client.user.locale is None


def test_profile_refuses_an_unknown_language(login_as):
    client = login_as("prefecture", "JP-22")
    response = client.post("/account", data={"locale": "xx"})
    assert response.status_code == 200
    db.session.refresh(client.user)
    assert client.user.locale is None


def test_the_switcher_comes_after_the_menus_in_the_tab_order_on_wide_screens(login_as):
    # shown after the menus at xl widths by CSS order, it came before them for the keyboard: now there are two,
    # the narrow screens' one beside the menu button (hidden at xl) and the wide screens' one after the menus
    html = login_as("state", "IN-GJ").get("/").get_data(as_text=True)
    nav = html[html.index("<nav"):html.index("</nav>")]
    narrow, wide = (match.start() for match in re.finditer(r'<form class="language-switch', nav))
    assert 'class="language-switch d-xl-none"' in nav[narrow:narrow + 60]
    assert 'class="language-switch d-none d-xl-block ms-xl-2"' in nav[wide:wide + 60]
    assert narrow < nav.index('id="mainnav"') < nav.index('id="user-menu"') < wide
