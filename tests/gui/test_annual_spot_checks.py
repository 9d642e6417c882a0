"""The 现场核查 tab of the 年报 page (第二十一条, E21c): a draw asked before it is recorded, the same
seed on the same reports giving the same list, strata, findings typed and saved with Ctrl+S, and
typed findings never lost silently when the clerk moves on — every database call off the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lzcenter_desktop.services.annual import draw_list, spot_checks
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.ui.annual.page import AnnualPage
from lzcenter_desktop.ui.dialogs.unsaved import Answer
from lzcenter_desktop.ui.main_window import MainWindow
from tests.gui.annual_gui import Y, received_centres, settle, shown_page
from tests.gui.message_answers import MessageAnswers
from tests.gui.review_gui import fill, select_row, type_date
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CORES = ["轻量化", "智能装备", "电池", "柳钢", "螺蛳粉"]
DRAWN_ON = dt.date(Y + 1, 2, 20)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


@pytest.fixture
def ids(ctx: Any) -> dict[str, int]:
    return received_centres(ctx, CORES)


def spot_page(qtbot: Any, ctx: AppContext) -> AnnualPage:
    page = shown_page(qtbot, ctx, today=DRAWN_ON)
    page.show_tab(page.spot)
    settle(qtbot, page)
    return page


def draw(
    qtbot: Any, page: AnnualPage, *, count: int, seed: str = "", strata: str = "不分层", yes: bool = True
) -> None:
    tab = page.spot
    tab.count.setValue(count)
    tab.seed.setText(seed)
    tab.strata.setCurrentIndex(tab.strata.findText(strata))
    type_date(tab.drawn_on, DRAWN_ON)
    tab.draw_button.click()
    question = tab.question
    assert isinstance(question, QMessageBox)
    (question.yes if yes else question.no).click()
    settle(qtbot, page)


def drawn_names(page: AnnualPage) -> list[str]:
    return [r.center_name for r in page.spot.model.rows]


def test_a_draw_is_asked_first_and_recorded_with_its_method(
    qtbot: Any, ctx: Any, ids: dict[str, int], ui_sql: list[str]
) -> None:
    page = spot_page(qtbot, ctx)
    tab = page.spot
    assert "可抽取（已报送、尚未抽过）的年报 5 份" in tab.candidates.text()
    assert "还没有抽取" in tab.method.text()
    draw(qtbot, page, count=2, seed="2025", yes=False)  # 取消: nothing drawn
    assert draw_list.list_draws(ctx, year=Y) == []
    draw(qtbot, page, count=2, seed="2025")
    (recorded,) = draw_list.list_draws(ctx, year=Y)
    assert recorded.method == "随机抽取2家（种子 2025）" and recorded.drawn_on == DRAWN_ON
    assert drawn_names(page) == [r.center_name for r in recorded.reports]
    assert "随机抽取2家（种子 2025）" in tab.method.text()
    assert "已抽取 2 家" in tab.message.text()
    assert "年报 3 份" in tab.candidates.text()  # the drawn ones are not drawn again this year
    assert ui_sql == []


def test_the_same_seed_gives_the_same_list(qtbot: Any, tmp_path: Path) -> None:
    lists = []
    for n in range(2):
        ctx = open_app(str(tmp_path / f"same-{n}.sqlite"))
        try:
            received_centres(ctx, CORES)
            page = spot_page(qtbot, ctx)
            draw(qtbot, page, count=3, seed="7")
            lists.append(drawn_names(page))
            page.close()
        finally:
            ctx.db.dispose()
    assert len(lists[0]) == 3 and lists[0] == lists[1]


def test_a_stratified_draw_shows_each_centres_stratum(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = spot_page(qtbot, ctx)
    draw(qtbot, page, count=2, seed="11", strata="按所在区县分层")
    rows = page.spot.model.texts()
    assert sorted(r[1] for r in rows) == ["城中区", "鱼峰区"]  # one of each district, by name
    assert "按所在区县分层" in page.spot.method.text()
    again = spot_page(qtbot, ctx)  # read back from the database: the strata are shown again
    assert sorted(r[1] for r in again.spot.model.texts()) == ["城中区", "鱼峰区"]
    draw(qtbot, again, count=1, seed="4")  # an unstratified draw shows none
    assert [r[1] for r in again.spot.model.texts()] == [""]


def test_a_bad_seed_or_too_many_is_refused_in_chinese(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = spot_page(qtbot, ctx)
    tab = page.spot
    tab.seed.setText("abc")
    tab.draw_button.click()
    assert "随机种子“abc”无效" in tab.message.text()
    draw(qtbot, page, count=6, seed="1")  # 5 received: the service refuses
    assert "超过2025年度可抽取的已报送年报数 5" in tab.message.text()
    assert draw_list.list_draws(ctx, year=Y) == []


def test_findings_are_saved_with_ctrl_s(qtbot: Any, ctx: Any, ids: dict[str, int], ui_sql: list[str]) -> None:
    page = spot_page(qtbot, ctx)
    draw(qtbot, page, count=2, seed="3")
    tab = page.spot
    first = tab.report
    assert first is not None and tab.findings.isEnabled()
    fill(tab.findings, "研发场地与年报一致；两台设备未见使用记录")
    assert page.unsaved_changes() == f"年报：“{first.center_name}”的现场核查结果"
    tab.findings.setFocus()
    qtbot.keyClick(tab.findings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, page)
    assert page.unsaved_changes() is None
    (recorded,) = draw_list.list_draws(ctx, year=Y)
    saved = {r.report_id: r.findings for r in recorded.reports}
    assert saved[first.report_id] == "研发场地与年报一致；两台设备未见使用记录"
    assert tab.model.texts()[0][2].startswith("研发场地与年报一致")
    assert "已保存" in tab.message.text()
    assert ui_sql == []


def test_empty_findings_are_refused_by_the_service(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = spot_page(qtbot, ctx)
    draw(qtbot, page, count=1, seed="3")
    tab = page.spot
    fill(tab.findings, "   ")
    assert tab.save()
    settle(qtbot, page)
    assert "请填写现场核查结果" in tab.message.text()
    assert page.unsaved_changes() is not None  # what was typed is kept


def test_leaving_typed_findings_asks(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    page = spot_page(qtbot, ctx)
    draw(qtbot, page, count=3, seed="5")
    tab = page.spot
    first, second = tab.model.rows[0], tab.model.rows[1]
    asked: list[str] = []
    tab.ask_unsaved = lambda what: asked.append(what) or Answer.CANCEL
    fill(tab.findings, "第一家的核查结果")
    select_row(tab.table, lambda r: r.report_id == second.report_id)
    assert asked == [f"年报：“{first.center_name}”的现场核查结果"]
    assert tab.report is not None and tab.report.report_id == first.report_id  # 取消: stays
    assert tab.findings.toPlainText() == "第一家的核查结果"
    page.choose_year(Y - 1)  # another year asks too; 取消 keeps the year
    assert page.year == Y and page.year_box.value() == Y and len(asked) == 2

    tab.ask_unsaved = lambda what: Answer.SAVE  # 保存: stored, then the other report
    select_row(tab.table, lambda r: r.report_id == second.report_id)
    settle(qtbot, page)
    assert tab.report is not None and tab.report.report_id == second.report_id
    found = {
        r.report_id: r.findings
        for r in spot_checks.get_draw(ctx, draw_list.list_draws(ctx, year=Y)[0].draw_id).reports
    }
    assert found[first.report_id] == "第一家的核查结果"

    fill(tab.findings, "不要的文字")
    tab.ask_unsaved = lambda what: Answer.DISCARD  # 不保存: forgotten
    select_row(tab.table, lambda r: r.report_id == first.report_id)
    settle(qtbot, page)
    assert tab.findings.toPlainText() == "第一家的核查结果" and page.unsaved_changes() is None
    found = {
        r.report_id: r.findings
        for r in spot_checks.get_draw(ctx, draw_list.list_draws(ctx, year=Y)[0].draw_id).reports
    }
    assert found[second.report_id] is None


def test_leaving_the_section_or_the_report_asks_through_the_unsaved_question(
    qtbot: Any, ctx: Any, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = MessageAnswers(monkeypatch)
    made = spot_checks.draw_spot_checks(ctx, year=Y, count=2, drawn_on=DRAWN_ON, seed=1)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("年报")
    page = window.stack.currentWidget()
    assert isinstance(page, AnnualPage)
    page.show_tab(page.spot)
    page.choose_year(Y)
    settle(qtbot, page)
    tab = page.spot
    first, second = made.reports
    fill(tab.findings, "窗口切换前的结果")
    answers.queue("取消")  # the tab's own question: the same 保存 / 不保存 / 取消 box
    select_row(tab.table, lambda r: r.report_id == second.report_id)
    assert tab.report is not None and tab.report.report_id == first.report_id
    assert sorted(answers.asked[-1].buttons) == sorted(["保存(&S)", "不保存(&N)", "取消"])
    assert "现场核查结果" in answers.asked[-1].text
    answers.queue("保存(&S)")  # leaving the section: the window asks, 保存 stores
    assert window.show_section("中心")
    settle(qtbot, page)
    found = {r.report_id: r.findings for r in spot_checks.get_draw(ctx, made.draw_id).reports}
    assert found[first.report_id] == "窗口切换前的结果"
    window.close()


def test_tab_order_of_the_spot_check_tab(qtbot: Any, ctx: Any, ids: dict[str, int]) -> None:
    from tests.gui.keyboard import tab_walk

    spot_checks.draw_spot_checks(ctx, year=Y, count=2, drawn_on=DRAWN_ON, seed=1)
    page = spot_page(qtbot, ctx)
    page.activateWindow()
    qtbot.waitUntil(lambda: page.isActiveWindow())
    tab = page.spot
    fill(tab.findings, "有修改")  # 保存核查结果 is enabled once something is typed
    chain = [
        tab.count.lineEdit(),
        tab.seed,
        tab.strata,
        tab.drawn_on.line,
        tab.draw_button,
        tab.draw_box,
        tab.table,
        tab.findings,
        tab.save_button,
    ]
    chain[0].setFocus(Qt.FocusReason.TabFocusReason)
    seen = tab_walk(qtbot, chain[0], len(chain) - 1)
    assert [w.objectName() or type(w).__name__ for w in seen] == [
        w.objectName() or type(w).__name__ for w in chain
    ]
    tab.discard_changes()
