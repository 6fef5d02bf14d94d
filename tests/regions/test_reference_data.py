import re

from sqlalchemy import func, select

from planner.regions.models import Region, Sector
from planner.regions.operations import seed_reference_data


def test_reference_data_has_36_indian_regions_and_47_prefectures(database):
    counts = dict(database.session.execute(
        select(Region.country, func.count()).group_by(Region.country)).all())
    assert counts == {"IN": 36, "JP": 47}
    kinds = dict(database.session.execute(
        select(Region.kind, func.count()).where(Region.country == "IN").group_by(Region.kind)).all())
    assert kinds == {"state": 28, "union_territory": 8}


def test_prefectures_carry_japanese_names_and_iso_codes(database):
    shizuoka = database.session.scalar(select(Region).where(Region.code == "JP-22"))
    assert (shizuoka.name, shizuoka.name_ja, shizuoka.display_name) == ("Shizuoka", "静岡県", "Shizuoka (静岡県)")
    codes = sorted(database.session.scalars(select(Region.code).where(Region.country == "JP")))
    assert codes == [f"JP-{n:02d}" for n in range(1, 48)]
    assert database.session.scalar(select(Region.name_ja).where(Region.code == "JP-01")) == "北海道"


def test_seed_reference_data_a_second_time_changes_nothing(database):
    counts = seed_reference_data()
    assert counts == {"regions_added": 0, "regions_updated": 0, "sectors_added": 0, "sectors_updated": 0}
    assert database.session.scalar(select(func.count()).select_from(Sector)) == 17


def test_seed_reference_data_corrects_an_edited_region(database):
    toyama = database.session.scalar(select(Region).where(Region.code == "JP-16"))
    toyama.name_ja = "wrong"
    database.session.flush()
    assert seed_reference_data()["regions_updated"] == 1
    assert toyama.name_ja == "富山県"


def test_regions_page_lists_both_countries_for_staff(login_as):
    client = login_as("state", "IN-GJ")
    page = client.get("/regions/").get_data(as_text=True)
    assert "India: 36 states and union territories" in page
    assert "Japan: 47 prefectures" in page
    assert "静岡県" in page and "IN-DH" in page


def test_region_page_shows_both_scripts(login_as):
    client = login_as("prefecture", "JP-22")
    page = client.get("/regions/JP-22").get_data(as_text=True)
    assert "Shizuoka" in page and "静岡県" in page and "Asia/Tokyo" in page


def test_region_page_of_unknown_code_is_404(login_as):
    assert login_as("admin").get("/regions/XX-99").status_code == 404


def test_regions_are_not_shown_to_delegates(login_as):
    assert login_as("delegate").get("/regions/").status_code == 403


def test_region_page_heading_is_in_the_readers_language(login_as, database):
    client = login_as("state", "IN-GJ")
    assert '<h1 class="h3">Gujarat</h1>' in client.get(
        "/regions/IN-GJ").get_data(as_text=True)
    client.user.locale = "ja"
    database.session.commit()
    assert '<h1 class="h3">グジャラート州</h1>' in client.get("/regions/IN-GJ").get_data(as_text=True)


def test_the_prefecture_table_names_prefectures_in_japanese_on_japanese_pages(login_as, database):
    client = login_as("prefecture", "JP-22")
    client.user.locale = "ja"
    database.session.commit()
    page = client.get("/regions/").get_data(as_text=True)
    assert '<a href="/regions/JP-22" lang="ja">静岡県</a>' in page and '<td lang="en">Shizuoka</td>' in page


def _options(page: str, field: str) -> list[str]:
    """The labels of a checkbox list, in page order."""
    labels = re.findall(rf'<input[^>]*id="{field}-\d+"[^>]*>\s*<label[^>]*>([^<]+)</label>', page)
    assert labels, f"no choices for {field}"
    return labels


def test_prefectures_are_listed_in_their_official_order_on_japanese_pages(login_as, database):
    client = login_as("state", "IN-GJ")
    english = _options(client.get("/delegations/new").get_data(as_text=True), "japanese_regions")
    assert english[:3] == ["Aichi (愛知県)", "Akita (秋田県)", "Aomori (青森県)"]
    client.user.locale = "ja"
    database.session.commit()
    japanese = _options(client.get("/delegations/new").get_data(as_text=True), "japanese_regions")
    assert japanese[:3] == ["北海道", "青森県", "岩手県"] and japanese[-1] == "沖縄県"
    states = _options(client.get("/delegations/new").get_data(as_text=True), "indian_regions")
    assert states == sorted(states) and states[0] == "アッサム州"
