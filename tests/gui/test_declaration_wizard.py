"""The declaration wizard: a clerk enters the interchange example from scratch into the real pages,
sees each flag appear and disappear, submits, exports, and gets the identical JSON back.

Every database call runs on a worker (issue 11 item 1): what the wizard and the 申报 page read and
write arrives a moment later, so the tests wait for it (``qtbot.waitUntil``), never for a time."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFocusEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QWizard

from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import style
from lzcenter_desktop.ui.declarations.flags import path_label, place
from lzcenter_desktop.ui.declarations.page import DeclarationsPage
from lzcenter_desktop.ui.declarations.table import TableEditor
from lzcenter_desktop.ui.declarations.wizard import DeclarationWizard
from lzcenter_desktop.ui.widgets.date_edit import DateEdit
from tests import db_backend
from tests.gui.wizard_helpers import loaded, open_new, opened, stored, type_into
from tests.helpers import type_text

ENUM_LABELS = {"enterprise": "企业", "cto": "首席技术官"}


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    from lzcenter_desktop.ui.fonts import register_application_fonts

    register_application_fonts(qapp)


def finished(qtbot: Any, task: Any) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)


def pick(combo: QComboBox, label: str) -> None:
    index = combo.findText(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)


def set_date(wizard: DeclarationWizard, key: str, typed: str) -> None:
    """Type ``typed`` into the date field and press Enter, as the clerk does."""
    edit = wizard.editor(key).input
    assert isinstance(edit, DateEdit)
    edit.line.selectAll()
    QTest.keyClicks(edit.line, typed)
    QTest.keyClick(edit.line, Qt.Key.Key_Return)


def visit(wizard: DeclarationWizard, key: str) -> None:
    """The clerk tabs through field ``key`` without typing in it."""
    QApplication.sendEvent(
        wizard.editor(key).focus_widget(), QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    )


def paste(qtbot: Any, te: TableEditor, rows: list[list[str]], row: int = 0, column: int = 0) -> None:
    QGuiApplication.clipboard().setText("\n".join("\t".join(r) for r in rows) + "\n")
    te.view.setFocus()
    if te.model.rowCount():
        te.view.setCurrentIndex(te.model.index(row, column))
    else:
        te.view.setCurrentIndex(te.model.index(-1, -1))
    qtbot.keyClick(te.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def flag(wizard: DeclarationWizard, key: str) -> str:
    return wizard.editor(key).flag_text()


def table_flag(wizard: DeclarationWizard, key: str) -> str:
    return wizard.table_editor(key).flag_text()


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def fill_everything(qtbot: Any, wizard: DeclarationWizard, ex: dict[str, Any], *, staff: int = 10) -> None:
    c, h = ex["center"], ex["host"]
    set_date(wizard, "application_date", ex["application_date"])
    type_into(wizard, "center.name_zh", c["name_zh"])
    type_into(wizard, "center.name_en", c["name_en"])
    type_into(wizard, "center.research_direction", c["research_direction"])
    industries = wizard.editor("center.industry_fields").input
    assert isinstance(industries, QListWidget)
    industries.findItems("机械", Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)
    set_date(wizard, "center.rd_org_established", c["rd_org_established"])
    type_into(wizard, "host.name", h["name"])
    type_into(wizard, "host.credit_code", h["credit_code"])
    pick(wizard.editor("host.kind").input, ENUM_LABELS[h["kind"]])  # type: ignore[arg-type]
    pick(wizard.editor("host.first_level_legal_person").input, "是")  # type: ignore[arg-type]
    type_into(wizard, "host.competent_department", h["competent_department"])
    type_into(wizard, "host.cto.name", h["cto"]["name"])
    type_into(wizard, "host.cto.filing_no", h["cto"]["filing_no"])
    set_date(wizard, "host.cto.filing_date", h["cto"]["filing_date"])
    staff_rows = [
        [s["name"], s["birth_date"], s["degree"], s["title"], yes_no(s["tech_leader"])]
        for s in ex["staff"][:staff]
    ]
    paste(qtbot, wizard.table_editor("staff"), staff_rows)
    paste(
        qtbot,
        wizard.table_editor("projects"),
        [
            [
                p["name"],
                {"region": "自治区级", "city": "市级", "county": "县级"}[p["level"]],
                {"lead": "主持", "participate": "参与"}[p["role"]],
                p["approved_date"],
            ]
            for p in ex["projects"]
        ],
    )
    kinds = {
        "invention_patent": "发明专利",
        "standard": "行业（地方）标准",
        "new_product": "新产品",
        "utility_patent": "实用新型专利",
    }
    paste(
        qtbot,
        wizard.table_editor("achievements"),
        [[kinds[a["kind"]], a["title"], a["date"], a.get("number", "")] for a in ex["achievements"]],
    )
    type_into(wizard, "center.floor_area_m2", str(c["floor_area_m2"]))
    paste(
        qtbot,
        wizard.table_editor("center.equipment"),
        [[e["name"], str(e["value_yuan"])] for e in c["equipment"]],
    )
    paste(
        qtbot,
        wizard.table_editor("investments"),
        [[str(i["year"]), f"{i['amount_yuan']:,}"] for i in ex["investments"]],
    )
    paste(
        qtbot,
        wizard.table_editor("finances"),
        [[str(f["year"]), str(f["rd_expense_yuan"]), str(f["sales_revenue_yuan"])] for f in ex["finances"]],
    )
    paste(
        qtbot,
        wizard.table_editor("cooperation"),
        [[k["partner"], "合作项目", k["date"], k["title"]] for k in ex["cooperation"]],
    )
    type_into(wizard, "signature.name", ex["signature"]["name"])
    pick(wizard.editor("signature.role").input, ENUM_LABELS[ex["signature"]["role"]])  # type: ignore[arg-type]
    set_date(wizard, "signature.date", ex["signature"]["date"])


def test_pages_are_generated_from_the_form_definition(qtbot: Any, ctx: Any) -> None:
    _, wizard = open_new(qtbot, ctx)
    titles = [wizard.page(i).title() for i in wizard.pageIds()]
    assert titles == [
        "中心基本信息",
        "依托单位",
        "共建单位与联合申报单位",
        "研发人员",
        "科研项目",
        "成果与知识产权",
        "条件与投入",
        "财务数据",
        "产学研合作",
        "签字与附件",
        "检查与提交",
    ]
    assert isinstance(wizard.editor("application_date").input, type(wizard.editor("signature.date").input))
    assert isinstance(wizard.editor("center.research_direction").input, QPlainTextEdit)
    assert isinstance(wizard.editor("host.kind").input, QComboBox)
    assert wizard.editor("host.credit_code").input.maxLength() == 18  # type: ignore[attr-defined]
    assert [c.label for c in wizard.table_editor("staff").model.columns] == [
        "姓名",
        "出生日期",
        "学历",
        "职称",
        "技术带头人",
    ]


def test_clerk_enters_the_example_and_gets_identical_json_back(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path
) -> None:
    page, wizard = open_new(qtbot, ctx)
    wizard.show()
    # a new declaration opens without a wall of red; a required field left blank is flagged once
    # visited, until it is filled; a badly formed name is flagged with its article
    assert flag(wizard, "center.name_zh") == ""
    visit(wizard, "center.name_zh")
    assert "必填：请填写“中心名称（中文）”" in flag(wizard, "center.name_zh")
    type_into(wizard, "center.name_zh", "柳州工程机械")
    assert "D26" in flag(wizard, "center.name_zh") and "第二十六条" in flag(wizard, "center.name_zh")
    wizard.editor("center.name_zh").input.clear()  # type: ignore[attr-defined]

    fill_everything(qtbot, wizard, example, staff=7)
    # 7 staff → D9.3a beside the grid, with the numbers; the running totals say it too
    assert "D9.3a" in table_flag(wizard, "staff") and "7人" in table_flag(wizard, "staff")
    totals = wizard.page_for("staff").totals.text()
    assert totals.startswith("研发人员 7 人（要求 ≥ 8 人）")
    assert "D9.3a" in wizard.page_for("staff").summary.item(0).text()

    # Insert adds a blank 8th row: its required cells are flagged on the cells themselves
    te = wizard.table_editor("staff")
    while wizard.currentPage() is not wizard.page_for("staff"):
        wizard.button(QWizard.WizardButton.NextButton).click()
    te.view.setFocus()
    te.view.setCurrentIndex(te.model.index(6, 0))
    qtbot.keyClick(te.view, Qt.Key.Key_Insert)
    assert te.model.rowCount() == 8
    name_cell = te.model.index(7, 0)
    assert "未填写“姓名”" in name_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert name_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    # type the name into the cell's editor as the clerk does, then paste the rest of the row
    te.view.setCurrentIndex(name_cell)
    qtbot.keyClick(te.view, Qt.Key.Key_F2)
    editors = te.view.viewport().findChildren(QLineEdit)
    assert len(editors) == 1
    editor = editors[0]
    type_text(editor, example["staff"][7]["name"])
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits the editor's text on the next turn
    qtbot.waitUntil(lambda: te.model.rows()[7]["name"] == "研发人员08", timeout=2000)
    assert name_cell.data(Qt.ItemDataRole.BackgroundRole) is None
    s8 = example["staff"][7]
    paste(qtbot, te, [[s8["birth_date"], s8["degree"], s8["title"], "否"]], row=7, column=1)
    assert table_flag(wizard, "staff") == ""  # D9.3a gone at 8
    paste(
        qtbot,
        te,
        [[s["name"], s["birth_date"], s["degree"], s["title"], "否"] for s in example["staff"][8:]],
        row=8,
    )
    assert wizard.page_for("staff").totals.text().startswith("研发人员 10 人（要求 ≥ 8 人），本科及以上 90%")

    # undo and redo of the last paste
    te.model.undo.undo()
    assert te.model.rowCount() == 8
    te.model.undo.redo()
    assert te.model.rowCount() == 10

    qtbot.waitUntil(lambda: not wizard.has_unsaved_changes(), timeout=5000)
    assert d.get_declaration(ctx, wizard.declaration_id).data["staff"] == example["staff"]

    # 检查与提交: nothing blocks, 提交 is enabled; submit, export, compare
    while wizard.currentPage() is not wizard.review_page:
        wizard.button(QWizard.WizardButton.NextButton).click()
    review = wizard.review_page
    assert review is not None
    assert review.table.rowCount() == 0  # no violation left
    assert review.submit_button.isEnabled()
    review.submit_button.click()
    qtbot.waitUntil(lambda: wizard.submitted, timeout=10000)
    assert "已提交" in review.status.text()
    out = tmp_path / "out.json"
    finished(qtbot, page.export_to(wizard.declaration_id, out))
    assert "已导出到" in page.message.text()
    assert (
        out.read_bytes()
        == (Path(__file__).parents[1] / "data/examples/declaration-enterprise.json").read_bytes()
    )


def test_warning_needs_a_reason_before_submit(qtbot: Any, ctx: Any, example: dict[str, Any]) -> None:
    data = json.loads(json.dumps(example))
    data["center"]["equipment"] = []
    did = d.import_declaration_data(ctx, data=data).declaration_id
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    review = wizard.review_page
    assert review is not None
    assert "D9.5b" in table_flag(wizard, "center.equipment")
    assert not review.submit_button.isEnabled()
    assert "未确认 1 项" in review.counts.text()
    # a warning reads 警告 in its colour, as on every page (ui/style.py), never 提醒
    assert review.counts.text().startswith(style.counts_text(0, 1)) and "警告 1 项" in review.counts.text()
    row = next(r for r in range(review.table.rowCount()) if review.table.item(r, 1).text() == "D9.5b")
    level = review.table.item(row, 0)
    assert level.text() == "警告" and level.foreground().color() == QColor(style.WARNING_COLOR)
    assert review.table.item(row, 5).toolTip() == "请填写确认该警告的理由"
    assert review.submit_button.toolTip() == "每条警告都须填写确认理由"
    assert not any("提醒" in t for t in review.rendered_texts())
    equipment = wizard.table_editor("center.equipment")
    assert equipment.flag_text().startswith("警告 D9.5b 第九条（五）：")
    warning = next(v for v in wizard.violations if v.rule == "D9.5b")
    review.set_reason(warning, "设备在租用的公共平台")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=10000)  # once the reason is stored
    review.submit_button.click()
    assert not review.submit_button.isEnabled()  # no second submission while this one is stored
    qtbot.waitUntil(lambda: wizard.submitted, timeout=10000)
    assert d.get_declaration(ctx, did).status == "submitted"
    assert review.status.text() == "申报书已提交；警告的确认理由已记入中心的状态记录。"
    assert review.status.styleSheet() == style.WARNING_STYLE
    # after submission the pages are read-only
    assert not wizard.page_for("center").isEnabled()


def test_error_blocks_submit_and_fixing_it_unblocks(qtbot: Any, ctx: Any, example: dict[str, Any]) -> None:
    data = json.loads(json.dumps(example))
    data["host"]["credit_code"] = "91450205MA5N8R2T4X"  # wrong check character
    did = d.import_declaration_data(ctx, data=data).declaration_id
    wizard = DeclarationWizard(ctx, did, save_delay_ms=0)
    qtbot.addWidget(wizard)
    assert "D9.1a" in flag(wizard, "host.credit_code")
    review = wizard.review_page
    assert review is not None and not review.submit_button.isEnabled()
    line = wizard.editor("host.credit_code").input
    assert isinstance(line, QLineEdit)
    line.setFocus()
    line.end(False)
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line, "M")
    assert flag(wizard, "host.credit_code") == ""
    assert review.submit_button.isEnabled()
    qtbot.waitUntil(lambda: d.get_declaration(ctx, did).data["host"]["credit_code"] == "91450205MA5N8R2T4M")


def test_bad_paste_cells_are_reported_and_kept_out(qtbot: Any, ctx: Any) -> None:
    _, wizard = open_new(qtbot, ctx)
    te = wizard.table_editor("staff")
    paste(qtbot, te, [["张三", "1980-02-30", "大学", "中级", "是", "多余"]])
    text = te.paste_report.text()
    assert "“出生日期”：“1980-02-30”这一天不存在（1980年2月没有30日）" in text
    assert "“学历”：“大学”不是可选值" in text
    assert "第 1 行第 6 列" in text
    row = te.model.rows()[0]
    assert row["name"] == "张三" and row["title"] == "中级" and row["degree"] is None
    cell = te.model.index(0, 2)
    assert "未填写“学历”" in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_duplicate_credit_code_flagged_on_the_field(qtbot: Any, ctx: Any, example: dict[str, Any]) -> None:
    d.import_declaration_data(ctx, data=example)
    _, wizard = open_new(qtbot, ctx)
    type_into(wizard, "host.credit_code", example["host"]["credit_code"])
    wizard.save_now()
    qtbot.waitUntil(lambda: "重复申报" in flag(wizard, "host.credit_code"), timeout=10000)
    assert "DUP" not in flag(wizard, "host.credit_code")  # the program's own code is not shown


def test_every_edit_is_saved_and_resumed(qtbot: Any, ctx: Any) -> None:
    page, wizard = open_new(qtbot, ctx)
    type_into(wizard, "host.name", "柳州某某重工股份有限公司")
    wizard.editor("host.name").committed.emit()  # leaving the field saves at once
    stored(qtbot, wizard)
    did = wizard.declaration_id
    wizard.close()
    page.refresh()
    loaded(qtbot, page)
    page.select_id(did)
    again = opened(qtbot, page, page.continue_selected)
    assert again.editor("host.name").value() == "柳州某某重工股份有限公司"


def test_attachments_on_the_signature_page(qtbot: Any, ctx: Any, tmp_path: Path) -> None:
    db_backend.attachments_ready(ctx, tmp_path / "附件")
    _, wizard = open_new(qtbot, ctx)
    panel = wizard.page_for("signature").attachments
    assert panel is not None
    scan = tmp_path / "营业执照.png"
    from PySide6.QtGui import QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(scan))
    panel.add_file(scan, "营业执照")
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    assert "营业执照" in panel.list.item(0).text()
    panel.list.setCurrentRow(0)
    assert panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull()
    kept = att.list_attachments(ctx, declaration_id=wizard.declaration_id)[0].path
    kept.write_bytes(b"changed")
    finished(qtbot, panel.refresh())
    assert "文件已被改动" in panel.list.item(0).text() and "SHA-256" in panel.message.text()
    kept.unlink()
    finished(qtbot, panel.refresh())
    assert "文件缺失" in panel.list.item(0).text()
    too_big = tmp_path / "big.pdf"
    with too_big.open("wb") as fh:
        fh.truncate(att.MAX_ATTACHMENT_BYTES + 1)
    finished(qtbot, panel.add_file(too_big, "合同"))
    assert "超过 20 MB" in panel.message.text() and panel.list.count() == 1
    # 移除所选 takes it off the list once agreed (the record and the file are kept)
    panel.confirm_remove = lambda view: True
    panel.list.setCurrentRow(0)
    panel.remove_button.click()
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=10000)
    assert att.list_attachments(ctx, declaration_id=wizard.declaration_id) == []


def test_page_import_compare_and_messages(qtbot: Any, ctx: Any, examples_dir: Path, tmp_path: Path) -> None:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    task = page.import_file(examples_dir / "declaration-enterprise.json")
    finished(qtbot, task)
    assert "未发现问题" in page.message.text()
    first = d.list_declarations(ctx)[0].id
    finished(qtbot, page.import_file(examples_dir / "declaration-enterprise.json"))
    assert "1 项警告" in page.message.text()
    second = d.list_declarations(ctx)[0].id
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "x"}', encoding="utf-8")
    finished(qtbot, page.import_file(bad))
    assert "不是申报书交换格式" in page.message.text()
    loaded(qtbot, page)
    assert page.table.rowCount() == 2
    assert page.selected_ids() == [second]  # the imported one is selected once the list is in
    page.select_id(first)
    page.select_id(second, add=True)
    finished(qtbot, page.compare_selected())
    dialog = page.compare_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    page.table.clearSelection()
    assert page.compare_selected() is None and "选中两份" in page.message.text()


def test_flags_placement_and_labels(ctx: Any) -> None:
    form = d.load_declaration_form(2026)
    from lzcenter_desktop.domain.violations import Severity, Violation

    def v(path: str) -> Violation:
        return Violation("X", "第九条", Severity.ERROR, path, "m", "a", "r")

    p = place(
        form,
        [
            v("staff"),
            v("staff[2].degree"),
            v("host.cto"),
            v("center.industry_fields[0]"),
            v("co_builders[1]"),
            v("nowhere"),
        ],
    )
    assert [x.path for x in p.tables["staff"]] == ["staff"]
    assert list(p.cells["staff"]) == [(2, 2)]
    assert [x.path for x in p.fields["host.cto.name"]] == ["host.cto"]
    assert [x.path for x in p.fields["center.industry_fields"]] == ["center.industry_fields[0]"]
    assert sorted(p.cells["co_builders"]) == [(1, 0), (1, 1), (1, 2)]
    assert [x.path for x in p.unplaced] == ["nowhere"]
    assert path_label(form, "staff[2].degree") == "研发人员 第 3 行 学历"
    assert path_label(form, "center.equipment") == "主要科研仪器设备"


def test_screenshot_of_every_page(qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(json.dumps(example))
    data["staff"] = data["staff"][:8]
    data["center"]["name_en"] = "Liuzhou Construction Machinery Research Center"  # D26 beside the field
    data["center"]["equipment"] = []  # a warning: D9.5b
    did = d.import_declaration_data(ctx, data=data).declaration_id
    db_backend.attachments_ready(ctx, tmp_path / "附件")
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    te = wizard.table_editor("staff")
    te.model.setData(te.model.index(7, 2), None)  # the 8th row loses its degree: flagged on the cell
    assert "D9.3a" in table_flag(wizard, "staff")
    from PySide6.QtGui import QImage

    scan = tmp_path / "营业执照.png"
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.lightGray)
    assert image.save(str(scan))
    panel = wizard.page_for("signature").attachments
    assert panel is not None
    panel.add_file(scan, "营业执照（副本）")
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    panel.list.setCurrentRow(0)
    wizard.resize(1000, 720)
    wizard.show()
    out = Path(os.environ.get("LZCENTER_SCREENSHOTS_DIR", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for n, page_id in enumerate(wizard.pageIds(), start=1):
        while wizard.currentId() != page_id:
            wizard.next()
        QApplication.processEvents()
        section = getattr(wizard.currentPage(), "section", None)
        name = out / f"wizard-{n:02d}-{section.id if section else 'page'}.png"
        assert wizard.grab().save(str(name))
        shots.append(name)
    assert len(shots) == 11 and all(s.stat().st_size > 10_000 for s in shots)


def test_excel_round_trip_and_printed_form_from_the_wizard(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path
) -> None:
    did = d.import_declaration_data(ctx, data=example).declaration_id
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    xlsx = tmp_path / "申报书.xlsx"
    wizard.choose_save_file = lambda title, filt: str(xlsx)
    wizard.customButtonClicked.emit(QWizard.WizardButton.CustomButton2.value)
    qtbot.waitUntil(lambda: "已导出" in wizard.save_status, timeout=20000)
    assert xlsx.is_file()
    _, fresh = open_new(qtbot, ctx)
    fresh.choose_open_file = lambda title, filt: str(xlsx)
    fresh.customButtonClicked.emit(QWizard.WizardButton.CustomButton1.value)
    # read in the background, then a preview: nothing changes until 应用
    qtbot.waitUntil(
        lambda: fresh.import_dialog is not None and fresh.import_dialog.isVisible(), timeout=20000
    )
    assert fresh.editor("host.name").value() == ""
    fresh.import_dialog.apply_button.click()
    qtbot.waitUntil(lambda: fresh.editor("host.name").value() == example["host"]["name"], timeout=10000)
    assert not fresh.has_unsaved_changes()
    assert fresh.table_editor("staff").model.rowCount() == 10
    assert d.get_declaration(ctx, fresh.declaration_id).data == example
    pdf = tmp_path / "申请书.pdf"
    fresh.choose_save_file = lambda title, filt: str(pdf)
    fresh.customButtonClicked.emit(QWizard.WizardButton.CustomButton3.value)
    qtbot.waitUntil(lambda: "已生成申请书 PDF" in fresh.save_status, timeout=20000)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_submitted_declaration_takes_no_workbook_and_prints_what_is_stored(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path
) -> None:
    import subprocess

    did = d.import_declaration_data(ctx, data=example).declaration_id
    d.submit_declaration(ctx, declaration_id=did, acknowledgements={})
    other = dict(example, center=dict(example["center"], research_direction="另一份工作簿的研发方向"))
    xlsx = tmp_path / "另一份.xlsx"
    donor = DeclarationWizard(ctx, d.import_declaration_data(ctx, data=other).declaration_id)
    qtbot.addWidget(donor)
    donor.choose_save_file = lambda title, filt: str(xlsx)
    donor.customButtonClicked.emit(QWizard.WizardButton.CustomButton2.value)
    qtbot.waitUntil(lambda: "已导出" in donor.save_status, timeout=20000)
    assert xlsx.is_file()
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isEnabled()
    # even when reached another way, the service refuses and the screen keeps the record
    task = wizard.import_excel(xlsx)
    assert task is not None
    qtbot.waitUntil(lambda: "内容已锁定" in wizard.save_status, timeout=20000)
    assert wizard.import_dialog is None
    assert wizard.editor("center.research_direction").value() == example["center"]["research_direction"]
    assert d.get_declaration(ctx, did).data["center"] == example["center"]
    pdf = tmp_path / "申请书.pdf"
    wizard.choose_save_file = lambda title, filt: str(pdf)
    wizard.customButtonClicked.emit(QWizard.WizardButton.CustomButton3.value)
    qtbot.waitUntil(lambda: "已生成申请书 PDF" in wizard.save_status, timeout=20000)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert example["center"]["research_direction"] in text.replace("\n", "")
    assert "另一份工作簿" not in text


def test_grid_keyboard_delete_undo_and_pickers(qtbot: Any, ctx: Any) -> None:
    _, wizard = open_new(qtbot, ctx)
    wizard.show()
    while wizard.currentPage() is not wizard.page_for("projects"):
        wizard.next()
    te = wizard.table_editor("projects")
    paste(qtbot, te, [["项目甲", "市级", "主持", "2025-01-02"], ["项目乙", "国家级", "参与", "2025/3/4"]])
    assert [r["level"] for r in te.model.rows()] == ["city", "national"]
    assert te.model.rows()[1]["approved_date"] == "2025-03-04"
    # the level column edits with a drop-down of the form's labels
    cell = te.model.index(0, 1)
    te.view.setFocus()
    te.view.setCurrentIndex(cell)
    qtbot.keyClick(te.view, Qt.Key.Key_F2)
    (combo,) = te.view.viewport().findChildren(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["国家级", "自治区级", "市级", "县级"]
    combo.setCurrentIndex(1)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: te.model.rows()[0]["level"] == "region", timeout=2000)
    # Delete clears the selected cell (required text becomes blank and is flagged) …
    te.view.setCurrentIndex(te.model.index(0, 0))
    qtbot.keyClick(te.view, Qt.Key.Key_Delete)
    assert te.model.rows()[0]["name"] == ""
    assert "未填写“项目名称”" in te.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    # … and removes whole selected rows; Ctrl+Z brings them back
    te.view.selectRow(1)
    qtbot.keyClick(te.view, Qt.Key.Key_Delete)
    assert te.model.rowCount() == 1
    qtbot.keyClick(te.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert te.model.rowCount() == 2 and te.model.rows()[1]["name"] == "项目乙"
    qtbot.waitUntil(lambda: not wizard.has_unsaved_changes(), timeout=5000)
    assert len(d.get_declaration(ctx, wizard.declaration_id).data["projects"]) == 2


def test_industry_outside_the_list_is_kept_and_flagged(qtbot: Any, ctx: Any, example: dict[str, Any]) -> None:
    data = json.loads(json.dumps(example))
    data["center"]["industry_fields"] = ["汽车零部件"]
    did = d.import_declaration_data(ctx, data=data).declaration_id
    wizard = DeclarationWizard(ctx, did)
    qtbot.addWidget(wizard)
    editor = wizard.editor("center.industry_fields")
    assert editor.value() == ["汽车零部件"]
    # no key industry chosen: flagged (第九条（二）)
    assert "D9.2" in flag(wizard, "center.industry_fields") and "汽车零部件" in flag(
        wizard, "center.industry_fields"
    )
    lst = editor.input
    assert isinstance(lst, QListWidget)
    lst.findItems("机械", Qt.MatchFlag.MatchExactly)[0].setCheckState(Qt.CheckState.Checked)
    # one key industry chosen: the field outside the list is kept and allowed
    assert sorted(editor.value()) == sorted(["机械", "汽车零部件"])
    assert flag(wizard, "center.industry_fields") == ""
