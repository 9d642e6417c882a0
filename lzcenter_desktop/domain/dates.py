"""Date arithmetic of the Measures: 周岁, 近N年, terms and waiting periods.

Periods counted in years or months end on the corresponding day; where that day does not exist
(29 February in a common year, 31 in a short month) they end on the last day of the month
(民法典 第二百零二条).  Results are clamped to ``date.min`` / ``date.max`` instead of raising.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta


def _clamped(year: int, month: int, day: int) -> date:
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def age_on(birth: date, ref: date) -> int:
    """Age in whole years (周岁) on ``ref``.

    Someone born on 29 February becomes a year older on 1 March in common years.
    """
    before_birthday = (ref.month, ref.day) < (birth.month, birth.day)
    return ref.year - birth.year - (1 if before_birthday else 0)


def years_before(ref: date, n: int) -> date:
    """``ref`` minus ``n`` years; 29 February becomes 28 February in a common year."""
    return _clamped(ref.year - n, ref.month, ref.day)


def years_after(start: date, n: int) -> date:
    """``start`` plus ``n`` years; 29 February becomes 28 February in a common year."""
    return _clamped(start.year + n, start.month, start.day)


def term_last_day(start: date, years: int) -> date:
    """Last day of a term of ``years`` years starting on ``start``: the day before the anniversary.

    A three-year term from 2023-01-01 ends on 2025-12-31; from 2024-02-29 on 2027-02-27.
    Used for the director's term (M12c) and the expert committee's term (M14e).
    """
    return years_after(start, years) - timedelta(days=1)


def reapply_allowed_from(revoked: date, wait_years: int) -> date:
    """First day a host whose centre was revoked on ``revoked`` may apply again (D25, E25).

    The corresponding date ``wait_years`` on (revoked 2024-05-20 → 2026-05-20; revoked 2024-02-29 →
    2026-02-28).  The one function used by eligibility, the lifecycle and the evaluation.
    """
    return years_after(revoked, wait_years)


def months_after(start: date, n: int) -> date:
    """``start`` plus ``n`` months, ending on the month's last day where the day does not exist."""
    index = start.year * 12 + (start.month - 1) + n
    return _clamped(index // 12, index % 12 + 1, start.day)


def within_recent_years(d: date, ref: date, n: int) -> bool:
    """Whether ``d`` lies in 近n年 = ``[ref − n years, ref]`` (both ends included)."""
    return years_before(ref, n) <= d <= ref


def complete_years(start: date, ref: date, end: date | None = None) -> list[int]:
    """Calendar years Y with ``start ≤ Y-01-01``, ``Y-12-31 < ref`` and (if given) ``Y-12-31 ≤ end``.

    These are the years for which "每年" obligations (meetings, months worked) can be checked.
    """
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = ref.year - 1
    if end is not None:
        last = min(last, end.year if (end.month, end.day) == (12, 31) else end.year - 1)
    return list(range(first, last + 1))


# ------------------------------------------------------------------ dates as clerks type them

TYPED_DATE_HINT = "请写成 2026-05-20、2026/5/20、20260520 或 2026年5月20日"
MIN_TYPED_YEAR = 1900
MAX_TYPED_YEAR = 2100
_TYPED_FORMS = (
    re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_typed_date(text: str) -> date | None:
    """A date typed as Excel accepts it: ``2026-05-20``, ``2026/5/20``, ``2026.5.20``, ``20260520``,
    ``2026年5月20日`` (full-width digits too). Blank → None. ``ValueError`` with a Chinese message
    (what was typed and how to write it) for anything else, a day that does not exist, or a year
    outside 1900–2100."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        return None
    for form in _TYPED_FORMS:
        m = form.fullmatch(cleaned)
        if m is None:
            continue
        groups = [g for g in m.groups() if g not in ("-", "/", ".")]
        year, month, day = (int(g) for g in groups)
        if not MIN_TYPED_YEAR <= year <= MAX_TYPED_YEAR:
            raise ValueError(f"“{text.strip()}”的年份应在 {MIN_TYPED_YEAR}—{MAX_TYPED_YEAR} 年之间")
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(f"“{text.strip()}”这一天不存在（{year}年{month}月没有{day}日）") from None
    raise ValueError(f"“{text.strip()}”不是日期，{TYPED_DATE_HINT}")
