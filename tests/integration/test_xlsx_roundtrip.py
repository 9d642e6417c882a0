"""Excel workbook ⇄ interchange JSON: the public example survives the trip exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lzcenter_desktop.documents.xlsx_declaration import read_workbook, write_template
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.domain.interchange import FormatError, declaration_to_json, parse_declaration
from lzcenter_desktop.paths import forms_dir


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "declaration-2026.toml").read_text(encoding="utf-8"))


def test_example_round_trips_losslessly(tmp_path: Path, form: FormDef, example: dict[str, Any]) -> None:
    path = write_template(tmp_path / "申报表.xlsx", form, data=example)
    result = read_workbook(path, form)
    assert result.problems == []
    assert result.data == example
    # same keys in the same order, same types (860 stays an int, null stays null)
    assert json.dumps(result.data, ensure_ascii=False) == json.dumps(example, ensure_ascii=False)


def test_imported_workbook_passes_the_interchange_parser(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    path = write_template(tmp_path / "申报表.xlsx", form, data=example)
    result = read_workbook(path, form)
    assert result.data is not None
    declaration = parse_declaration(result.data)
    assert declaration == parse_declaration(example)
    assert declaration_to_json(declaration) == example


def test_workbook_filled_by_hand_passes_the_parser(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    """An applicant fills the empty template cell by cell with the usual Excel habits."""
    path = write_template(tmp_path / "空白.xlsx", form)
    wb = openpyxl.load_workbook(path)
    basic = wb["基本信息"]
    by_label = {str(basic.cell(row=r, column=1).value).lstrip("＊△"): r for r in range(2, basic.max_row + 1)}
    values = {
        "申报日期": "2026年6月10日",
        "中心名称（中文）": example["center"]["name_zh"],
        "中心名称（英文）": example["center"]["name_en"],
        "研发方向": example["center"]["research_direction"],
        "重点产业领域": "机械、汽车",
        "研发机构成立日期": "2021/3/1",
        "依托单位名称": "广西某某大学",
        "统一社会信用代码": "12450000MB1234567X",
        "单位类型": "高等院校",
        "一级法人": "√",
        "业务主管部门": "自治区教育厅",
        "科研集中用房面积（平方米）": "420平方米",
        "审核签字人": "王五",
        "签字人身份": "法定代表人",
        "签字日期": "2026-06-08",
    }
    for label, value in values.items():
        basic.cell(row=by_label[label], column=2, value=value)
    staff = wb["研发人员"]
    staff.append(["王五", "1980-01-02", "博士", "正高级", "是"])
    invest = wb["申报前三年建设运行经费投入"]
    for year, amount in ((2023, "180万元"), (2024, "1,700,000"), (2025, 1600000)):
        invest.append([year, amount])
    wb.save(path)

    result = read_workbook(path, form)
    assert [str(p) for p in result.problems] == []
    assert result.data is not None
    assert result.data["host"]["cto"] is None
    assert result.data["center"]["industry_fields"] == ["机械", "汽车"]
    assert result.data["center"]["floor_area_m2"] == 420
    assert [i["amount_yuan"] for i in result.data["investments"]] == [1_800_000, 1_700_000, 1_600_000]
    declaration = parse_declaration(result.data)
    assert declaration.host.cto is None
    assert str(declaration.application_date) == "2026-06-10"


def test_transferred_on_a_utility_patent_is_left_to_the_parser(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    """The form does not tie 已转让 to 发明专利; the shape rule lives in the interchange parser."""
    path = write_template(tmp_path / "申报表.xlsx", form, data=example)
    wb = openpyxl.load_workbook(path)
    wb["近三年成果"]["E8"] = "是"  # row 8 is the first 实用新型专利
    wb.save(path)
    result = read_workbook(path, form)
    assert result.data is not None
    with pytest.raises(FormatError) as caught:
        parse_declaration(result.data)
    assert caught.value.path == "achievements[6].transferred"
    problem = result.problem_for(caught.value.path, caught.value.detail)
    assert (problem.sheet, problem.cell) == ("近三年成果", "E8")
    assert str(problem).startswith("近三年成果!E8：")


def test_findings_about_a_row_or_a_table_are_placed(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    result = read_workbook(write_template(tmp_path / "申报表.xlsx", form, data=example), form)
    assert str(result.problem_for("staff[9]", "重复")) == "研发人员!A11：重复"
    assert str(result.problem_for("staff[9].degree", "不够")) == "研发人员!C11：不够"
    assert str(result.problem_for("staff", "少于 8 人")) == "研发人员：少于 8 人"
    assert str(result.problem_for("host.cto.filing_date", "过期")).endswith("：过期")
    assert result.problem_for("host.cto.filing_date", "过期").sheet == "基本信息"
    assert str(result.problem_for("host.cto", "缺")) == "缺"  # no single cell holds the whole object
    assert str(result.problem_for("", "整个文件")) == "整个文件"
