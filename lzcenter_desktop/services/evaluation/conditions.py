"""E23a (第二十三条): the 第九条 conditions re-run on a centre's *current* data at the evaluation.

"Current data" is the centre's recognition declaration — the domain
:class:`~lzcenter_desktop.domain.model.Declaration` built the way the declaration checks build it
(the stored working document, blanks completed by :func:`domain.draft_checks.completed_copy`, then
:func:`domain.interchange.parse_declaration`) — with its received 工作年报 (status 已提交 / 已备案,
of a year up to the evaluation day's year) laid over it where the reports have the figures:

* from the **latest** received report: the 研发人员 (its full-time rows — 固定研究开发人员; a person
  is a 技术带头人 when the declaration named them one, same name and birth date, or when they are the
  report's 中心主任), the 科研集中用房面积 and the 主要科研仪器设备 — each only when the report has it
  (a staff or equipment table with rows, an area filled in);
* from **every** received report: its 科技计划项目 and 成果 added to the declaration's, each counted
  once (a project or patent the declaration or an earlier report already lists is not added
  again; the 近三年 window of D9.4 then counts those of the three years before the evaluation day); the year's
  研发经费到位 + 运行经费到位 as that year's 建设运行经费投入 (D9.6c/d); the year's 研发经费支出 with
  the report's 销售收入 (``funding.sales_revenue_yuan`` → ``annual_report.revenue_yuan``) as that
  year's 研发费用/销售收入 (D9.7b) — only when the revenue is filled in (a university or institute
  leaves it blank: a year without it keeps what the declaration said, or is missing).

Everything else (host, CTO, direction, co-builders, cooperation) is the declaration's. The rules are
those of the round's year; the reference day is the evaluation day. A centre without a declaration
the program can read gets one warning (the conditions cannot be re-checked, ``conditions_ok`` is
``None``) rather than an invented failure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import model
from lzcenter_desktop.domain.draft_checks import completed_copy
from lzcenter_desktop.domain.eligibility import same_achievement, same_project
from lzcenter_desktop.domain.evaluation import recheck_conditions
from lzcenter_desktop.domain.interchange import FormatError, parse_declaration
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services.declarations.base import CLOSED_STATUSES, DRAFT, load_declaration_form
from lzcenter_desktop.services.declarations.stored import stored_document
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import AnnualCall, AnnualReport, Center, Declaration, RuleSetVersion

RECEIVED = ("submitted", "filed")
NO_DATA_RULE = "E23a"


def settings_in(session: Session, year: int) -> RuleSettings:
    """The rule settings of ``year`` (latest version of the nearest year ≤ it, else the defaults)."""
    row = session.execute(
        select(RuleSetVersion)
        .where(col(RuleSetVersion.year) <= year)
        .order_by(col(RuleSetVersion.year).desc(), col(RuleSetVersion.version_no).desc())
        .limit(1)
    ).scalar_one_or_none()
    return RuleSettings.from_json_dict(json.loads(row.settings_json)) if row is not None else DEFAULT_SETTINGS


def recognition_declaration(session: Session, center_id: int) -> Declaration | None:
    """The centre's latest declaration that reached the bureau (not a draft, not withdrawn)."""
    rows = session.execute(
        select(Declaration)
        .where(
            col(Declaration.center_id) == center_id,
            col(Declaration.status).not_in({DRAFT, *CLOSED_STATUSES}),
        )
        .order_by(col(Declaration.application_date).desc(), col(Declaration.id).desc())
    ).scalars()
    return next(iter(rows), None)


def received_reports(session: Session, center_id: int, up_to_year: int) -> list[AnnualReport]:
    """The centre's received 工作年报 of years ≤ ``up_to_year``, oldest first."""
    return list(
        session.execute(
            select(AnnualReport)
            .where(
                col(AnnualReport.center_id) == center_id,
                col(AnnualReport.status).in_(RECEIVED),
                col(AnnualReport.year) <= up_to_year,
            )
            .order_by(col(AnnualReport.year))
        ).scalars()
    )


def report_data(report: AnnualReport) -> dict[str, Any]:
    """The report's JSON document (an empty dict when there is none or it cannot be read)."""
    if not report.data_json:
        return {}
    try:
        data = json.loads(report.data_json)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _rows(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key)
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _sub(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _staff(data: Mapping[str, Any], decl: model.Declaration) -> tuple[model.Staff, ...] | None:
    leaders = {(s.name.strip(), s.birth_date) for s in decl.staff if s.tech_leader}
    director = str(_sub(data, "director").get("name") or "").strip()
    out: list[model.Staff] = []
    for row in _rows(data, "staff"):
        born = _day(row.get("birth_date"))
        name = str(row.get("name") or "").strip()
        if row.get("full_time") is not True or born is None or not name:
            continue
        try:
            degree, title = model.Degree(str(row.get("degree"))), model.Title(str(row.get("title")))
        except ValueError:
            continue
        leader = (name, born) in leaders or (bool(director) and name == director)
        out.append(model.Staff(name=name, birth_date=born, degree=degree, title=title, tech_leader=leader))
    return tuple(out) if out else None


def _equipment(data: Mapping[str, Any]) -> tuple[model.Equipment, ...] | None:
    out = [
        model.Equipment(name=str(r.get("name") or "").strip(), value_yuan=_int(r.get("value_yuan")) or 0)
        for r in _rows(data, "equipment")
        if str(r.get("name") or "").strip()
    ]
    return tuple(out) if out else None


def _projects(data: Mapping[str, Any]) -> list[model.Project]:
    out: list[model.Project] = []
    for r in _rows(data, "projects"):
        approved = _day(r.get("approved_date"))
        try:
            level, role = model.ProjectLevel(str(r.get("level"))), model.ProjectRole(str(r.get("role")))
        except ValueError:
            continue
        if approved is not None:
            out.append(
                model.Project(name=str(r.get("name") or ""), level=level, role=role, approved_date=approved)
            )
    return out


def _achievements(data: Mapping[str, Any]) -> list[model.Achievement]:
    out: list[model.Achievement] = []
    for r in _rows(data, "outputs"):
        day = _day(r.get("date"))
        try:
            kind = model.AchievementKind(str(r.get("kind")))
        except ValueError:
            continue
        if day is not None:
            number = r.get("number")
            out.append(
                model.Achievement(
                    kind=kind,
                    title=str(r.get("title") or ""),
                    date=day,
                    number=number if isinstance(number, str) and number.strip() else None,
                )
            )
    return out


def overlay(decl: model.Declaration, reports: Sequence[AnnualReport]) -> model.Declaration:
    """``decl`` with the received reports' figures laid over it (see the module docstring)."""
    if not reports:
        return decl
    latest = report_data(reports[-1])
    center = decl.center
    area = _sub(latest, "conditions").get("floor_area_m2")
    if isinstance(area, int | float) and not isinstance(area, bool):
        center = replace(center, floor_area_m2=area)
    equipment = _equipment(latest)
    if equipment is not None:
        center = replace(center, equipment=equipment)
    staff = _staff(latest, decl) or decl.staff
    projects = list(decl.projects)
    achievements = list(decl.achievements)
    investments = {i.year: i for i in decl.investments}
    finances = {f.year: f for f in decl.finances}
    for report in reports:
        data = report_data(report)
        projects += [p for p in _projects(data) if not any(same_project(p, q) for q in projects)]
        achievements += [
            a for a in _achievements(data) if not any(same_achievement(a, b) for b in achievements)
        ]
        funding = _sub(data, "funding")
        received = [_int(funding.get(k)) for k in ("rd_received_yuan", "running_received_yuan")]
        if any(v is not None for v in received):
            amount = sum(v or 0 for v in received)
            investments[report.year] = model.Investment(year=report.year, amount_yuan=amount)
        spent = _int(funding.get("rd_spent_yuan"))
        if spent is None:
            spent = report.rd_investment_yuan
        if spent is not None and report.revenue_yuan is not None:
            finances[report.year] = model.Finance(
                year=report.year, rd_expense_yuan=spent, sales_revenue_yuan=report.revenue_yuan
            )
    return replace(
        decl,
        center=center,
        staff=staff,
        projects=tuple(projects),
        achievements=tuple(achievements),
        investments=tuple(investments[y] for y in sorted(investments)),
        finances=tuple(finances[y] for y in sorted(finances)),
    )


def _no_data(center_name: str, why: str) -> list[Violation]:
    return [
        Violation(
            NO_DATA_RULE,
            "第二十三条",
            Severity.WARNING,
            "declaration",
            f"“{center_name}”{why}，无法复核第九条基本条件，请核对该中心的认定申报书",
            "无数据",
            "认定申报书",
        )
    ]


def domain_declaration(session: Session, decl: Declaration) -> model.Declaration:
    """The domain declaration of a stored one (``ServiceError`` when its document cannot be read)."""
    document = stored_document(session, decl)
    call = session.get(AnnualCall, decl.call_id)
    year = call.year if call is not None else decl.application_date.year
    form = load_declaration_form(year)
    completed, _ = completed_copy(form, document)
    try:
        return parse_declaration(completed)
    except FormatError as exc:
        raise ServiceError(f"认定申报书格式不正确（{exc.path}）：{exc.detail}", field="申报书") from exc


def current_conditions(
    session: Session, center: Center, *, as_of: date, settings: RuleSettings
) -> tuple[list[Violation], bool | None]:
    """E23a on the centre's current data at ``as_of``: the violations (as the domain reports them)
    and whether the conditions are met — ``False`` with an error-level failure, ``None`` when they
    could not be checked (no readable declaration), else ``True``."""
    assert center.id is not None
    decl = recognition_declaration(session, center.id)
    if decl is None:
        return _no_data(center.name_zh, "没有认定申报书"), None
    try:
        base = domain_declaration(session, decl)
    except ServiceError as exc:
        return _no_data(center.name_zh, f"的认定申报书无法读取（{exc.message}）"), None
    current = overlay(base, received_reports(session, center.id, as_of.year))
    found = recheck_conditions(current, settings, as_of=as_of)
    return found, not any(v.severity is Severity.ERROR for v in found)


def violations_to_json(violations: Sequence[Violation]) -> str:
    return json.dumps(
        [
            {
                "rule": v.rule,
                "article": v.article,
                "severity": v.severity.value,
                "path": v.path,
                "message": v.message,
                "actual": v.actual,
                "required": v.required,
            }
            for v in violations
        ],
        ensure_ascii=False,
    )


def violations_from_json(text: str | None) -> list[tuple[str, str]]:
    """(rule, message) pairs of stored violations; empty for none or a damaged value."""
    if not text:
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return []
    if not isinstance(data, list):
        return []
    return [
        (str(item.get("rule", "")), str(item.get("message", ""))) for item in data if isinstance(item, dict)
    ]
