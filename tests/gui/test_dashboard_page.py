"""概览 (ui/dashboard/): the first section, it fits 1366×768, a bar clicked opens 中心 filtered to
its centres, a count opens its section, 导出 Excel writes the numbers shown, and the loading /
empty / error states are said in Chinese — with no SQL on the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from sqlmodel import col, select

from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Organization
from lzcenter_desktop.ui.dashboard.cards import LOADING, CountChartCard, count_axis
from lzcenter_desktop.ui.dashboard.page import DashboardPage
from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow
from lzcenter_desktop.ui.tasks import running_tasks
from tests.gui.ui_thread_db import ui_thread_statements


@pytest.fixture
def three_ctx(ctx: Any) -> Any:
    """Two recognised centres (one in 柳北区) and a draft in 柳北区."""
    from datetime import date

    from lzcenter_desktop.services import centers, organizations
    from tests.integration.annual.annual_helpers import titled_centre

    titled_centre(ctx, "轻量化", date(2023, 8, 1), district="450205", industry="汽车")
    titled_centre(ctx, "食品", date(2019, 6, 1), industry="日用消费品")
    host = organizations.create_organization(ctx, name="柳州智能装备有限公司", kind="enterprise")
    with unit_of_work(ctx, "test.dashboard") as session:
        org = session.execute(select(Organization).where(col(Organization.id) == host)).scalar_one()
        org.district_code = "450205"
        session.add(org)
    centers.create_center(
        ctx, name_zh="柳州智能装备工程技术研究中心", host_id=host, on=date(2024, 2, 1), industries=["机械"]
    )
    return ctx


@pytest.fixture
def window(qtbot: Any, three_ctx: Any) -> Any:
    with ui_thread_statements(three_ctx.db.engine) as on_ui_thread:
        w = MainWindow(three_ctx)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        page = w.page("概览")
        qtbot.waitUntil(lambda: not page.loading and running_tasks() == 0, timeout=20000)
        yield w
    assert on_ui_thread == []


def test_it_is_the_first_section_and_every_figure_loads(window: MainWindow) -> None:
    assert SECTIONS[0] == "概览"
    assert window.current_section() == "概览"
    page = window.page("概览")
    assert isinstance(page, DashboardPage)
    states = {key: card.state for key, card in page.cards.items()}
    assert "error" not in states.values() and "loading" not in states.values()
    district = page.cards["district"].figure
    assert [(b.label, b.count) for b in district.bars] == [("柳北区", 2), ("未登记", 1)]
    assert window.count_label.text().startswith("概览：统计日 ")


def test_it_fits_1366_by_768_without_scrolling(window: MainWindow) -> None:
    assert (window.width(), window.height()) == (1366, 768)  # nothing made the window grow
    page = window.page("概览")
    for card in page.cards.values():
        top_left = card.mapTo(page, card.rect().topLeft())
        bottom_right = card.mapTo(page, card.rect().bottomRight())
        assert page.rect().contains(top_left) and page.rect().contains(bottom_right), card.title
        assert card.export_button.isVisible() and card.refresh_button.isVisible()


def _bar_point(card: CountChartCard, label: str) -> Any:
    """Where the bar of ``label`` is drawn, in the chart view's viewport."""
    chart = card.view.chart()
    ordered = list(reversed(card.categories))  # drawn bottom to top
    index = ordered.index(label)
    value = card.figure.bars[card.categories.index(label)].count
    scene = chart.mapToPosition(QPointF(value / 2, index), card.series)
    return card.view.mapFromScene(scene)


def test_clicking_a_district_bar_opens_the_centres_of_that_district(qtbot: Any, window: MainWindow) -> None:
    page = window.page("概览")
    card = page.cards["district"]
    assert isinstance(card, CountChartCard)
    QTest.mouseClick(card.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(card, "柳北区"))
    assert window.current_section() == "中心"
    centres = window.centers_page
    qtbot.waitUntil(lambda: not centres.loading and centres.proxy.total_count() == 3, timeout=20000)
    assert centres.district_combo.currentData() == "柳北区"
    assert centres.proxy.visible_count() == 2
    assert window.count_label.text() == "共 3 个中心，显示 2 个"


def test_clicking_a_state_slice_filters_by_state_and_unregistered_shows_all(
    qtbot: Any, window: MainWindow
) -> None:
    page = window.page("概览")
    card = page.cards["state"]
    assert isinstance(card, CountChartCard)
    pieces = {piece.label(): piece for piece in card.series.slices()}
    assert set(pieces) == {"草稿 1", "已认定 2"}
    pieces["草稿 1"].clicked.emit()
    centres = window.centers_page
    qtbot.waitUntil(lambda: not centres.loading and centres.proxy.total_count() == 3, timeout=20000)
    assert window.current_section() == "中心"
    assert centres.status_combo.currentData() == "草稿"
    assert centres.proxy.visible_count() == 1
    window.show_section("概览")
    district = page.cards["district"]
    assert isinstance(district, CountChartCard)
    QTest.mouseClick(district.view.viewport(), Qt.MouseButton.LeftButton, pos=_bar_point(district, "未登记"))
    assert window.current_section() == "中心"
    assert centres.proxy.visible_count() == 3  # 未登记 is no filter of the list: every centre
    assert "无法按此筛选" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("card", "button", "section"),
    [
        ("reports", "reportsOverdue", "年报"),
        ("reports", "reportsDue", "年报"),
        ("formal", "formalWaiting", "评审"),
    ],
)
def test_a_count_opens_its_section(window: MainWindow, card: str, button: str, section: str) -> None:
    page = window.page("概览")
    numbers = page.cards[card]
    if numbers.state != "shown":  # nothing to count: the card says so instead
        assert numbers.state == "empty" and numbers.message.text()
        return
    QTest.mouseClick(numbers.buttons[button], Qt.MouseButton.LeftButton)
    assert window.current_section() == section
    if section == "年报":  # the year counted, not the page's own default
        assert window.page("年报").year == numbers.figure.year


def test_reports_count_the_recognised_centres(window: MainWindow) -> None:
    card = window.page("概览").cards["reports"]
    assert card.state == "shown"
    assert card.buttons["reportsDue"].text() == "应报送 2"  # the recognised centres, not the draft


def test_export_writes_the_numbers_shown(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    page = window.page("概览")
    target = tmp_path / "县区.xlsx"
    page.choose_path = lambda _title, _suggested: target
    card = page.cards["district"]
    QTest.mouseClick(card.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_export == target, timeout=20000)
    ws = load_workbook(target).active
    assert ws is not None
    rows = [
        (ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(3, ws.max_row + 1)
    ]
    assert rows == [*((b.label, b.count) for b in card.figure.bars), ("合计", 3)]
    assert card.note.text() == f"已导出到 {target}"


def test_an_export_that_cannot_be_written_says_why(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    page = window.page("概览")
    page.choose_path = lambda _title, _suggested: tmp_path / "没有这个文件夹" / "x.xlsx"
    card = page.cards["formal"]
    QTest.mouseClick(card.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.note.text().startswith("导出失败："), timeout=20000)
    assert "不存在" in card.note.text()


def test_loading_empty_and_error_are_said_in_chinese(qtbot: Any, ctx: Any) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    assert all(card.message.text() == LOADING for card in page.cards.values())

    def broken() -> Any:
        raise ServiceError("数据库中的年报记录无法读取，请检查数据库", field="年报")

    page.cards["reports"]._read = broken
    page.resize(1200, 700)
    page.show()
    page.on_shown(True)
    qtbot.waitUntil(lambda: not page.loading and running_tasks() == 0, timeout=20000)
    assert page.cards["state"].state == "empty"
    assert page.cards["state"].message.text() == "数据库中还没有中心。"
    assert page.cards["formal"].message.text() == "没有待形式审查的申报书。"
    assert page.cards["reports"].state == "error"
    assert page.cards["reports"].message.text() == (
        "读取失败：数据库中的年报记录无法读取，请检查数据库。请按“刷新”重试。"
    )
    assert not page.cards["reports"].export_button.isEnabled()


def test_a_change_of_centres_reads_the_charts_again(qtbot: Any, window: MainWindow) -> None:
    from datetime import date

    from lzcenter_desktop.services import centers, organizations
    from lzcenter_desktop.ui import ops

    page = window.page("概览")
    host = organizations.create_organization(window.ctx, name="柳州新增有限公司", kind="enterprise")
    centers.create_center(
        window.ctx, name_zh="柳州新增工程技术研究中心", host_id=host, on=date(2026, 1, 2), industries=["汽车"]
    )
    ops.hub().notify({"centers"})
    qtbot.waitUntil(lambda: page.cards["state"].figure.total == 4, timeout=20000)


@pytest.mark.parametrize(
    ("top", "step", "end"), [(1, 1, 2), (5, 1, 6), (6, 2, 8), (11, 2, 14), (12, 5, 15), (99, 20, 120)]
)
def test_count_axis_has_whole_steps_and_room_for_the_label(top: int, step: int, end: int) -> None:
    assert count_axis(top) == (step, end)
    assert end % step == 0 and end > top and end // step <= 7


def test_ctrl_0_opens_the_overview_and_the_view_menu_lists_it_first(qtbot: Any, window: MainWindow) -> None:
    window.show_section("规则")
    window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "概览"
    qtbot.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "中心"  # the other sections keep their numbers
    view = window.menuBar().actions()[2].menu()
    assert view.actions()[0].text() == "概览\tCtrl+0"


def test_a_change_while_away_is_read_on_the_next_visit(qtbot: Any, window: MainWindow) -> None:
    from lzcenter_desktop.ui import ops

    page = window.page("概览")
    window.show_section("中心")
    ops.hub().notify({"declarations"})
    assert page.cards["formal"].stale and not page.cards["state"].stale
    window.show_section("概览")
    assert not page.cards["formal"].stale
    qtbot.waitUntil(lambda: not page.loading and running_tasks() == 0, timeout=20000)
