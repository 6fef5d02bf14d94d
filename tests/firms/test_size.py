"""Size classes at their exact boundaries; missing figures give "unknown", never a guess."""

from decimal import Decimal

import pytest

from planner.firms.size import CRORE, MILLION, Money, size_class


def inr(crore: str) -> Money:
    return Money(Decimal(crore) * CRORE, "INR")


def jpy(million: int) -> Money:
    return Money(Decimal(million) * MILLION, "JPY")


@pytest.mark.parametrize(("investment", "turnover", "expected"), [
    ("2.5", "10", "micro"),
    ("2.50000001", "10", "small"),
    ("2.5", "10.00000001", "small"),
    ("25", "100", "small"),
    ("25.00000001", "100", "medium"),
    ("25", "100.00000001", "medium"),
    ("125", "500", "medium"),
    ("125.00000001", "500", "large"),
    ("125", "500.00000001", "large"),
    ("0", "0", "micro"),
])
def test_indian_msme_class_at_the_boundaries(investment, turnover, expected):
    assert size_class("IN", investment=inr(investment), turnover=inr(turnover))[0] == expected


def test_indian_rule_text_names_the_limits():
    assert size_class("IN", investment=inr("20"), turnover=inr("90")) == (
        "small", "Indian MSME (since April 2025): investment ≤ ₹25 crore and turnover ≤ ₹100 crore")
    assert size_class("IN", investment=inr("1"), turnover=inr("1"))[1] == (
        "Indian MSME (since April 2025): investment ≤ ₹2.5 crore and turnover ≤ ₹10 crore")


def test_indian_firm_without_figures_is_unknown():
    assert size_class("IN") == ("unknown", "investment and turnover not given")


def test_indian_firm_with_only_one_figure_within_limits_is_unknown():
    assert size_class("IN", investment=inr("1"))[0] == "unknown"
    assert size_class("IN", turnover=inr("5"))[0] == "unknown"


def test_indian_firm_with_one_figure_beyond_medium_is_large():
    assert size_class("IN", turnover=inr("501"))[0] == "large"


def test_indian_figures_in_another_currency_are_not_converted():
    assert size_class("IN", investment=Money(Decimal(1000), "USD"), turnover=Money(Decimal(1000), "USD"))[0] == \
        "unknown"


@pytest.mark.parametrize(("industry", "capital_m", "staff_limit"), [
    ("manufacturing", 300, 300), ("wholesale", 100, 100), ("retail", 50, 50), ("services", 50, 100)])
def test_japanese_sme_limits_by_industry(industry, capital_m, staff_limit):
    big = jpy(10_000)
    assert size_class("JP", capital=jpy(capital_m), employees=5000, industry=industry)[0] == "sme"
    assert size_class("JP", capital=Money(jpy(capital_m).amount + 1, "JPY"), employees=staff_limit,
                      industry=industry)[0] == "sme"
    assert size_class("JP", capital=big, employees=staff_limit + 1, industry=industry)[0] == "mid_sized"


def test_japanese_mid_sized_up_to_2000_employees_and_large_beyond():
    assert size_class("JP", capital=jpy(301), employees=2000, industry="manufacturing")[0] == "mid_sized"
    assert size_class("JP", capital=jpy(301), employees=2001, industry="manufacturing")[0] == "large"


def test_japanese_rule_text_names_the_industry_limits():
    assert size_class("JP", capital=jpy(80), employees=240, industry="manufacturing") == (
        "sme", "Japanese SME (SME Basic Act), manufacturing and others: capital ≤ ¥300 million or ≤ 300 employees")


def test_japanese_rule_text_reads_the_limit_in_oku_on_japanese_pages(app):
    import flask_babel

    with app.test_request_context(headers={"Accept-Language": "ja"}):
        flask_babel.refresh()
        rule = str(size_class("JP", capital=jpy(80), employees=240, industry="services")[1])
        assert "資本金5,000万円以下または従業員100人以下" in rule and "百万円" not in rule
        rule = str(size_class("JP", capital=jpy(80), employees=240, industry="manufacturing")[1])
        assert "資本金3億円以下" in rule
    flask_babel.refresh()


def test_japanese_firm_above_one_limit_with_the_other_figure_missing_is_unknown():
    # capital or employees: a big capital alone does not rule out SME by employees.
    assert size_class("JP", capital=jpy(500), industry="manufacturing")[0] == "unknown"
    assert size_class("JP", employees=400, industry="manufacturing")[0] == "unknown"


def test_japanese_firm_without_industry_is_classed_only_when_every_industry_agrees():
    assert size_class("JP", employees=50) == (
        "sme", "Japanese SME (SME Basic Act) under the limits of every industry")
    assert size_class("JP", employees=150, capital=jpy(400))[0] == "unknown"
    assert size_class("JP", employees=2500, capital=jpy(400))[0] == "large"


def test_japanese_firm_without_figures_is_unknown():
    assert size_class("JP", industry="retail") == ("unknown", "capital and employees not given")


def test_japanese_capital_in_dollars_is_not_converted():
    assert size_class("JP", capital=Money(Decimal(1), "USD"), industry="retail")[0] == "unknown"
    assert size_class("JP", capital=Money(Decimal(1), "USD"), employees=10, industry="retail")[0] == "sme"
