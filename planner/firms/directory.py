"""The firm directory: filters from the query string to SQL, sorting, and the CSV export of the filtered list."""

import csv
import io
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_
from sqlalchemy.orm import selectinload

from planner.core.access import scoped_select
from planner.core.spreadsheets import spreadsheet_text
from planner.core.timefmt import display_language
from planner.core.views import escape_like
from planner.extensions import db
from planner.firms.models import FIRM_STATUSES, INTERESTS, SIZE_CLASSES, Firm, firm_sectors
from planner.firms.normalise import search_variants
from planner.regions.models import Region
from planner.regions.operations import all_regions

SORTS = {
    "name": (Firm.name, Firm.id),
    "region": (Region.code, Firm.name, Firm.id),
    "size": (Firm.size_class, Firm.name, Firm.id),
    "founded": (Firm.year_founded.desc().nulls_last(), Firm.name, Firm.id),
    "employees": (Firm.employees.desc().nulls_last(), Firm.name, Firm.id),
    "updated": (Firm.updated_at.desc(), Firm.id.desc()),
}


def _int(text) -> int | None:
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


@dataclass
class Filters:
    q: str = ""
    side: str = ""
    region: int | None = None
    sector: int | None = None
    size: str = ""
    seeks: str = ""
    offers: str = ""
    status: str = ""
    sort: str = "name"

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Unknown or malformed values are ignored rather than refused: a directory link never fails."""
        def pick(name, allowed):
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""

        return cls(q=unicodedata.normalize("NFKC", (args.get("q") or "").strip())[:100],
                   side=pick("side", ("IN", "JP")), region=_int(args.get("region")),
                   sector=_int(args.get("sector")), size=pick("size", SIZE_CLASSES),
                   seeks=pick("seeks", INTERESTS), offers=pick("offers", INTERESTS),
                   status=pick("status", FIRM_STATUSES), sort=pick("sort", SORTS) or "name")

    def as_args(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value not in ("", None)}


def _like(text: str) -> str:
    return f"%{escape_like(text)}%"


def directory_select(filters: Filters, user=None) -> Select:
    """Firms the user may see that match the filters, sorted; related rows load in a constant number of queries."""
    stmt = scoped_select(Firm, user).join(Firm.region).options(selectinload(Firm.sectors))
    if filters.status:
        stmt = stmt.where(Firm.status == filters.status)
    else:
        stmt = stmt.where(Firm.status != "archived")
    if filters.q:
        stmt = stmt.where(or_(*(column.ilike(_like(variant), escape="\\") for variant in search_variants(filters.q)
                                for column in (Firm.name, Firm.name_ja, Firm.name_kana, Firm.description,
                                               Firm.city))))
    if filters.side:
        stmt = stmt.where(Region.country == filters.side)
    if filters.region:
        stmt = stmt.where(Firm.region_id == filters.region)
    if filters.sector:
        stmt = stmt.where(exists().where(firm_sectors.c.firm_id == Firm.id,
                                         firm_sectors.c.sector_id == filters.sector))
    if filters.size:
        stmt = stmt.where(Firm.size_class == filters.size)
    # Interest codes are distinct words, none inside another, so a LIKE on the comma-separated list is exact.
    if filters.seeks:
        stmt = stmt.where(Firm.seeks.like(f"%{filters.seeks}%"))
    if filters.offers:
        stmt = stmt.where(Firm.offers.like(f"%{filters.offers}%"))
    order = SORTS[filters.sort]
    if filters.sort == "name" and display_language() == "ja":
        # Japanese pages sort by reading (五十音順) where a kana reading is given, else by the romanised name.
        order = (func.coalesce(func.nullif(Firm.name_kana, ""), Firm.name), Firm.id)
    return stmt.order_by(*order)


EXPORT_COLUMNS = ["id", "name", "name_ja", "name_kana", "region", "city", "status", "size_class", "sectors",
                  "offers", "seeks", "website", "year_founded", "employees", "industry", "capital",
                  "capital_currency", "investment", "investment_currency", "turnover", "turnover_currency",
                  "certifications", "description"]


def _text(value) -> str:
    return "" if value is None else str(value)


def _safe(text: str) -> str:
    return spreadsheet_text(text)


def export_csv(stmt: Select, *, with_contacts: bool) -> bytes:
    """The filtered list as CSV (its columns read back by the import). Contacts only for staff."""
    columns = EXPORT_COLUMNS + (["contacts"] if with_contacts else [])
    if with_contacts:
        stmt = stmt.options(selectinload(Firm.contacts))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for firm in db.session.scalars(stmt).unique():
        row = [firm.id, firm.name, firm.name_ja, firm.name_kana, firm.region.code, firm.city, firm.status,
               firm.size_class, "; ".join(s.code for s in firm.sectors), "; ".join(firm.offers_list),
               "; ".join(firm.seeks_list), firm.website, firm.year_founded, firm.employees, firm.industry,
               firm.capital_amount, firm.capital_currency, firm.investment_amount, firm.investment_currency,
               firm.turnover_amount, firm.turnover_currency, firm.certifications, firm.description]
        if with_contacts:
            row.append(" | ".join(", ".join(part for part in (c.name, c.title, c.email, c.phone) if part)
                                  for c in firm.contacts))
        writer.writerow([_safe(_text(value)) for value in row])
    return out.getvalue().encode("utf-8-sig")


def region_choices() -> list[Region]:
    return all_regions()
