"""Loading the reference data (idempotent: a second run changes nothing) and the lookups features use."""

from sqlalchemy import select

from planner.extensions import db
from planner.regions.data import INDIAN_STATES, INDIAN_UNION_TERRITORIES, JAPANESE_PREFECTURES, SECTORS
from planner.regions.models import Region, Sector


def _reference_regions():
    for code, name, capital in INDIAN_STATES:
        yield {"code": code, "country": "IN", "kind": "state", "name": name, "name_ja": None, "capital": capital}
    for code, name, capital in INDIAN_UNION_TERRITORIES:
        yield {"code": code, "country": "IN", "kind": "union_territory", "name": name, "name_ja": None,
               "capital": capital}
    for code, name, name_ja, capital in JAPANESE_PREFECTURES:
        yield {"code": code, "country": "JP", "kind": "prefecture", "name": name, "name_ja": name_ja,
               "capital": capital}


def seed_reference_data() -> dict[str, int]:
    """Insert or correct every region and sector. Returns how many rows were added or updated."""
    counts = {"regions_added": 0, "regions_updated": 0, "sectors_added": 0, "sectors_updated": 0}
    existing = {region.code: region for region in db.session.scalars(select(Region))}
    for values in _reference_regions():
        region = existing.get(values["code"])
        if region is None:
            db.session.add(Region(**values))
            counts["regions_added"] += 1
        elif any(getattr(region, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(region, key, value)
            counts["regions_updated"] += 1
    sectors = {sector.code: sector for sector in db.session.scalars(select(Sector))}
    for position, (code, name) in enumerate(SECTORS, start=1):
        sector = sectors.get(code)
        if sector is None:
            db.session.add(Sector(code=code, name=name, position=position))
            counts["sectors_added"] += 1
        elif (sector.name, sector.position) != (name, position):
            sector.name, sector.position = name, position
            counts["sectors_updated"] += 1
    db.session.flush()
    return counts


def region_by_code(code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.code == code.upper()))


def in_display_order(regions) -> list[Region]:
    """Indian states and union territories first, then the prefectures. On Japanese pages the prefectures
    come in their official order (JP-01 Hokkaido … JP-47 Okinawa, as every Japanese list gives them) and the
    states in the order of their Japanese names; on English pages both are alphabetical."""
    from planner.core.timefmt import display_language

    japanese = display_language() == "ja"

    def key(region: Region):
        if japanese and region.country == "JP":
            return (region.country, region.code)
        return (region.country, region.display_name.casefold())

    return sorted(regions, key=key)


def regions_of(country: str) -> list[Region]:
    return in_display_order(db.session.scalars(select(Region).where(Region.country == country)))


def all_regions() -> list[Region]:
    return in_display_order(db.session.scalars(select(Region)))


def active_sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).where(Sector.is_active).order_by(Sector.position, Sector.name)))
