"""Formatting of actual and required values for violation messages (Chinese conventions).

A value shown next to a bound must never look as if it met the bound when it does not: a failing
2.999 % is shown as ``2.99%``, never ``3.00%，要求 ≥ 3%``.  :func:`shown_percent` and
:func:`shown_ratio` guarantee that for percentages; :func:`yuan` and :func:`area` are exact, so
a failing amount or area never shows as the bound either.
"""

from __future__ import annotations

import math
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


def _decimal(n: int, digits: int) -> str:
    """``n / 10**digits`` written with exactly ``digits`` decimals."""
    sign = "-" if n < 0 else ""
    if digits == 0:
        return f"{sign}{abs(n)}"
    whole, rest = divmod(abs(n), 10**digits)
    return f"{sign}{whole}.{rest:0{digits}d}"


def _half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def shown_percent(
    value: Fraction,
    *,
    at_least: Fraction | None = None,
    at_most: Fraction | None = None,
    digits: int = 1,
) -> str:
    """``value`` as a percentage for a message that compares it with a bound (give exactly one).

    A value that meets the bound is shown as :func:`percent` shows it.  A value that fails is
    rounded as usual unless that would land on or across the bound; then it is rounded away from
    the bound (down below a ``≥`` bound, up above a ``≤`` bound) and, where the bound itself would
    show the same digits, given more digits — so the text always differs from the bound's:
    ``shown_percent(Fraction(2999, 100000), at_least=Fraction(3, 100), digits=2)`` → ``2.99%``.
    """
    if (at_least is None) == (at_most is None):
        raise ValueError("shown_percent needs exactly one of at_least and at_most")
    below = at_least is not None
    bound = at_least if at_least is not None else at_most
    assert bound is not None
    fails = value < bound if below else value > bound
    if not fails:
        return percent(value, digits)
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    limit = bound * 100
    d = max(digits, 0)
    while True:
        scale = 10**d
        n = _half_up(pct * scale)
        if (below and n >= limit * scale) or (not below and n <= limit * scale):
            n = math.floor(pct * scale) if below else math.ceil(pct * scale)
        if n != _half_up(limit * scale):
            return f"{_decimal(n, d)}%"
        d += 1  # ends: the exact value differs from the bound, so some precision separates them


def shown_ratio(
    part: int,
    whole: int,
    *,
    at_least: Fraction | None = None,
    at_most: Fraction | None = None,
    digits: int = 1,
) -> str:
    """``7/10 = 70%`` like :func:`ratio`, the percentage by :func:`shown_percent` (never the bound's
    text when the share fails it); ``0/0`` when there is nothing to count."""
    if whole == 0:
        return f"{part}/{whole}"
    shown = shown_percent(Fraction(part, whole), at_least=at_least, at_most=at_most, digits=digits)
    return f"{part}/{whole} = {shown}"


def at_least(f: Fraction) -> str:
    return f"≥ {format_fraction(f)}"


def at_most(f: Fraction) -> str:
    return f"≤ {format_fraction(f)}"


def yuan(amount: int) -> str:
    """Whole yuan in 万元, exactly: ``5100000`` → ``510万元``, ``4999999`` → ``499.9999万元``.

    Exact (never rounded), so an amount one yuan short of a bound never shows as the bound."""
    if amount % 10000 == 0:
        return f"{amount // 10000}万元"
    whole, rest = divmod(abs(amount), 10000)
    sign = "-" if amount < 0 else ""
    return f"{sign}{whole}.{rest:04d}".rstrip("0") + "万元"


def area(value: int | float) -> str:
    """``300`` → ``300m²``; a fraction of a m² is shown in full (``299.99m²``), never rounded."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}m²"


def day(d: date) -> str:
    return d.isoformat()
