"""Shared builders for 绩效评估 (issue 14) tests: recognised centres with a state history and a
recognition declaration, their 工作年报, a round, experts' scores and past evaluations.

Plain functions; import them as ``from tests.evaluation_records import ...``. Centres are taken
through the guarded lifecycle to 已认定 on a chosen day (the review result and the 公示 each step
needs are recorded with tests/review_records.py). The recognition declaration is the example
enterprise declaration (tests/data/examples/declaration-enterprise.json, applied 2026-06-10) with
every date moved back so that it was applied ~3 months before the recognition; with the reports of
:func:`add_report_history` (10 full-time staff, 420.5 m², 3 counted outputs and one 自治区级 project
a year, 400万 funds received, 5% R&D intensity) the 第九条 conditions hold at an evaluation in the
year after the last report. A typical set-up::

    ctx = open_db(tmp_path)
    cid = centre_with_history(ctx, "轻量化", date(2023, 6, 10))   # reports 2023–2025 filed
    round_id = start_round(ctx)                                   # 2026, started 2026-09-01
    score_evaluation(ctx, evaluation_of(ctx, round_id, cid), ["90", "90", "90"])
    results.grade_round(ctx, round_id=round_id, on=GRADED_ON)

Rows the services of other sections would write (reports, expert scores, past evaluations) are
written here through the storage models in one unit of work each, so the fixtures do not depend on
those services' checks.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from lzcenter_desktop.domain.dates import years_after
from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.evaluation import rounds
from lzcenter_desktop.services.evaluation.sheet import load_evaluation_sheet
from lzcenter_desktop.services.review import experts as review_experts
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    Declaration,
    Evaluation,
    EvaluationAssignment,
    EvaluationExpertScore,
    EvaluationRound,
)
from tests.review_fixtures import credit_code, example_document
from tests.review_records import NOTICE_DAYS, add_notice, add_review_result, call_of_year

YEAR = 2026
ROUND_START = dt.date(YEAR, 9, 1)
GRADED_ON = dt.date(YEAR, 11, 20)
FINISHED_ON = dt.date(YEAR, 12, 1)
EXAMPLE_APPLIED = dt.date(2026, 6, 10)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_counter = [0]


def open_db(tmp_path: Path, name: str = "evaluation.sqlite", *, operator: str = "覃科长") -> AppContext:
    """A fresh database in ``tmp_path`` (call ``ctx.db.dispose()`` when done)."""
    return open_app(str(tmp_path / name), operator=operator)


# --- the recognition declaration ------------------------------------------------------------------


def _shift_day(text: str, years: int) -> str:
    day = dt.date.fromisoformat(text)
    return years_after(day, years).isoformat() if years >= 0 else _years_before(day, -years).isoformat()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def shifted(value: Any, years: int) -> Any:
    """``value`` (a JSON document) with every ISO date and every ``year`` moved by ``years``."""
    if isinstance(value, dict):
        return {
            k: (v + years if k in ("year", "call_year") and isinstance(v, int) else shifted(v, years))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [shifted(v, years) for v in value]
    if isinstance(value, str) and _ISO.match(value):
        return _shift_day(value, years)
    return value


def declaration_document(
    host_name: str, host_code: str, center_name: str, recognised: dt.date
) -> dict[str, Any]:
    """The example enterprise declaration, applied in the recognition year (moved back by whole
    years, so it was applied on 10 June of a year ≤ the recognition year, at least 3 months before)."""
    applied_year = recognised.year if recognised >= dt.date(recognised.year, 9, 10) else recognised.year - 1
    doc: dict[str, Any] = shifted(copy.deepcopy(example_document()), applied_year - EXAMPLE_APPLIED.year)
    doc["host"]["name"] = host_name
    doc["host"]["credit_code"] = host_code
    doc["center"]["name_zh"] = center_name
    doc["co_builders"] = []
    doc["joint_applicants"] = []
    return doc


def recognised_centre(
    ctx: AppContext,
    core: str,
    recognised: dt.date,
    *,
    district: str | None = None,
    industry: str = "汽车",
    declaration: bool = True,
) -> int:
    """A centre ``柳州<core>工程技术研究中心（柳州<core>有限公司）`` recognised on ``recognised``
    through the guarded lifecycle, with its recognition declaration (unless ``declaration`` is
    False: then the centre has none, as a centre recorded before the program)."""
    _counter[0] += 1
    host_name = f"柳州{core}有限公司"
    code = credit_code(900_000 + _counter[0], district=district or "450205")
    host = organizations.create_organization(ctx, name=host_name, kind="enterprise", credit_code=code)
    name = f"柳州{core}工程技术研究中心（{host_name}）"
    notice_from = recognised - dt.timedelta(days=NOTICE_DAYS + 1)
    proposed_on = notice_from - dt.timedelta(days=1)
    cid = centers.create_center(
        ctx, name_zh=name, host_id=host, on=recognised - dt.timedelta(days=100), industries=[industry]
    )
    doc = declaration_document(host_name, code, name, recognised)
    with unit_of_work(ctx, "test.evaluation_records") as session:
        center = session.get(Center, cid)
        assert center is not None
        decl_id: int | None = None
        if declaration:
            decl = Declaration.model_validate(
                {
                    "call_id": call_of_year(session, int(doc["call_year"])),
                    "center_id": cid,
                    "host_id": host,
                    "application_date": dt.date.fromisoformat(doc["application_date"]),
                    "name_zh": name,
                    "status": "decided",
                    "source_json": json.dumps(doc, ensure_ascii=False),
                }
            )
            session.add(decl)
            session.flush()
            decl_id = decl.id
        steps = [
            ("submitted", recognised - dt.timedelta(days=90)),
            ("under_review", recognised - dt.timedelta(days=60)),
            ("proposed", proposed_on),
            ("public_notice", notice_from),
            ("recognised", recognised),
        ]
        for state, day in steps:
            if state == "proposed":
                add_review_result(session, cid, call_year=day.year, decided_on=day, declaration_id=decl_id)
            elif state == "public_notice":
                add_notice(session, [cid], call_year=day.year, start=day)
            centers.apply_state_change(session, center, to_state=state, on=day, reason="测试：按程序推进")
        if not declaration:  # the stub the review result needed is not the centre's declaration
            for stub in session.execute(
                select(Declaration).where(col(Declaration.center_id) == cid)
            ).scalars():
                stub.center_id = None
                session.add(stub)
    return cid


# --- 工作年报 ----------------------------------------------------------------------------------------


def report_document(
    year: int,
    *,
    center_name: str = "",
    host_name: str = "",
    host_code: str = "",
    staff: int = 10,
    floor_area_m2: float = 420.5,
    director: str = "张工00",
) -> dict[str, Any]:
    """A ``lzcenter.annual-report/1`` document of ``year``: ``staff`` full-time staff (all 本科, the
    first half 中级, the director first and named ``director``), one 自治区级 project led, an invention
    patent, a standard and a new product (dated in May–July of the year), 320万 + 80万 received,
    500万 R&D spent, the floor area given, one instrument shared in the regional network."""
    people = [
        {
            "name": director if i == 0 else f"研发{i:02d}",
            "birth_date": f"{1980 + i % 10}-0{1 + i % 9}-15",
            "degree": "本科" if i % 2 else "硕士",
            "title": "中级" if i < (staff + 1) // 2 else "初级",
            "full_time": True,
        }
        for i in range(staff)
    ]
    return {
        "format": "lzcenter.annual-report/1",
        "year": year,
        "center": {"name_zh": center_name},
        "host": {"name": host_name, "credit_code": host_code},
        "staff": people,
        "projects": [
            {
                "name": f"{year}年关键技术攻关",
                "level": "region",
                "role": "lead",
                "approved_date": f"{year}-04-01",
            }
        ],
        "outputs": [
            {
                "kind": "invention_patent",
                "title": f"{year}年发明专利",
                "date": f"{year}-05-12",
                "number": f"ZL{year}10000001.1",
                "carries_center_name": True,
            },
            {
                "kind": "standard",
                "title": f"{year}年行业标准",
                "date": f"{year}-06-01",
                "carries_center_name": True,
            },
            {
                "kind": "new_product",
                "title": f"{year}年新产品",
                "date": f"{year}-07-01",
                "carries_center_name": True,
            },
        ],
        "funding": {
            "rd_received_yuan": 3_200_000,
            "rd_spent_yuan": 5_000_000,
            "running_received_yuan": 800_000,
            "running_spent_yuan": 760_000,
        },
        "conditions": {"assets_yuan": 12_500_000, "floor_area_m2": floor_area_m2},
        "equipment": [{"name": "整车转鼓试验台", "value_yuan": 2_800_000}],
        "open_topics": [
            {
                "title": "车路协同感知",
                "researcher": "王五",
                "organization": "广西科技大学",
                "funding_yuan": 100_000,
            }
        ],
        "shared_instruments": [
            {
                "name": "整车转鼓试验台",
                "value_yuan": 2_800_000,
                "in_regional_network": True,
                "external_uses": 14,
            }
        ],
        "director": {"name": director, "months_at_center": 10},
        "management_meetings": [
            {"date": f"{year}-03-10", "attendees": 5},
            {"date": f"{year}-09-15", "attendees": 6},
        ],
        "expert_meetings": [{"date": f"{year}-06-20", "members": 9, "attendees": 7}],
        "host_assessment": {"result": "合格", "date": f"{year}-12-10"},
        "host_review": {"reviewer": "赵六", "date": f"{year}-12-15"},
    }


def add_annual_report(
    ctx: AppContext,
    center_id: int,
    year: int,
    *,
    status: str = "filed",
    submitted_on: dt.date | None = None,
    revenue_yuan: int | None = 100_000_000,
    data: dict[str, Any] | None = None,
    **document: Any,
) -> int:
    """A 工作年报 row of ``year`` (``report_document(year, **document)`` unless ``data``), submitted
    on 20 December of the year by default (None for a draft); its id."""
    with unit_of_work(ctx, "test.evaluation_records") as session:
        center = session.get(Center, center_id)
        assert center is not None
        doc = data if data is not None else report_document(year, center_name=center.name_zh, **document)
        report = AnnualReport.model_validate(
            {
                "center_id": center_id,
                "year": year,
                "status": status,
                "submitted_on": None if status == "draft" else (submitted_on or dt.date(year, 12, 20)),
                "filed_on": dt.date(year, 12, 28) if status == "filed" else None,
                "host_assessment": "合格",
                "rd_staff": len(doc.get("staff", [])),
                "revenue_yuan": revenue_yuan,
                "data_json": json.dumps(doc, ensure_ascii=False),
            }
        )
        session.add(report)
        session.flush()
        assert report.id is not None
        return report.id


def add_report_history(ctx: AppContext, center_id: int, years: Sequence[int], **kwargs: Any) -> list[int]:
    return [add_annual_report(ctx, center_id, y, **kwargs) for y in years]


def centre_with_history(
    ctx: AppContext,
    core: str,
    recognised: dt.date,
    *,
    report_years: Sequence[int] | None = None,
    **report_kwargs: Any,
) -> int:
    """:func:`recognised_centre` with filed reports of ``report_years`` (default: the three years
    before :data:`YEAR`)."""
    cid = recognised_centre(ctx, core, recognised)
    years = report_years if report_years is not None else range(YEAR - 3, YEAR)
    add_report_history(ctx, cid, years, **report_kwargs)
    return cid


# --- rounds, experts, scores -----------------------------------------------------------------------


def start_round(
    ctx: AppContext,
    *,
    year: int = YEAR,
    started_on: dt.date | None = None,
    center_ids: Sequence[int] | None = None,
    **kwargs: Any,
) -> int:
    """The round of ``year`` through :func:`rounds.create_round` (started 1 September)."""
    return rounds.create_round(
        ctx,
        year=year,
        title=f"{year}年度柳州市工程技术研究中心绩效评估",
        started_on=started_on or dt.date(year, 9, 1),
        document_no=f"柳科发〔{year}〕21号",
        center_ids=center_ids,
        **kwargs,
    )


def evaluation_of(ctx: AppContext, round_id: int, center_id: int) -> int:
    for view in rounds.list_evaluations(ctx, round_id=round_id):
        if view.center_id == center_id:
            return view.evaluation_id
    raise KeyError(center_id)


def add_experts(ctx: AppContext, count: int, *, first: int = 1) -> list[int]:
    """``count`` experts, each from a unit of their own (``广西评估{i}号研究院``)."""
    return [
        review_experts.create_expert(
            ctx,
            name=f"评估专家{i:02d}",
            unit=f"广西评估{i}号研究院",
            credit_code=credit_code(800_000 + i, org_type="12"),
            specialty="智能制造",
        )
        for i in range(first, first + count)
    ]


def points_for(total: Decimal | str, year: int = YEAR) -> dict[str, str]:
    """Points per indicator of the sheet of ``year`` adding up to ``total`` exactly (filled in the
    sheet's order, each up to its maximum)."""
    left = Decimal(str(total))
    out: dict[str, str] = {}
    for ind in load_evaluation_sheet(year).indicators:
        take = min(left, ind.max_points)
        out[ind.key] = str(take)
        left -= take
    assert left == 0, f"总分 {total} 超过满分"
    return out


def score_evaluation(
    ctx: AppContext,
    evaluation_id: int,
    totals: Sequence[Decimal | str],
    *,
    scored_on: dt.date = GRADED_ON,
) -> list[int]:
    """One scored assignment per total (new experts each time), written as the scoring service would
    store them; the assignment ids."""
    _counter[0] += 1
    expert_ids = add_experts(ctx, len(totals), first=1000 + _counter[0] * 100)
    out: list[int] = []
    with unit_of_work(ctx, "test.evaluation_records") as session:
        evaluation = session.get(Evaluation, evaluation_id)
        assert evaluation is not None
        row = session.get(EvaluationRound, evaluation.round_id)
        assert row is not None
        for expert_id, total in zip(expert_ids, totals, strict=True):
            a = EvaluationAssignment.model_validate(
                {
                    "round_id": evaluation.round_id,
                    "evaluation_id": evaluation_id,
                    "expert_id": expert_id,
                    "status": "scored",
                    "score_version": 1,
                }
            )
            session.add(a)
            session.flush()
            session.add(
                EvaluationExpertScore.model_validate(
                    {
                        "assignment_id": a.id,
                        "score_text": str(Decimal(str(total)).normalize()),
                        "points_json": json.dumps(points_for(total, row.year), ensure_ascii=False),
                        "sheet_version": row.sheet_version,
                        "scored_on": scored_on,
                    }
                )
            )
            assert a.id is not None
            out.append(a.id)
    return out


def add_past_evaluation(
    ctx: AppContext,
    center_id: int,
    year: int,
    grade: str | None,
    *,
    finished_on: dt.date | None = None,
    participated: bool = True,
) -> int:
    """An evaluation of the centre in the (finished) round of ``year`` with ``grade``, written as the
    rounds of earlier years would have left it (the round is made if there is none); its id."""
    finished = finished_on or dt.date(year, 12, 1)
    with unit_of_work(ctx, "test.evaluation_records") as session:
        row = session.execute(select(EvaluationRound).where(col(EvaluationRound.year) == year)).scalar()
        if row is None:
            row = EvaluationRound.model_validate(
                {
                    "year": year,
                    "title": f"{year}年度柳州市工程技术研究中心绩效评估",
                    "started_on": dt.date(year, 3, 1),
                    "finished_on": finished,
                    "status": "finished",
                    "sheet_version": "2026.1",
                }
            )
            session.add(row)
            session.flush()
        e = Evaluation.model_validate(
            {
                "round_id": row.id,
                "center_id": center_id,
                "participated": participated,
                "grade": grade,
                "notice_date": finished,
            }
        )
        session.add(e)
        session.flush()
        assert e.id is not None
        return e.id
