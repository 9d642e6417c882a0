"""Formatting of actual / required values."""

from __future__ import annotations

from fractions import Fraction

from lzcenter_desktop.domain.text import area, at_least, at_most, percent, ratio, yuan


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
