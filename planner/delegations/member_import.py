"""A delegation's members from a spreadsheet: upload → preview (every row checked and classified) → confirm.

Each row is a person new to the planner, a person the uploader's region already sees (matched by e-mail address,
case aside), or someone already in the delegation (skipped; a row without an address is matched with the
delegation's members by name). Nothing is saved before the confirm; the rows wait
in ``spreadsheet_imports`` (``MemberImport``). The confirm classifies the rows again against the delegation as
it is then and saves them through the same operations as the members page (``create_person``, ``add_member``:
the same rules on who may add whom), all in the request's one transaction; it claims the upload first, so a
second confirm saves nothing.
"""

import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from planner.core.access import scope_clause
from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.imports import IMPORT_LIFETIME, claim, plain_name, purge_old_imports
from planner.core.roles import Role
from planner.core.sheets import LEGACY_ENCODINGS, ImportFileError, as_typed, read_upload, rows_csv
from planner.core.types import utcnow
from planner.delegations.member_sheet import LAYOUT, MemberRow, MemberRowParser
from planner.delegations.models import Delegation, MemberImport, Person
from planner.delegations.operations import PersonData, add_member, check_people_may_join, create_person
from planner.extensions import db

STATUSES = ("new", "existing", "member", "error")


@dataclass
class RowOutcome:
    row: int
    status: str
    name: str = ""
    email: str = ""
    role: str = ""
    errors: list = field(default_factory=list)  # [(column, message)]
    person_id: int | None = None  # the person matched (existing, member)
    person_name: str = ""
    data: MemberRow | None = None

    def as_json(self) -> dict:
        return {"row": self.row, "status": self.status, "name": self.name, "email": self.email, "role": self.role,
                "errors": [list(error) for error in self.errors], "person_id": self.person_id,
                "person_name": self.person_name}


def _same_name(name: str) -> str:
    """A name as written, case, spacing and full-width letters aside."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def default_language(user) -> str:
    """As the person form proposes: a prefecture office records mostly Japanese speakers."""
    region = getattr(user, "region", None)
    return "ja" if region is not None and region.country == "JP" else "en"


def classify(delegation: Delegation, user, rows: list[dict]) -> list[RowOutcome]:
    parser = MemberRowParser(default_language(user))
    parsed = [(row["row"], parser.parse(row["values"]), row["values"].get("email", "")) for row in rows]
    emails = {data.email for _number, data, _typed in parsed if data.email}
    # the people this region sees, by address (the lowest number first: the record the person form points to)
    known: dict[str, Person] = {}
    if emails:
        for person in db.session.scalars(select(Person).where(func.lower(Person.email).in_(emails),
                                                              scope_clause(Person, user)).order_by(Person.id)):
            known.setdefault(person.email.lower(), person)
    members = {member.person_id: member for member in delegation.members}
    # a row without an address is matched with the delegation's own members only, by name: a list imported
    # again adds nobody twice (anyone else of that name may be someone else)
    members_by_name = {}
    for member in delegation.members:
        for name in (member.person.name, member.person.name_ja):
            if name:
                members_by_name.setdefault(_same_name(name), member.person)
    head = delegation.head
    seen_email: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    head_row = None
    outcomes = []
    for number, data, typed_email in parsed:
        outcome = RowOutcome(row=number, status="error", name=data.name, email=data.email or typed_email,
                             role=data.role,
                             errors=list(data.errors), data=data)
        outcomes.append(outcome)
        if outcome.errors:
            continue
        if data.email and data.email in seen_email:
            outcome.errors = [("email", _("the same person as row %(row)d of this file", row=seen_email[data.email]))]
            continue
        if data.email:
            seen_email[data.email] = number
        elif _same_name(data.name) in seen_name:  # no address to tell them apart: the list names them twice
            outcome.errors = [("name", _("the same person as row %(row)d of this file",
                                         row=seen_name[_same_name(data.name)]))]
            continue
        seen_name.setdefault(_same_name(data.name), number)
        person = known.get(data.email) if data.email else members_by_name.get(_same_name(data.name))
        namesake = members_by_name.get(_same_name(data.name))
        if person is None and namesake is not None:
            # a member of this name with another address: most likely the same person (imported twice, whose
            # address changed); added again they would sit in the delegation twice
            outcome.errors = [("name", _("%(name)s is in the delegation already (person no. %(id)d, %(email)s). "
                                         "If this row is that person, leave it out or correct their address; "
                                         "someone else of the same name is added on the members page.",
                                         name=namesake.name, id=namesake.id, email=namesake.email or "—"))]
            continue
        if person is not None:
            outcome.person_id, outcome.person_name = person.id, person.name
            if person.id in members:
                outcome.status = "member"
                continue
            try:
                check_people_may_join(delegation, [person], user, "email")
            except DomainError as error:
                outcome.errors = [("email", error.message)]
                continue
        if data.role == "head":
            if head is not None:
                outcome.errors = [("role", _("The delegation has a head already: %(name)s.", name=head.name))]
                continue
            if head_row is not None:
                outcome.errors = [("role", _("row %(row)d is the head of delegation already", row=head_row))]
                continue
            head_row = number
        outcome.status = "existing" if person is not None else "new"
    return outcomes


def counts(outcomes) -> dict[str, int]:
    result = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        result[outcome.status if isinstance(outcome, RowOutcome) else outcome["status"]] += 1
    return result


def start_import(delegation: Delegation, user, filename: str, data: bytes) -> MemberImport:
    """Read and check the upload, keep its rows server-side for the confirm; saves no person."""
    if user.role not in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        raise DomainError(_("Only staff import members."))
    country = user.region.country if getattr(user, "region", None) is not None else None
    header, rows = read_upload(LAYOUT, filename, data, LEGACY_ENCODINGS.get(country))
    if not rows:
        raise ImportFileError(_("The file has its column names but nobody under them."))
    outcomes = classify(delegation, user, rows)
    now = utcnow()
    purge_old_imports(now)
    columns = [column for column in dict.fromkeys(header) if column in LAYOUT.column_names]
    ignored = [as_typed(column) for column in dict.fromkeys(header)
               if column and column not in LAYOUT.column_names][:50]
    member_import = MemberImport(uploaded_by_id=user.id, region_id=user.region_id, delegation_id=delegation.id,
                                 filename=plain_name(filename), columns=columns, rows=rows, created_at=now,
                                 expires_at=now + IMPORT_LIFETIME,
                                 summary={"counts": counts(outcomes), "outcomes": [o.as_json() for o in outcomes],
                                          "ignored_columns": [column[:100] for column in ignored]})
    db.session.add(member_import)
    db.session.flush()
    return member_import


def savable(counts: dict) -> int:
    return counts.get("new", 0) + counts.get("existing", 0)


def confirm_import(member_import: MemberImport, user) -> dict[str, int]:
    """Add every valid row to the delegation in the current transaction (rows with errors, and people in it
    already, are left); a row the rules refuse now stops the whole import, which saves nothing then."""
    if member_import.confirmed_at is not None:
        raise DomainError(_("This upload has been imported already."))
    if member_import.is_expired:
        raise DomainError(_("This upload has expired. Upload the file again."))
    if not savable(member_import.summary.get("counts", {})):
        raise DomainError(_("Nothing to import: every row has an error or is in the delegation already. Fix the "
                            "rows and upload the file again."))
    claim(member_import)
    delegation = member_import.delegation
    outcomes = classify(delegation, user, member_import.rows)
    saved = dict.fromkeys(("created", "added", "skipped", "errors"), 0)
    for outcome in outcomes:
        if outcome.status in ("error", "member"):
            saved["errors" if outcome.status == "error" else "skipped"] += 1
            continue
        data = outcome.data
        try:
            if outcome.status == "new":
                person = create_person(PersonData(
                    name=data.name, name_ja=data.name_ja, name_kana=data.name_kana, organisation=data.organisation, title=data.title,
                    email=data.email, phone=data.phone, preferred_language=data.preferred_language,
                    needs_interpreter=data.needs_interpreter, diet=data.diet, dietary=data.dietary,
                    accessibility=data.accessibility,
                    home_region_id=getattr(user, "region_id", None)), user)
                saved["created"] += 1
            else:
                person = db.session.get(Person, outcome.person_id)
                saved["added"] += 1
            add_member(delegation, person, data.role, data.precedence, user=user)
        except DomainError as error:
            raise DomainError(_("Row %(row)d: %(error)s", row=outcome.row, error=error.message)) from None
        except IntegrityError:
            # someone added one of these people since the rows were classified (the members page, another
            # import): the delegation's unique pair refused the second; the caller rolls back, claim included
            raise DomainError(_("Someone added people to the delegation while the import was being saved; nothing "
                                "from the file was saved. Confirm again: the rows are checked again.")) from None
    db.session.flush()
    member_import.summary = {"counts": counts(outcomes), "outcomes": [o.as_json() for o in outcomes],
                             "saved": saved, "ignored_columns": member_import.summary.get("ignored_columns", [])}
    record_action(member_import, "confirm", note=f"{delegation.title}: " + ", ".join(
        f"{key} {value}" for key, value in saved.items()))
    db.session.flush()
    return saved


def error_rows_csv(member_import: MemberImport) -> bytes:
    """The rows with errors, in the file's known columns plus an 'errors' column, to fix and import again."""
    errors = {o["row"]: "; ".join(f"{LAYOUT.column_label(column)}: {message}" for column, message in o["errors"])
              for o in member_import.summary.get("outcomes", []) if o["status"] == "error"}
    rows = [row for row in member_import.rows if row["row"] in errors]
    columns = member_import.columns or LAYOUT.column_names
    return rows_csv(columns, rows, errors, extra_column=_("errors"),
                    headers=[LAYOUT.column_label(column) for column in columns])
