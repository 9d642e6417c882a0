"""The applicant Excel workbook: generated from the form definition, read back cell by cell."""

from __future__ import annotations

import copy
import dataclasses
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from lzcenter_desktop.documents.xlsx_declaration import (
    CellProblem,
    ImportResult,
    TemplateWriteError,
    read_workbook,
    sheet_title,
    write_template,
)
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, TableDef, load_form_text
from lzcenter_desktop.paths import forms_dir

STAFF = "研发人员"
INVEST = "申报前三年建设运行经费投入"
ACHIEVE = "近三年成果"
BASIC = "基本信息"


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "declaration-2026.toml").read_text(encoding="utf-8"))


@pytest.fixture
def filled(tmp_path: Path, form: FormDef, example: dict[str, Any]) -> Path:
    return write_template(tmp_path / "申报表.xlsx", form, data=example)


def edit(path: Path, changes: dict[tuple[str, str], Any]) -> Path:
    """Change cells the way an applicant would, with openpyxl, and save in place."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell].value = value
    wb.save(path)
    return path


def only_problem(result: ImportResult) -> str:
    assert [str(p) for p in result.problems] and len(result.problems) == 1, [str(p) for p in result.problems]
    return str(result.problems[0])


def field(key: str, label: str, kind: str, **extra: Any) -> FieldDef:
    return FieldDef(key=key, label=label, type=kind, **extra)


# ---------------------------------------------------------------- the message of the issue


def test_a_degree_that_is_not_a_choice_is_reported_with_sheet_cell_and_choices(
    filled: Path, form: FormDef
) -> None:
    edit(filled, {(STAFF, "C7"): "大学"})
    result = read_workbook(filled, form)
    assert only_problem(result) == "研发人员!C7：学历“大学”不是可选值（博士/硕士/本科/大专/其他）"
    problem = result.problems[0]
    assert (problem.sheet, problem.cell, problem.field) == (STAFF, "C7", "staff[5].degree")
    assert result.data is None
    assert not result.ok
    assert "degree" not in result.draft["staff"][5]
    assert result.draft["staff"][5]["name"] == "研发人员06"


def test_cell_problem_text_without_cell_or_sheet() -> None:
    assert str(CellProblem("表", "B2", "x", "坏了")) == "表!B2：坏了"
    assert str(CellProblem("表", "", "x", "坏了")) == "表：坏了"
    assert str(CellProblem("", "", "", "坏了")) == "坏了"


def test_correct_workbook_reads_back_without_problems(
    filled: Path, form: FormDef, example: dict[str, Any]
) -> None:
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.ok
    assert result.data == example
    assert json.dumps(result.data, ensure_ascii=False) == json.dumps(example, ensure_ascii=False)


def test_several_problems_come_in_sheet_and_cell_order(filled: Path, form: FormDef) -> None:
    edit(
        filled,
        {
            (STAFF, "E3"): "也许",
            (STAFF, "B2"): "2023-02-29",
            (BASIC, "B3"): "下周",
            (INVEST, "B3"): "1.5",
        },
    )
    assert [str(p) for p in read_workbook(filled, form).problems] == [
        "基本信息!B3：申报日期“下周”不是日期（请写成 2024-07-01、2024/7/1 或 2024年7月1日）",
        "研发人员!B2：出生日期“2023-02-29”不是有效日期：2023年2月只有 28 天",
        "研发人员!E3：技术带头人“也许”不是可选值（是/否）",
        "申报前三年建设运行经费投入!B3：投入金额（元）“1.5”不是整元金额（金额以元为单位，不能有角、分）",
    ]


# ---------------------------------------------------------------- required and blank


def test_a_required_cell_left_empty_is_reported(filled: Path, form: FormDef) -> None:
    edit(filled, {(STAFF, "B3"): None})
    result = read_workbook(filled, form)
    assert only_problem(result) == "研发人员!B3：出生日期为必填项，不能为空"
    assert result.problems[0].field == "staff[1].birth_date"


def test_a_required_single_field_left_blank_is_reported(filled: Path, form: FormDef) -> None:
    edit(filled, {(BASIC, "B4"): "   "})
    assert only_problem(read_workbook(filled, form)) == "基本信息!B4：中心名称（中文）为必填项，不能为空"


def test_cto_is_required_for_an_enterprise_host(filled: Path, form: FormDef) -> None:
    row = _basic_row(filled, "△首席技术官姓名")
    edit(filled, {(BASIC, f"B{row}"): None})
    assert only_problem(read_workbook(filled, form)) == (
        f"基本信息!B{row}：首席技术官姓名为必填项（单位类型为“企业”时必填），不能为空"
    )


def test_a_university_host_without_cto_gives_a_null_cto(filled: Path, form: FormDef) -> None:
    rows = {
        label: _basic_row(filled, label)
        for label in ("＊单位类型", "△首席技术官姓名", "△首席技术官备案号", "△首席技术官备案日期")
    }
    edit(
        filled,
        {
            (BASIC, f"B{rows['＊单位类型']}"): "高等院校",
            (BASIC, f"B{rows['△首席技术官姓名']}"): None,
            (BASIC, f"B{rows['△首席技术官备案号']}"): None,
            (BASIC, f"B{rows['△首席技术官备案日期']}"): None,
        },
    )
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.data is not None
    assert result.data["host"]["kind"] == "university"
    assert result.data["host"]["cto"] is None


def test_blank_rows_between_records_are_skipped(filled: Path, form: FormDef, example: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(filled)
    ws = wb[STAFF]
    ws.insert_rows(5, amount=2)
    ws["A6"] = "   "  # whitespace only counts as blank
    wb.save(filled)
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.data == example


def test_optional_blank_cells_are_left_out_of_the_row(filled: Path, form: FormDef) -> None:
    result = read_workbook(filled, form)
    assert result.data is not None
    assert result.data["achievements"][3] == {
        "kind": "standard",
        "title": "智能网联汽车线控底盘测试规范（团体标准）",
        "date": "2025-09-01",
    }


@pytest.mark.parametrize(("rows", "ok"), [(2, False), (3, True), (4, True)])
def test_a_table_with_fewer_rows_than_the_form_asks_for_is_reported(
    tmp_path: Path, form: FormDef, example: dict[str, Any], rows: int, ok: bool
) -> None:
    example["investments"] = [{"year": 2020 + i, "amount_yuan": 1_000_000} for i in range(rows)]
    result = read_workbook(write_template(tmp_path / "x.xlsx", form, data=example), form)
    if ok:
        assert result.problems == []
        assert result.data is not None
        assert len(result.data["investments"]) == rows
    else:
        assert only_problem(result) == f"{INVEST}!A4：申报前三年建设运行经费投入至少应填写 3 行（现有 2 行）"


def test_an_empty_template_lists_every_required_cell(tmp_path: Path, form: FormDef) -> None:
    result = read_workbook(write_template(tmp_path / "empty.xlsx", form), form)
    texts = [str(p) for p in result.problems]
    required_single = [f for f in form.all_fields() if f.required]
    assert len([t for t in texts if t.startswith("基本信息!")]) == len(required_single)
    assert "研发人员!A2：研发人员至少应填写 1 行（现有 0 行）" in texts
    assert result.data is None
    assert result.draft["previous_revocation_date"] is None
    assert result.draft["center"]["industry_fields"] == []


# ---------------------------------------------------------------- wrong types in the workbook


def test_wrong_money_text_is_reported_with_its_cell(filled: Path, form: FormDef) -> None:
    edit(filled, {(INVEST, "B3"): "很多"})
    assert only_problem(read_workbook(filled, form)) == (
        "申报前三年建设运行经费投入!B3：投入金额（元）“很多”不是金额"
        "（以元为单位的整数，如 1800000、1,800,000，或写成“180万元”）"
    )


def test_typed_conventions_are_accepted_in_the_workbook(filled: Path, form: FormDef) -> None:
    edit(
        filled,
        {
            (BASIC, "B3"): "2026年6月10日",
            (STAFF, "B2"): "1970/3/1",
            (STAFF, "B3"): datetime(1971, 3, 2),
            (STAFF, "E2"): "√",
            (STAFF, "E3"): "×",
            (INVEST, "B2"): "180万元",
            (INVEST, "B3"): "1,700,000",
            ("近三年科技计划项目", "B2"): "region",  # the stored value works as well as the label
        },
    )
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.data is not None
    assert result.data["application_date"] == "2026-06-10"
    assert result.data["staff"][0]["birth_date"] == "1970-03-01"
    assert result.data["staff"][1]["birth_date"] == "1971-03-02"
    assert result.data["staff"][0]["tech_leader"] is True
    assert result.data["staff"][1]["tech_leader"] is False
    assert result.data["investments"][0]["amount_yuan"] == 1_800_000
    assert result.data["investments"][1]["amount_yuan"] == 1_700_000
    assert result.data["projects"][0]["level"] == "region"


def test_several_industries_in_one_cell(filled: Path, form: FormDef) -> None:
    edit(filled, {(BASIC, "B7"): "机械、汽车"})
    result = read_workbook(filled, form)
    assert result.data is not None
    assert result.data["center"]["industry_fields"] == ["机械", "汽车"]
    edit(filled, {(BASIC, "B7"): "机械、航天"})
    problem = only_problem(read_workbook(filled, form))
    assert problem.startswith("基本信息!B7：重点产业领域“航天”不是可选值（汽车/")


def test_key_industries_come_from_the_parameter(filled: Path, form: FormDef) -> None:
    edit(filled, {(BASIC, "B7"): "航天"})
    result = read_workbook(filled, form, key_industries=("航天", "机械"))
    assert result.problems == []
    assert result.data is not None
    assert result.data["center"]["industry_fields"] == ["航天"]


def test_text_that_looks_like_a_formula_stays_text(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    example["center"]["research_direction"] = "=电液控制\n第二行"
    example["staff"][0]["name"] = "12345"
    path = write_template(tmp_path / "x.xlsx", form, data=example)
    result = read_workbook(path, form)
    assert result.problems == []
    assert result.data == example


def test_a_number_typed_into_a_text_column_becomes_text(filled: Path, form: FormDef) -> None:
    edit(filled, {(ACHIEVE, "D2"): 202310000001})
    result = read_workbook(filled, form)
    assert result.data is not None
    assert result.data["achievements"][0]["number"] == "202310000001"


# ---------------------------------------------------------------- damaged or foreign files


def test_a_file_that_is_not_a_workbook_gives_one_problem(tmp_path: Path, form: FormDef) -> None:
    path = tmp_path / "申报表.xlsx"
    path.write_text("姓名,学历\n张三,博士\n", encoding="utf-8")
    result = read_workbook(path, form)
    assert only_problem(result) == "“申报表.xlsx”不是 Excel 工作簿（.xlsx），无法导入"
    assert result.data is None


def test_an_old_xls_file_is_explained(tmp_path: Path, form: FormDef) -> None:
    path = tmp_path / "旧.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "另存为” .xlsx" in only_problem(read_workbook(path, form))


def test_a_missing_file_gives_one_problem(tmp_path: Path, form: FormDef) -> None:
    assert only_problem(read_workbook(tmp_path / "没有.xlsx", form)).startswith("找不到文件")


def test_a_zip_that_is_not_a_workbook_gives_one_problem(tmp_path: Path, form: FormDef) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "不是表格")
    assert "不是有效的 Excel 工作簿" in only_problem(read_workbook(path, form))


def test_a_truncated_workbook_gives_one_problem(filled: Path, form: FormDef) -> None:
    content = filled.read_bytes()
    filled.write_bytes(content[: len(content) // 2])
    result = read_workbook(filled, form)
    assert len(result.problems) == 1
    assert result.problems[0].sheet == ""
    assert result.data is None


def test_a_damaged_sheet_inside_a_good_zip_gives_one_problem(
    filled: Path, form: FormDef, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    result = read_workbook(damaged, form)
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    assert "损坏" in str(result.problems[0])


def test_a_workbook_of_another_year_is_refused(filled: Path, form: FormDef) -> None:
    other = dataclasses.replace(form, call_year=2027)
    assert only_problem(read_workbook(filled, other)) == (
        "这是 2026 年度的模板，与 2027 年度的表单不一致，请下载 2027 年度模板重新填写"
    )


def test_a_workbook_of_another_kind_is_refused(filled: Path, form: FormDef) -> None:
    other = dataclasses.replace(form, kind="annual_report", title="年度报告")
    assert only_problem(read_workbook(filled, other)) == (
        "这不是“年度报告”的 Excel 模板，请使用本系统生成的模板填写"
    )


def test_a_foreign_workbook_gives_one_problem(tmp_path: Path, form: FormDef) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便什么"
    wb.save(tmp_path / "other.xlsx")
    assert only_problem(read_workbook(tmp_path / "other.xlsx", form)) == (
        "这不是本系统生成的“柳州市工程技术研究中心认定申请书”Excel 模板（缺少模板的隐藏标记页），"
        "请在本系统下载本年度模板，在其中填写后再导入；不要把工作表复制到新的工作簿"
    )


# ---------------------------------------------------------------- import does not depend on labels


def test_edited_header_labels_do_not_matter(filled: Path, form: FormDef, example: dict[str, Any]) -> None:
    edit(filled, {(STAFF, "C1"): "学位", (BASIC, "A3"): "日期"})
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.data == example


def test_without_meta_the_workbook_is_foreign(filled: Path, form: FormDef) -> None:
    """Sheets copied into a new workbook lose the hidden mark: the labels alone are not trusted
    (an applicant may have edited them), so the workbook is refused, not guessed at."""
    wb = openpyxl.load_workbook(filled)
    del wb["_meta"]
    wb.save(filled)
    result = read_workbook(filled, form)
    assert "缺少模板的隐藏标记页" in only_problem(result)
    assert result.data is None and result.draft == {}


def test_a_deleted_empty_table_sheet_is_an_empty_table(
    filled: Path, form: FormDef, example: dict[str, Any]
) -> None:
    wb = openpyxl.load_workbook(filled)
    del wb["联合申报单位"]
    wb.save(filled)
    result = read_workbook(filled, form)
    assert result.problems == []
    assert result.data == example


def test_a_deleted_required_table_sheet_is_reported(filled: Path, form: FormDef) -> None:
    wb = openpyxl.load_workbook(filled)
    del wb[STAFF]
    wb.save(filled)
    assert only_problem(read_workbook(filled, form)) == ("研发人员：缺少“研发人员”工作表（至少应填写 1 行）")


# ---------------------------------------------------------------- the template itself


def _validations(ws: Any) -> list[Any]:
    return list(ws.data_validations.dataValidation)


def _validation_at(ws: Any, cell: str) -> Any:
    found = [dv for dv in _validations(ws) if cell in dv.sqref]
    assert len(found) == 1, (ws.title, cell, found)
    return found[0]


def _basic_row(path: Path, label: str) -> int:
    ws = openpyxl.load_workbook(path)[BASIC]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == label:
            return row
    raise AssertionError(label)


def test_template_sheets_come_in_form_order_with_hidden_meta(tmp_path: Path, form: FormDef) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", form))
    assert wb.sheetnames == [
        "说明",
        "基本信息",
        "共建单位",
        "联合申报单位",
        "研发人员",
        "近三年科技计划项目",
        "近三年成果",
        "主要科研仪器设备",
        "申报前三年建设运行经费投入",
        "近三个会计年度研发费用与销售收入",
        "产学研合作",
        "_meta",
    ]
    assert wb["_meta"].sheet_state == "hidden"
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:-1])
    assert wb.active.title == "说明"


def test_template_has_drop_downs_for_enums_and_bools(tmp_path: Path, form: FormDef) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", form))
    staff = wb[STAFF]
    degree = _validation_at(staff, "C2")
    assert degree.type == "list"
    assert degree.formula1 == '"博士,硕士,本科,大专,其他"'
    assert "C400" in degree.sqref
    assert degree.showErrorMessage
    assert _validation_at(staff, "D2").formula1 == '"正高级,副高级,中级,初级,无"'
    assert _validation_at(staff, "E2").formula1 == '"是,否"'
    projects = wb["近三年科技计划项目"]
    assert _validation_at(projects, "B2").formula1 == '"国家级,自治区级,市级,县级"'
    basic = wb[BASIC]
    kind_row = _basic_row(tmp_path / "t.xlsx", "＊单位类型")
    assert _validation_at(basic, f"B{kind_row}").formula1 == '"企业,高等院校,科研院所,其他"'
    industries = _validation_at(basic, "B7")
    assert industries.formula1 == (
        '"汽车,钢铁,机械,化工,日用消费品,新材料,电子信息,生物医药,节能环保,现代农业"'
    )
    assert not industries.showErrorMessage  # several industries joined by 、 must be allowed


def test_template_date_and_money_cells(tmp_path: Path, form: FormDef, example: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", form, data=example))
    staff = wb[STAFF]
    assert staff["B2"].number_format == "yyyy-mm-dd"
    assert staff["B2"].value == datetime(1970, 3, 1)
    assert staff.column_dimensions["B"].number_format == "yyyy-mm-dd"
    birth = _validation_at(staff, "B2")
    assert birth.type == "date"
    assert (birth.formula1, birth.formula2) == ("1", "73415")  # 1900-01-01 … 2100-12-31
    invest = wb[INVEST]
    assert invest["B2"].value == 1_800_000
    assert invest["B2"].number_format == "#,##0"
    assert wb[BASIC]["B3"].number_format == "yyyy-mm-dd"
    assert _validation_at(wb[BASIC], "B3").type == "date"


PROJECTS = "近三年科技计划项目"


def test_projects_sheet_has_an_optional_end_date_column(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    path = write_template(tmp_path / "t.xlsx", form, data=example)
    ws = openpyxl.load_workbook(path)[PROJECTS]
    assert [ws.cell(row=1, column=c).value for c in range(1, 6)] == [
        "＊项目名称",
        "＊级别",
        "＊承担方式",
        "＊立项日期",
        "结束日期",
    ]
    assert _validation_at(ws, "E2").type == "date"
    assert ws["E2"].value is None  # the example gives no end date
    # an applicant fills one in: it is read back as an ISO date; the blank ones stay absent
    edit(path, {(PROJECTS, "E2"): datetime(2027, 6, 30), (PROJECTS, "E3"): "2026/1/5"})
    result = read_workbook(path, form)
    assert result.problems == [] and result.data is not None
    assert [p.get("end_date") for p in result.data["projects"]] == ["2027-06-30", "2026-01-05", None]
    assert "end_date" not in result.data["projects"][2]


def test_an_end_date_is_written_into_the_template(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    example["projects"][0]["end_date"] = "2027-06-30"
    path = write_template(tmp_path / "t.xlsx", form, data=example)
    assert openpyxl.load_workbook(path)[PROJECTS]["E2"].value == datetime(2027, 6, 30)
    assert read_workbook(path, form).data == example


def test_a_bad_end_date_is_reported_with_its_cell(filled: Path, form: FormDef) -> None:
    edit(filled, {(PROJECTS, "E3"): "明年"})
    assert only_problem(read_workbook(filled, form)).startswith(
        "近三年科技计划项目!E3：结束日期“明年”不是日期"
    )


def test_template_headers_mark_required_and_freeze(tmp_path: Path, form: FormDef) -> None:
    path = write_template(tmp_path / "t.xlsx", form)
    wb = openpyxl.load_workbook(path)
    staff = wb[STAFF]
    assert [c.value for c in staff[1]] == ["＊姓名", "＊出生日期", "＊学历", "＊职称", "＊技术带头人"]
    assert staff.freeze_panes == "A2"
    assert staff["C1"].comment is not None and "博士/硕士/本科/大专/其他" in staff["C1"].comment.text
    assert staff.column_dimensions["A"].width >= 8
    achieve = wb[ACHIEVE]
    assert [c.value for c in achieve[1]][3:] == ["编号（专利号等）", "已转让"]
    basic = wb[BASIC]
    assert [c.value for c in basic[1]] == ["项目", "填写内容", "说明"]
    assert basic["A3"].value == "＊申报日期"
    assert basic["A2"].value == "中心基本信息"
    assert basic.freeze_panes == "A2"
    assert _basic_row(path, "△首席技术官姓名") > 0
    assert _basic_row(path, "曾被撤销工程技术中心资格的日期（如有）") > 0
    cto_row = _basic_row(path, "△首席技术官姓名")
    assert "单位类型为“企业”时必填" in basic[f"C{cto_row}"].value


def test_instructions_list_the_rules_and_the_conventions(tmp_path: Path, form: FormDef) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", form))
    text = "\n".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    assert "柳州市工程技术研究中心认定申请书（2026 年度）填写说明" in text
    for section in form.sections:
        if section.help and (section.fields or section.tables):
            assert f"· {section.title}：{section.help}" in text
    assert "检查与提交" not in text  # a wizard page with nothing to fill in Excel
    assert "日期：写成 2024-07-01，也可写 2024/7/1 或 2024年7月1日" in text
    assert "“180万元”" in text
    assert "研发人员（至少填写 1 行）" in text


def test_template_without_data_has_empty_value_cells(tmp_path: Path, form: FormDef) -> None:
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", form))
    assert all(wb[BASIC].cell(row=r, column=2).value is None for r in range(2, wb[BASIC].max_row + 1))
    assert wb[STAFF].max_row == 1


def test_saving_into_a_folder_raises_a_chinese_error(tmp_path: Path, form: FormDef) -> None:
    with pytest.raises(TemplateWriteError, match="无法保存"):
        write_template(tmp_path, form)


# ---------------------------------------------------------------- generated from the form definition


def test_a_column_added_to_the_form_changes_the_template(
    tmp_path: Path, form: FormDef, example: dict[str, Any]
) -> None:
    major = field("major", "专业", "enum", required=True, choices=(("mech", "机械工程"), ("ee", "电气工程")))
    staff_table = form.table("staff")
    new_table = dataclasses.replace(staff_table, columns=(*staff_table.columns, major))
    sections = tuple(
        dataclasses.replace(s, tables=tuple(new_table if t.key == "staff" else t for t in s.tables))
        for s in form.sections
    )
    new_form = dataclasses.replace(form, sections=sections)
    data = copy.deepcopy(example)
    for person in data["staff"]:
        person["major"] = "ee"
    path = write_template(tmp_path / "new.xlsx", new_form, data=data)
    ws = openpyxl.load_workbook(path)[STAFF]
    assert ws["F1"].value == "＊专业"
    assert ws["F2"].value == "电气工程"
    assert _validation_at(ws, "F2").formula1 == '"机械工程,电气工程"'
    result = read_workbook(path, new_form)
    assert result.problems == []
    assert result.data == data
    edit(path, {(STAFF, "F4"): None})
    assert only_problem(read_workbook(path, new_form)) == "研发人员!F4：专业为必填项，不能为空"
    # the old form does not know the column: that is said, not silently dropped
    assert only_problem(read_workbook(path, form)) == (
        "模板中的“staff.major”不在 2026 年度表单中，请使用本年度模板"
    )


def test_a_new_table_with_an_awkward_label_gets_a_legal_sheet(tmp_path: Path, form: FormDef) -> None:
    label = "近三年[国家/自治区]奖励:名称*清单?以及其他需要另行说明的各类情况的汇总表"
    table = TableDef(key="awards", label=label, columns=(field("name", "奖励名称", "text", required=True),))
    sections = (*form.sections[:-1], dataclasses.replace(form.sections[-1], tables=(table,)))
    new_form = dataclasses.replace(form, sections=sections)
    path = write_template(tmp_path / "t.xlsx", new_form)
    wb = openpyxl.load_workbook(path)
    expected = sheet_title(label)
    assert expected in wb.sheetnames
    assert len(expected) == 31
    assert not set("[]:*?/\\") & set(expected)
    wb[expected]["A2"] = "自治区科技进步奖"
    wb.save(path)
    result = read_workbook(path, new_form)
    assert result.draft["awards"] == [{"name": "自治区科技进步奖"}]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("一" * 30, "一" * 30),
        ("一" * 31, "一" * 31),
        ("一" * 32, "一" * 31),
        ("a/b\\c[d]e:f*g?h", "abcdefgh"),
        ("'引号'", "引号"),
        ("一" * 30 + "'" + "二", "一" * 30),
        ("[]", "表"),
    ],
)
def test_sheet_title_is_legal(label: str, expected: str) -> None:
    assert sheet_title(label) == expected


def test_sheet_title_is_unique() -> None:
    assert sheet_title("基本信息", ["说明", "基本信息"]) == "基本信息（2）"
    assert sheet_title("一" * 31, ["一" * 31]) == "一" * 28 + "（2）"
    assert sheet_title("Abc", ["abc", "abc（2）"]) == "Abc（3）"
