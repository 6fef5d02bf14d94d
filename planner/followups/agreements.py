"""Agreement rules: parties checked through the user's scope, dated status changes, and the rate table."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.access import MAX_ID, scoped_select
from planner.core.audit import current_actor, record_action
from planner.core.errors import DomainError, ErrorCollector
from planner.core.roles import Role
from planner.core.timefmt import JST, format_date
from planner.extensions import db
from planner.firms.models import Firm
from planner.firms.operations import MAX_AMOUNT  # the firms' limit: exact to the cent on SQLite too
from planner.followups.agreement_models import (
    AGREEMENT_STATUSES,
    CURRENCIES,
    KINDS,
    Agreement,
    AgreementStatusChange,
    ExchangeRate,
)
from planner.followups.models import FollowUp
from planner.followups.money import RateTable, rate_text
from planner.matchmaking.models import Meeting
from planner.partnerships.models import Partnership
from planner.regions.models import Region, Sector

MAX_JOBS = 10_000_000


@dataclass
class AgreementData:
    title: str = ""
    kind: str = "mou"
    partnership_id: int | None = None
    signed_on: date | None = None
    value_amount: Decimal | str | None = None  # as typed on the form ("12.5 crore") or a Decimal
    value_currency: str | None = None
    jobs_expected: int | None = None
    sector_id: int | None = None
    notes: str = ""
    firm_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    followup_ids: list[int] = field(default_factory=list)
    meeting_ids: list[int] = field(default_factory=list)


def _written_amount(text: str) -> Decimal:
    """An amount as agreements and press releases write it: '12.5 crore', '5億', '₹ 40 lakh',
    read as the firm import reads it."""
    from planner.firms.rows import parse_amount as parse_written

    try:
        return parse_written(text)[0]
    except ValueError as error:  # what is wrong with it (negative, too large, mixed currencies), and how to write it
        raise DomainError(_("%(problem)s. Enter the amount as digits, e.g. 12500000.00, or with crore, lakh, 億 or "
                            "万.", problem=str(error)), "value_amount") from None


def implied_currency(text) -> str | None:
    """The currency an amount's own words name ('12.5 crore', '₹40 lakh': INR; '5億', '¥3000万': JPY; 'US$2 mn':
    USD), or None for digits alone."""
    from planner.firms.rows import parse_amount as parse_written

    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_written(text)[1]
    except ValueError:
        return None


def currency_of(text, chosen: str | None) -> str | None:
    """The agreement's currency: the one chosen, else the one the amount's words imply; a choice the words
    contradict (12.5 crore in JPY) is refused rather than stored as ¥125,000,000."""
    implied = implied_currency(text)
    if implied and chosen and implied != chosen:
        raise DomainError(_("The amount is in %(implied)s but the currency chosen is %(chosen)s.", implied=implied,
                            chosen=chosen), "value_amount")
    return chosen or implied


def parse_amount(text) -> Decimal | None:
    """'1,25,00,000.50', '125000000.5', '12.5 crore' or '5億' → Decimal; '' → None. Never goes through float."""
    if text is None or isinstance(text, float):
        raise DomainError(_("Enter the amount as digits."), "value_amount")
    if isinstance(text, Decimal):
        value = text
    else:
        from planner.firms.rows import digits_of

        if not str(text).replace(",", "").replace(" ", "").replace("_", ""):
            return None
        digits = digits_of(str(text).replace(" ", "").replace("_", ""))  # '1,5' is not 15
        try:
            value = Decimal(digits) if digits is not None else _written_amount(str(text))
        except InvalidOperation:
            value = _written_amount(str(text))
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value.as_tuple().exponent < -2:
        raise DomainError(_("Enter an amount from 0 to %(max)s with at most 2 decimals.", max=f"{MAX_AMOUNT:,}"),
                          "value_amount")
    return value


def _get(model, ident):
    """The row, or None for no id or one that names no row (a number beyond the database's
    integers included: it overflowed the query)."""
    return db.session.get(model, ident) if ident and 0 < ident <= MAX_ID else None


def may_file_under(partnership: Partnership, user) -> bool:
    """A cell or office files agreements under its own region's partnerships (another pair's reports
    would count them); an administrator under any."""
    return user.role not in (Role.STATE, Role.PREFECTURE) or user.region_id in (
        partnership.state_id, partnership.prefecture_id)


def _scoped(model, ids, user, field_name: str, message: str) -> list:
    ids = set(ids or [])
    if not ids:
        return []
    if not all(0 < i <= MAX_ID for i in ids):
        raise DomainError(message, field_name)
    found = list(db.session.scalars(scoped_select(model, user).where(model.id.in_(ids))))
    if len(found) != len(ids):
        raise DomainError(message, field_name)
    return found


def _linked(model, current: list, ids, user, field_name: str, message: str) -> list:
    """The records ``ids`` name.  Those already on the agreement stay without a scope check: the
    other party may have linked what this user cannot see (its own follow-up, a firm its region
    has archived since), and an edit by one party must neither fail on it nor drop it.  New ones
    must be in the user's scope."""
    ids = set(ids or [])
    kept = [r for r in current if r.id in ids]
    return kept + _scoped(model, ids - {r.id for r in kept}, user, field_name, message)


def hidden_followups(agreement: Agreement, user) -> list[FollowUp]:
    """The agreement's follow-ups this user may not open (another party's): never listed to
    the user, kept on every edit."""
    ids = [f.id for f in agreement.followups]
    visible = set(db.session.scalars(scoped_select(FollowUp, user).with_only_columns(FollowUp.id)
                                     .where(FollowUp.id.in_(ids)))) if ids else set()
    return [f for f in agreement.followups if f.id not in visible]


def visible_links(agreement: Agreement, user) -> tuple[list[FollowUp], list[Meeting], int]:
    """What led to the agreement, as far as this user may see it: its follow-ups and meetings,
    and how many others there are (the other parties')."""
    hidden = {f.id for f in hidden_followups(agreement, user)}
    ids = [m.id for m in agreement.meetings]
    seen = set(db.session.scalars(scoped_select(Meeting, user).with_only_columns(Meeting.id)
                                  .where(Meeting.id.in_(ids)))) if ids else set()
    followups = [f for f in agreement.followups if f.id not in hidden]
    meetings = [m for m in agreement.meetings if m.id in seen]
    return followups, meetings, len(hidden) + len(ids) - len(meetings)


def direct_meetings(agreement: Agreement) -> list[Meeting]:
    """Meetings linked to the agreement on their own, not through one of its follow-ups."""
    through = {f.meeting_id for f in agreement.followups}
    return [m for m in agreement.meetings if m.id not in through]


def _check(data: AgreementData, user, agreement: Agreement | None = None) -> dict:
    """What `data` names, checked; every refusal at once (each check that does not depend on another runs)."""
    errors = ErrorCollector()
    title = (data.title or "").strip()
    partnership = sector = firms = regions = None
    followups: list = []
    meetings: list = []
    with errors.check():
        if not title:
            raise DomainError(_("Give the agreement a title."), "title")
        if len(title) > 300:
            raise DomainError(_("Keep the title under 300 characters."), "title")
    with errors.check():
        if data.kind not in KINDS:
            raise DomainError(_("Choose MoU, LoI or joint venture."), "kind")
    with errors.check():
        if data.signed_on is None or not 1950 <= data.signed_on.year <= 2100:
            raise DomainError(_("Enter the signing date."), "signed_on")
        if data.signed_on > latest_today():
            raise DomainError(_("Record an agreement once it is signed: the date cannot be in the future."),
                              "signed_on")
    with errors.check():
        if isinstance(data.value_amount, str):  # as typed: its words may name the currency (12.5 crore, 5億)
            text = data.value_amount
            if text.strip():
                data.value_amount = parse_amount(text)  # what is wrong with the amount itself comes first
                data.value_currency = currency_of(text, data.value_currency or None)
            else:
                data.value_amount = None
        if (data.value_amount is None) != (data.value_currency in (None, "")):
            raise DomainError(_("Give a value together with its currency (INR, JPY or USD)."), "value_currency")
        if data.value_currency not in (None, "") and data.value_currency not in CURRENCIES:
            raise DomainError(_("Choose INR, JPY or USD."), "value_currency")
        if data.value_amount is not None:
            data.value_amount = parse_amount(data.value_amount)
    with errors.check():
        if data.jobs_expected is not None and not 0 <= data.jobs_expected <= MAX_JOBS:
            raise DomainError(_("Enter a number of jobs from 0 to %(n)d.", n=MAX_JOBS), "jobs_expected")
    with errors.check():
        partnership = _get(Partnership, data.partnership_id)
        if data.partnership_id and partnership is None:
            raise DomainError(_("Unknown partnership."), "partnership")
        if partnership is not None and not may_file_under(partnership, user) \
                and not (agreement is not None and agreement.partnership_id == partnership.id):
            raise DomainError(_("Choose a partnership of %(region)s.", region=user.region.display_name),
                              "partnership")
    with errors.check():
        sector = _get(Sector, data.sector_id)
        if data.sector_id and sector is None:
            raise DomainError(_("Unknown sector."), "sector")
    with errors.check():
        firms = _linked(Firm, agreement.firms if agreement else [], data.firm_ids, user, "firms",
                        _("Unknown firm."))
    with errors.check():
        region_ids = set(data.region_ids or [])
        found = list(db.session.scalars(select(Region).where(Region.id.in_(region_ids)))) \
            if region_ids and all(0 < i <= MAX_ID for i in region_ids) else []
        if len(found) != len(region_ids):
            raise DomainError(_("Unknown state or prefecture."), "regions")
        regions = found
    if firms is not None and regions is not None:  # the rules on the parties as a whole need all of them
        with errors.check():
            if not firms and not regions:
                raise DomainError(_("Name at least one party: a firm, a state or a prefecture."), "regions")
            if user.role in (Role.STATE, Role.PREFECTURE) and not (
                    any(r.id == user.region_id for r in regions) or any(f.region_id == user.region_id for f in firms)):
                raise DomainError(_("One party must be %(region)s or one of its firms.",
                                    region=user.region.display_name), "regions")
            if agreement is not None:
                _check_parties_kept(agreement, regions, firms, user)
    with errors.check():
        current_followups = agreement.followups if agreement else []
        followups = _linked(FollowUp, current_followups, data.followup_ids, user, "followups",
                            _("Unknown follow-up."))
    with errors.check():
        # meetings come with the follow-ups they led to; others are named on their own
        meetings = _linked(Meeting, agreement.meetings if agreement else [], data.meeting_ids, user,
                           "meetings", _("Unknown meeting."))
    errors.raise_any()
    named = {m.id for m in meetings}
    for f in followups:
        if f.meeting is not None and f.meeting_id not in named:
            meetings.append(f.meeting)
            named.add(f.meeting_id)
    if partnership is None and not data.partnership_id:
        partnership = _partnership_of_parties(regions, firms, user)
    return {"title": title, "partnership": partnership, "sector": sector, "firms": firms, "regions": regions,
            "followups": followups, "meetings": meetings}


def _partnership_of_parties(regions: list[Region], firms: list[Firm], user) -> Partnership | None:
    """The one partnership pairing a state and a prefecture among the parties (or their firms' regions), when
    there is exactly one: an MoU between Gujarat and Shizuoka left at '—' was missing from the Gujarat–Shizuoka
    dashboard that opened by default."""
    region_ids = {region.id for region in regions} | {firm.region_id for firm in firms}
    found = list(db.session.scalars(select(Partnership).where(Partnership.state_id.in_(region_ids),
                                                              Partnership.prefecture_id.in_(region_ids))))
    if len(found) == 1 and may_file_under(found[0], user):
        return found[0]
    return None


def _check_parties_kept(agreement: Agreement, regions: list[Region], firms: list[Firm], user) -> None:
    """A party region sees the agreement (by itself or through one of its firms): another party taking it off
    would make the record vanish from that region's lists and totals.  Only the region itself or an
    administrator takes it off."""
    if user.role == Role.ADMIN:
        return
    after = {region.id for region in regions} | {firm.region_id for firm in firms}
    before = {region.id: region for region in agreement.regions}
    for firm in agreement.firms:
        before.setdefault(firm.region_id, firm.region)
    lost = [region for region_id, region in before.items() if region_id not in after and region_id != user.region_id]
    if lost:
        region = min(lost, key=lambda r: r.code)
        raise DomainError(_("%(region)s is a party to this agreement: only %(region)s itself or an administrator "
                            "can take it off.", region=region.display_name), "regions")


def _apply(agreement: Agreement, data: AgreementData, checked: dict) -> None:
    agreement.title = checked["title"]
    agreement.kind = data.kind
    agreement.partnership = checked["partnership"]
    agreement.signed_on = data.signed_on
    agreement.value_amount = data.value_amount
    agreement.value_currency = data.value_currency or None
    agreement.jobs_expected = data.jobs_expected
    agreement.sector = checked["sector"]
    agreement.notes = (data.notes or "").strip()
    agreement.firms = checked["firms"]
    agreement.regions = checked["regions"]
    agreement.followups = checked["followups"]
    agreement.meetings = checked["meetings"]


def _advance_followups(agreement: Agreement) -> None:
    """The follow-ups that led to a signed agreement have reached 'MoU or LoI signed' at least: the funnel
    showed 'MoU/LoI or later 0' beside 'Agreements signed 1'.  Each move is in the follow-up's history."""
    from planner.followups.models import STAGES
    from planner.followups.operations import write_entry

    signed = STAGES.index("mou_signed")
    for followup in agreement.followups:
        if followup.stage != "no_interest" and STAGES.index(followup.stage) < signed:
            write_entry(followup, "update", {"stage": {"old": followup.stage, "new": "mou_signed"}},
                        _("Agreement recorded: %(title)s", title=agreement.title))
            followup.stage = "mou_signed"


class SameAgreementRecorded(DomainError):
    """The agreement looks recorded already: saved again only when the user confirms it is another one."""

    def __init__(self, same: list[Agreement]):
        super().__init__(_("This agreement looks recorded already: same title, partnership, signing date and "
                           "value. Open it to update it, or tick “Save anyway: this is another agreement”."),
                         "title")
        self.same = same


def _title_key(title: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", title or "").casefold().split())


def same_agreements(data: AgreementData, partnership: Partnership | None, user) -> list[Agreement]:
    """The agreements ``user`` can open with the same title (case and spacing aside), partnership, signing date
    and value as ``data``: a second record of one MoU counted it twice in every total, so the form shows them,
    as the follow-up form shows what was recorded from the same meeting."""
    stmt = scoped_select(Agreement, user).where(
        Agreement.signed_on == data.signed_on,
        Agreement.partnership_id == partnership.id if partnership is not None else Agreement.partnership_id.is_(None))
    amount = Decimal(data.value_amount) if data.value_amount is not None else None
    return [a for a in db.session.scalars(stmt.order_by(Agreement.id)).unique()
            if _title_key(a.title) == _title_key(data.title) and (a.value_currency or None) == (data.value_currency or None)
            and (Decimal(a.value_amount) if a.value_amount is not None else None) == amount]


def create_agreement(data: AgreementData, user, *, confirmed_same: bool = False) -> Agreement:
    """``confirmed_same``: the user has seen the agreements that look the same and records this one anyway."""
    checked = _check(data, user)
    if not confirmed_same:
        same = same_agreements(data, checked["partnership"], user)
        if same:
            raise SameAgreementRecorded(same)
    agreement = Agreement(status="signed")
    _apply(agreement, data, checked)
    _advance_followups(agreement)
    agreement.status_changes = [AgreementStatusChange(status="signed", changed_on=data.signed_on,
                                                      actor_label=current_actor()[1][:255])]
    db.session.add(agreement)
    db.session.flush()
    return agreement


def update_agreement(agreement: Agreement, data: AgreementData, user) -> Agreement:
    """``data.followup_ids`` and ``data.meeting_ids`` are those the user chose among what it may
    see: the other parties' follow-ups stay (``hidden_followups``), and meetings linked on
    their own stay unless ``meeting_ids`` leaves them out."""
    data.followup_ids = sorted(set(data.followup_ids or []) | {f.id for f in hidden_followups(agreement, user)})
    checked = _check(data, user, agreement)
    signing, *later = sorted(agreement.status_changes, key=lambda change: change.id)
    if later and data.signed_on > min(change.changed_on for change in later):
        raise DomainError(_("The status changed on %(date)s: the agreement was signed before that.",
                            date=format_date(min(change.changed_on for change in later))), "signed_on")
    _apply(agreement, data, checked)
    _advance_followups(agreement)
    signing.changed_on = agreement.signed_on  # the history's first entry is the signing: it moves with the date
    db.session.flush()
    return agreement


def latest_today() -> date:
    """Today where it is latest of the two sides (Japan): a date signed or changed 'today' in Tokyo is not in
    the future for an office in India."""
    return datetime.now(JST).date()


def change_status(agreement: Agreement, status: str, changed_on: date | None, note: str = "") -> None:
    if status not in AGREEMENT_STATUSES:
        raise DomainError(_("Choose a status from the list."), "status")
    if changed_on is None or not 1950 <= changed_on.year <= 2100:
        raise DomainError(_("Enter the date of the change."), "changed_on")
    if changed_on < agreement.signed_on:
        raise DomainError(_("A status cannot change before the agreement was signed."), "changed_on")
    if changed_on > latest_today():
        raise DomainError(_("Record a change once it has happened: the date cannot be in the future."), "changed_on")
    previous = max((change.changed_on for change in agreement.status_changes), default=None)
    if previous is not None and changed_on < previous:  # the history reads in order, ending with the status
        raise DomainError(_("The last change is dated %(date)s; this one cannot come before it.",
                            date=format_date(previous)), "changed_on")
    if status == agreement.status:
        raise DomainError(_("The agreement has this status already."), "status")
    if len(note or "") > 1000:
        raise DomainError(_("Keep the note under 1,000 characters."), "note")
    agreement.status_changes.append(AgreementStatusChange(status=status, changed_on=changed_on,
                                                          note=(note or "").strip(),
                                                          actor_label=current_actor()[1][:255]))
    agreement.status = status
    db.session.flush()
    record_action(agreement, "status", note=f"{status} on {changed_on.isoformat()}")


MIN_RATE, MAX_RATE = Decimal("0.0001"), Decimal("10000")
FAR_OFF = 5  # a new rate this many times above or below the one the table holds is taken for a typo until confirmed
THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
RATE_DIGITS = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")


class RateFarOff(DomainError):
    """The rate is far from the one in force for the pair: saved only when the administrator confirms it."""


def _parse_rate(rate) -> Decimal:
    """'84.25', '1,234.5' or '８４.２５' → Decimal.  A comma between anything but thousands is refused: '84,5'
    (a decimal comma) was read as 845."""
    if isinstance(rate, Decimal):
        value = rate
    else:
        text = unicodedata.normalize("NFKC", str(rate if not isinstance(rate, float) else "")).strip()
        if "," in text:
            if not THOUSANDS.match(text):
                if re.fullmatch(r"\d+,\d+", text):
                    raise DomainError(_("Write the decimal point as “.”: %(rate)s.", rate=text.replace(",", ".")),
                                      "rate")
                raise DomainError(_("Write the rate in digits with a decimal point, e.g. 84.25; a comma only "
                                    "between thousands (1,234.5)."), "rate")
            text = text.replace(",", "")
        value = Decimal(text) if RATE_DIGITS.match(text) else None
    if value is None or not value.is_finite() or value <= 0 or value.as_tuple().exponent < -8:
        raise DomainError(_("Enter a positive rate with at most 8 decimals."), "rate")
    return value


def rate_in_words(rate: Decimal, base: str, quote: str) -> str:
    """'1 INR = 1.79 JPY (1 JPY = 0.56 INR)': both ways round, as either side reads a rate."""
    return _("1 %(base)s = %(rate)s %(quote)s (1 %(quote)s = %(inverse)s %(base)s)", base=base, quote=quote,
             rate=rate_text(rate), inverse=rate_text(Decimal(1) / rate))


def _check_near_known(base: str, quote: str, value: Decimal, valid_from: date) -> None:
    """A rate far from what the table holds for the pair on that day (its own rate or through USD) is most
    likely a slip (84.25 typed for 1 INR → JPY, which is about 1.8): refused until confirmed."""
    known = RateTable.load().rate_on(base, quote, valid_from)
    if known is None:
        return
    rate, applies_from = known
    if (value > rate * FAR_OFF or value * FAR_OFF < rate):
        words = rate_in_words(rate, base, quote)
        if applies_from <= valid_from:
            held = _("%(rate)s is in force on that day.", rate=words)
        else:
            held = _("%(rate)s applies from %(date)s.", rate=words, date=format_date(applies_from))
        raise RateFarOff(_("This rate is more than %(n)d times off: %(held)s Correct it, or tick “Save anyway: "
                           "the rate is right”.", n=FAR_OFF, held=held), "rate")


def add_rate(base: str, quote: str, rate, valid_from: date | None, *, confirmed: bool = False) -> ExchangeRate:
    """``confirmed``: the administrator has seen that the rate is far from the table's and keeps it."""
    if base not in CURRENCIES:
        raise DomainError(_("Choose INR, JPY or USD."), "base")
    if quote not in CURRENCIES or quote == base:
        raise DomainError(_("Choose another currency than the base."), "quote")
    value = _parse_rate(rate)
    # between INR, JPY and USD a unit is worth 0.005 to 200 of another: a rate far outside that is a typo (a
    # missing decimal point), and through a third currency two of them made amounts too large to show (a 500)
    if not MIN_RATE <= value <= MAX_RATE:
        raise DomainError(_("Enter a rate from %(low)s to %(high)s: one unit of the base currency in the other.",
                            low=f"{MIN_RATE:f}", high=f"{MAX_RATE:,}"), "rate")
    if valid_from is None or not 1950 <= valid_from.year <= 2100:
        raise DomainError(_("Enter the first day the rate applies."), "valid_from")
    exists = db.session.scalar(select(ExchangeRate.id).where(ExchangeRate.base == base, ExchangeRate.quote == quote,
                                                             ExchangeRate.valid_from == valid_from))
    if exists:
        raise DomainError(_("There is a rate for this pair from that day already."), "valid_from")
    # the pair the other way round from the same day: which of the two applies was left to chance, and every
    # converted value changed silently when the second was added
    reverse = db.session.scalar(select(ExchangeRate).where(ExchangeRate.base == quote, ExchangeRate.quote == base,
                                                           ExchangeRate.valid_from == valid_from))
    if reverse is not None:
        raise DomainError(_("1 %(base)s = %(rate)s %(quote)s applies from that day already; delete it first to "
                            "enter the pair the other way round.", base=quote, quote=base,
                            rate=f"{reverse.rate.normalize():f}"), "valid_from")
    if not confirmed:
        _check_near_known(base, quote, value, valid_from)
    rate_row = ExchangeRate(base=base, quote=quote, rate=value, valid_from=valid_from)
    db.session.add(rate_row)
    db.session.flush()
    return rate_row
