"""Money on Japanese pages: Babel's currency format for the ja locale, with the amount also in the units a
Japanese reader counts in (万・億 for yen, クロール for rupees). English pages keep their own format."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal

MAN, OKU = Decimal(10_000), Decimal(100_000_000)
CRORE, MILLION = Decimal(10_000_000), Decimal(1_000_000)
UNITS = {"crore": CRORE, "million": MILLION}


def _hundredths(value: Decimal) -> Decimal:
    """Rounded to 2 places half up, as people round (8.425 crore reads 8.43, not the banker's 8.42)."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _trim(value: Decimal) -> str:
    return format_decimal(_hundredths(value), format="#,##0.##", locale="ja")


def in_units(amount, unit: str) -> str:
    """An amount in crore or million for English pages, as the Japanese ones write 億 and クロール: at most 2
    decimals, rounded half up, trailing zeros dropped ('8.43', '150.5', '450')."""
    return f"{_hundredths(Decimal(amount) / UNITS[unit]).normalize():,f}"


def format_money_ja(amount, currency: str) -> str:
    """'￥125,000,000(1億2,500万円)', '₹25,000,000.00(2.5クロール)', '$1,200.00'."""
    if amount is None:
        return "—"
    amount = Decimal(amount)
    text = format_currency(amount, currency, locale="ja") if currency else format_decimal(amount, locale="ja")
    if currency == "JPY" and amount >= MAN * 100:
        text += f"({yen_words(amount)})"
    elif currency == "INR" and amount >= CRORE / 100:
        text += f"({_trim(amount / CRORE)}クロール)"
    return text


def yen_words(amount) -> str:
    """Yen as a Japanese reader says them, in 億 and 万: '3億円', '20億6,500万円', '5,000万円', '8,000円';
    an amount of more than whole 万 (a converted one) to the nearest 万, marked 約 ('約12億6,506万円')."""
    amount = Decimal(amount)
    if amount < MAN:
        return f"{_trim(amount)}円"
    man = int((amount / MAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    oku, rest = divmod(man, 10_000)
    words = (f"{oku:,}億" if oku else "") + (f"{rest:,}万" if rest else "") + "円"
    return ("約" if man * MAN != amount else "") + words
