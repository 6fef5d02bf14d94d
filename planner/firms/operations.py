"""Firm rules: who may register and change a firm, its figures and size class, contacts, duplicates and merging.

Operations add and flush; the request (or CLI command) commits.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from planner.core.access import scoped_select
from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.phones import check_phone, plain_phone
from planner.core.roles import Role
from planner.core.timefmt import today_jst
from planner.extensions import db
from planner.firms.models import (
    CURRENCIES,
    FIRM_STATUSES,
    INDUSTRIES,
    INTERESTS,
    LANGUAGES,
    Firm,
    FirmContact,
)
from planner.firms.normalise import certifications_text, half_width, name_key, reading, website_domain
from planner.firms.size import firm_size
from planner.regions.models import Region, Sector

MAX_AMOUNT = Decimal("9999999999999.99")  # 10 trillion less a cent: SQLite keeps Numeric as a float, exact to the
# cent only below about 10**13 (9999999999999999 came back as 10000000000000000.00); ¥10兆 and ₹10 lakh crore fit


@dataclass
class FirmData:
    name: str
    region_id: int
    name_ja: str = ""
    name_kana: str = ""
    city: str = ""
    sector_ids: list[int] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    description: str = ""
    website: str = ""
    year_founded: int | None = None
    employees: int | None = None
    industry: str | None = None
    capital_amount: Decimal | None = None
    capital_currency: str | None = None
    investment_amount: Decimal | None = None
    investment_currency: str | None = None
    turnover_amount: Decimal | None = None
    turnover_currency: str | None = None
    certifications: list[str] = field(default_factory=list)
    status: str = "active"


@dataclass
class ContactData:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"


def check_region(region: Region | None, user) -> Region:
    if region is None:
        raise DomainError(_("Choose the firm's home state or prefecture."), "region")
    if user.role in (Role.STATE, Role.PREFECTURE) and region.id != user.region_id:
        raise DomainError(_("You can only register firms of %(region)s.", region=user.region.display_name), "region")
    if user.role not in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        raise DomainError(_("Only staff can register firms."))
    return region


def _check_money(data: FirmData, name: str) -> None:
    amount, currency = getattr(data, f"{name}_amount"), getattr(data, f"{name}_currency")
    if amount is None:
        setattr(data, f"{name}_currency", None)
        return
    if amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(_("Enter an amount between 0 and %(max)s.", max=f"{MAX_AMOUNT:,.0f}"), f"{name}_amount")
    if currency not in CURRENCIES:
        raise DomainError(_("Choose the currency of this amount (INR, JPY or USD)."), f"{name}_currency")


def latest_founding_year() -> int:
    """This year (Japan's, the later side's): a firm founded after it is a typo (2031 for 2013)."""
    return today_jst().year


def check_firm(data: FirmData, user) -> tuple[Region, list[Sector]]:
    if not data.name.strip():
        raise DomainError(_("Enter the firm's legal name."), "name")
    if len(reading(data.name_kana)) > 200:  # ㍿ reads 株式会社: a reading grows when it is normalised
        raise DomainError(_("Keep the reading under 200 characters."), "name_kana")
    region = check_region(db.session.get(Region, data.region_id) if data.region_id else None, user)
    if data.status not in FIRM_STATUSES:
        raise DomainError(_("Unknown status."), "status")
    if data.website.strip() and not website_domain(data.website):
        raise DomainError(_("Enter a web address such as https://www.example.co.jp."), "website")
    unknown = set(data.offers) - set(INTERESTS) or set(data.seeks) - set(INTERESTS)
    if unknown:
        raise DomainError(_("Unknown interest: %(kinds)s.", kinds=", ".join(sorted(unknown))), "seeks")
    if data.industry is not None and data.industry not in INDUSTRIES:
        raise DomainError(_("Unknown industry."), "industry")
    if data.employees is not None and not 0 <= data.employees <= 10_000_000:
        raise DomainError(_("Enter a number of employees between 0 and 10,000,000."), "employees")
    if data.year_founded is not None and not 1600 <= data.year_founded <= 2100:
        raise DomainError(_("Enter a year between 1600 and 2100."), "year_founded")
    if data.year_founded is not None and data.year_founded > latest_founding_year():
        raise DomainError(_("%(value)d is still to come: enter the year the firm was founded.",
                            value=data.year_founded), "year_founded")
    if len(certifications_text(data.certifications)) > 500:
        raise DomainError(_("Keep the certifications under 500 characters."), "other_certifications")
    for money in ("capital", "investment", "turnover"):
        _check_money(data, money)
    sector_ids = set(data.sector_ids)
    sectors = list(db.session.scalars(select(Sector).where(Sector.id.in_(sector_ids)))) if sector_ids else []
    if len(sectors) != len(sector_ids):
        raise DomainError(_("Unknown sector."), "sectors")
    return region, sorted(sectors, key=lambda s: (s.position, s.name))


def _joined(codes) -> str:
    return ",".join(sorted(set(codes), key=INTERESTS.index))


def firm_values(data: FirmData) -> dict:
    """The column values `data` gives a firm, normalised as stored."""
    values = {
        "name": half_width(data.name).strip(), "name_ja": data.name_ja.strip(), "name_kana": reading(data.name_kana),
        "city": half_width(data.city).strip(), "offers": _joined(data.offers), "seeks": _joined(data.seeks),
        "description": data.description.strip(), "website": data.website.strip(),
        "year_founded": data.year_founded, "employees": data.employees, "industry": data.industry,
        "certifications": certifications_text(data.certifications),
        "status": data.status,
    }
    for money in ("capital", "investment", "turnover"):
        amount = getattr(data, f"{money}_amount")
        values[f"{money}_amount"] = None if amount is None else Decimal(amount).quantize(Decimal("0.01"))
        values[f"{money}_currency"] = getattr(data, f"{money}_currency") if amount is not None else None
    values["name_key"] = name_key(values["name"])
    values["website_domain"] = website_domain(values["website"])
    return values


def changed_fields(firm: Firm, data: FirmData, region: Region, sectors: list[Sector]) -> list[str]:
    """The names of the fields saving `data` would change (empty: nothing would change)."""
    changed = [key for key, value in firm_values(data).items() if getattr(firm, key) != value]
    if firm.region_id != region.id:
        changed.append("region")
    if {s.id for s in firm.sectors} != {s.id for s in sectors}:
        changed.append("sectors")
    return changed


def apply_firm(firm: Firm, data: FirmData, region: Region, sectors: list[Sector]) -> None:
    """Set the firm's fields from `data`; assigns only values that differ, so an unchanged save changes nothing."""
    for key, value in firm_values(data).items():
        if getattr(firm, key) != value:
            setattr(firm, key, value)
    if firm.region_id != region.id or firm.region is None:
        firm.region = region
    if {s.id for s in firm.sectors} != {s.id for s in sectors}:
        firm.sectors = sorted(sectors, key=lambda s: (s.position, s.name))
    size, _rule = firm_size(firm)
    if firm.size_class != size:
        firm.size_class = size


def _check_not_registered(data: FirmData, region: Region, firm: Firm | None = None) -> None:
    """Refuse a second firm of exactly the same legal name in a region (the import takes such a row for the
    registered firm): a form sent twice (Back, then Save again) registered the firm twice."""
    def exact(name: str) -> str:  # case, spacing and full-width letters aside
        return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()

    same = exact(data.name)
    if firm is not None and (firm.region_id, exact(firm.name)) == (region.id, same):
        return  # neither renamed nor moved: a pair registered twice before this rule stays editable
    if db.session.get_bind().dialect.name == "postgresql":  # two sends at once: one after the other
        db.session.execute(select(Region.id).where(Region.id == region.id).with_for_update())
    for other_id, other_name in db.session.execute(select(Firm.id, Firm.name).where(
            Firm.region_id == region.id, Firm.name_key == name_key(data.name), Firm.merged_into_id.is_(None),
            Firm.id != (firm.id if firm is not None else 0))):
        if exact(other_name) == same:
            raise DomainError(_("%(name)s is registered in %(region)s already (firm no. %(id)d): change it there.",
                                name=other_name, region=region.display_name, id=other_id), "name")


class LikelyDuplicates(DomainError):
    """Saving would register what looks like a firm in the registry already: the user opens that one, or
    confirms that this is another firm ("Save anyway"), as the import's preview asks before duplicates."""

    def __init__(self, firms: list[Firm]):
        super().__init__(_("This looks like a firm registered already (listed above): open it to update it, or "
                           "tick “Save anyway” if this is another firm."), "confirm_duplicate")
        self.firms = firms


def _check_no_likely_duplicate(data: FirmData, region: Region, user, firm: Firm | None = None) -> None:
    if firm is not None and (firm.region_id, name_keys(firm.name, firm.name_ja), firm.website_domain) == (
            region.id, name_keys(data.name, data.name_ja), website_domain(data.website)):
        return  # neither renamed, moved nor given another website: an edit is not asked again
    found = likely_duplicates(region.id, name_keys(data.name, data.name_ja), website_domain(data.website),
                              scoped_select(Firm, user), exclude_id=firm.id if firm is not None else None)
    if found:
        raise LikelyDuplicates(found)


def create_firm(data: FirmData, user, *, confirm_duplicate: bool = False) -> Firm:
    """Register a firm; unless `confirm_duplicate`, refused with LikelyDuplicates when it looks like one the
    user can see already (the form registered first and warned after)."""
    region, sectors = check_firm(data, user)
    _check_not_registered(data, region)
    if not confirm_duplicate:
        _check_no_likely_duplicate(data, region, user)
    firm = Firm(size_class="unknown")
    firm.region = region
    apply_firm(firm, data, region, sectors)
    db.session.add(firm)
    db.session.flush()
    return firm


def merged_message(firm: Firm) -> str:
    return _("This firm was merged into #%(id)d and is kept as a record only: make changes there.",
             id=firm.merged_into_id)


def update_firm(firm: Firm, data: FirmData, user, *, confirm_duplicate: bool = False) -> Firm:
    if firm.merged_into_id is not None:
        raise DomainError(merged_message(firm))
    region, sectors = check_firm(data, user)
    _check_not_registered(data, region, firm)
    if not confirm_duplicate:
        _check_no_likely_duplicate(data, region, user, firm)
    apply_firm(firm, data, region, sectors)
    db.session.flush()
    return firm


def firm_data_of(firm: Firm) -> FirmData:
    return FirmData(
        name=firm.name, region_id=firm.region_id, name_ja=firm.name_ja, name_kana=firm.name_kana, city=firm.city,
        sector_ids=[s.id for s in firm.sectors], offers=firm.offers_list, seeks=firm.seeks_list,
        description=firm.description, website=firm.website, year_founded=firm.year_founded,
        employees=firm.employees, industry=firm.industry, capital_amount=firm.capital_amount,
        capital_currency=firm.capital_currency, investment_amount=firm.investment_amount,
        investment_currency=firm.investment_currency, turnover_amount=firm.turnover_amount,
        turnover_currency=firm.turnover_currency, certifications=firm.certification_list, status=firm.status)


# Contacts ------------------------------------------------------------------------------------------------------

def _person_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def _check_contact(data: ContactData, firm: Firm, current: FirmContact | None = None) -> None:
    if not data.name.strip():
        raise DomainError(_("Enter the contact's name."), "name")
    if data.language not in LANGUAGES:
        raise DomainError(_("Choose English or Japanese."), "language")
    check_phone(data.phone)
    # the same person twice on one firm: two copies drift apart, and mails go out twice
    email, name = data.email.strip().lower(), _person_key(data.name)
    for other in firm.contacts:
        if other is current:
            continue
        if email and other.email == email:
            raise DomainError(_("%(name)s has this e-mail address already on this firm.", name=other.name), "email")
        if name and _person_key(other.name) == name and not (email and other.email and other.email != email):
            raise DomainError(_("%(name)s is a contact of this firm already; edit that one instead.",
                                name=other.name), "name")


def add_contact(firm: Firm, data: ContactData) -> FirmContact:
    if firm.merged_into_id is not None:  # its contacts moved to the firm it was merged into; a new one is lost
        raise DomainError(_("This firm was merged into #%(id)d: add the contact there.", id=firm.merged_into_id),
                          "name")
    _check_contact(data, firm)
    contact = FirmContact(firm=firm, name=data.name.strip(), title=data.title.strip(),
                          email=data.email.strip().lower(), phone=plain_phone(data.phone), language=data.language)
    db.session.add(contact)
    db.session.flush()
    return contact


def update_contact(contact: FirmContact, data: ContactData) -> FirmContact:
    _check_contact(data, contact.firm, contact)
    contact.name, contact.title = data.name.strip(), data.title.strip()
    contact.email, contact.phone, contact.language = data.email.strip().lower(), plain_phone(data.phone), data.language
    db.session.flush()
    return contact


def remove_contact(contact: FirmContact) -> None:
    contact.firm.contacts.remove(contact)
    db.session.delete(contact)
    db.session.flush()


def contact_of(firm: Firm, contact_id) -> FirmContact | None:
    """The contact with this id if it belongs to `firm` (child routes check the parent in the URL)."""
    try:
        ident = int(contact_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(FirmContact).where(FirmContact.id == ident, FirmContact.firm_id == firm.id))


# Duplicates and merging --------------------------------------------------------------------------------------

def name_keys(name: str, name_ja: str = "") -> tuple[str, ...]:
    """What duplicate detection compares of a firm's names: the key of its name, then of its Japanese name
    (株式会社甲府精密 and 甲府精密株式会社 have one key; "Kofu Seimitsu" alone said nothing of either)."""
    return tuple(dict.fromkeys(key for key in (name_key(name), name_key(name_ja)) if key))


def firms_named(region_id: int, keys: tuple[str, ...]) -> list[int]:
    """The ids of the region's firms (not merged away) whose name or Japanese name has one of `keys`."""
    if not keys:
        return []
    live = (Firm.region_id == region_id, Firm.merged_into_id.is_(None))
    ids = list(db.session.scalars(select(Firm.id).where(*live, Firm.name_key.in_(keys))))
    # the Japanese names' keys are worked out here rather than stored: a region's firms are a few hundred
    ids += [firm_id for firm_id, name_ja in db.session.execute(select(Firm.id, Firm.name_ja).where(
        *live, Firm.name_ja != "")) if name_key(name_ja) in keys]
    return ids


def likely_duplicates(region_id: int, keys: tuple[str, ...], domain: str, stmt=None, *,
                      exclude_id: int | None = None) -> list[Firm]:
    """Firms that look like the same firm: a name key shared in the same region (name or Japanese name, either
    way round), or the same website domain.  Firms merged away are none."""
    conditions = []
    if same_name := firms_named(region_id, keys):
        conditions.append(Firm.id.in_(same_name))
    if domain:
        conditions.append(Firm.website_domain == domain)
    if not conditions:
        return []
    stmt = stmt if stmt is not None else select(Firm)
    stmt = stmt.where(or_(*conditions), Firm.merged_into_id.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Firm.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Firm.id)).unique())


def duplicates_of(firm: Firm, stmt=None) -> list[Firm]:
    """Other firms that look like the same firm (see likely_duplicates)."""
    return likely_duplicates(firm.region_id, name_keys(firm.name, firm.name_ja), firm.website_domain, stmt,
                             exclude_id=firm.id)


def _has_history(firm: Firm) -> bool:
    """Whether B2B participations, follow-ups or agreements name the firm (they keep it: deleting is refused)."""
    from planner.followups.agreement_models import agreement_firms
    from planner.followups.models import followup_firms
    from planner.matchmaking.models import B2BParticipant

    return any(db.session.scalar(select(column).where(column == firm.id).limit(1)) is not None
               for column in (B2BParticipant.firm_id, followup_firms.c.firm_id, agreement_firms.c.firm_id))


def merge_firms(kept: Firm, other: Firm, user, *, delete_other: bool = False) -> Firm:
    """Move the other firm's contacts, sectors and interests to `kept`; archive (or delete) the other. Admins only."""
    if user.role != Role.ADMIN:
        raise DomainError(_("Only administrators merge firms."))
    if kept.id == other.id:
        raise DomainError(_("Choose another firm to merge into this one."), "other")
    if kept.merged_into_id is not None or other.merged_into_id is not None:
        raise DomainError(_("A firm merged already cannot take part in another merge."), "other")
    if delete_other and _has_history(other):
        raise DomainError(_("%(name)s has B2B meetings, follow-ups or agreements: archive it instead, so that "
                            "they keep their firm.", name=other.name), "then")
    moved = 0
    known = {(c.name.casefold(), c.email) for c in kept.contacts}
    for contact in list(other.contacts):
        if (contact.name.casefold(), contact.email) in known:
            continue
        other.contacts.remove(contact)
        kept.contacts.append(contact)
        moved += 1
    sectors = {s.id: s for s in [*kept.sectors, *other.sectors]}
    if set(sectors) != {s.id for s in kept.sectors}:
        kept.sectors = sorted(sectors.values(), key=lambda s: (s.position, s.name))
    kept.offers = _joined([*kept.offers_list, *other.offers_list])
    kept.seeks = _joined([*kept.seeks_list, *other.seeks_list])
    for attr in ("name_ja", "name_kana", "city", "description", "website", "certifications"):
        if not getattr(kept, attr) and getattr(other, attr):
            setattr(kept, attr, getattr(other, attr))
    if not kept.website_domain and other.website_domain:
        kept.website_domain = other.website_domain
    note = _("merged %(other)s (#%(id)d) into %(kept)s; %(n)d contacts moved",
             other=other.name, id=other.id, kept=kept.name, n=moved)
    record_action(kept, "merge", note=note)
    # people of the other firm now belong to the kept one (deleting would have unlinked them)
    from planner.delegations.models import Person

    db.session.execute(update(Person).where(Person.firm_id == other.id).values(firm_id=kept.id))
    if delete_other:
        record_action(other, "merge-delete", note=note)
        db.session.execute(update(Firm).where(Firm.merged_into_id == other.id).values(merged_into_id=kept.id))
        db.session.delete(other)
    else:
        other.status = "archived"
        other.merged_into_id = kept.id
        record_action(other, "merge-archive", note=note)
    db.session.flush()
    return kept
