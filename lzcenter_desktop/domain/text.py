"""Formatting of actual and required values for violation messages (Chinese conventions)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .settings import format_fraction


def percent(f: Fraction, digits: int = 1) -> str:
    """``Fraction(7, 10)`` → ``70%``; ``Fraction(2, 3)`` → ``66.7%`` (rounded for display only)."""
    pct = f * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{float(pct):.{digits}f}%"


def ratio(part: int, whole: int) -> str:
    """``7/10 = 70%``; ``0/0`` when there is nothing to count."""
    if whole == 0:
        return f"{part}/{whole}"
    return f"{part}/{whole} = {percent(Fraction(part, whole))}"


def at_least(f: Fraction) -> str:
    return f"≥ {format_fraction(f)}"


def at_most(f: Fraction) -> str:
    return f"≤ {format_fraction(f)}"


def yuan(amount: int) -> str:
    """Whole yuan in 万元, exactly: ``5100000`` → ``510万元``, ``4999999`` → ``499.9999万元``."""
    if amount % 10000 == 0:
        return f"{amount // 10000}万元"
    whole, rest = divmod(abs(amount), 10000)
    sign = "-" if amount < 0 else ""
    return f"{sign}{whole}.{rest:04d}".rstrip("0") + "万元"


def area(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}m²"


def day(d: date) -> str:
    return d.isoformat()
