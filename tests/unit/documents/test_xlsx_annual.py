"""The 工作年报 workbook (documents/xlsx_annual.py): laid out from forms/annual-report-2026.toml,
the report year recorded, read back cell by cell and as a lzcenter.annual-report/1 document, with
problems placed on their cells in Chinese (months 12 accepted, 13 refused)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lzcenter_desktop.documents.xlsx_annual import (
    REPORT_YEAR_KEY,
    read_annual_workbook,
    workbook_report_year,
    write_annual_template,
)
from lzcenter_desktop.documents.xlsx_declaration import META_SHEET
from lzcenter_desktop.domain.annual_report import annual_report_to_json
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.paths import forms_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "annual-report-2026.toml").read_text(encoding="utf-8"))


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def field_cell(path: Path, key: str) -> tuple[str, str]:
    """(sheet, cell) of a single field, from the template's hidden map."""
    wb = load_workbook(path, read_only=True)
    try:
        for row in wb[META_SHEET].iter_rows(values_only=True):
            if row[0] == "field" and row[3] == key:
                return str(row[1]), str(row[2])
    finally:
        wb.close()
    raise AssertionError(key)


def set_cell(path: Path, sheet: str, cell: str, value: object) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def test_one_sheet_per_table_with_chinese_labels(form: FormDef, tmp_path: Path) -> None:
    path = write_annual_template(tmp_path / "年报.xlsx", form, year=2026)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "说明",
        "基本信息",
        "研发人员",
        "科技计划项目",
        "本年度成果",
        "主要科研仪器设备",
        "开放课题",
        "开放共享的仪器设备",
        "管理委员会会议",
        "专家指导委员会会议",
        "_meta",
    ]
    assert [c.value for c in wb["研发人员"][1]] == ["＊姓名", "＊出生日期", "＊学历", "＊职称", "＊全职"]
    assert wb["说明"]["A1"].value == "柳州市工程技术研究中心工作年报（2026 年度）填写说明"
    guide = [row[0] for row in wb["说明"].iter_rows(values_only=True) if row[0]]
    assert not any(str(line).startswith("二、认定条件") for line in guide)
    titles = [row[0] for row in wb["基本信息"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert "依托单位考核与审核" in titles and "＊主任本年度在中心工作月数" in titles


def test_a_filled_workbook_reads_back_as_the_same_document(form: FormDef, tmp_path: Path) -> None:
    path = write_annual_template(tmp_path / "年报.xlsx", form, year=2026, data=example())
    book = read_annual_workbook(path, form)
    assert book.problems == [] and book.document is not None
    assert annual_report_to_json(book.document, form) == example()
    assert book.data == example()


def test_the_report_year_travels_in_the_workbook(form: FormDef, tmp_path: Path) -> None:
    """A later year's report uses the newest form; its year is the workbook's, not the form's."""
    data = json.loads(json.dumps(example()).replace('"2026-', '"2027-'))
    data["year"] = 2027
    path = write_annual_template(tmp_path / "年报2027.xlsx", form, year=2027, data=data)
    assert workbook_report_year(path) == 2027
    meta = [
        row
        for row in load_workbook(path)[META_SHEET].iter_rows(values_only=True)
        if row[0] == REPORT_YEAR_KEY
    ]
    assert meta == [(REPORT_YEAR_KEY, 2027, None, None, None)]
    book = read_annual_workbook(path, form)
    assert book.document is not None and book.document.year == 2027 and book.data == data


@pytest.mark.parametrize(("months", "accepted"), [(12, True), (13, False)])
def test_director_months_twelve_accepted_thirteen_refused_on_its_cell(
    form: FormDef, tmp_path: Path, months: int, accepted: bool
) -> None:
    path = write_annual_template(tmp_path / "年报.xlsx", form, year=2026, data=example())
    sheet, cell = field_cell(path, "director.months_at_center")
    set_cell(path, sheet, cell, months)
    book = read_annual_workbook(path, form)
    if accepted:
        assert book.problems == [] and book.document is not None
        assert book.document.value("director.months_at_center") == 12
    else:
        assert book.document is None
        assert [str(p) for p in book.problems] == [
            f"基本信息!{cell}：主任本年度在中心工作月数应不大于 12，实际为 13"
        ]


def test_a_wrong_cell_is_named_with_its_sheet_and_cell(form: FormDef, tmp_path: Path) -> None:
    path = write_annual_template(tmp_path / "年报.xlsx", form, year=2026, data=example())
    wb = load_workbook(path)
    ws = wb["研发人员"]
    for row in range(4, 8):  # rows 4–7 of the staff sheet, C7 with a degree not on the list
        ws.cell(row=row, column=1, value=f"研究员{row}")
        ws.cell(row=row, column=2, value="1985-05-05")
        ws.cell(row=row, column=3, value="本科")
        ws.cell(row=row, column=4, value="中级")
        ws.cell(row=row, column=5, value="是")
    ws["C7"] = "大学"
    wb.save(path)
    book = read_annual_workbook(path, form)
    assert book.document is None
    [problem] = book.problems
    assert (problem.sheet, problem.cell, problem.field) == ("研发人员", "C7", "staff[5].degree")
    assert str(problem).startswith("研发人员!C7：")
    assert "学历" in problem.message and "大学" in problem.message


def test_attendees_above_members_is_placed_on_the_attendees_cell(form: FormDef, tmp_path: Path) -> None:
    """A problem only the document parser sees is still put on its cell."""
    path = write_annual_template(tmp_path / "年报.xlsx", form, year=2026, data=example())
    set_cell(path, "专家指导委员会会议", "C2", 10)
    [problem] = read_annual_workbook(path, form).problems
    assert str(problem) == "专家指导委员会会议!C2：出席委员人数 10 多于在任委员人数 9"


def test_a_foreign_workbook_is_one_problem_in_chinese(form: FormDef, tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "别的.xlsx"
    Workbook().save(path)
    book = read_annual_workbook(path, form)
    assert book.document is None and len(book.problems) == 1
    assert "不是本系统生成的" in book.problems[0].message
    assert workbook_report_year(path) is None
