"""The 规则 and 设置 pages on a real (temporary) database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from lzcenter_desktop.domain.catalog import RULES
from lzcenter_desktop.domain.settings import PARAMETERS
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.ui.pages.rules import RulesPage
from lzcenter_desktop.ui.pages.settings import SettingsPage
from tests.helpers import type_text

YEAR = date.today().year


@pytest.fixture
def rules_page(qtbot, ctx) -> RulesPage:
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    return page


@pytest.fixture
def settings_page(qtbot, ctx) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    return page


def editor(page: SettingsPage, name: str) -> QLineEdit:
    widget = page.rows[name].editor
    assert isinstance(widget, QLineEdit)
    return widget


def retype(qtbot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        type_text(widget, text)


# -- 规则 ---------------------------------------------------------------------------------------


def test_rules_page_lists_every_rule(rules_page: RulesPage) -> None:
    assert rules_page.proxy.rowCount() == len(RULES)
    assert rules_page.count_label.text() == f"共 {len(RULES)} 条规则，显示 {len(RULES)} 条"
    ids = [rules_page.proxy.index(r, 0).data() for r in range(rules_page.proxy.rowCount())]
    assert ids == [r.id for r in RULES]


def test_search_and_select_a_rule_shows_source_and_parameters(rules_page: RulesPage) -> None:
    type_text(rules_page.search_edit, "研究开发人员")
    shown = [rules_page.proxy.index(r, 0).data() for r in range(rules_page.proxy.rowCount())]
    assert "D9.3a" in shown
    assert "D26" not in shown
    assert rules_page.select_rule("D9.3a")
    assert rules_page.title_label.text().startswith("D9.3a")
    assert "第九条（三）" in rules_page.meta_label.text()
    assert "错误（阻断）" in rules_page.meta_label.text()
    assert "固定研究开发人员一般不少于8人" in rules_page.source_label.text()
    assert rules_page.params_shown() == [("固定研究开发人员最少人数", "8", "人")]
    assert "使用办法规定的默认值" in rules_page.params_caption.text()


def test_rule_search_by_id_is_case_insensitive(rules_page: RulesPage) -> None:
    rules_page.search_edit.setText("d9.6c")
    shown = [rules_page.proxy.index(r, 0).data() for r in range(rules_page.proxy.rowCount())]
    assert shown == ["D9.6c"]
    assert rules_page.current_rule() is not None and rules_page.current_rule().id == "D9.6c"
    assert ("申报前三年建设运行经费累计最低额", "5,000,000", "元") in rules_page.params_shown()


def test_rules_page_shows_the_saved_version_for_the_year(qtbot, ctx) -> None:
    new = rulesets.settings_for_year(ctx, YEAR).__class__(min_staff=10)
    rulesets.save_settings(ctx, year=YEAR, settings=new, note="测试")
    page = RulesPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.settings_loaded):
        page.refresh()
    page.select_rule("D9.3a")
    assert page.params_shown() == [("固定研究开发人员最少人数", "10", "人")]
    assert f"{YEAR} 年度规则参数第 1 版" in page.params_caption.text()


def test_rule_without_parameters_says_so(rules_page: RulesPage) -> None:
    rules_page.select_rule("D9.3d")
    assert rules_page.params_caption.text() == "这条规则没有可调整的参数。"
    assert rules_page.params_table.isHidden()


# -- 设置 ---------------------------------------------------------------------------------------


def test_settings_page_shows_every_parameter_with_defaults(settings_page: SettingsPage) -> None:
    assert list(settings_page.rows) == [p.name for p in PARAMETERS]
    assert editor(settings_page, "min_staff").text() == "8"
    assert editor(settings_page, "min_bachelor_share").text() == "80%"
    assert editor(settings_page, "expert_max_own_share").text() == "1/3"
    assert editor(settings_page, "min_investment_yuan").text() == "5,000,000"
    assert (
        editor(settings_page, "rd_intensity_tiers").text()
        == "5000万元及以下：5%；20000万元及以下：4%；其余：3%"
    )
    combo = settings_page.rows["count_national_projects"].editor
    assert isinstance(combo, QComboBox) and combo.currentText() == "是"
    assert "使用《管理办法》规定的默认值" in settings_page.source_label.text()
    assert settings_page.history_rows() == []
    assert not settings_page.save_button.isEnabled()
    assert not settings_page.revert_button.isEnabled()


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("min_staff", "abc", "参数“固定研究开发人员最少人数”：应为整数"),
        ("min_staff", "-1", "参数“固定研究开发人员最少人数”：不能为负数"),
        ("recent_years", "0", "参数““近三年”的年数”：应大于0"),
        (
            "min_bachelor_share",
            "101%",
            "参数“大学本科及以上学历人员最低占比”：比例应在0%到100%之间",
        ),
        ("min_bachelor_share", "八成", "应写成百分比（如 80%）或分数（如 1/3）"),
        ("annual_report_due", "02-30", "日期 02-30 不存在"),
        ("pass_score", "101", "参数“拟认定最低总分”：不能大于100（总分满分为100分）"),
        ("key_industries", "", "参数“柳州重点产业目录”：至少应有一项"),
    ],
)
def test_bad_value_shows_a_chinese_message_naming_the_parameter(
    qtbot, settings_page: SettingsPage, name: str, typed: str, message: str
) -> None:
    retype(qtbot, editor(settings_page, name), typed)
    error = settings_page.rows[name].error_label
    assert error.isVisible()
    assert message in error.text()
    assert not settings_page.save_button.isEnabled()
    assert "红字" in settings_page.state_label.text()


@pytest.mark.parametrize(("typed", "ok"), [("99", True), ("100", True), ("101", False)])
def test_pass_score_bound(qtbot, settings_page: SettingsPage, typed: str, ok: bool) -> None:
    retype(qtbot, editor(settings_page, "pass_score"), typed)
    assert settings_page.save_button.isEnabled() is ok
    assert bool(settings_page.rows["pass_score"].error_label.text()) is not ok


@pytest.mark.parametrize(("typed", "ok"), [("0%", True), ("100%", True), ("100.1%", False)])
def test_ratio_bounds(qtbot, settings_page: SettingsPage, typed: str, ok: bool) -> None:
    retype(qtbot, editor(settings_page, "min_intermediate_title_share"), typed)
    assert bool(settings_page.rows["min_intermediate_title_share"].error_label.text()) is not ok


def test_cross_field_error_lands_on_the_named_parameter(qtbot, settings_page: SettingsPage) -> None:
    retype(qtbot, editor(settings_page, "expert_committee_min_size"), "12")
    assert "最少人数不能大于最多人数" in settings_page.rows["expert_committee_min_size"].error_label.text()


def test_revert_undoes_unsaved_edits(qtbot, settings_page: SettingsPage) -> None:
    retype(qtbot, editor(settings_page, "min_staff"), "abc")
    retype(qtbot, editor(settings_page, "min_floor_area_m2"), "500")
    assert settings_page.revert_button.isEnabled()
    assert not settings_page.year_spin.isEnabled()  # no year switch with unsaved edits
    qtbot.mouseClick(settings_page.revert_button, Qt.MouseButton.LeftButton)
    assert editor(settings_page, "min_staff").text() == "8"
    assert editor(settings_page, "min_floor_area_m2").text() == "300"
    assert not settings_page.rows["min_staff"].error_label.isVisible()
    assert not settings_page.revert_button.isEnabled()
    assert settings_page.year_spin.isEnabled()


def test_save_needs_a_note_then_adds_a_history_row(qtbot, settings_page: SettingsPage, ctx) -> None:
    retype(qtbot, editor(settings_page, "min_staff"), "10")
    industries = editor(settings_page, "key_industries")
    industries.setFocus()
    qtbot.keyClick(industries, Qt.Key.Key_End)
    type_text(industries, "、螺蛳粉")
    assert settings_page.save_button.isEnabled()
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    dialog = settings_page.save_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "固定研究开发人员最少人数：8 → 10" in dialog.changes_label.text()
    assert "螺蛳粉" in dialog.changes_label.text()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # the note is required
    assert "请填写“修改说明”" in dialog.error_label.text()
    type_text(dialog.note_edit, "依据2026年度申报通知")
    with qtbot.waitSignal(settings_page.settings_loaded, timeout=5000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    rows = settings_page.history_rows()
    assert len(rows) == 1
    assert rows[0][0] == "第 1 版"
    assert rows[0][2] == "测试员"
    assert rows[0][3] == "依据2026年度申报通知"
    assert "固定研究开发人员最少人数" in rows[0][4]
    assert f"当前生效：{YEAR} 年度第 1 版" in settings_page.source_label.text()
    assert editor(settings_page, "min_staff").text() == "10"
    assert not settings_page.save_button.isEnabled()
    saved = rulesets.settings_for_year(ctx, YEAR)
    assert saved.min_staff == 10
    assert saved.key_industries[-1] == "螺蛳粉"


def test_cancel_in_the_save_dialog_saves_nothing(qtbot, settings_page: SettingsPage, ctx) -> None:
    retype(qtbot, editor(settings_page, "min_staff"), "9")
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    dialog = settings_page.save_dialog
    type_text(dialog.note_edit, "试一下")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert rulesets.list_versions(ctx, YEAR) == []
    assert settings_page.is_dirty()


def test_second_save_lists_the_changed_parameter(qtbot, settings_page: SettingsPage) -> None:
    for value, note in (("10", "第一次"), ("12", "第二次")):
        retype(qtbot, editor(settings_page, "min_staff"), value)
        qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
        type_text(settings_page.save_dialog.note_edit, note)
        with qtbot.waitSignal(settings_page.settings_loaded, timeout=5000):
            qtbot.mouseClick(settings_page.save_dialog.confirm_button, Qt.MouseButton.LeftButton)
    rows = settings_page.history_rows()
    assert [r[0] for r in rows] == ["第 2 版", "第 1 版"]  # newest first
    assert rows[0][4] == "固定研究开发人员最少人数"


def test_switching_year_loads_that_year(qtbot, settings_page: SettingsPage, ctx) -> None:
    rulesets.save_settings(
        ctx, year=2030, settings=rulesets.settings_for_year(ctx, 2030).__class__(pass_score=65), note="远期"
    )
    with qtbot.waitSignal(settings_page.settings_loaded, timeout=5000):
        settings_page.year_spin.setValue(2030)
    assert editor(settings_page, "pass_score").text() == "65"
    assert settings_page.history_rows()[0][3] == "远期"


def test_database_location_is_shown(settings_page: SettingsPage, ctx) -> None:
    from lzcenter_desktop.services.schema_upgrade import database_location

    expected = str(ctx.db.path) if ctx.db.path is not None else database_location(ctx.db)
    assert settings_page.db_path_label.text() == expected
    if ctx.db.path is None:  # PostgreSQL run: the server's administrator backs it up, not this program
        assert not settings_page.backup_button.isEnabled()
        assert "数据库管理员备份" in settings_page.backup_result.text()


@pytest.mark.sqlite_only  # a backup of the SQLite file (a server database is backed up by its DBA)
def test_database_backup(qtbot, settings_page: SettingsPage, ctx) -> None:
    assert settings_page.db_path_label.text() == str(ctx.db.path)
    with qtbot.waitSignal(settings_page.backup_done, timeout=10000) as blocker:
        qtbot.mouseClick(settings_page.backup_button, Qt.MouseButton.LeftButton)
    path = blocker.args[0]
    shown, anchor = settings_page.backup_result.text().splitlines()
    assert shown == f"已备份到：{path}"
    from lzcenter_desktop.services.audit_chain import anchor_line, latest_anchor

    assert anchor.startswith("审计链锚点：") and anchor == anchor_line(latest_anchor(ctx))
    from pathlib import Path

    assert Path(path).is_file()
    assert Path(path).stat().st_size > 0


# -- a saved rule set reaches every page at once (issue 11 item 1) ------------------------------


def test_a_saved_rule_set_is_seen_at_once_by_rules_the_list_and_an_open_wizard(
    qtbot, settings_page: SettingsPage, ctx, examples_dir
) -> None:
    import json

    from lzcenter_desktop.services import declarations as d
    from lzcenter_desktop.ui.declarations.page import DeclarationsPage

    example = json.loads((examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8"))
    assert example["call_year"] == YEAR and len(example["staff"]) == 10
    did = d.import_declaration_data(ctx, data=example).declaration_id
    rules = RulesPage(ctx)
    qtbot.addWidget(rules)
    with qtbot.waitSignal(rules.settings_loaded):
        rules.refresh()
    rules.select_rule("D9.3a")
    assert rules.params_shown() == [("固定研究开发人员最少人数", "8", "人")]
    declarations = DeclarationsPage(ctx)
    qtbot.addWidget(declarations)
    qtbot.waitUntil(lambda: declarations.table.rowCount() == 1, timeout=10000)
    assert declarations.table.item(0, 7).text() == "0"
    with qtbot.waitSignal(declarations.wizard_opened, timeout=10000) as blocker:
        declarations.open_wizard(did)
    wizard = blocker.args[0]
    qtbot.addWidget(wizard)
    assert wizard.table_editor("staff").flag_text() == ""

    # 11 people required from now on: the example's 10 fall one short
    retype(qtbot, editor(settings_page, "min_staff"), "11")
    industries = editor(settings_page, "key_industries")
    industries.setFocus()
    qtbot.keyClick(industries, Qt.Key.Key_End)
    type_text(industries, "、螺蛳粉")
    qtbot.mouseClick(settings_page.save_button, Qt.MouseButton.LeftButton)
    type_text(settings_page.save_dialog.note_edit, "依据新的申报通知")
    with qtbot.waitSignal(settings_page.version_saved, timeout=5000):
        qtbot.mouseClick(settings_page.save_dialog.confirm_button, Qt.MouseButton.LeftButton)

    # the wizard checks again with the new parameters, without being reopened
    qtbot.waitUntil(lambda: "D9.3a" in wizard.table_editor("staff").flag_text(), timeout=10000)
    assert "11" in wizard.table_editor("staff").flag_text()
    choices = wizard.editor("center.industry_fields").input
    assert "螺蛳粉" in [choices.item(i).text() for i in range(choices.count())]
    assert wizard.editor("center.industry_fields").value() == ["机械"]  # the choice is kept
    assert "规则参数已更新" in wizard.save_status
    # the 规则 page shows the new value and its version
    qtbot.waitUntil(lambda: rules.params_shown() == [("固定研究开发人员最少人数", "11", "人")], timeout=10000)
    assert f"{YEAR} 年度规则参数第 1 版" in rules.params_caption.text()
    # the 申报 list counts the new error (it reads again once the changes pause)
    qtbot.waitUntil(lambda: declarations.table.item(0, 7).text() == "1", timeout=15000)
