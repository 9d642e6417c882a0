"""The main window on a real (temporary) database: what a clerk sees and types."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from lzcenter_desktop.services.dto import CenterRow
from lzcenter_desktop.services.schema_upgrade import database_name
from lzcenter_desktop.storage.errors import LOCKED_MESSAGE, DatabaseLocked
from lzcenter_desktop.ui.dialogs import errors
from lzcenter_desktop.ui.main_window import SECTIONS, MainWindow, window_size
from lzcenter_desktop.ui.models.centers import COL_NAME, COL_RECOGNIZED_ON
from lzcenter_desktop.ui.pages.centers import IMMEDIATE_FILTER_MAX_ROWS, CentersPage
from lzcenter_desktop.ui.pages.placeholder import NOT_YET, PlaceholderPage
from tests.gui.message_answers import MessageAnswers
from tests.helpers import type_text


@pytest.fixture
def window(qtbot, small_ctx) -> MainWindow:
    w = MainWindow(small_ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.current_section() == "概览"  # the first section; these tests are about 中心
    w.show_section("中心")
    qtbot.waitUntil(lambda: not w.centers_page.loading and w.centers_page.proxy.total_count() == 3)
    return w


def visible_names(page: CentersPage) -> list[str]:
    return [page.proxy.index(r, COL_NAME).data() for r in range(page.proxy.rowCount())]


def test_title_names_the_database_and_sections_are_all_there(window: MainWindow) -> None:
    assert "柳州市工程技术研究中心管理系统" in window.windowTitle()
    # the file's name on SQLite, the server URL (without password) on PostgreSQL
    assert database_name(window.ctx.db) in window.windowTitle()
    assert window.ctx.db.path is None or "t.sqlite" in window.windowTitle()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(SECTIONS)
    assert SECTIONS[:2] == ("概览", "中心")
    assert window.current_section() == "中心"


def test_list_is_filled_and_status_bar_counts(window: MainWindow) -> None:
    page = window.centers_page
    assert page.table.model().rowCount() == 3
    assert window.count_label.text() == "共 3 个中心，显示 3 个"
    assert "柳州汽车轻量化工程技术研究中心" in visible_names(page)


def test_typing_in_the_filter_narrows_the_list_and_esc_clears_it(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    type_text(page.filter_edit, "汽车")
    assert page.filter_edit.text() == "汽车"
    assert visible_names(page) == ["柳州汽车轻量化工程技术研究中心"]
    assert window.count_label.text() == "共 3 个中心，显示 1 个"
    type_text(page.filter_edit, " 已撤销")  # AND: nothing is both
    assert page.proxy.rowCount() == 0
    assert window.count_label.text() == "共 3 个中心，显示 0 个"
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""
    assert window.count_label.text() == "共 3 个中心，显示 3 个"


def test_filter_matches_host_and_status(window: MainWindow) -> None:
    page = window.centers_page
    type_text(page.filter_edit, "恒锐")
    assert visible_names(page) == ["柳州智能装备工程技术研究中心"]
    page.filter_edit.clear()
    type_text(page.filter_edit, "草稿")
    assert visible_names(page) == ["柳州智能装备工程技术研究中心"]


def test_status_combo_filters(window: MainWindow) -> None:
    page = window.centers_page
    items = [page.status_combo.itemText(i) for i in range(page.status_combo.count())]
    assert items == ["全部", "草稿（1）", "已认定（1）", "已撤销（1）"]
    page.status_combo.setCurrentIndex(items.index("已撤销（1）"))
    assert visible_names(page) == ["柳州特色食品工程技术研究中心"]
    assert window.count_label.text() == "共 3 个中心，显示 1 个"


def test_selecting_a_centre_shows_its_detail_and_timeline(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    assert page.detail.stack.currentWidget() is page.detail.message_label
    page.select_row(visible_names(page).index("柳州汽车轻量化工程技术研究中心"))
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    detail = page.detail
    assert detail.title_label.text() == "柳州汽车轻量化工程技术研究中心"
    assert detail.fields["依托单位"].text() == "柳州鑫桥汽车零部件有限公司"
    assert detail.fields["状态"].text() == "已认定"
    assert detail.fields["认定日期"].text() == "2023-08-01"
    assert detail.fields["认定文号"].text() == "柳科发〔2023〕12号"
    assert detail.fields["牌匾编号"].text() == "LZGC-2023-001"
    assert detail.fields["研究方向"].text() == "车身轻量化材料与结构"
    rows = detail.timeline_rows()
    assert len(rows) == 6
    assert rows[0] == [
        "2023-08-01",
        "公示中 → 已认定",
        "柳科发〔2023〕12号",
        "测试员",
        "公示无异议，发文认定",
    ]
    assert rows[-1] == ["2023-03-01", "草稿", "", "测试员", "新建申报"]


def test_enter_opens_the_current_centre(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    page.table.setFocus()
    page.select_row(visible_names(page).index("柳州特色食品工程技术研究中心"))
    page.detail.clear()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    assert page.detail.title_label.text() == "柳州特色食品工程技术研究中心"
    assert page.detail.timeline_rows()[0][1] == "已认定 → 已撤销"
    assert page.detail.timeline_rows()[0][2] == "柳科发〔2025〕8号"


def test_detail_clears_when_the_selected_centre_is_filtered_out(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    page.select_row(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    type_text(page.filter_edit, "没有这样的中心")
    assert page.detail.detail is None
    assert page.detail.stack.currentWidget() is page.detail.message_label


def test_clicking_a_header_sorts(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_RECOGNIZED_ON) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    dates = [page.proxy.index(r, COL_RECOGNIZED_ON).data() for r in range(3)]
    assert dates in (["2019-06-01", "2023-08-01", ""], ["2023-08-01", "2019-06-01", ""])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    dates2 = [page.proxy.index(r, COL_RECOGNIZED_ON).data() for r in range(3)]
    assert dates2[:2] == list(reversed(dates[:2]))
    assert dates2[2] == ""


def test_keyboard_switches_sections_and_ctrl_f_focuses_the_filter(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.nav, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "规则"
    assert window.stack.currentWidget() is window.rules_page
    qtbot.keyClick(window.nav, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert window.current_section() == "设置"
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "中心"
    qtbot.waitUntil(window.centers_page.filter_edit.hasFocus)


def test_a_section_not_built_yet_would_say_so_plainly(qtbot) -> None:
    # every section is built now (年报 was the last placeholder); the placeholder stays for the next
    section = "年报"
    page = PlaceholderPage(section, "登记各中心每年报送的工作年报。")
    qtbot.addWidget(page)
    assert NOT_YET in page.text()
    assert section in page.text()
    assert page.findChildren(QPushButton) == []  # no dead buttons


def test_committees_section_is_the_roster_editor(window: MainWindow) -> None:
    from lzcenter_desktop.ui.committees.page import CommitteesPage

    window.show_section("委员会")
    assert isinstance(window.stack.currentWidget(), CommitteesPage)


def test_declarations_section_is_the_declaration_list(window: MainWindow) -> None:
    from lzcenter_desktop.ui.declarations.page import DeclarationsPage

    window.show_section("申报")
    assert isinstance(window.stack.currentWidget(), DeclarationsPage)


def test_documents_section_is_the_documents_page(window: MainWindow) -> None:
    from lzcenter_desktop.ui.documents.page import DocumentsPage

    window.show_section("文档")
    assert isinstance(window.stack.currentWidget(), DocumentsPage)


def test_centre_list_is_read_again_when_the_clerk_comes_back(window: MainWindow, qtbot) -> None:
    from lzcenter_desktop.services import centers, organizations

    qtbot.waitUntil(lambda: not window.centers_page._loading)
    before = window.centers_page.proxy.total_count()
    host = organizations.create_organization(
        window.ctx, name="柳州新测试机械有限公司", kind="enterprise", credit_code=None
    )
    centers.create_center(
        window.ctx,
        name_zh="柳州新测试工程技术研究中心（柳州新测试机械有限公司）",
        host_id=host,
        on=date(2026, 11, 26),
        industries=["机械"],
    )
    window.show_section("申报")
    window.show_section("中心")
    qtbot.waitUntil(
        lambda: not window.centers_page.loading and window.centers_page.proxy.total_count() == before + 1
    )


def test_empty_database_says_there_are_no_centres(qtbot, ctx) -> None:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show_section("中心")
    qtbot.waitUntil(lambda: "还没有中心" in w.centers_page.detail.message_label.text())
    assert w.count_label.text() == "共 0 个中心，显示 0 个"


def _rows(n: int) -> list[CenterRow]:
    return [
        CenterRow(
            id=i,
            name=f"柳州测试{i}工程技术研究中心",
            host=f"柳州单位{i}有限公司",
            district="柳北区" if i % 2 else "鱼峰区",
            industry="汽车",
            status="已认定",
            status_code="recognised",
            recognized_on=date(2020, 1, 1),
            director=None,
        )
        for i in range(1, n + 1)
    ]


def test_large_list_filters_after_typing_pauses(qtbot, ctx) -> None:
    n = IMMEDIATE_FILTER_MAX_ROWS + 1
    page = CentersPage(ctx, list_centers=lambda _ctx: _rows(n))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    type_text(page.filter_edit, "鱼峰")
    assert page.proxy.rowCount() == n  # not yet: the filter waits for a pause in typing
    qtbot.waitUntil(lambda: page.proxy.rowCount() == n // 2)
    assert page.status_text() == f"共 {n} 个中心，显示 {n // 2} 个"


def test_list_at_the_immediate_limit_filters_on_every_keystroke(qtbot, ctx) -> None:
    n = IMMEDIATE_FILTER_MAX_ROWS
    page = CentersPage(ctx, list_centers=lambda _ctx: _rows(n))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.rows_loaded):
        page.reload()
    type_text(page.filter_edit, "鱼峰")
    assert page.proxy.rowCount() == n // 2


def test_a_locked_database_while_loading_shows_a_plain_message(qtbot, ctx) -> None:
    def locked(_ctx: object) -> list[CenterRow]:
        raise DatabaseLocked(LOCKED_MESSAGE)

    page = CentersPage(ctx, list_centers=locked)
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: len(errors.open_message_boxes()) == 1)
    [box] = errors.open_message_boxes()
    assert box.windowTitle() == "数据库正被占用"
    assert box.informativeText() == LOCKED_MESSAGE
    assert page.load_label.text() == "读取失败"
    box.done(QMessageBox.StandardButton.Ok)


def test_demo_database_fills_the_list_and_the_detail(qtbot, demo_ctx) -> None:
    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.show()
    w.show_section("中心")
    # The first rows show on their own while the whole list is read: wait for the whole list.
    qtbot.waitUntil(lambda: w.centers_page.proxy.total_count() > 0 and not w.centers_page.loading)
    page = w.centers_page
    total = page.proxy.total_count()
    assert w.count_label.text() == f"共 {total} 个中心，显示 {total} 个"
    type_text(page.filter_edit, "已认定")
    shown = page.proxy.rowCount()
    assert 0 < shown < total
    assert w.count_label.text() == f"共 {total} 个中心，显示 {shown} 个"
    page.select_row(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    assert page.detail.fields["状态"].text() == "已认定"
    assert page.detail.timeline_rows()[0][1].endswith("已认定")


def test_closing_with_unsaved_settings_asks_first(qtbot, window: MainWindow, monkeypatch) -> None:
    answers = MessageAnswers(monkeypatch)
    window.show_section("设置")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.saved is not None)
    line = page.rows["min_staff"].editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "9")
    assert page.is_dirty()
    window.show_section("中心", ask=False)  # (leaving asks too: see test_leaving_unsaved.py)
    answers.queue("取消")
    window.close()
    assert window.isVisible()
    assert window.current_section() == "设置"
    year = page.year()
    assert "未保存的修改" in answers.asked[-1].text
    assert f"设置：{year} 年度的规则参数" in answers.asked[-1].text
    assert answers.asked[-1].informative == "关闭前要保存这些修改吗？"
    assert answers.asked[-1].escape == "取消" and answers.asked[-1].default == "保存(&S)"
    answers.queue("不保存(&N)")
    window.close()
    assert not window.isVisible()
    assert not page.is_dirty()  # 不保存 discarded the edit


def test_saving_from_the_close_question_opens_the_settings_save_dialog(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    """A rule set is saved with a note: 保存 opens that dialog and the window stays open."""
    answers = MessageAnswers(monkeypatch)
    window.show_section("设置")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.saved is not None)
    line = page.rows["min_staff"].editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "9")
    answers.queue("保存(&S)")
    window.close()
    assert window.isVisible() and window.current_section() == "设置"
    assert page.save_dialog is not None and page.save_dialog.isVisible()
    page.save_dialog.reject()
    page.discard_changes()  # clean again, so closing at teardown asks nothing
    assert window.unsaved_changes() == []


def test_pages_are_built_on_their_first_visit(qtbot, small_ctx) -> None:
    w = MainWindow(small_ctx)
    qtbot.addWidget(w)
    assert set(w.pages) == {"概览"}
    w.show_section("规则")
    assert set(w.pages) == {"概览", "规则"}
    w.show_section("概览")
    assert set(w.pages) == {"概览", "规则"}


def test_menu_bar_has_the_four_menus_and_the_about_box_names_the_data_folder(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    view = window.menuBar().actions()[2].menu()
    assert [a.text().split("\t")[0] for a in view.actions()] == list(SECTIONS)
    assert str(window.data_folder()) in window.about_text()
    assert window.save_action.shortcut().toString() == "Ctrl+S"


def test_ctrl_s_saves_the_current_page(qtbot, window: MainWindow) -> None:
    assert window.save_current_page() is True  # 中心: nothing to save, says so
    assert "没有需要保存的修改" in window.statusBar().currentMessage()
    window.show_section("设置")
    page = window.settings_page
    qtbot.waitUntil(lambda: page.saved is not None)
    line = page.rows["min_staff"].editor
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "9")
    qtbot.keyClick(line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.save_dialog is not None and page.save_dialog.isVisible())
    page.save_dialog.reject()
    page.discard_changes()


# -- 县区 / 产业 filters, Esc, and a 1366×768 screen -------------------------------------------------


def combo_items(combo) -> list[str]:  # type: ignore[no-untyped-def]
    return [combo.itemText(i) for i in range(combo.count())]


def test_industry_and_district_combos_list_what_is_present_in_pinyin_order(window: MainWindow) -> None:
    page = window.centers_page
    # 机械 (ji) < 汽车 (qi) < 日用消费品 (ri); "全部" first.
    assert combo_items(page.industry_combo) == ["全部", "机械", "汽车", "日用消费品"]
    districts = sorted({r.district for r in page.model.rows if r.district})  # no empty entry
    assert combo_items(page.district_combo)[0] == "全部"
    assert sorted(combo_items(page.district_combo)[1:]) == districts


def test_industry_filter_combines_with_text_and_esc_on_the_list_clears_every_filter(
    qtbot, window: MainWindow
) -> None:
    page = window.centers_page
    page.industry_combo.setCurrentIndex(combo_items(page.industry_combo).index("汽车"))
    assert visible_names(page) == ["柳州汽车轻量化工程技术研究中心"]
    assert window.count_label.text() == "共 3 个中心，显示 1 个"
    assert page.status_text() == "共 3 个中心，显示 1 个"
    type_text(page.filter_edit, "食品")  # AND: the 汽车 centre's texts do not say 食品
    assert page.proxy.rowCount() == 0
    assert window.count_label.text() == "共 3 个中心，显示 0 个"
    page.status_combo.setCurrentIndex(1)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""
    assert [c.currentIndex() for c in (page.status_combo, page.district_combo, page.industry_combo)] == [
        0,
        0,
        0,
    ]
    assert not page.proxy.has_filter()
    assert window.count_label.text() == "共 3 个中心，显示 3 个"


def test_esc_in_the_filter_box_also_resets_the_combos(qtbot, window: MainWindow) -> None:
    page = window.centers_page
    page.industry_combo.setCurrentIndex(1)
    assert page.proxy.rowCount() == 1
    page.filter_edit.setFocus()
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.industry_combo.currentIndex() == 0
    assert page.proxy.rowCount() == 3


def test_a_chosen_district_that_disappears_falls_back_to_all(qtbot, ctx) -> None:
    rows = [
        CenterRow(1, "甲中心", "甲公司", "三江侗族自治县", "汽车", "已认定", "recognised", None, None),
        CenterRow(2, "乙中心", "乙公司", "柳北区", "食品", "已认定", "recognised", None, None),
    ]
    current = list(rows)
    page = CentersPage(ctx, list_centers=lambda _ctx: list(current))
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: page.proxy.total_count() == 2)
    page.district_combo.setCurrentIndex(combo_items(page.district_combo).index("三江侗族自治县"))
    assert page.proxy.rowCount() == 1
    current[:] = rows[1:]
    page.reload()
    qtbot.waitUntil(lambda: page.proxy.total_count() == 1)
    assert page.district_combo.currentText() == "全部"
    assert page.proxy.district_filter == ""
    assert page.proxy.rowCount() == 1


def test_the_page_fits_a_1366_by_768_screen(qtbot, window: MainWindow) -> None:
    from lzcenter_desktop.ui.models.centers import COL_DISTRICT

    page = window.centers_page
    assert page.minimumSizeHint().width() <= 1100
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.height() == 768)
    QApplication.processEvents()
    # Nothing selected: the detail panel is closed and the list has the whole height.
    assert not page.detail_open
    assert page.table.height() >= page.splitter.height() - 2
    # The longest district name fits its column; every combo is as wide as its longest entry.
    metrics = page.table.fontMetrics()
    assert page.table.columnWidth(COL_DISTRICT) > metrics.horizontalAdvance("三江侗族自治县")
    for combo in (page.status_combo, page.district_combo, page.industry_combo):
        longest = max(combo.fontMetrics().horizontalAdvance(t) for t in combo_items(combo))
        assert combo.width() > longest
    # A centre selected: the detail opens, and the list keeps most of the height.
    page.select_row(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    assert page.detail_open
    table_h, detail_h = page.splitter.sizes()
    assert detail_h > 0
    assert table_h > detail_h
    assert table_h // page.table.verticalHeader().defaultSectionSize() >= 13


def test_district_cells_have_their_full_text_as_tooltip(window: MainWindow) -> None:
    from lzcenter_desktop.ui.models.centers import COL_DISTRICT

    page = window.centers_page
    index = page.proxy.index(0, COL_DISTRICT)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
    assert page.table.textElideMode() == Qt.TextElideMode.ElideMiddle


def test_the_detail_height_the_clerk_chose_is_remembered(qtbot, small_ctx) -> None:
    from lzcenter_desktop.ui.pages import centers

    first = MainWindow(small_ctx)
    qtbot.addWidget(first)
    first.resize(1366, 768)
    first.show()
    first.show_section("中心")
    qtbot.waitUntil(lambda: not first.centers_page.loading and first.centers_page.proxy.total_count() == 3)
    page = first.centers_page
    page.select_row(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    total = sum(page.splitter.sizes())
    page.splitter.setSizes([total - 150, 150])
    page.splitter.splitterMoved.emit(total - 150, 1)  # what dragging the handle emits
    assert centers._remembered_splitter is not None
    try:
        second = MainWindow(small_ctx)
        qtbot.addWidget(second)
        second.resize(1366, 768)
        second.show()
        second.show_section("中心")
        qtbot.waitUntil(
            lambda: not second.centers_page.loading and second.centers_page.proxy.total_count() == 3
        )
        other = second.centers_page
        assert not other.detail_open
        other.select_row(0)
        qtbot.waitUntil(lambda: other.detail.detail is not None)
        assert abs(other.splitter.sizes()[1] - 150) <= 2  # the same height, give or take rounding
        assert other.splitter.sizes()[1] < centers.DETAIL_HEIGHT - 50
    finally:
        centers._remembered_splitter = None


@pytest.mark.parametrize(
    ("free", "size"),
    [
        ((1366, 728), (1280, 688)),  # 1366×768 with a 40 px taskbar
        ((1920, 1040), (1280, 800)),
        ((1280, 839), (1280, 799)),  # one pixel below, at, above the room for 800 + title bar
        ((1280, 840), (1280, 800)),
        ((1280, 841), (1280, 800)),
        ((1279, 900), (1279, 800)),
        ((800, 400), (800, 480)),  # never below a usable height
    ],
)
def test_the_window_opens_inside_the_screens_free_area(free: tuple[int, int], size: tuple[int, int]) -> None:
    assert window_size(*free) == size


def test_the_window_is_sized_from_its_screen(window: MainWindow) -> None:
    screen = window.screen()
    assert screen is not None
    free = screen.availableGeometry()  # offscreen: 800×800 — the height follows it
    assert window.height() == window_size(free.width(), free.height())[1]


def test_a_section_shortcut_puts_the_keyboard_in_the_pages_first_field(qtbot, window: MainWindow) -> None:
    """Ctrl+8 / Ctrl+1 from the navigation list: typing goes on in the section, not in the list."""
    window.activateWindow()
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "规则"
    focused = QApplication.focusWidget()
    assert focused is not None and window.page("规则").isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "中心"
    focused = QApplication.focusWidget()
    assert focused is not None and window.centers_page.isAncestorOf(focused)
