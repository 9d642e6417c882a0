"""An applicant's workbook never loses data (issue 10 item 1): it is read into a preview first —
what changes, old value → new value, and every problem with its cell —, a cell with a problem keeps
the stored value, a blank template or a foreign workbook is refused as such, nothing changes until
the clerk confirms, and the confirmed import is one audited step whose entry says it came from Excel.
Over-limit workbooks (zip bombs) are refused before they are inflated (issue 10 item 2)."""

from __future__ import annotations

import copy
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import col, select
from workbooks import STAFF_PART, declare_size, row_bomb

from lzcenter_desktop.services import declaration_files as files
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.storage.models import AuditEntry

STAFF = "研发人员"
BASIC = "基本信息"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "import.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


@pytest.fixture
def did(ctx: AppContext, example: dict[str, Any]) -> int:
    """A saved draft with the example's ten staff."""
    return d.create_draft(ctx, call_year=2026, data=example)


@pytest.fixture
def workbook(ctx: AppContext, did: int, tmp_path: Path) -> Path:
    """The stored draft exported as the applicant's workbook (importing it unchanged changes nothing)."""
    return files.write_declaration_workbook(ctx, declaration_id=did, path=tmp_path / "申报书.xlsx")


def stored(ctx: AppContext, did: int) -> dict[str, Any]:
    return d.get_declaration(ctx, did).data


def audit_rows(ctx: AppContext) -> list[AuditEntry]:
    with ctx.db.session() as session:
        return list(session.execute(select(AuditEntry).order_by(col(AuditEntry.id))).scalars())


def cell_of(ctx: AppContext, did: int, path: Path, key: str) -> tuple[str, str]:
    """(sheet, cell) of the interchange path ``key`` in the workbook ``path``."""
    return files.read_workbook_for_draft(ctx, declaration_id=did, path=path).locations[key]


def edit(path: Path, changes: dict[tuple[str, str], Any]) -> Path:
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell].value = value
    wb.save(path)
    return path


# ---------------------------------------------------------------- refused as such


def test_a_blank_template_is_refused_and_the_draft_keeps_its_ten_staff(
    ctx: AppContext, did: int, tmp_path: Path
) -> None:
    blank = files.write_blank_template(ctx, call_year=2026, path=tmp_path / "空白模板.xlsx")
    before = stored(ctx, did)
    entries = len(audit_rows(ctx))
    with pytest.raises(ServiceError, match=r"“空白模板\.xlsx”是空白模板，没有填写任何内容，未导入"):
        files.preview_workbook_import(ctx, declaration_id=did, path=blank)
    assert stored(ctx, did) == before and len(before["staff"]) == 10
    assert len(audit_rows(ctx)) == entries


@pytest.mark.parametrize("filled", [0, 1])
def test_one_filled_cell_is_no_longer_a_blank_template(
    ctx: AppContext, did: int, tmp_path: Path, filled: int
) -> None:
    blank = files.write_blank_template(ctx, call_year=2026, path=tmp_path / "模板.xlsx")
    if filled:
        edit(blank, {(STAFF, "A2"): "新来的研发人员"})
        preview = files.preview_workbook_import(ctx, declaration_id=did, path=blank)
        assert preview.file_name == "模板.xlsx" and preview.problems  # many required cells are blank
    else:
        with pytest.raises(ServiceError, match="空白模板"):
            files.preview_workbook_import(ctx, declaration_id=did, path=blank)


def test_a_foreign_workbook_is_refused(ctx: AppContext, did: int, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = STAFF
    wb.active["A1"], wb.active["A2"] = "姓名", "张三"
    wb.save(tmp_path / "别的表格.xlsx")
    before = stored(ctx, did)
    with pytest.raises(ServiceError, match=r"这不是本系统生成的.*Excel 模板（缺少模板的隐藏标记页）"):
        files.preview_workbook_import(ctx, declaration_id=did, path=tmp_path / "别的表格.xlsx")
    assert stored(ctx, did) == before


def test_a_submitted_declaration_refuses_the_preview_and_the_apply(
    ctx: AppContext, did: int, workbook: Path
) -> None:
    edit(workbook, {(STAFF, "A2"): "改过的名字"})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    d.submit_declaration(ctx, declaration_id=did, acknowledgements={})
    before = stored(ctx, did)
    with pytest.raises(ServiceError, match="内容已锁定，不能从 Excel 导入"):
        files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    with pytest.raises(ServiceError, match="内容已锁定，不能从 Excel 导入"):
        files.apply_workbook_import(ctx, preview)
    assert stored(ctx, did) == before


# ---------------------------------------------------------------- the preview


def test_the_preview_lists_each_change_old_to_new_and_writes_nothing(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    sheet, cell = cell_of(ctx, did, workbook, "center.research_direction")
    edit(
        workbook,
        {
            (sheet, cell): "新的研发方向",
            (STAFF, "C3"): "硕士",
            (STAFF, "A13"): "新来的",
            (STAFF, "B13"): "1990-05-06",
            (STAFF, "C13"): "博士",
            (STAFF, "D13"): "副高级",
            (STAFF, "E13"): "否",
        },
    )
    entries, before = len(audit_rows(ctx)), stored(ctx, did)
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    assert [(c.path, c.label, c.old_text, c.new_text, c.group) for c in preview.fields] == [
        (
            "center.research_direction",
            "研发方向",
            example["center"]["research_direction"],
            "新的研发方向",
            "中心基本信息",
        )
    ]
    rows = {(r.table, r.index, r.kind): r for r in preview.rows}
    changed = rows[("staff", 1, "changed")]
    assert [(c.label, c.old_text, c.new_text) for c in changed.changes] == [
        ("学历", example["staff"][1]["degree"], "硕士")
    ]
    added = rows[("staff", 10, "added")]
    assert added.title == "研发人员 第 11 行（新增）"
    assert ("姓名", "（空）", "新来的") in [(c.label, c.old_text, c.new_text) for c in added.changes]
    assert preview.problems == () and preview.has_changes
    assert "将修改 1 项内容、明细表 2 行" in preview.summary
    # nothing is written by a preview
    assert stored(ctx, did) == before
    assert len(audit_rows(ctx)) == entries


def test_an_unchanged_workbook_changes_nothing(ctx: AppContext, did: int, workbook: Path) -> None:
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    assert not preview.has_changes and preview.problems == ()
    entries = len(audit_rows(ctx))
    assert files.apply_workbook_import(ctx, preview) is False
    assert len(audit_rows(ctx)) == entries


def test_removed_rows_are_listed_as_removed(ctx: AppContext, did: int, workbook: Path) -> None:
    edit(workbook, {(STAFF, f"{c}11"): None for c in "ABCDEF"})  # the ninth and tenth rows are emptied
    edit(workbook, {(STAFF, f"{c}10"): None for c in "ABCDEF"})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    assert [(r.index, r.kind) for r in preview.rows] == [(8, "removed"), (9, "removed")]
    assert preview.rows[0].title == "研发人员 第 9 行（删除）"
    files.apply_workbook_import(ctx, preview)
    assert len(stored(ctx, did)["staff"]) == 8


# ---------------------------------------------------------------- a problem keeps the stored value


def test_a_bad_cell_keeps_the_stored_value(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    edit(workbook, {(STAFF, "C3"): "大学", (STAFF, "A4"): "改了名字"})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    (problem,) = preview.problems
    assert str(problem) == "研发人员!C3：学历“大学”不是可选值（博士/硕士/本科/大专/其他）"
    assert problem.handling == f"保留原值：{example['staff'][1]['degree']}"
    files.apply_workbook_import(ctx, preview)
    after = stored(ctx, did)
    assert after["staff"][1]["degree"] == example["staff"][1]["degree"]  # kept, not blanked
    assert after["staff"][2]["name"] == "改了名字"  # the good cells are imported


def test_a_formula_cell_keeps_the_stored_value(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    sheet, cell = cell_of(ctx, did, workbook, "center.floor_area_m2")
    edit(workbook, {(sheet, cell): "=400+60", (STAFF, "D2"): '=IF(1,"高级","中级")'})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    advice = "是公式，导入只接受直接填写的内容；请改为直接填写（或复制后“选择性粘贴 → 数值”）"
    assert sorted(str(p) for p in preview.problems) == sorted(
        [f"{sheet}!{cell}：科研集中用房面积（平方米）{advice}", f"研发人员!D2：职称{advice}"]
    )
    assert {p.handling for p in preview.problems} == {
        f"保留原值：{example['center']['floor_area_m2']} 平方米",
        f"保留原值：{example['staff'][0]['title']}",
    }
    assert not preview.has_changes
    files.apply_workbook_import(ctx, preview)
    after = stored(ctx, did)
    assert after["center"]["floor_area_m2"] == example["center"]["floor_area_m2"]
    assert after["staff"][0]["title"] == example["staff"][0]["title"]


def test_a_required_cell_left_blank_keeps_the_stored_value(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    sheet, cell = cell_of(ctx, did, workbook, "host.name")
    edit(workbook, {(sheet, cell): None})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    assert [p.path for p in preview.problems] == ["host.name"]
    assert preview.problems[0].handling == f"保留原值：{example['host']['name']}"
    assert not preview.has_changes


def test_an_optional_cell_cleared_on_purpose_is_cleared(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    sheet, cell = cell_of(ctx, did, workbook, "achievements[0].number")
    number = example["achievements"][0]["number"]
    edit(workbook, {(sheet, cell): None})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    assert preview.problems == ()
    (row,) = preview.rows
    assert (row.title, [(c.label, c.old_text, c.new_text) for c in row.changes]) == (
        "近三年成果 第 1 行（修改）",
        [("编号（专利号等）", number, "（空）")],
    )
    files.apply_workbook_import(ctx, preview)
    assert "number" not in stored(ctx, did)["achievements"][0]


def test_a_sheet_missing_from_the_workbook_keeps_the_stored_rows(
    ctx: AppContext, did: int, workbook: Path, example: dict[str, Any]
) -> None:
    wb = openpyxl.load_workbook(workbook)
    del wb["近三年成果"]
    wb.save(workbook)
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    count = len(example["achievements"])
    assert f"工作簿中没有“近三年成果”工作表，保留原有的 {count} 行" in preview.notes
    assert not any(r.table == "achievements" for r in preview.rows)
    files.apply_workbook_import(ctx, preview)
    assert stored(ctx, did)["achievements"] == example["achievements"]


# ---------------------------------------------------------------- apply: one audited step


def test_apply_writes_one_audited_step_that_names_the_excel_file(
    ctx: AppContext, did: int, workbook: Path
) -> None:
    edit(workbook, {(STAFF, "A2"): "改过的名字", (STAFF, "C3"): "大学"})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    before = len(audit_rows(ctx))
    assert files.apply_workbook_import(ctx, preview) is True
    new = audit_rows(ctx)[before:]
    assert len({e.txn for e in new}) == 1  # one transaction
    (entry,) = [e for e in new if e.entity == "declaration"]
    assert entry.action == "declarations.import_excel" and entry.operator == "李科员"
    after = json.loads(entry.after or "{}")
    assert after["reason"] == "从 Excel 导入：申报书.xlsx"
    assert after["source_json"] == {"staff[0].name": "改过的名字"}
    assert stored(ctx, did)["staff"][0]["name"] == "改过的名字"


def test_apply_is_refused_when_the_draft_changed_after_the_preview(
    ctx: AppContext, did: int, workbook: Path
) -> None:
    edit(workbook, {(STAFF, "A2"): "表格里的名字"})
    preview = files.preview_workbook_import(ctx, declaration_id=did, path=workbook)
    changed = copy.deepcopy(stored(ctx, did))
    changed["staff"][5]["name"] = "屏幕上刚改的名字"
    d.save_draft(ctx, declaration_id=did, data=changed)
    with pytest.raises(ServiceError, match="在预览之后已有改动，未导入"):
        files.apply_workbook_import(ctx, preview)
    assert stored(ctx, did) == changed


# ---------------------------------------------------------------- over a limit: refused, nothing changes


def test_a_zip_bomb_of_a_million_rows_is_refused_before_it_is_inflated(
    ctx: AppContext, did: int, workbook: Path, tmp_path: Path
) -> None:
    bomb = row_bomb(workbook, tmp_path / "炸弹.xlsx", 1_000_000)
    assert bomb.stat().st_size < 200 * 1024
    before = stored(ctx, did)
    with pytest.raises(ServiceError) as caught:
        files.preview_workbook_import(ctx, declaration_id=did, path=bomb)
    assert f"“炸弹.xlsx”中的“{STAFF_PART}”解压后有 24.8 MB，超过单个部件 20 MB 的上限" in str(caught.value)
    assert "申报书未作任何修改" in str(caught.value)
    assert stored(ctx, did) == before


def test_a_part_that_lies_about_its_size_is_refused_as_damaged(
    ctx: AppContext, did: int, workbook: Path, tmp_path: Path
) -> None:
    liar = row_bomb(workbook, tmp_path / "谎报.xlsx", 200_000)
    declare_size(liar, STAFF_PART, 2000)  # claims 2 KB, inflates to 5 MB: zipfile stops at 2 KB
    with zipfile.ZipFile(liar) as z:
        assert z.getinfo(STAFF_PART).file_size == 2000
    with pytest.raises(ServiceError, match=r"“谎报\.xlsx”不是有效的 Excel 工作簿（\.xlsx），文件可能已损坏"):
        files.preview_workbook_import(ctx, declaration_id=did, path=liar)


def test_a_fifo_is_refused_at_once(ctx: AppContext, did: int, tmp_path: Path) -> None:
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(ServiceError, match=r"“管道\.xlsx”不是普通文件（是命名管道（FIFO）），不能读取"):
        files.preview_workbook_import(ctx, declaration_id=did, path=fifo)


def test_dev_zero_is_refused_at_once(ctx: AppContext, did: int) -> None:
    with pytest.raises(ServiceError, match="“zero”不是普通文件（是字符设备），不能读取"):
        files.preview_workbook_import(ctx, declaration_id=did, path=Path("/dev/zero"))


def test_a_missing_file_is_refused(ctx: AppContext, did: int, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="找不到文件"):
        files.preview_workbook_import(ctx, declaration_id=did, path=tmp_path / "没有.xlsx")


def test_stop_cancels_the_read(ctx: AppContext, did: int, workbook: Path) -> None:
    with pytest.raises(files.ImportCancelled):
        files.preview_workbook_import(ctx, declaration_id=did, path=workbook, stop=lambda: True)
