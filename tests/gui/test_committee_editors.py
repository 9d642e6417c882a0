"""The committee editors: typing into the roster editor, the live banner, flagged cells, undo/redo."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit

from lzcenter_desktop.domain.interchange import parse_committees
from lzcenter_desktop.domain.model import Committees
from lzcenter_desktop.services.committees import OrganizationChoice
from lzcenter_desktop.ui.committees.common import ERROR_BG, PersonDialog
from lzcenter_desktop.ui.committees.document import CommitteeDocument
from lzcenter_desktop.ui.committees.roster import (
    COL_CATEGORY,
    COL_CHAIR,
    COL_NAME,
    COL_ORG,
    COL_PREVIOUS,
    ExpertCommitteeEditor,
)
from tests.helpers import type_text
from tests.review_records import take_steps

AS_OF = date(2026, 11, 26)
HOST = "柳州某某汽车有限公司"
ORGS = [
    OrganizationChoice(1, HOST, "91450200MA5K3L7Q58"),
    OrganizationChoice(2, "广西科技大学", "12450000498503229M"),
    OrganizationChoice(3, "广西大学", None),
]


@pytest.fixture
def example(examples_dir: Path) -> Committees:
    return parse_committees(json.loads((examples_dir / "committees.json").read_text(encoding="utf-8")))


def first_term_only(c: Committees) -> Committees:
    return replace(c, expert_committee_terms=c.expert_committee_terms[:1])


def make_editor(qtbot: Any, value: Committees) -> ExpertCommitteeEditor:
    doc = CommitteeDocument(value, as_of=AS_OF)
    editor = ExpertCommitteeEditor(doc, ORGS)
    qtbot.addWidget(editor)
    editor.resize(1100, 600)
    editor.show()
    return editor


def fill_person(name: str, org: str, category: str = "高等院校", birth: date = date(1970, 1, 1)) -> Any:
    """A ``run_dialog`` for the editor that types into the person dialog and presses 确定."""

    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, PersonDialog)
        type_text(dialog.name, name)
        type_text(dialog.birth.line, birth.isoformat())
        line = dialog.organization.lineEdit()
        assert line is not None
        type_text(line, org)
        dialog.category.setCurrentText(category)
        dialog.accept()
        return int(dialog.result())

    return run


def banner(editor: ExpertCommitteeEditor) -> list[str]:
    return editor.banner.texts()


def cell(editor: ExpertCommitteeEditor, row: int, col: int) -> tuple[Any, str]:
    index = editor.model.index(row, col)
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    return (brush.color() if brush is not None else None), index.data(Qt.ItemDataRole.ToolTipRole) or ""


def type_into_cell(qtbot: Any, editor: ExpertCommitteeEditor, row: int, col: int, text: str) -> None:
    """Open the cell's editor as a double click would, type, press Enter."""
    index = editor.model.index(row, col)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    boxes = [b for b in editor.table.findChildren(QComboBox) if b.isVisible()]
    lines = [w for w in editor.table.viewport().findChildren(QLineEdit) if w.isVisible()]
    if boxes:
        (box,) = boxes
        line = box.lineEdit()
        assert line is not None
        line.selectAll()
        line.del_()
        type_text(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
    else:
        (line,) = lines
        line.selectAll()
        line.del_()
        type_text(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)


def test_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    qtmodeltester.check(editor.model)


def test_build_a_nine_member_term_by_typing(qtbot: Any, example: Committees) -> None:
    empty = replace(example, expert_committee_terms=())
    editor = make_editor(qtbot, empty)
    assert banner(editor) == ["尚未设立专家指导委员会 ✗"]
    assert any(t.startswith("警告 M14a 第十四条：") for t in editor.problems.texts())
    editor.run_dialog = fill_person("欧阳主任", "清华大学")
    editor.first_button.click()
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七", "辛八"]
    for name in names:
        editor.run_dialog = fill_person(name, "某某大学")
        editor.add_button.click()
    assert editor.model.rowCount() == 9
    assert editor.model.index(8, COL_NAME).data() == "辛八"
    assert banner(editor) == [
        "9 人（单数 ✓）",
        "依托/共建单位 0/9 ≤ 1/3 ✓",
        "主任委员：外单位 ✓，连续第 1 届",
        "首届，无换届更换要求",
    ]
    # a 10th member: even and flagged on that member's row
    editor.run_dialog = fill_person("壬九", "某某学院")
    editor.add_button.click()
    assert banner(editor)[0] == "10 人（单数 ✗）"
    color, tip = cell(editor, 9, COL_NAME)
    assert color == ERROR_BG and tip.startswith("错误 M14b 第十四条：")
    assert cell(editor, 8, COL_NAME) == (None, "")
    # undo (Ctrl+Z on the page's stack) restores 9; redo brings the 10th back
    editor.doc.undo_stack.undo()
    assert banner(editor)[0] == "9 人（单数 ✓）"
    assert editor.model.rowCount() == 9
    editor.doc.undo_stack.redo()
    assert banner(editor)[0] == "10 人（单数 ✗）"


def test_person_dialog_names_the_missing_field(qtbot: Any, example: Committees) -> None:
    dialog = PersonDialog(example, ORGS, new_id="new-1")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error.text() == "姓名：请填写姓名"
    assert dialog.result_person is None
    type_text(dialog.name, "许新")
    dialog.accept()
    assert dialog.error.text().startswith("出生日期：请填写出生日期")  # no made-up 1970-01-01
    type_text(dialog.birth.line, "1972-02-30")
    dialog.accept()
    assert dialog.error.text() == "出生日期：“1972-02-30”这一天不存在（1972年2月没有30日）"
    dialog.birth.line.clear()
    type_text(dialog.birth.line, "1972年3月4日")
    dialog.accept()
    assert dialog.error.text() == "工作单位：请选择或填写工作单位"
    assert dialog.birth.date() == date(1972, 3, 4)
    line = dialog.organization.lineEdit()
    assert line is not None
    type_text(line, HOST)
    dialog.accept()
    assert dialog.result_person is not None
    assert dialog.result_person.organization_credit_code == "91450200MA5K3L7Q58"


def test_fourth_host_member_of_nine_is_flagged_on_its_cell(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, first_term_only(example))
    # 第1届: 陈二 (host) and 刘三 (co-builder) come from the units: 2/9
    assert banner(editor)[1] == "依托/共建单位 2/9 ≤ 1/3 ✓"
    type_into_cell(qtbot, editor, 3, COL_ORG, HOST)  # 吴五 moves to the host: 3/9 is still ≤ 1/3
    assert editor.model.index(3, COL_ORG).data() == HOST
    assert banner(editor)[1] == "依托/共建单位 3/9 ≤ 1/3 ✓"
    assert cell(editor, 3, COL_ORG) == (None, "")
    type_into_cell(qtbot, editor, 4, COL_ORG, "广西科技大学")  # 郑六: the 4th → 4/9 > 1/3
    assert banner(editor)[1] == "依托/共建单位 4/9 ≤ 1/3 ✗"
    color, tip = cell(editor, 4, COL_ORG)
    assert color == ERROR_BG
    assert tip.startswith("错误 M14c 第十四条：") and "4/9" in tip
    assert cell(editor, 3, COL_ORG)[0] == ERROR_BG  # every unit member counts towards the share
    assert cell(editor, 5, COL_ORG) == (None, "")  # 孙七 is from outside
    # fixing it (back to an outside organization) clears the flag
    type_into_cell(qtbot, editor, 4, COL_ORG, "广西汽车工业协会")
    assert banner(editor)[1] == "依托/共建单位 3/9 ≤ 1/3 ✓"
    assert cell(editor, 4, COL_ORG) == (None, "")


def test_category_cell_flags_m14d(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, first_term_only(example))
    assert cell(editor, 2, COL_CATEGORY) == (None, "")
    editor.model.setData(editor.model.index(2, COL_CATEGORY), "其他")
    color, tip = cell(editor, 2, COL_CATEGORY)
    assert color is not None and color != ERROR_BG  # a warning (复核), not an error
    assert tip.startswith("警告 M14d 第十四条：")


def test_third_consecutive_chair_term_and_replacement_count(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    assert editor.term_index == 1
    assert banner(editor)[2] == "主任委员：外单位 ✓，连续第 2 届"
    assert banner(editor)[3] == "换届更换 3/9，需 ≥ 3 ✓"
    editor.renew_button.click()
    assert editor.term_index == 2
    assert editor.term_box.currentText() == "第3届（2029-01-01 至 2031-12-31）"
    lines = banner(editor)
    assert lines[2] == "主任委员：外单位 ✓，连续第 3 届（最多 2 届）✗"
    assert lines[3] == "换届更换 0/9，需 ≥ 3 ✗"
    chair_row = 0
    color, tip = cell(editor, chair_row, COL_CHAIR)
    assert color == ERROR_BG and tip.startswith("错误 M15b 第十五条：")
    assert cell(editor, 1, COL_PREVIOUS)[1].startswith("错误 M14f 第十四条：")
    # replace members one by one: the count moves and the flag goes at 3/9
    for row, name in ((8, "新委员甲"), (7, "新委员乙")):
        editor.table.selectRow(row)
        editor.remove_button.click()
        editor.run_dialog = fill_person(name, "某某研究院", "科研院所")
        editor.add_button.click()
    assert banner(editor)[3] == "换届更换 2/9，需 ≥ 3 ✗"
    editor.table.selectRow(6)
    editor.remove_button.click()
    editor.run_dialog = fill_person("新委员丙", "某某研究院", "科研院所")
    editor.add_button.click()
    assert banner(editor)[3] == "换届更换 3/9，需 ≥ 3 ✓"
    # a new chair ends the run
    editor.model.setData(
        editor.model.index(1, COL_CHAIR), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert banner(editor)[2] == "主任委员：依托/共建单位 ✗，连续第 1 届"  # 陈二 is from the host
    editor.model.setData(
        editor.model.index(2 + 1, COL_CHAIR), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert banner(editor)[2] == "主任委员：外单位 ✓，连续第 1 届"
    assert cell(editor, 0, COL_CHAIR) == (None, "")
    # undo everything back to the loaded value
    stack = editor.doc.undo_stack
    while stack.canUndo():
        stack.undo()
    assert editor.doc.value == example
    assert editor.term_box.count() == 2


def test_undo_shortcuts_on_the_page(qtbot: Any, tmp_path: Path) -> None:
    """Ctrl+Z / Ctrl+Y are bound on the page (the keys a clerk presses)."""
    from lzcenter_desktop.ui.committees.undo import undo_redo_actions

    doc = CommitteeDocument(
        parse_committees(
            json.loads(
                (Path(__file__).parents[1] / "data/examples/committees.json").read_text(encoding="utf-8")
            )
        ),
        as_of=AS_OF,
    )
    editor = ExpertCommitteeEditor(doc, ORGS)
    qtbot.addWidget(editor)
    undo, redo = undo_redo_actions(doc, editor)
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Y") in redo.shortcuts()
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.table.selectRow(0)
    editor.remove_button.click()
    assert editor.model.rowCount() == 8
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rowCount() == 9
    qtbot.keyClick(editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rowCount() == 8


# ------------------------------------------------------------------ the page over a real database

NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"


@pytest.fixture
def centre_ctx(ctx: Any) -> Any:
    """The example's centre made through the services (recognised 2022-12-01), nothing imported yet."""
    from lzcenter_desktop.services import centers, organizations

    host = organizations.create_organization(
        ctx, name=HOST, kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    cid = centers.create_center(
        ctx, name_zh=NAME, host_id=host, on=date(2022, 3, 1), industries=["汽车"], co_builder_ids=[uni]
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(2022, 3, 10)),
            ("under_review", date(2022, 5, 1)),
            ("proposed", date(2022, 9, 1)),
            ("public_notice", date(2022, 9, 5)),
        ],
    )
    centers.recognise(ctx, center_id=cid, on=date(2022, 12, 1), document_no="柳科发〔2022〕30号")
    ctx.centre_id = cid
    return ctx


def idle(qtbot: Any, page: Any) -> None:
    """Wait until every read and write the page started has answered (they run off the UI thread)."""
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def make_page(qtbot: Any, ctx: Any) -> Any:
    from lzcenter_desktop.ui.committees.page import CommitteesPage

    page = CommitteesPage(ctx, as_of=AS_OF)
    page.confirm_errors = lambda errors: True  # saving with errors is asked about (tested elsewhere)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    assert page.centre_box.count() == 0 and page.doc is None  # built without reading
    page.on_shown(True)
    idle(qtbot, page)
    return page


def import_example(qtbot: Any, page: Any, examples_dir: Path) -> None:
    assert page.import_file(examples_dir / "committees.json")
    idle(qtbot, page)


def test_page_without_recognised_centres(qtbot: Any, ctx: Any) -> None:
    page = make_page(qtbot, ctx)
    assert "还没有已认定的中心" in page.message.text()
    assert not page.save_button.isEnabled()
    assert page.tabs.count() == 0


def test_page_import_edit_save_export(
    qtbot: Any, centre_ctx: Any, examples_dir: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from lzcenter_desktop.services import committees

    page = make_page(qtbot, centre_ctx)
    assert page.experts is not None
    assert page.experts.banner.texts() == ["尚未设立专家指导委员会 ✗"]
    import_example(qtbot, page, examples_dir)
    assert page.message.text() == "已导入“committees.json”：新登记 16 人，匹配已有人员 0 人。"
    experts = page.experts
    assert experts.term_box.count() == 2
    assert banner(experts) == [
        "9 人（单数 ✓）",
        "依托/共建单位 2/9 ≤ 1/3 ✓",
        "主任委员：外单位 ✓，连续第 2 届",
        "换届更换 3/9，需 ≥ 3 ✓",
    ]
    assert page.summary.text().startswith("截至 2026-11-26 实时检查：")
    # edit: 换届 without changes, then save without and with a reason
    experts.renew_button.click()
    assert "有未保存的修改" in page.summary.text()
    assert not page.save()
    assert page.message.text() == "修改原因：请填写本次修改的原因后再保存"
    type_text(page.reason, "2029年换届")
    assert page.save()
    idle(qtbot, page)
    assert page.last_save_ok is True
    assert "已保存" in page.message.text() and "有未保存的修改" not in page.summary.text()
    saved = committees.load_committees(centre_ctx, center_id=centre_ctx.centre_id)
    assert len(saved.expert_committee_terms) == 3
    assert experts.term_box.count() == 3
    # the saved record exports (JSON); the roster exports (Excel, PDF)
    out = tmp_path / "c.json"
    assert page.export_json(out)
    idle(qtbot, page)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["expert_committee_terms"]) == 3
    xlsx = tmp_path / "r.xlsx"
    assert page.export_roster(xlsx, "xlsx")
    idle(qtbot, page)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["第1届", "第2届", "第3届", "中心主任", "管理委员会", "检查结果"]
    assert wb["第3届"]["B3"].value == "王一" and wb["第3届"]["F3"].value == "主任委员"
    rules = [row[0].value for row in wb["检查结果"].iter_rows(min_row=3)]
    assert "M15b" in rules and "M14f" in rules
    pdf = tmp_path / "r.pdf"
    assert page.export_roster(pdf, "pdf")
    idle(qtbot, page)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page.message.text() == f"已导出：{pdf}"


def test_page_refuses_a_foreign_file(qtbot: Any, centre_ctx: Any, examples_dir: Path, tmp_path: Path) -> None:
    data = json.loads((examples_dir / "committees.json").read_text(encoding="utf-8"))
    data["center"]["name_zh"] = "柳州别的工程技术研究中心（柳州某某汽车有限公司）"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = make_page(qtbot, centre_ctx)
    assert page.import_file(bad)  # started; the refusal arrives on the page
    idle(qtbot, page)
    assert page.message.text().startswith("未导入：文件中的中心名称")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert page.import_file(broken)
    idle(qtbot, page)
    assert "不是有效的 JSON" in page.message.text()
    assert page.experts is not None and page.experts.banner.texts() == ["尚未设立专家指导委员会 ✗"]


def test_director_cells_flag_months_and_refuse_bad_dates(
    qtbot: Any, centre_ctx: Any, examples_dir: Path
) -> None:
    from lzcenter_desktop.ui.committees.directors import COL_AGE, COL_APPOINTED, COL_FILED, COL_MONTHS

    page = make_page(qtbot, centre_ctx)
    import_example(qtbot, page, examples_dir)
    d = page.directors
    assert d is not None
    page.tabs.setCurrentWidget(d)
    assert d.banner.texts()[1] == "聘任时 52 周岁（≤ 60）✓"
    model = d.model
    # 2024: 6 months is at the bound (✓); 5 is just below (✗, flagged on the cell)
    assert model.setData(model.index(0, COL_MONTHS), "2023:10，2024:6，2025:8")
    assert model.index(0, COL_MONTHS).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.setData(model.index(0, COL_MONTHS), "2023:10，2024:5，2025:8")
    assert model.index(0, COL_MONTHS).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert model.index(0, COL_MONTHS).data(Qt.ItemDataRole.ToolTipRole).startswith("错误 M12b 第十二条：")
    assert not model.setData(model.index(0, COL_MONTHS), "2024:13")
    assert d.error.text() == "各年工作月数：2024 年工作月数 13 无效，应为 0—12"
    assert not model.setData(model.index(0, COL_APPOINTED), "2023-02-30")
    assert d.error.text() == "聘任日期：“2023-02-30”这一天不存在（2023年2月没有30日）"
    assert not model.setData(model.index(0, COL_APPOINTED), "")
    assert d.error.text().startswith("聘任日期：必填，请写成 2026-05-20")
    # 周四 was born 1970-05-01: appointed 2030-05-01 → 60 (✓); 2030-05-02 is still 60; 2031-05-01 → 61 (✗)
    assert model.setData(model.index(0, COL_APPOINTED), "2030-05-01")
    assert model.index(0, COL_AGE).data() == "60 周岁"
    assert model.index(0, COL_AGE).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.setData(model.index(0, COL_APPOINTED), "2031-05-01")
    assert model.index(0, COL_AGE).data() == "61 周岁"
    assert model.index(0, COL_AGE).data(Qt.ItemDataRole.ToolTipRole).startswith("错误 M12a 第十二条：")
    # clearing the filing date gives the M11 warning
    assert model.setData(model.index(0, COL_FILED), "")
    assert model.index(0, COL_FILED).data() == "未备案"
    assert model.index(0, COL_FILED).data(Qt.ItemDataRole.ToolTipRole).startswith("警告 M11 第十一条：")


def test_management_outsiders_flagged(qtbot: Any, centre_ctx: Any, examples_dir: Path) -> None:
    from lzcenter_desktop.ui.committees.management import COL_FROM

    page = make_page(qtbot, centre_ctx)
    import_example(qtbot, page, examples_dir)
    m = page.management
    assert m is not None
    assert m.banner.texts()[0] == "3 人，依托/共建单位 3/3 过半数 ✓"
    assert m.banner.texts()[1:4] == [
        "2023 年 2 次（需 ≥ 2） ✓",
        "2024 年 2 次（需 ≥ 2） ✓",
        "2025 年 2 次（需 ≥ 2） ✓",
    ]
    # add three outsiders: 3/6 is not a majority
    for name in ("外一", "外二", "外三"):
        m.run_dialog = fill_person(name, "某某咨询公司", "其他")
        m.add_button.click()
    assert m.banner.texts()[0] == "6 人，依托/共建单位 3/6 过半数 ✗"
    assert m.model.index(5, COL_FROM).data() == "外单位"
    assert m.model.index(5, COL_FROM).data(Qt.ItemDataRole.ToolTipRole).startswith("错误 M13b 第十三条：")
    assert m.model.index(0, COL_FROM).data(Qt.ItemDataRole.ToolTipRole) is None
    m.table.selectRow(5)
    m.remove_button.click()
    assert m.banner.texts()[0] == "5 人，依托/共建单位 3/5 过半数 ✓"


def test_meeting_attendance_at_two_thirds(qtbot: Any, centre_ctx: Any, examples_dir: Path) -> None:
    from lzcenter_desktop.ui.committees.meetings import COL_SHARE

    page = make_page(qtbot, centre_ctx)
    import_example(qtbot, page, examples_dir)
    mt = page.meetings
    assert mt is not None
    mt.committee_box.setCurrentIndex(1)  # 专家指导委员会
    dates = [mt.model.index(r, 0).data() for r in range(mt.model.rowCount())]
    assert dates == ["2023-06-01", "2024-06-01", "2025-06-01", "2026-06-01"]
    mt.table.selectRow(1)  # 2024-06-01: 6 of 9 = 2/3 exactly (at the bound)
    assert mt.banner.texts()[0] == "2024-06-01 出席 6/9，需 ≥ 2/3 ✓"
    assert mt.attendees.count() == 9
    unticked = next(i for i in range(9) if mt.attendees.item(i).checkState() == Qt.CheckState.Checked)
    mt.attendees.item(unticked).setCheckState(Qt.CheckState.Unchecked)  # 5/9: just below
    assert mt.banner.texts()[0] == "2024-06-01 出席 5/9，需 ≥ 2/3 ✗"
    assert mt.model.index(1, COL_SHARE).data(Qt.ItemDataRole.ToolTipRole).startswith("错误 M16b 第十六条：")
    page.doc.undo_stack.undo()
    mt.table.selectRow(1)
    assert mt.banner.texts()[0] == "2024-06-01 出席 6/9，需 ≥ 2/3 ✓"
    # removing the only 2025 meeting leaves 2025 without one (M16a)
    mt.table.selectRow(2)
    mt.remove_button.click()
    assert "2025 年 0 次（需 ≥ 1） ✗" in mt.banner.texts()
    # a meeting outside every term is refused with the field named
    mt.day.setDate(date(2040, 1, 1))
    mt.add_button.click()
    assert mt.error.text() == "会议日期：2040-01-01 不在专家指导委员会任何一届的任期内"
    mt.day.setDate(date(2025, 9, 1))
    mt.add_button.click()
    assert "2025 年 1 次（需 ≥ 1） ✓" in mt.banner.texts()


def type_date(qtbot: Any, edit: Any, text: str, key: Qt.Key = Qt.Key.Key_Tab) -> None:
    """Select the date field's text, type ``text`` over it and leave with ``key`` (Tab commits)."""
    edit.line.setFocus()
    edit.line.selectAll()
    qtbot.keyClicks(edit.line, text)
    qtbot.keyClick(edit.line, key)


def test_term_dates_and_filing_flags(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, example)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    stack = editor.doc.undo_stack
    assert editor.filed.date() == date(2026, 2, 1) and editor.filed.toolTip() == ""
    # 备案日期 is optional: Delete on the whole text empties it — one undoable step, the M15c flag
    editor.filed.line.setFocus()
    editor.filed.line.selectAll()
    qtbot.keyClick(editor.filed.line, Qt.Key.Key_Delete)
    assert editor.doc.value.expert_committee_terms[1].filed is None
    assert stack.count() == 1 and stack.undoText() == "清除备案日期"
    assert editor.filed.toolTip().startswith("警告 M15c 第十五条：")
    assert editor.filed.line.toolTip().startswith("警告 M15c 第十五条：")  # where the mouse is
    assert "background: #fff3cd" in editor.filed.styleSheet()
    assert any(t.startswith("警告 M15c 第十五条：") for t in editor.problems.texts())
    type_date(qtbot, editor.filed, "2026/2/3")
    assert editor.doc.value.expert_committee_terms[1].filed == date(2026, 2, 3)
    assert editor.filed.toolTip() == "" and editor.filed.styleSheet() == ""
    # 3 years from 2026-01-01: the last day is 2028-12-31 (the day before the anniversary, one
    # function for every term); one day more is flagged (M14e)
    type_date(qtbot, editor.end, "20281230")
    assert editor.end.toolTip() == ""
    type_date(qtbot, editor.end, "2029-01-01", Qt.Key.Key_Return)
    assert editor.end.toolTip().startswith("警告 M14e 第十四条：")
    assert stack.count() == 4  # each committed date is one step (not each key typed)
    stack.undo()
    assert editor.end.date() == date(2028, 12, 30) and editor.end.toolTip() == ""
    stack.redo()
    assert editor.end.date() == date(2029, 1, 1)
    type_date(qtbot, editor.end, "2028-12-31")
    assert editor.end.toolTip() == ""
    # ↑ from the date shown, never from 1900: one day later, one step
    editor.end.line.setFocus()
    qtbot.keyClick(editor.end.line, Qt.Key.Key_Up)
    assert editor.doc.value.expert_committee_terms[1].end == date(2029, 1, 1)
    stack.undo()
    # an end before the start is refused with the reason: the value keeps its dates
    before = stack.count()
    type_date(qtbot, editor.end, "2025-12-01")
    assert editor.doc.value.expert_committee_terms[1].end == date(2028, 12, 31)
    assert editor.end.date() == date(2028, 12, 31) and stack.count() == before
    assert editor.error.text().startswith("任期结束日期：2025-12-01 早于任期开始日期 2026-01-01")
    # what is not a date stays in the field, marked, and the record does not change
    type_date(qtbot, editor.start, "2026-13-01")
    assert editor.start.error_text() and editor.doc.value.expert_committee_terms[1].start == date(2026, 1, 1)
    assert stack.count() == before
    # a required date cannot be emptied
    editor.start.line.selectAll()
    qtbot.keyClick(editor.start.line, Qt.Key.Key_Delete)
    assert editor.doc.value.expert_committee_terms[1].start == date(2026, 1, 1)


def test_page_saves_people_added_in_the_editor(qtbot: Any, centre_ctx: Any, examples_dir: Path) -> None:
    from lzcenter_desktop.services import committees, people

    page = make_page(qtbot, centre_ctx)
    import_example(qtbot, page, examples_dir)
    experts = page.experts
    assert experts is not None
    experts.table.selectRow(8)
    experts.remove_button.click()
    experts.run_dialog = fill_person("许新", "厦门大学", "高等院校", date(1972, 3, 4))
    experts.add_button.click()
    assert page.is_dirty()
    # switching centre with unsaved edits asks first; saying no keeps the edits
    page.confirm_discard = lambda: False
    assert not page.import_file(examples_dir / "committees.json")
    assert page.is_dirty()
    type_text(page.reason, "补选委员")
    assert page.save()
    idle(qtbot, page)
    found = [p for p in people.list_people(centre_ctx, name_contains="许新")]
    assert [(p.name, p.birth_date, p.organization) for p in found] == [("许新", date(1972, 3, 4), "厦门大学")]
    saved = committees.load_committees(centre_ctx, center_id=centre_ctx.centre_id)
    last = saved.expert_committee_terms[-1]
    assert saved.person(last.members[-1]).name == "许新"
    assert saved.person(last.members[-1]).category.value == "university"
    assert not page.is_dirty()


def test_page_on_the_demo_database(qtbot: Any, demo_ctx: Any) -> None:
    """Every recognised demo centre opens in the editors without an error message."""
    page = make_page(qtbot, demo_ctx)
    assert page.centre_box.count() > 0
    for pos in range(min(page.centre_box.count(), 8)):
        page.centre_box.setCurrentIndex(pos)
        idle(qtbot, page)
        assert page.center_id == page.centre_box.itemData(pos)
        assert page.message.text() == ""
        assert page.experts is not None and page.experts.term_box.count() >= 1
        assert page.experts.banner.texts()[0].endswith(("✓）", "✗）"))
        assert not page.is_dirty()


# ------------------------------------------------------------------ units likely part of the host

OWN_CENTRE = "柳州某某汽车有限公司工程技术研究中心"  # the host's own centre


def test_likely_host_member_is_counted_flagged_and_asked(qtbot: Any, example: Committees) -> None:
    from lzcenter_desktop.ui.committees.common import WARNING_BG

    editor = make_editor(qtbot, first_term_only(example))
    assert not editor.unit_bar.isVisible()
    type_into_cell(qtbot, editor, 3, COL_ORG, OWN_CENTRE)  # 吴五 at the host's own centre
    assert banner(editor)[1] == "依托/共建单位 3/9（1 人待确认） ≤ 1/3 ✓"
    color, tip = cell(editor, 3, COL_ORG)
    assert color == WARNING_BG and tip.startswith("警告 M14c 第十四条：")
    assert OWN_CENTRE in tip and "“柳州某某汽车有限公司”" in tip
    assert editor.unit_bar.isVisible()
    assert f"工作单位“{OWN_CENTRE}”（吴五）" in editor.unit_bar.label.text()
    assert editor.unit_bar.yes.text() == "属于依托单位" and editor.unit_bar.no.text() == "不属于依托单位"
    assert not editor.unit_bar.yes.isEnabled()  # the answer is saved by the page (registry)
    # a 4th: the share is exceeded, the pending member named as such
    type_into_cell(qtbot, editor, 4, COL_ORG, "广西科技大学")
    assert banner(editor)[1] == "依托/共建单位 4/9（1 人待确认） ≤ 1/3 ✗"
    assert cell(editor, 3, COL_ORG)[0] == ERROR_BG
    assert "吴五（待确认）" in cell(editor, 3, COL_ORG)[1]


def test_problem_list_shows_every_counted_problem(qtbot: Any, example: Committees) -> None:
    editor = make_editor(qtbot, first_term_only(example))
    for row in (4, 5, 6):
        editor.model.setData(editor.model.index(row, COL_CATEGORY), "其他")
    type_into_cell(qtbot, editor, 3, COL_ORG, OWN_CENTRE)
    type_into_cell(qtbot, editor, 7, COL_ORG, HOST)
    shown = editor.problems.texts()
    expected = [
        v
        for v in editor.doc.violations_under("expert_committee_terms[0]")
        if not v.path.startswith("expert_committee_terms[0].meetings")
    ]
    assert len(shown) == len(expected) == 6
    assert sum(t.startswith("警告 M14e 第十四条：") for t in shown) == 1  # the term has ended
    assert sum(t.startswith("警告 M14d 第十四条：") for t in shown) == 3
    assert sum(" M14c 第十四条：" in t for t in shown) == 2  # the error and the warning


def test_meetings_banner_shows_the_years_the_rules_check(qtbot: Any, example: Committees) -> None:
    from lzcenter_desktop.domain.committees import expert_meeting_years
    from lzcenter_desktop.ui.committees.meetings import MeetingsEditor

    first, second = example.expert_committee_terms
    march = (
        replace(first, start=date(2023, 3, 1), end=date(2026, 2, 28)),
        replace(second, start=date(2026, 3, 1), end=date(2029, 2, 28), meetings=()),
    )
    doc = CommitteeDocument(replace(example, expert_committee_terms=march), as_of=date(2027, 6, 1))
    editor = MeetingsEditor(doc)
    qtbot.addWidget(editor)
    editor.committee_box.setCurrentIndex(1)
    assert list(expert_meeting_years(doc.value, doc.as_of)) == [2024, 2025, 2026]
    # 2026 straddles the change of term: judged like any other year
    assert editor.banner.texts() == [
        "2023 年 1 次（需 ≥ 1）（非完整年度，不检查）",  # the first term began on 1 March
        "2024 年 1 次（需 ≥ 1） ✓",
        "2025 年 1 次（需 ≥ 1） ✓",
        "2026 年 0 次（需 ≥ 1） ✗",
    ]
    assert [t.split()[1] for t in editor.problems.texts()] == ["M16a"]


def test_page_confirms_a_likely_host_unit_once(qtbot: Any, centre_ctx: Any, examples_dir: Path) -> None:
    from lzcenter_desktop.domain.model import UnitConfirmation
    from lzcenter_desktop.services import committees
    from lzcenter_desktop.ui.committees.management import COL_FROM

    page = make_page(qtbot, centre_ctx)
    import_example(qtbot, page, examples_dir)
    ex = page.experts
    assert ex is not None and ex.term_index == 1
    page.tabs.setCurrentWidget(ex)
    type_into_cell(qtbot, ex, 3, COL_ORG, OWN_CENTRE)  # 吴五
    assert banner(ex)[1] == "依托/共建单位 3/9（1 人待确认） ≤ 1/3 ✓"
    assert ex.unit_bar.yes.isEnabled() and ex.unit_bar.no.isEnabled()
    qtbot.mouseClick(ex.unit_bar.yes, Qt.MouseButton.LeftButton)
    idle(qtbot, page)
    # saved at once in the registry: the warning is gone, the member still counts
    answer = UnitConfirmation(OWN_CENTRE, HOST, True)
    assert committees.unit_confirmations(centre_ctx, center_id=centre_ctx.centre_id) == (answer,)
    assert "已记入单位库" in page.message.text()
    assert banner(ex)[1] == "依托/共建单位 3/9 ≤ 1/3 ✓"
    assert cell(ex, 3, COL_ORG) == (None, "")
    assert not any(" M14c " in t for t in ex.problems.texts())
    ex.table.clearSelection()
    assert not ex.unit_bar.isVisible()  # nothing left to ask
    ex.table.selectRow(3)  # the answer can be corrected from the member's row
    assert ex.unit_bar.isVisible() and "已确认" in ex.unit_bar.label.text()
    assert not ex.unit_bar.yes.isEnabled() and ex.unit_bar.no.isEnabled()
    # the registry's answer is not part of the record's undo history
    page.doc.undo_stack.undo()
    assert ex.model.index(3, COL_ORG).data() == "中国汽车工程研究院"
    page.doc.undo_stack.redo()
    assert banner(ex)[1] == "依托/共建单位 3/9 ≤ 1/3 ✓"
    # 不属于: no longer counted
    qtbot.mouseClick(ex.unit_bar.no, Qt.MouseButton.LeftButton)
    idle(qtbot, page)
    assert banner(ex)[1] == "依托/共建单位 2/9 ≤ 1/3 ✓"
    # saved with the record and read again: the answer stays; the management committee follows it
    page.reason.setText("吴五调动")
    assert page.save()
    idle(qtbot, page)
    assert page.doc.value.unit_confirmations == (UnitConfirmation(OWN_CENTRE, HOST, False),)
    m = page.management
    assert m is not None
    page.tabs.setCurrentWidget(m)
    m.run_dialog = fill_person("孙研", OWN_CENTRE + "（二部）", "中心负责人员")
    m.add_button.click()
    assert m.model.index(3, COL_FROM).data() == "依托单位（待确认）"
    tip = m.model.index(3, COL_FROM).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("警告 M13b 第十三条：") and "孙研" in tip
    assert m.unit_bar.isVisible() and m.unit_bar.yes.isEnabled()
