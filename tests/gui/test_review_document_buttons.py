"""The 评审 page's document buttons (ui/review/document_actions.py): 排名表Excel… on 汇总排名 asks where
to save, writes the workbook off the UI thread and says where it went; a document the records do not
allow yet (the summary while scores are missing) is refused in the tab's message line, no file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QPushButton

from lzcenter_desktop.services.review import assignments, results, scoring
from tests.gui.review_gui import open_tab, settle, shown_page
from tests.gui.ui_thread_db import ui_thread_statements
from tests.integration.review.scoring_helpers import points_for
from tests.review_fixtures import REVIEW_ON, review_setup

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

DECIDED_ON = REVIEW_ON + dt.timedelta(days=3)
EXPERT = ("80", "59.99", "70")  # with the site scores: 85, 59.995 (shown 59.99), 60
SITE = ("90", "60", "50")


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def _button(tab: Any, name: str) -> QPushButton:
    found = tab.findChild(QPushButton, name)
    assert isinstance(found, QPushButton)
    return found


def test_the_ranking_workbook_is_saved_from_the_results_tab(
    qtbot: Any, ctx: Any, tmp_path: Path, monkeypatch: Any, ui_sql: list[str]
) -> None:
    setup = review_setup(ctx)
    plan = dict(zip(setup.declaration_ids, zip(EXPERT, SITE, strict=True), strict=True))
    for a in assignments.list_assignments(ctx, session_id=setup.session_id, include_recused=False):
        points = points_for(plan[a.declaration_id][0])
        scoring.enter_expert_scores(ctx, assignment_id=a.id, points=points, scored_on=REVIEW_ON)
    for did, (_expert, site) in plan.items():
        scoring.enter_site_score(
            ctx, session_id=setup.session_id, declaration_id=did, team="第一考察组", score=site,
            inspected_on=REVIEW_ON,
        )  # fmt: skip
    results.close_session(ctx, session_id=setup.session_id, decided_on=DECIDED_ON)

    page = shown_page(qtbot, ctx, today=DECIDED_ON)
    open_tab(qtbot, page, page.results)
    tab = page.results
    asked: list[str] = []

    def choose(_parent: Any, title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(f"{title}|{suggested}")
        return str(tmp_path / "排名"), ""  # without the suffix: it is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    _button(tab, "rankingXlsx").click()
    settle(qtbot, page)
    target = tmp_path / "排名.xlsx"
    assert asked == ["生成评审排名表|2026年度第一次评审会-评审排名表.xlsx"]
    assert (
        target.is_file() and f"已生成评审排名表“2026年度第一次评审会排名表”：{target}" in tab.message.text()
    )
    sheet = load_workbook(target)["排名"]
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    by_id = {r[1]: r for r in rows}
    edge = setup.declaration_ids[1]
    assert [r[0] for r in rows] == [1, 2, 3] and rows[-1][1] == edge
    assert (
        by_id[edge][8] == pytest.approx(59.99)
        and by_id[edge][9] == "59.995"
        and by_id[edge][12] == "不予认定"
    )
    assert by_id[setup.declaration_ids[2]][9] == "60" and by_id[setup.declaration_ids[2]][12] == "拟认定"
    assert ui_sql == []


def test_a_refused_document_is_said_in_the_tab_and_nothing_is_written(
    qtbot: Any, ctx: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    review_setup(ctx)
    page = shown_page(qtbot, ctx, today=DECIDED_ON)
    open_tab(qtbot, page, page.results)
    tab = page.results
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "汇总.pdf"), ""))
    _button(tab, "summaryPdf").click()
    settle(qtbot, page)
    assert "还不能生成汇总表" in tab.message.text() and "评分尚未齐全" in tab.message.text()
    assert list(tmp_path.glob("*.pdf")) == []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))  # 取消: nothing happens
    _button(tab, "summaryPdf").click()
    settle(qtbot, page)
    assert list(tmp_path.glob("*.pdf")) == []
