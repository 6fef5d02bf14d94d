"""Currency conversion with the administrators' rate table, in exact Decimals.

A value converts with the rates in force on the given day (for each pair, the latest `valid_from` on or before
it; a pair counts either way round, JPY→INR from an INR→JPY rate). The pair's own rate in force comes first,
else the route through the third currency (INR→USD→JPY) with both legs in force: a direct INR→JPY rate valid
from 2026 does not re-value an agreement signed in 2023 that the USD rates of 2023 converted. For a day before
the rates begin, the route whose rates start soonest after it (the pair's own on a tie). Results are rounded
half up, as people round: to whole yen (a converted ¥8,038,575,667.66 read as if sen were paid), to cents for
rupees and dollars. No rate at all: None (the page shows the value as entered only)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select

from planner.extensions import db
from planner.followups.agreement_models import CURRENCIES, ExchangeRate

CENT = Decimal("0.01")
UNIT = {"JPY": Decimal(1)}  # what a converted amount is rounded to: whole yen (no sen in practice), else cents


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

    def _pair(self, base: str, quote: str, day: date) -> tuple[Decimal, date] | None:
        """The pair's rate for `day`, entered either way round, and the day it applies from (after `day` when
        `day` is before the pair's first rate, which is taken then)."""
        history = [(valid_from, True, rate) for valid_from, rate in self.pairs.get((base, quote), [])]
        history += [(valid_from, False, Decimal(1) / rate) for valid_from, rate in self.pairs.get((quote, base), [])]
        if not history:
            return None
        in_force = [entry for entry in history if entry[0] <= day]
        if in_force:  # the latest; of two from the same day, the one entered this way round
            valid_from, _, rate = max(in_force, key=lambda entry: entry[:2])
        else:
            valid_from, _, rate = min(history, key=lambda entry: (entry[0], not entry[1]))
        return rate, valid_from

    def rate_on(self, base: str, quote: str, day: date) -> tuple[Decimal, date] | None:
        """How many `quote` one `base` buys on `day` (unrounded), and the day from which every rate it comes
        from applies (after `day` only for a day before the rates begin); None without a route."""
        if base == quote:
            return Decimal(1), day
        routes = []  # (days until the route's rates all apply, order of preference, rate, from)
        direct = self._pair(base, quote, day)
        if direct is not None:
            routes.append((max(0, (direct[1] - day).days), 0, direct[0], direct[1]))
        for order, middle in enumerate(CURRENCIES, start=1):
            if middle in (base, quote):
                continue
            first, second = self._pair(base, middle, day), self._pair(middle, quote, day)
            if first is not None and second is not None:
                start = max(first[1], second[1])
                routes.append((max(0, (start - day).days), order, first[0] * second[0], start))
        if not routes:
            return None
        _, _, rate, start = min(routes)
        return rate, start

    def rate(self, base: str, quote: str, day: date) -> Decimal | None:
        """How many `quote` one `base` buys on `day` (unrounded), or None."""
        found = self.rate_on(base, quote, day)
        return found[0] if found is not None else None

    def convert(self, amount: Decimal, base: str, quote: str, day: date) -> Decimal | None:
        rate = self.rate(base, quote, day)
        if rate is None:
            return None
        try:
            return (Decimal(amount) * rate).quantize(UNIT.get(quote, CENT), rounding=ROUND_HALF_UP)
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


def rate_text(rate: Decimal) -> str:
    """A rate as people read it: 2 decimals from 1 up (84.25, 1.79), 3 significant digits below (0.56, 0.0119)."""
    rate = Decimal(rate)
    if rate >= 1:
        return f"{rate.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    places = Decimal(1).scaleb(rate.adjusted() - 2)
    return f"{rate.quantize(places, rounding=ROUND_HALF_UP).normalize():f}"
