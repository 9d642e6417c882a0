"""Formatting of actual / required values."""

from __future__ import annotations

from fractions import Fraction

import pytest

from lzcenter_desktop.domain.text import (
    area,
    at_least,
    at_most,
    percent,
    ratio,
    shown_percent,
    shown_ratio,
    yuan,
)


def test_percent_and_ratio() -> None:
    assert percent(Fraction(7, 10)) == "70%"
    assert percent(Fraction(2, 3)) == "66.7%"
    assert ratio(7, 10) == "7/10 = 70%"
    assert ratio(0, 0) == "0/0"
    assert at_least(Fraction(4, 5)) == "≥ 80%"
    assert at_most(Fraction(1, 3)) == "≤ 1/3"
    assert at_least(Fraction(2, 3)) == "≥ 2/3"


def test_yuan_is_exact() -> None:
    assert yuan(5_000_000) == "500万元"
    assert yuan(4_999_999) == "499.9999万元"
    assert yuan(5_100_000) == "510万元"
    assert yuan(12_345) == "1.2345万元"
    assert yuan(10_500) == "1.05万元"
    assert yuan(0) == "0万元"


def test_area() -> None:
    assert area(300) == "300m²"
    assert area(300.0) == "300m²"
    assert area(299.5) == "299.5m²"


# ---------------------------------------------------------------- never onto the bound


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (Fraction(2999, 100000), 2, "2.99%"),  # 2.999 %: ordinary rounding would give 3.00 %
        (Fraction(26_999_999, 900_000_000), 2, "2.99%"),  # just below
        (Fraction(3, 100), 2, "3%"),  # exactly at the bound: meets it
        (Fraction(30_000_001, 1_000_000_000), 2, "3.00%"),  # just above: meets it, shown as usual
        (Fraction(2, 3) / 25, 2, "2.67%"),  # a clear shortfall keeps ordinary rounding
    ],
)
def test_shown_percent_below_an_at_least_bound(value: Fraction, digits: int, shown: str) -> None:
    assert shown_percent(value, at_least=Fraction(3, 100), digits=digits) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(7999, 10000), "79.9%"),  # 79.99 % → not 80.0 %
        (Fraction(4, 5), "80%"),
        (Fraction(8001, 10000), "80.0%"),
        (Fraction(7, 10), "70%"),
    ],
)
def test_shown_percent_at_80_percent(value: Fraction, shown: str) -> None:
    assert shown_percent(value, at_least=Fraction(4, 5)) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(1, 3) - Fraction(1, 10**6), "33.3%"),  # meets ≤ 1/3
        (Fraction(1, 3), "33.3%"),
        (Fraction(1, 3) + Fraction(1, 10**6), "33.4%"),  # fails: rounded up, away from the bound
        (Fraction(4, 11), "36.4%"),
    ],
)
def test_shown_percent_above_an_at_most_bound(value: Fraction, shown: str) -> None:
    assert shown_percent(value, at_most=Fraction(1, 3)) == shown


def test_shown_percent_adds_digits_where_the_bound_would_show_the_same() -> None:
    # bound 2/3 = 66.666…% is shown 66.7% with one digit; 66.66 % rounds to 66.7 % too
    assert shown_percent(Fraction(6666, 10000), at_least=Fraction(2, 3)) == "66.6%"
    # ≥ 12.345 % (shown 12.3 % with one digit); 12.3449 % would show 12.3 % too → 12.34 %
    assert shown_percent(Fraction(123449, 1000000), at_least=Fraction(12345, 100000)) == "12.34%"
    # ≥ 12.35 % (shown 12.4 % with one digit); 12.349 % floors to 12.3 %
    assert shown_percent(Fraction(12349, 100000), at_least=Fraction(1235, 10000)) == "12.3%"
    # ≤ 12.34 % (shown 12.3 %); 12.3401 % rounds to 12.3 % → 12.4 %
    assert shown_percent(Fraction(123401, 1000000), at_most=Fraction(1234, 10000)) == "12.4%"
    # ≤ 12.36 % (shown 12.4 %); 12.3601 % ceils to 12.4 % = the bound's digits → 12.37 %
    assert shown_percent(Fraction(123601, 1000000), at_most=Fraction(1236, 10000)) == "12.37%"


@pytest.mark.parametrize("shortfall", [1, 7, 99, 10**4, 10**7])
def test_a_failing_share_never_shows_as_its_bound(shortfall: int) -> None:
    for bound in (Fraction(3, 100), Fraction(4, 5), Fraction(2, 5), Fraction(2, 3), Fraction(1, 3)):
        below = bound - Fraction(shortfall, 10**9)
        above = bound + Fraction(shortfall, 10**9)
        for digits in (0, 1, 2):
            low = shown_percent(below, at_least=bound, digits=digits)
            high = shown_percent(above, at_most=bound, digits=digits)
            limit = float(bound * 100)
            assert float(low.rstrip("%")) < limit and float(high.rstrip("%")) > limit, (bound, digits)


def test_shown_percent_needs_one_bound() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        shown_percent(Fraction(1, 2))
    with pytest.raises(ValueError, match="exactly one"):
        shown_percent(Fraction(1, 2), at_least=Fraction(1, 3), at_most=Fraction(2, 3))


def test_shown_ratio() -> None:
    assert shown_ratio(7, 10, at_least=Fraction(4, 5)) == "7/10 = 70%"
    assert shown_ratio(0, 0, at_least=Fraction(4, 5)) == "0/0"
    assert shown_ratio(3, 9, at_most=Fraction(1, 3)) == "3/9 = 33.3%"
    assert shown_ratio(7999, 10000, at_least=Fraction(4, 5)) == "7999/10000 = 79.9%"
    assert shown_ratio(3334, 10000, at_most=Fraction(1, 3)) == "3334/10000 = 33.4%"


@pytest.mark.parametrize(
    ("amount", "shown"), [(4_999_999, "499.9999万元"), (5_000_000, "500万元"), (5_000_001, "500.0001万元")]
)
def test_yuan_never_rounds_onto_the_bound(amount: int, shown: str) -> None:
    assert yuan(amount) == shown


@pytest.mark.parametrize(("value", "shown"), [(299.999, "299.999m²"), (300, "300m²"), (300.001, "300.001m²")])
def test_area_never_rounds_onto_the_bound(value: float, shown: str) -> None:
    assert area(value) == shown
