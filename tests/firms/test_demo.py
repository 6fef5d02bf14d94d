"""Demo firms: deterministic, idempotent, every size class present, Japanese firms with Japanese names."""

from sqlalchemy import select

from planner.firms.demo import FEATURED_FIRMS, FIRMS_PER_REGION, load_demo_firms
from planner.firms.models import Firm


def test_demo_firms_load_once_and_cover_every_size_class(factories, database):
    admin = factories.user("admin")
    assert load_demo_firms(admin, ["IN-GJ", "JP-22"]) == 2 * FIRMS_PER_REGION + len(FEATURED_FIRMS)
    assert load_demo_firms(admin, ["IN-GJ", "JP-22"]) == 0
    firms = list(database.session.scalars(select(Firm).join(Firm.region)))
    assert {f.size_class for f in firms} == {"micro", "small", "medium", "sme", "mid_sized", "large", "unknown"}
    shizuoka = [f for f in firms if f.region.code == "JP-22"]
    assert all(f.name_ja.startswith("株式会社") or f.name_ja.endswith("株式会社") for f in shizuoka)
    assert all(f.contacts for f in firms)
    assert len({f.name_key for f in firms}) == len(firms)
