"""现场核查 (第二十一条, E21c): the reproducible random draw of a year's received 工作年报 and the
site findings recorded against a drawn report.

Candidates are the year's reports that reached the bureau (已提交 or 已备案 with a submission date,
on time or late) and are not yet in an earlier draw of that year. The draw itself (seed, optional
strata by 所在区县 — the host's ``district_code`` — or by 第一产业领域 — the centre's first
industry, allocation rule) is :func:`lzcenter_desktop.domain.report_dues.draw`; the seed is recorded
in the draw's method (``随机抽取3家（种子 2025，按所在区县分层）``), so the list can be drawn again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import report_dues
from lzcenter_desktop.services.annual.dues import RECEIVED_REPORT_STATUSES
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    CenterIndustry,
    Organization,
    VerificationDraw,
)

#: stratify → the Chinese name of the strata (``None``: no strata)
STRATA: dict[str, str] = {"district": "所在区县", "industry": "第一产业领域"}
FINDINGS_MAX = 1000
NOTE_MAX = 1000
SEED_MAX = 2**63 - 1


@dataclass(frozen=True, slots=True)
class DrawnReport:
    report_id: int
    center_id: int
    center_name: str
    stratum: str | None  # district code or industry when stratified
    findings: str | None  # the site findings, once recorded


@dataclass(frozen=True, slots=True)
class SpotCheckDraw:
    draw_id: int
    year: int
    drawn_on: date
    method: str
    note: str | None
    reports: tuple[DrawnReport, ...]


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ServiceError(f"年报年度“{year}”无效，应为四位数年份", field="年报年度")


def _candidates(session: Session, year: int) -> list[AnnualReport]:
    return list(
        session.execute(
            select(AnnualReport)
            .where(
                col(AnnualReport.year) == year,
                col(AnnualReport.status).in_(sorted(RECEIVED_REPORT_STATUSES)),
                col(AnnualReport.submitted_on).is_not(None),
                col(AnnualReport.verification_draw_id).is_(None),
            )
            .order_by(col(AnnualReport.id))
        ).scalars()
    )


def _strata(session: Session, reports: list[AnnualReport], stratify: str) -> dict[int, str | None]:
    centre_ids = [r.center_id for r in reports]
    if stratify == "district":
        rows = session.execute(
            select(col(Center.id), col(Organization.district_code))
            .join(Organization, col(Organization.id) == col(Center.host_id))
            .where(col(Center.id).in_(centre_ids))
        ).all()
    else:
        rows = session.execute(
            select(col(CenterIndustry.center_id), col(CenterIndustry.industry)).where(
                col(CenterIndustry.center_id).in_(centre_ids), col(CenterIndustry.position) == 0
            )
        ).all()
    by_centre = {int(cid): (str(value) if value else None) for cid, value in rows}
    return {r.id or 0: by_centre.get(r.center_id) for r in reports}


def draw_spot_checks(
    ctx: AppContext,
    *,
    year: int,
    count: int,
    drawn_on: date,
    seed: int | None = None,
    stratify: str | None = None,
    note: str | None = None,
) -> SpotCheckDraw:
    """Draw ``count`` of ``year``'s received reports for on-site verification and link them to a
    new draw, in one unit of work; ``seed`` is chosen at random when not given and always recorded.
    ``stratify`` is ``None``, ``"district"`` or ``"industry"``."""
    _check_year(year)
    if stratify is not None and stratify not in STRATA:
        names = "、".join(STRATA.values())
        raise ServiceError(f"分层方式“{stratify}”无效，应为不分层或以下之一：{names}", field="分层方式")
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise ServiceError(f"随机种子“{seed}”无效，应为非负整数", field="随机种子")
    clean_note = note.strip() if note and note.strip() else None
    if clean_note is not None and len(clean_note) > NOTE_MAX:
        raise ServiceError(f"备注不能超过 {NOTE_MAX} 字（现为 {len(clean_note)} 字）", field="备注")
    with unit_of_work(ctx, "annual.draw_spot_checks") as session:
        reports = _candidates(session, year)
        by_id = {r.id or 0: r for r in reports}
        stratum_name = STRATA[stratify] if stratify is not None else None
        try:
            if stratify is None:
                drawn = report_dues.draw(sorted(by_id), count, seed, year=year)
            else:
                drawn = report_dues.draw(
                    _strata(session, reports, stratify), count, seed, year=year, stratified=True
                )
        except ValueError as exc:
            raise ServiceError(str(exc), field="抽取数量") from exc
        draw = VerificationDraw.model_validate(
            {
                "year": year,
                "drawn_on": drawn_on,
                "method": report_dues.draw_method(count, seed, stratum_name),
                "note": clean_note,
            }
        )
        session.add(draw)
        session.flush()
        assert draw.id is not None
        strata = {d.key: d.stratum for d in drawn}
        for d in drawn:
            report = by_id[d.key]
            report.verification_draw_id = draw.id
            session.add(report)
        session.flush()
        return _view(session, draw, strata)


def _view(session: Session, draw: VerificationDraw, strata: dict[int, str | None]) -> SpotCheckDraw:
    assert draw.id is not None
    rows = session.execute(
        select(AnnualReport, col(Center.name_zh))
        .join(Center, col(Center.id) == col(AnnualReport.center_id))
        .where(col(AnnualReport.verification_draw_id) == draw.id)
        .order_by(col(AnnualReport.id))
    ).all()
    return SpotCheckDraw(
        draw_id=draw.id,
        year=draw.year,
        drawn_on=draw.drawn_on,
        method=draw.method,
        note=draw.note,
        reports=tuple(
            DrawnReport(
                report_id=report.id or 0,
                center_id=report.center_id,
                center_name=str(name),
                stratum=strata.get(report.id or 0),
                findings=report.verification_result,
            )
            for report, name in rows
        ),
    )


def get_draw(ctx: AppContext, draw_id: int) -> SpotCheckDraw:
    """A recorded draw and its reports with their findings (no strata: they are in the method)."""
    with reading(ctx) as session:
        draw = session.get(VerificationDraw, draw_id)
        if draw is None:
            raise NotFound(f"找不到编号为 {draw_id} 的现场核查抽取记录", field="抽取记录")
        return _view(session, draw, {})


def record_findings(ctx: AppContext, *, report_id: int, findings: str) -> None:
    """Record the site findings (现场核查结果) against a drawn report."""
    text = findings.strip() if isinstance(findings, str) else ""
    if not text:
        raise ServiceError("请填写现场核查结果", field="现场核查结果")
    if len(text) > FINDINGS_MAX:
        raise ServiceError(
            f"现场核查结果不能超过 {FINDINGS_MAX} 字（现为 {len(text)} 字），请精简后再保存",
            field="现场核查结果",
        )
    with unit_of_work(ctx, "annual.record_findings") as session:
        report = session.get(AnnualReport, report_id)
        if report is None:
            raise NotFound(f"找不到编号为 {report_id} 的工作年报", field="工作年报")
        if report.verification_draw_id is None:
            raise ServiceError(
                f"该中心{report.year}年度工作年报未被抽中现场核查，不能记录核查结果；请先抽取核查对象",
                field="工作年报",
            )
        report.verification_result = text
        session.add(report)
