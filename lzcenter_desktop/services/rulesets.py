"""Rule-set versions per call year: the thresholds a declaration of that year is checked against.

Each save adds a new version (never overwrites); a year without its own version uses the latest
version of the nearest earlier year, and the Measures' defaults when there is none.
"""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlmodel import Session, col, select

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dto import RuleSetVersionView
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AnnualCall, RuleSetVersion

MIN_YEAR = 2000
MAX_YEAR = 2100


def _check_year(year: int) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(f"年度“{year}”无效，应为 {MIN_YEAR}—{MAX_YEAR} 之间的整数", field="年度")
    return year


def _settings(row: RuleSetVersion) -> RuleSettings:
    return RuleSettings.from_json_dict(json.loads(row.settings_json))


def settings_for_year(ctx: AppContext, year: int) -> RuleSettings:
    """The latest version for ``year``, else the latest of the nearest earlier year, else the defaults."""
    with reading(ctx) as session:
        row = session.execute(
            select(RuleSetVersion)
            .where(col(RuleSetVersion.year) <= year)
            .order_by(col(RuleSetVersion.year).desc(), col(RuleSetVersion.version_no).desc())
            .limit(1)
        ).scalar_one_or_none()
        return _settings(row) if row is not None else DEFAULT_SETTINGS


def list_versions(ctx: AppContext, year: int) -> list[RuleSetVersionView]:
    """Every saved version of ``year``, oldest first."""
    with reading(ctx) as session:
        rows = session.execute(
            select(RuleSetVersion)
            .where(col(RuleSetVersion.year) == year)
            .order_by(col(RuleSetVersion.version_no))
        ).scalars()
        return [
            RuleSetVersionView(
                year=r.year,
                version_no=r.version_no,
                created_at=r.created_at,
                operator=r.operator,
                note=r.note,
                settings=_settings(r),
            )
            for r in rows
        ]


def add_settings_version(
    session: Session, *, year: int, settings: RuleSettings, note: str, operator: str
) -> int:
    _check_year(year)
    if not isinstance(settings, RuleSettings):
        raise ServiceError("规则参数无效", field="规则参数")
    last = session.execute(
        select(func.max(col(RuleSetVersion.version_no))).where(col(RuleSetVersion.year) == year)
    ).scalar_one()
    version_no = int(last or 0) + 1
    row = RuleSetVersion.model_validate(
        {
            "year": year,
            "version_no": version_no,
            "operator": operator,
            "note": (note or "").strip(),
            "settings_json": json.dumps(settings.to_json_dict(), ensure_ascii=False, sort_keys=True),
        }
    )
    session.add(row)
    session.flush()
    return version_no


def save_settings(ctx: AppContext, *, year: int, settings: RuleSettings, note: str) -> int:
    """Save ``settings`` as a new version for ``year``; returns the version number (1, 2, …)."""
    with unit_of_work(ctx, "rulesets.save_settings") as session:
        return add_settings_version(session, year=year, settings=settings, note=note, operator=ctx.operator)


def call_years(ctx: AppContext) -> list[int]:
    """Years that have an annual call or saved rule settings, ascending."""
    with reading(ctx) as session:
        years = set(session.execute(select(col(AnnualCall.year))).scalars())
        years |= set(session.execute(select(col(RuleSetVersion.year)).distinct()).scalars())
    return sorted(years)
