"""Size class from a firm's figures: pure, no database. Returns the class and the rule that produced it.

Indian firms: MSME classes in force since April 2025 (investment in plant and machinery or equipment, and
turnover, both in rupees). Japanese firms: the SME Basic Act by industry (capital or employees), "mid-sized"
(chuken) above SME up to 2,000 employees, "large" beyond. Where the figures do not decide it: "unknown".
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from planner.core.timefmt import display_language
from planner.i18n.numbers import yen_words

CRORE = Decimal(10_000_000)
LAKH = Decimal(100_000)
MILLION = Decimal(1_000_000)

# class, investment limit, turnover limit (rupees); the smallest class whose both limits hold applies.
MSME_LIMITS = (
    ("micro", Decimal("2.5") * CRORE, 10 * CRORE),
    ("small", 25 * CRORE, 100 * CRORE),
    ("medium", 125 * CRORE, 500 * CRORE),
)
# industry: (capital limit in yen, employee limit)
SME_LIMITS = {
    "manufacturing": (300 * MILLION, 300),
    "wholesale": (100 * MILLION, 100),
    "retail": (50 * MILLION, 50),
    "services": (50 * MILLION, 100),
}
MID_SIZED_MAX_EMPLOYEES = 2000
INDUSTRY_RULE_NAMES = {"manufacturing": _l("manufacturing and others"), "wholesale": _l("wholesale"),
                       "retail": _l("retail"), "services": _l("services")}


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


def _crore(amount: Decimal) -> str:
    value = amount / CRORE
    return _l("₹%(value)s crore", value=f"{value.normalize():f}")


def _in_currency(money: Money | None, currency: str) -> Decimal | None:
    return money.amount if money is not None and money.currency == currency else None


def indian_size_class(investment: Money | None, turnover: Money | None) -> tuple[str, str]:
    inv, turn = _in_currency(investment, "INR"), _in_currency(turnover, "INR")
    if inv is None and turn is None:
        if investment is not None or turnover is not None:
            return "unknown", _l("MSME limits are in rupees; investment and turnover are given in another "
                                 "currency")
        return "unknown", _l("investment and turnover not given")
    _, top_inv, top_turn = MSME_LIMITS[-1]
    if (inv is not None and inv > top_inv) or (turn is not None and turn > top_turn):
        return "large", _l("above Indian MSME limits (since April 2025): investment over %(inv)s or "
                           "turnover over %(turn)s", inv=_crore(top_inv), turn=_crore(top_turn))
    if inv is None or turn is None:
        missing = _l("investment") if inv is None else _l("turnover")
        return "unknown", _l("%(missing)s not given in rupees; the MSME class needs both", missing=missing)
    for name, inv_limit, turn_limit in MSME_LIMITS:
        if inv <= inv_limit and turn <= turn_limit:
            return name, _l("Indian MSME (since April 2025): investment ≤ %(inv)s and turnover ≤ %(turn)s",
                            inv=_crore(inv_limit), turn=_crore(turn_limit))
    raise AssertionError("unreachable: amounts within the medium limits fall in a class")


class _YenLimit:
    """A capital limit written when the (lazy) message is: '¥300 million' on English pages, '3億円' on Japanese
    ones (where '300百万円' read oddly)."""

    def __init__(self, amount: Decimal):
        self.amount = amount

    def __str__(self) -> str:
        if display_language() == "ja":
            return yen_words(self.amount)
        return f"¥{self.amount / MILLION:,.0f} million"


def _japanese_for_industry(capital: Decimal | None, employees: int | None, industry: str) -> tuple[str, str]:
    cap_limit, staff_limit = SME_LIMITS[industry]
    limits = _l("%(industry)s: capital ≤ %(cap)s or ≤ %(staff)s employees",
                industry=INDUSTRY_RULE_NAMES[industry], cap=_YenLimit(cap_limit), staff=staff_limit)
    if (capital is not None and capital <= cap_limit) or (employees is not None and employees <= staff_limit):
        return "sme", _l("Japanese SME (SME Basic Act), %(limits)s", limits=limits)
    if capital is None or employees is None:
        return "unknown", _l("capital (in yen) and employees both needed to place a firm above SME size "
                             "(%(limits)s)", limits=limits)
    if employees <= MID_SIZED_MAX_EMPLOYEES:
        return "mid_sized", _l("mid-sized (chuken): above SME size (%(limits)s), up to 2,000 employees",
                               limits=limits)
    return "large", _l("large: above SME size and more than 2,000 employees")


def japanese_size_class(capital: Money | None, employees: int | None, industry: str | None) -> tuple[str, str]:
    yen = _in_currency(capital, "JPY")
    if yen is None and employees is None:
        if capital is not None:
            return "unknown", _l("SME limits are in yen; capital is given in %(currency)s and employees "
                                 "not given", currency=capital.currency)
        return "unknown", _l("capital and employees not given")
    if industry in SME_LIMITS:
        return _japanese_for_industry(yen, employees, industry)
    # Industry not given: the class is known only when every industry's limits give the same answer.
    results = {_japanese_for_industry(yen, employees, name)[0] for name in SME_LIMITS}
    if len(results) == 1:
        (size,) = results
        if size == "sme":
            return "sme", _l("Japanese SME (SME Basic Act) under the limits of every industry")
        if size == "large":
            return "large", _l("large: above SME size and more than 2,000 employees")
        if size == "mid_sized":
            return "mid_sized", _l("mid-sized (chuken): above SME size in every industry, up to 2,000 "
                                   "employees")
    return "unknown", _l("industry not given, and the class depends on it")


def size_class(country: str, *, investment: Money | None = None, turnover: Money | None = None,
               capital: Money | None = None, employees: int | None = None,
               industry: str | None = None) -> tuple[str, str]:
    """(class, rule text) for a firm of `country` ("IN" or "JP"). Never guesses: missing figures give "unknown".

    The rule text is a lazy string, translated when shown (saving a firm needs only the class)."""
    if country == "IN":
        return indian_size_class(investment, turnover)
    if country == "JP":
        return japanese_size_class(capital, employees, industry)
    return "unknown", _l("no size rule for this country")


def firm_size(firm) -> tuple[str, str]:
    """size_class() for a Firm (or anything with the same attributes)."""

    def money(name):
        amount, currency = getattr(firm, f"{name}_amount"), getattr(firm, f"{name}_currency")
        return Money(Decimal(amount), currency) if amount is not None and currency else None

    return size_class(firm.region.country, investment=money("investment"), turnover=money("turnover"),
                      capital=money("capital"), employees=firm.employees, industry=firm.industry)
