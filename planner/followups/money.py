"""Currency conversion with the administrators' rate table, in exact Decimals.

A value converts with the rate of the pair in force on the given day (the latest `valid_from` on or before it);
for a day before the pair's first rate, the first rate. A pair is found directly (INR→JPY), inverted (JPY→INR
from an INR→JPY rate), or through the third currency (INR→USD→JPY). Results are rounded to 2 places,
half to even. No rate at all: None (the page shows the value as entered only)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from sqlalchemy import select

from planner.extensions import db
from planner.followups.agreement_models import CURRENCIES, ExchangeRate

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RateTable:
    """All rates, loaded once per page: {(base, quote): [(valid_from, rate), ...] oldest first}."""

    pairs: dict

    @classmethod
    def load(cls) -> "RateTable":
        pairs: dict = {}
        for rate in db.session.scalars(select(ExchangeRate).order_by(ExchangeRate.valid_from, ExchangeRate.id)):
            pairs.setdefault((rate.base, rate.quote), []).append((rate.valid_from, Decimal(rate.rate)))
        return cls(pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def _direct(self, base: str, quote: str, day: date) -> Decimal | None:
        history = self.pairs.get((base, quote))
        if not history:
            return None
        in_force = [rate for valid_from, rate in history if valid_from <= day]
        return in_force[-1] if in_force else history[0][1]

    def rate(self, base: str, quote: str, day: date) -> Decimal | None:
        """How many `quote` one `base` buys on `day` (unrounded), or None."""
        if base == quote:
            return Decimal(1)
        direct = self._direct(base, quote, day)
        if direct is not None:
            return direct
        inverse = self._direct(quote, base, day)
        if inverse is not None:
            return Decimal(1) / inverse
        for middle in CURRENCIES:
            if middle in (base, quote):
                continue
            first, second = self.rate_no_cross(base, middle, day), self.rate_no_cross(middle, quote, day)
            if first is not None and second is not None:
                return first * second
        return None

    def rate_no_cross(self, base: str, quote: str, day: date) -> Decimal | None:
        direct = self._direct(base, quote, day)
        if direct is not None:
            return direct
        inverse = self._direct(quote, base, day)
        return Decimal(1) / inverse if inverse is not None else None

    def convert(self, amount: Decimal, base: str, quote: str, day: date) -> Decimal | None:
        rate = self.rate(base, quote, day)
        if rate is None:
            return None
        try:
            return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:  # beyond what the decimal context holds: shown as not convertible
            return None

    def equivalents(self, amount: Decimal | None, currency: str | None, day: date) -> dict[str, Decimal]:
        """The value in the other two currencies, where the table allows."""
        if amount is None or currency is None:
            return {}
        found = {}
        for other in CURRENCIES:
            if other != currency:
                converted = self.convert(amount, currency, other, day)
                if converted is not None:
                    found[other] = converted
        return found


def format_money(amount: Decimal | None, currency: str | None) -> str:
    """'INR 12,50,00,000.00' is how India groups; the planner keeps one grouping for all: 'INR 125,000,000.00'."""
    if amount is None or currency is None:
        return "—"
    return f"{currency} {Decimal(amount):,.2f}"
