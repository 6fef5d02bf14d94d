"""Bulk import: upload → preview (every row validated and classified) → confirm (valid rows saved at once).

Nothing is saved before the confirm; the parsed rows wait in `spreadsheet_imports` (``FirmImport``). The confirm classifies the rows
again against the registry as it is then, and saves them in the request's one transaction. A row that matches a
firm exactly (same legal name in the same region) updates it, and changes nothing when its values are the same —
so importing a file twice changes nothing the second time.
"""

import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.core.access import scope_clause
from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.imports import IMPORT_LIFETIME, claim, plain_name, purge_old_imports
from planner.core.phones import plain_phone
from planner.core.roles import Role
from planner.core.sheets import as_typed
from planner.core.types import utcnow
from planner.extensions import db
from planner.firms.models import Firm, FirmContact, FirmImport
from planner.firms.normalise import website_domain
from planner.firms.operations import (
    ContactData,
    FirmData,
    apply_firm,
    changed_fields,
    firm_data_of,
    name_keys,
)
from planner.firms.rows import RowParser
from planner.firms.spreadsheet import (
    COLUMN_NAMES,
    LEGACY_ENCODINGS,
    ImportFileError,
    column_label,
    read_upload,
    rows_csv,
)
from planner.regions.models import Region, Sector

STATUSES = ("new", "update", "unchanged", "duplicate", "error")


@dataclass
class RowOutcome:
    row: int
    status: str
    name: str = ""
    region: str = ""
    errors: list = field(default_factory=list)  # [(column, message)]
    note: str = ""
    firm_id: int | None = None
    data: FirmData | None = None
    contact: ContactData | None = None
    contact_change: bool = False

    def as_json(self) -> dict:
        return {"row": self.row, "status": self.status, "name": self.name, "region": self.region,
                "errors": [list(error) for error in self.errors], "note": self.note, "firm_id": self.firm_id}


def _exact(name: str) -> str:
    """A legal name as written, case, spacing and full-width letters aside (Ｈａｍａｍａｔｓｕ is Hamamatsu)."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _data(fields: dict, base: FirmData | None) -> FirmData:
    region = fields["region"]
    data = base or FirmData(name="", region_id=region.id)
    for key, value in fields.items():
        if key == "region":
            data.region_id = value.id
        elif key == "sectors":
            data.sector_ids = [s.id for s in value]
        else:
            setattr(data, key, value)
    return data


def _contact_change(firm: Firm | None, contact: ContactData | None) -> bool:
    if contact is None:
        return False
    for existing in (firm.contacts if firm else []):
        if existing.name.casefold() == contact.name.strip().casefold():
            return (existing.title, existing.email, existing.phone, existing.language) != (
                contact.title.strip(), contact.email.strip().lower(), plain_phone(contact.phone), contact.language)
    return True


class Classifier:
    """Classifies rows against the registry: new, update, unchanged, duplicate or error."""

    def __init__(self, user):
        self.user = user
        self.parser = RowParser(user, db.session.scalars(select(Region)),
                                db.session.scalars(select(Sector).where(Sector.is_active)))
        existing = db.session.execute(select(Firm.id, Firm.name, Firm.name_ja, Firm.region_id,
                                             Firm.website_domain).where(Firm.merged_into_id.is_(None))
                                      .order_by(Firm.id)).all()
        self.by_exact, self.by_key, self.by_domain, self.names = {}, {}, {}, {}
        for firm_id, name, name_ja, region_id, domain in existing:
            self.by_exact.setdefault((region_id, _exact(name)), firm_id)
            for key in name_keys(name, name_ja):  # the Japanese name's key too: 株式会社甲府精密 is 甲府精密株式会社
                self.by_key.setdefault((region_id, key), firm_id)
            if domain:
                self.by_domain.setdefault(domain, firm_id)
            self.names[firm_id] = name
        # A likely duplicate the uploader may not see (another region's draft) is flagged without its name.
        self.visible = set(db.session.scalars(select(Firm.id).where(scope_clause(Firm, user))))

    def classify(self, rows: list[dict]) -> list[RowOutcome]:
        outcomes, seen_key, seen_domain, matched, seen_exact = [], {}, {}, {}, {}
        for row in rows:
            fields, contact, errors = self.parser.parse(row["values"])
            region = fields.get("region")
            outcome = RowOutcome(row=row["row"], status="error", name=row["values"].get("name", ""),
                                 region=region.code if region else row["values"].get("region", ""),
                                 errors=errors, contact=contact)
            outcomes.append(outcome)
            if errors:
                continue
            keys = [(region.id, key) for key in name_keys(fields["name"], fields.get("name_ja", ""))]
            domain = website_domain(fields.get("website", ""))
            exact = (region.id, _exact(fields["name"]))
            exact_id = self.by_exact.get(exact)
            if exact in seen_exact:
                # the same legal name twice in the region: one firm, which a second row would register again
                outcome.errors = [("name", _("the same firm as row %(row)d of this file", row=seen_exact[exact]))]
                continue
            seen_exact[exact] = row["row"]
            earlier_by_name = next((seen_key[key] for key in keys if key in seen_key), None)
            if earlier_by_name is not None or (domain and domain in seen_domain):
                earlier = earlier_by_name or seen_domain.get(domain)
                outcome.status, outcome.note = "duplicate", _("looks like row %(row)d of this file", row=earlier)
                outcome.data = _data(fields, None)
            elif exact_id is not None:
                outcome.status, outcome.firm_id = "update", exact_id
                matched[exact_id] = (outcome, fields)
            else:
                other_id = next((self.by_key[key] for key in keys if key in self.by_key), None) or (
                    self.by_domain.get(domain) if domain else None)
                outcome.data = _data(fields, None)
                if other_id in self.visible:
                    outcome.status, outcome.firm_id = "duplicate", other_id
                    outcome.note = _("looks like %(name)s (#%(id)d)", name=self.names[other_id], id=other_id)
                elif other_id is not None:
                    outcome.status = "duplicate"
                    outcome.note = _("same website as a firm another office has not published")
                else:
                    outcome.status = "new"
            for key in keys:
                seen_key.setdefault(key, outcome.row)
            if domain:
                seen_domain.setdefault(domain, outcome.row)
        self._compare(matched)
        return outcomes

    def _compare(self, matched: dict) -> None:
        """Update or unchanged: load the exactly matched firms (in a few queries) and compare their values."""
        ids = list(matched)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            firms = db.session.scalars(select(Firm).where(Firm.id.in_(chunk))
                                       .options(selectinload(Firm.sectors), selectinload(Firm.contacts)))
            for firm in firms:
                outcome, fields = matched[firm.id]
                outcome.data = _data(fields, firm_data_of(firm))
                sectors = [s for s in fields.get("sectors", firm.sectors)]
                changes = changed_fields(firm, outcome.data, fields["region"], sectors)
                outcome.contact_change = _contact_change(firm, outcome.contact)
                if outcome.contact_change:
                    changes.append("contact")
                if changes:
                    outcome.note = _("changes: %(fields)s",
                                     fields=", ".join(column_label(change) for change in changes))
                else:
                    outcome.status = "unchanged"
        for outcome, fields in matched.values():
            if outcome.data is None:  # the firm vanished since the lists were read
                outcome.status, outcome.firm_id, outcome.data = "new", None, _data(fields, None)


def counts(outcomes) -> dict[str, int]:
    result = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        result[outcome.status if isinstance(outcome, RowOutcome) else outcome["status"]] += 1
    return result


# columns of the firm list's export that the import does not read (so that an exported list imports back
# without a warning about them)
EXPORT_ONLY_COLUMNS = ("id", "size_class", "contacts")


def start_import(user, filename: str, data: bytes) -> FirmImport:
    """Read and validate the upload, keep its rows server-side for the confirm; saves no firm."""
    if user.role not in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        raise DomainError(_("Only staff import firms."))
    country = user.region.country if getattr(user, "region", None) is not None else None
    header, rows = read_upload(filename, data, LEGACY_ENCODINGS.get(country))
    if not rows:  # a preview of nothing, with a confirm button, said nothing useful
        raise ImportFileError(_("The file has its column names but no firm under them."))
    outcomes = Classifier(user).classify(rows)
    now = utcnow()
    purge_old_imports(now)
    columns = [column for column in dict.fromkeys(header) if column in COLUMN_NAMES]
    # columns read as none of the template's (a typo such as "employes"): their cells are not imported, and
    # the preview says so
    ignored = [as_typed(column) for column in dict.fromkeys(header)
               if column and column not in COLUMN_NAMES and column not in EXPORT_ONLY_COLUMNS][:50]
    firm_import = FirmImport(uploaded_by_id=user.id, region_id=user.region_id, filename=plain_name(filename),
                             columns=columns, rows=rows, created_at=now, expires_at=now + IMPORT_LIFETIME,
                             summary={"counts": counts(outcomes), "outcomes": [o.as_json() for o in outcomes],
                                      "ignored_columns": [column[:100] for column in ignored]})
    db.session.add(firm_import)
    db.session.flush()
    return firm_import


def is_expired(firm_import: FirmImport) -> bool:
    return firm_import.is_expired


def _save_contact(firm: Firm, contact: ContactData) -> None:
    """The row's contact: the firm's contact of that name, or of that address (one person, as the contact form
    has it), updated; else a new one."""
    email = contact.email.strip().lower()
    for existing in firm.contacts:
        if existing.name.casefold() == contact.name.strip().casefold() or (email and existing.email == email):
            existing.title, existing.email = contact.title.strip(), contact.email.strip().lower()
            existing.phone, existing.language = plain_phone(contact.phone), contact.language
            return
    firm.contacts.append(FirmContact(name=contact.name.strip(), title=contact.title.strip(),
                                     email=contact.email.strip().lower(), phone=plain_phone(contact.phone),
                                     language=contact.language))


def savable(counts: dict, include_duplicates: bool = True) -> int:
    """How many rows of a preview a confirmation would save (new and changed firms, and the possible
    duplicates when they are included)."""
    return counts.get("new", 0) + counts.get("update", 0) + (counts.get("duplicate", 0) if include_duplicates else 0)


def confirm_import(firm_import: FirmImport, user, *, include_duplicates: bool = False) -> dict[str, int]:
    """Save every valid row in the current transaction; rows with errors (and duplicates, unless asked) are left."""
    if firm_import.is_expired:
        raise DomainError(_("This upload has expired. Upload the file again."))
    preview = firm_import.summary.get("counts", {})
    if not savable(preview, include_duplicates):
        if savable(preview):
            raise DomainError(_("Only rows that look like duplicates are left: tick “Also import the rows that "
                                "look like duplicates” to import them as new firms."))
        raise DomainError(_("Nothing to import: every row has an error or is unchanged. Fix the rows and upload "
                            "the file again."))
    claim(firm_import)
    outcomes = Classifier(user).classify(firm_import.rows)
    regions = {region.id: region for region in db.session.scalars(select(Region))}
    sectors = {sector.id: sector for sector in db.session.scalars(select(Sector))}
    saved = dict.fromkeys(("created", "updated", "unchanged", "skipped_duplicates", "errors"), 0)
    targets = {o.firm_id for o in outcomes if o.status == "update"}
    firms = {firm.id: firm for firm in db.session.scalars(
        select(Firm).where(Firm.id.in_(targets)).options(selectinload(Firm.sectors), selectinload(Firm.contacts)))
    } if targets else {}
    for outcome in outcomes:
        if outcome.status == "error":
            saved["errors"] += 1
            continue
        if outcome.status == "unchanged":
            saved["unchanged"] += 1
            continue
        if outcome.status == "duplicate" and not include_duplicates:
            saved["skipped_duplicates"] += 1
            continue
        data = outcome.data
        firm = firms.get(outcome.firm_id) if outcome.status == "update" else None
        if firm is None:
            firm = Firm(size_class="unknown")
            db.session.add(firm)
            saved["created"] += 1
        else:
            saved["updated"] += 1
        apply_firm(firm, data, regions[data.region_id], [sectors[i] for i in data.sector_ids])
        if outcome.contact is not None and (outcome.status != "update" or outcome.contact_change):
            _save_contact(firm, outcome.contact)
    db.session.flush()
    firm_import.summary = {"counts": counts(outcomes), "outcomes": [o.as_json() for o in outcomes],
                           "saved": saved, "included_duplicates": include_duplicates,
                           "ignored_columns": firm_import.summary.get("ignored_columns", [])}
    record_action(firm_import, "confirm", note=", ".join(f"{key} {value}" for key, value in saved.items()))
    db.session.flush()
    return saved


def error_rows_csv(firm_import: FirmImport) -> bytes:
    """The rows with errors, in the file's known columns plus an 'errors' column, to fix and import again;
    headed, and the errors' columns named, as the reader calls the columns (資本金 on Japanese pages), which
    the import reads back."""
    errors = {o["row"]: "; ".join(f"{column_label(column)}: {message}" for column, message in o["errors"])
              for o in firm_import.summary.get("outcomes", []) if o["status"] == "error"}
    rows = [row for row in firm_import.rows if row["row"] in errors]
    columns = firm_import.columns or COLUMN_NAMES
    return rows_csv(columns, rows, errors, extra_column=_("errors"), headers=[column_label(c) for c in columns])
