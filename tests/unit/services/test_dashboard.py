"""概览 figures (services/dashboard.py) on a built database, with their edges: the evaluation due
on 31 December vs 1 January of the next year, a centre already in this year's round, a finished
vs an unfinished round; the report year switching on 1 December; rectification deadlines on day
0 / 90 (in) and 91 (out), one day past, an accepted one; declarations never checked, re-submitted
after 退回补正, decided, returned; and each figure's xlsx export read back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lzcenter_desktop.services import centers, dashboard, organizations
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.dashboard_export import figure_table, write_figure_xlsx
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Declaration,
    Evaluation,
    EvaluationRound,
    FormalCheck,
    Rectification,
)
from tests.integration.annual.annual_helpers import add_report, open_db, titled_centre

AS_OF = date(2026, 6, 15)


def _round(ctx: AppContext, year: int, center_ids: list[int], *, finished_on: date | None) -> list[int]:
    with unit_of_work(ctx, "test.dashboard") as session:
        rnd = EvaluationRound.model_validate(
            {
                "year": year,
                "title": f"{year}年度绩效评估",
                "started_on": date(year, 3, 1),
                "finished_on": finished_on,
                "status": "finished" if finished_on else "in_progress",
            }
        )
        session.add(rnd)
        session.flush()
        out = []
        for cid in center_ids:
            ev = Evaluation.model_validate({"round_id": rnd.id, "center_id": cid, "grade": "合格"})
            session.add(ev)
            session.flush()
            assert ev.id is not None
            out.append(ev.id)
        return out


def _declarations(ctx: AppContext) -> dict[str, int]:
    """(status, decisions of its rounds) per declaration of the 2026 call."""
    plan = {
        "未审查": ("submitted", []),
        "补正后重交": ("submitted", ["returned"]),
        "已通过": ("submitted", ["passed"]),
        "退回中": ("returned", ["returned"]),
        "草稿": ("draft", []),
        "二轮通过": ("submitted", ["returned", "passed"]),
    }
    ids: dict[str, int] = {}
    with unit_of_work(ctx, "test.dashboard") as session:
        call = AnnualCall.model_validate({"year": 2026, "title": "2026年度申报通知"})
        session.add(call)
        session.flush()
        for n, (name, (status, decisions)) in enumerate(plan.items()):
            decl = Declaration.model_validate(
                {
                    "call_id": call.id,
                    "application_date": date(2026, 3, 1),
                    "name_zh": f"柳州{name}工程技术研究中心",
                    "status": status,
                    "submitted_on": date(2026, 4, 1) + timedelta(days=n) if status != "draft" else None,
                }
            )
            session.add(decl)
            session.flush()
            assert decl.id is not None
            ids[name] = decl.id
            for rnd, decision in enumerate(decisions, start=1):
                session.add(
                    FormalCheck.model_validate(
                        {
                            "declaration_id": decl.id,
                            "round": rnd,
                            "decision": decision,
                            "decided_on": date(2026, 4, 20),
                            "operator": "覃科长",
                        }
                    )
                )
    return ids


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, dict[str, int]]]:
    ctx = open_db(tmp_path_factory.mktemp("dashboard"))
    ids = {
        "轻量化": titled_centre(ctx, "轻量化", date(2023, 12, 31), district="450205", industry="汽车"),
        "智能装备": titled_centre(ctx, "智能装备", date(2024, 1, 1), district="450205", industry="智能制造"),
        "螺蛳粉": titled_centre(ctx, "螺蛳粉", date(2020, 6, 1), district="450204", industry="食品"),
        "电池": titled_centre(ctx, "电池", date(2021, 5, 1), industry="汽车"),
        "柳钢": titled_centre(ctx, "柳钢", date(2022, 1, 10), industry="新材料"),
        "新材料": titled_centre(ctx, "新材料", date(2022, 3, 1), industry="新材料"),
    }
    host = organizations.create_organization(ctx, name="柳州草稿有限公司", kind="enterprise")
    ids["草稿"] = centers.create_center(
        ctx, name_zh="柳州草稿工程技术研究中心", host_id=host, on=date(2026, 1, 5), industries=["汽车"]
    )
    _round(ctx, 2023, [ids["螺蛳粉"]], finished_on=date(2023, 11, 30))
    _round(ctx, 2024, [ids["电池"]], finished_on=date(2024, 1, 2))
    _round(ctx, 2026, [ids["柳钢"]], finished_on=None)
    add_report(ctx, ids["轻量化"], 2025, date(2025, 12, 31))
    add_report(ctx, ids["智能装备"], 2025, date(2026, 1, 1), status="submitted")
    add_report(ctx, ids["电池"], 2025, date(2025, 12, 20), status="draft")
    ids.update({f"decl:{k}": v for k, v in _declarations(ctx).items()})
    yield ctx, ids
    ctx.db.dispose()


# --- centres ------------------------------------------------------------------------------------


def test_centres_by_state_in_lifecycle_order(world: tuple[AppContext, dict[str, int]]) -> None:
    fig = dashboard.centres_by_state(world[0])
    assert [(b.label, b.count, b.filter_value) for b in fig.bars] == [
        ("草稿", 1, "草稿"),
        ("已认定", 6, "已认定"),
    ]
    assert fig.total == 7


def test_centres_by_district_most_first_unregistered_last(world: tuple[AppContext, dict[str, int]]) -> None:
    fig = dashboard.centres_by_district(world[0])
    assert [(b.label, b.count, b.filter_value) for b in fig.bars] == [
        ("柳北区", 2, "柳北区"),
        ("柳南区", 1, "柳南区"),
        ("未登记", 4, None),  # no district on record: the list cannot filter on it
    ]


def test_centres_by_first_industry(world: tuple[AppContext, dict[str, int]]) -> None:
    fig = dashboard.centres_by_industry(world[0])
    assert [(b.label, b.count) for b in fig.bars] == [
        ("汽车", 3),
        ("新材料", 2),
        ("智能制造", 1),
        ("食品", 1),
    ]
    assert fig.total == 7


# --- 工作年报 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "year"),
    [
        (date(2026, 1, 1), 2025),
        (date(2026, 11, 30), 2025),
        (date(2026, 12, 1), 2026),
        (date(2026, 12, 31), 2026),
    ],
)
def test_the_report_year_switches_on_the_first_reminder_day(
    world: tuple[AppContext, dict[str, int]], as_of: date, year: int
) -> None:
    assert dashboard.current_report_year(world[0], as_of) == year


def test_reports_of_last_year_due_received_late_overdue(world: tuple[AppContext, dict[str, int]]) -> None:
    fig = dashboard.report_figure(world[0], as_of=AS_OF)
    assert (fig.year, fig.deadline) == (2025, date(2025, 12, 31))
    assert (fig.due, fig.received, fig.late, fig.missing, fig.overdue) == (6, 1, 1, 0, 4)
    by_name = {row[0]: row for row in fig.rows}
    assert by_name["柳州智能装备工程技术研究中心（柳州智能装备有限公司）"][2:] == ("逾期报送", "2026-01-01")


def test_reports_on_the_deadline_are_missing_not_overdue(world: tuple[AppContext, dict[str, int]]) -> None:
    on_deadline = dashboard.report_figure(world[0], as_of=date(2025, 12, 31), year=2025)
    assert (on_deadline.received, on_deadline.late, on_deadline.missing, on_deadline.overdue) == (1, 0, 5, 0)
    day_after = dashboard.report_figure(world[0], as_of=date(2026, 1, 1), year=2025)
    assert (day_after.received, day_after.late, day_after.missing, day_after.overdue) == (1, 1, 0, 4)


# --- 绩效评估 -------------------------------------------------------------------------------------


def test_evaluations_due_this_year(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    fig = dashboard.evaluation_figure(ctx, as_of=AS_OF)
    due = {row.center_id: row for row in fig.rows}
    # 新材料 (2025-03-01, overdue), 螺蛳粉 (3 years after its finished 2023 round), 轻量化 (31 Dec)
    assert [row.center_id for row in fig.rows] == [ids["新材料"], ids["螺蛳粉"], ids["轻量化"]]
    assert due[ids["轻量化"]].due_on == date(2026, 12, 31)
    assert due[ids["螺蛳粉"]].last_evaluated_on == date(2023, 11, 30)
    assert due[ids["螺蛳粉"]].due_on == date(2026, 11, 30)
    assert fig.overdue == 1
    # recognised 1 January 2024: due 1 January 2027, not this year; 电池 evaluated 2024-01-02;
    # 柳钢 is already in the 2026 round
    assert {ids["智能装备"], ids["电池"], ids["柳钢"]}.isdisjoint(due)


def test_next_year_brings_the_1_january_centre_and_the_unfinished_round(
    world: tuple[AppContext, dict[str, int]],
) -> None:
    ctx, ids = world
    due = {row.center_id: row for row in dashboard.evaluation_figure(ctx, as_of=date(2027, 1, 1)).rows}
    assert due[ids["智能装备"]].due_on == date(2027, 1, 1)
    # its 2026 round is not finished: still due from its recognition
    assert due[ids["柳钢"]].last_evaluated_on is None
    assert due[ids["柳钢"]].due_on == date(2025, 1, 10)
    assert due[ids["电池"]].due_on == date(2027, 1, 2)


# --- 整改 ----------------------------------------------------------------------------------------


def test_rectification_deadlines_day_90_in_day_91_out(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    try:
        host = organizations.create_organization(ctx, name="柳州整改有限公司", kind="enterprise")
        plan = {"今天": 0, "第90天": 90, "第91天": 91, "昨天": -1, "已验收": 10}
        cids = {
            name: centers.create_center(
                ctx,
                name_zh=f"柳州{name}工程技术研究中心",
                host_id=host,
                on=date(2020, 1, 1),
                industries=["汽车"],
            )
            for name in plan
        }
        evs = _round(ctx, 2025, list(cids.values()), finished_on=date(2025, 6, 1))
        with unit_of_work(ctx, "test.dashboard") as session:
            for (name, days), ev in zip(plan.items(), evs, strict=True):
                session.add(
                    Rectification.model_validate(
                        {
                            "evaluation_id": ev,
                            "center_id": cids[name],
                            "notice_date": date(2025, 7, 1),
                            "deadline": AS_OF + timedelta(days=days),
                            "outcome": "accepted" if name == "已验收" else "pending",
                        }
                    )
                )
        fig = dashboard.rectification_figure(ctx, as_of=AS_OF)
        assert [(r.center_name, r.days_left) for r in fig.rows] == [
            ("柳州今天工程技术研究中心", 0),
            ("柳州第90天工程技术研究中心", 90),
        ]
        assert [(r.center_name, r.days_left) for r in fig.past_deadline] == [("柳州昨天工程技术研究中心", -1)]
        table = figure_table(fig)
        assert [row[3] for row in table.rows] == ["已过期 1 天", 0, 90]
    finally:
        ctx.db.dispose()


# --- 形式审查 -------------------------------------------------------------------------------------


def test_declarations_waiting_for_the_formal_check(world: tuple[AppContext, dict[str, int]]) -> None:
    ctx, ids = world
    fig = dashboard.formal_figure(ctx)
    assert [(r.declaration_id, r.resubmitted) for r in fig.rows] == [
        (ids["decl:未审查"], False),
        (ids["decl:补正后重交"], True),
    ]
    assert fig.by_year() == ((2026, 2),)


# --- export ---------------------------------------------------------------------------------------


def test_every_figure_exports_the_numbers_shown(
    world: tuple[AppContext, dict[str, int]], tmp_path: Path
) -> None:
    ctx, _ids = world
    figures = dashboard.centre_figures(ctx)
    path = write_figure_xlsx(figures.by_district, tmp_path / "县区.xlsx").path
    ws = load_workbook(path).active
    assert ws is not None
    assert [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)] == [
        ("县区", "中心数"),
        ("柳北区", 2),
        ("柳南区", 1),
        ("未登记", 4),
        ("合计", 7),
    ]
    report = dashboard.report_figure(ctx, as_of=AS_OF)
    ws = load_workbook(write_figure_xlsx(report, tmp_path / "年报.xlsx").path).active
    assert ws is not None
    assert str(ws["A1"].value).startswith("2025年度工作年报报送情况")
    assert [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(3, 8)] == [
        ("应报送", 6),
        ("已按期报送", 1),
        ("逾期报送", 1),
        ("未报送", 0),
        ("逾期未报", 4),
    ]
    for figure in (dashboard.evaluation_figure(ctx, as_of=AS_OF), dashboard.formal_figure(ctx)):
        ws = load_workbook(write_figure_xlsx(figure, tmp_path / "f.xlsx").path).active
        assert ws is not None
        assert ws.max_row == 2 + len(figure.rows)


def test_a_name_typed_as_a_formula_stays_text(tmp_path: Path) -> None:
    fig = dashboard.CountFigure("各产业领域中心数", "产业领域", (dashboard.Bar("=1+2", 3, "=1+2"),))
    ws = load_workbook(write_figure_xlsx(fig, tmp_path / "x.xlsx").path).active
    assert ws is not None
    assert ws["A3"].value == "=1+2" and ws["A3"].data_type == "s"


def test_export_into_a_missing_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    fig = dashboard.CountFigure("各状态中心数", "状态", ())
    with pytest.raises(ServiceError, match="不存在"):
        write_figure_xlsx(fig, tmp_path / "无此文件夹" / "x.xlsx")
