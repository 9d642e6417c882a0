"""工作年报 files (services/annual/report_files.py and the ``annual-report`` command): JSON → store →
JSON equal; workbook template → filled with openpyxl → import → the same document; a wrong cell named
``工作表!单元格`` in Chinese; a received report is not overwritten by an import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from annual_helpers import open_db, titled_centre
from openpyxl import load_workbook

from lzcenter_desktop.cli import main
from lzcenter_desktop.services.annual import report_files, reports
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"
CORE = "智能网联汽车"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[AppContext, int]]:
    ctx = open_db(tmp_path)
    cid = titled_centre(ctx, CORE, date(2024, 6, 3))
    yield ctx, cid
    ctx.db.dispose()


def own(data: dict[str, Any]) -> dict[str, Any]:
    """The example as the titled centre's report (its name and host)."""
    data["center"]["name_zh"] = f"柳州{CORE}工程技术研究中心（柳州{CORE}有限公司）"
    data["host"]["name"] = f"柳州{CORE}有限公司"
    return data


def fill(path: Path, data: dict[str, Any]) -> None:
    """Type ``data`` into a template as an applicant would: field by field and row by row, through
    the hidden map of cells (no program of ours)."""
    wb = load_workbook(path)
    meta = list(wb["_meta"].iter_rows(values_only=True))
    for kind, *rest in meta:
        if kind == "field":
            sheet, cell, key = rest[0], rest[1], rest[2]
            section, name = str(key).split(".")
            wb[sheet][cell] = data[section][name]
    columns: dict[str, list[tuple[str, str]]] = {}
    sheets: dict[str, str] = {}
    for kind, *rest in meta:
        if kind == "table":
            sheets[str(rest[1])] = str(rest[0])
        elif kind == "column":
            columns.setdefault(str(rest[2]), []).append((str(rest[1]), str(rest[3])))
    labels = {"region": "自治区级", "lead": "主持", "invention_patent": "发明专利", "new_product": "新产品"}
    for table, sheet in sheets.items():
        for i, record in enumerate(data[table]):
            for letter, key in columns[table]:
                value = record.get(key)
                if isinstance(value, bool):
                    value = "是" if value else "否"
                wb[sheet][f"{letter}{i + 2}"] = labels.get(value, value) if isinstance(value, str) else value
    wb.save(path)


def test_json_store_json_is_equal(world: tuple[AppContext, int], tmp_path: Path) -> None:
    ctx, cid = world
    result = report_files.import_report_file(ctx, EXAMPLE, center_id=cid)
    assert result.ok and result.errors == [] and result.year == 2026 and result.center_id == cid
    assert [v.rule for v in result.violations] == []
    out = report_files.export_report_json(ctx, report_id=result.report_id or 0, path=tmp_path / "出.json")
    assert json.loads(out.read_text(encoding="utf-8")) == example()
    assert reports.get_report(ctx, result.report_id or 0).source == "json"


def test_the_centre_is_found_by_its_name(world: tuple[AppContext, int], tmp_path: Path) -> None:
    ctx, cid = world
    path = tmp_path / "年报.json"
    path.write_text(json.dumps(own(example()), ensure_ascii=False), encoding="utf-8")
    assert report_files.import_report_file(ctx, path).center_id == cid
    path.write_text(json.dumps(example(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ServiceError, match="找不到年报所填“中心名称”"):
        report_files.import_report_file(ctx, path)


def test_a_file_of_another_centre_is_not_imported_into_the_chosen_one(
    world: tuple[AppContext, int], tmp_path: Path
) -> None:
    """The clerk picked the wrong row: the file names another centre, nothing is stored."""
    ctx, cid = world
    other = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    with pytest.raises(ServiceError, match=r"与所选中心.*不一致"):
        report_files.import_report_file(ctx, EXAMPLE, center_id=other)
    assert reports.find_report(ctx, center_id=other, year=2026) is None
    data = example()
    data["center"]["name_zh"] = "柳州智能网联汽车工程技术研究中心"  # without the host: the same centre
    path = tmp_path / "年报.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert report_files.import_report_file(ctx, path, center_id=cid).center_id == cid


def test_a_bad_json_file_stores_nothing_and_names_the_path(
    world: tuple[AppContext, int], tmp_path: Path
) -> None:
    ctx, cid = world
    data = example()
    data["director"]["months_at_center"] = 13
    path = tmp_path / "年报.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = report_files.import_report_file(ctx, path, center_id=cid)
    assert result.report_id is None
    assert result.errors == [
        (
            "director.months_at_center",
            "年报数据 “主任本年度在中心工作月数”（director.months_at_center）：应不大于 12，实际为 13",
        )
    ]
    assert reports.list_reports(ctx, year=2026) == []
    path.write_text("{不是 JSON", encoding="utf-8")
    [(place, message)] = report_files.import_report_file(ctx, path, center_id=cid).errors
    assert place == "" and "不是有效的 JSON" in message


def test_template_filled_with_openpyxl_imports_as_the_same_document(
    world: tuple[AppContext, int], tmp_path: Path
) -> None:
    ctx, cid = world
    path = report_files.write_report_workbook(ctx, center_id=cid, year=2026, path=tmp_path / "年报模板")
    assert path.name == "年报模板.xlsx"
    prefilled = load_workbook(path)["基本信息"]
    assert prefilled["B3"].value == f"柳州{CORE}工程技术研究中心（柳州{CORE}有限公司）"
    data = own(example())
    fill(path, data)
    result = report_files.import_report_file(ctx, path)
    assert result.errors == [] and result.center_id == cid and result.year == 2026
    view = reports.get_report(ctx, result.report_id or 0)
    assert view.data == data and view.source == "xlsx"
    # and back out as a workbook that reads in unchanged
    again = report_files.export_report_workbook(ctx, report_id=view.report_id, path=tmp_path / "导出.xlsx")
    assert report_files.import_report_file(ctx, again).report_id == view.report_id
    assert reports.get_report(ctx, view.report_id).data == data


def test_a_wrong_cell_is_reported_as_sheet_and_cell(world: tuple[AppContext, int], tmp_path: Path) -> None:
    ctx, cid = world
    path = report_files.write_report_workbook(ctx, center_id=cid, year=2026, path=tmp_path / "年报.xlsx")
    data = own(example())
    data["staff"] = data["staff"] + [
        {
            "name": f"研究员{i}",
            "birth_date": "1990-01-01",
            "degree": "本科",
            "title": "中级",
            "full_time": True,
        }
        for i in range(4)
    ]
    data["staff"][5]["degree"] = "大学"  # row 7 of the sheet
    fill(path, data)
    result = report_files.import_report_file(ctx, path, center_id=cid)
    assert result.report_id is None
    [(place, message)] = result.errors
    assert place == "研发人员!C7"
    assert "学历" in message and "“大学”" in message
    assert reports.list_reports(ctx, year=2026) == []


def test_rule_findings_of_a_workbook_draft_point_at_their_cells(
    world: tuple[AppContext, int], tmp_path: Path
) -> None:
    ctx, cid = world
    path = report_files.write_report_workbook(ctx, center_id=cid, year=2026, path=tmp_path / "年报.xlsx")
    data = own(example())
    data["director"]["months_at_center"] = 5
    fill(path, data)
    result = report_files.import_report_file(ctx, path, center_id=cid)
    assert result.ok and [v.rule for v in result.violations] == ["M12b"]
    assert result.places == {"director.months_at_center": "基本信息!B17"}


def test_an_import_over_a_submitted_report_is_refused(world: tuple[AppContext, int], tmp_path: Path) -> None:
    ctx, cid = world
    rid = report_files.import_report_file(ctx, EXAMPLE, center_id=cid).report_id or 0
    reports.submit_report(ctx, report_id=rid, submitted_on=date(2026, 12, 20))
    with pytest.raises(ServiceError, match="已提交，不能再保存或导入覆盖"):
        report_files.import_report_file(ctx, EXAMPLE, center_id=cid)
    assert reports.get_report(ctx, rid).status == "submitted"


def test_the_annual_report_command(
    world: tuple[AppContext, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, cid = world
    db = str(tmp_path / "annual.sqlite")  # open_db's file
    template = tmp_path / "模板.xlsx"
    assert main(["--db", db, "annual-report", "template", str(cid), "2026", str(template)]) == 0
    assert template.exists()
    assert main(["--db", db, "annual-report", "import", str(EXAMPLE), "--center", str(cid)]) == 0
    out = capsys.readouterr().out
    assert "已导入" in out and "2026年度工作年报" in out
    [view] = reports.list_reports(ctx, year=2026)
    exported = tmp_path / "出.json"
    assert main(["--db", db, "annual-report", "export", str(view.report_id), str(exported)]) == 0
    assert json.loads(exported.read_text(encoding="utf-8")) == example()
    assert main(["--db", db, "annual-report", "export", str(view.report_id), str(tmp_path / "出.xlsx")]) == 0
    bad = tmp_path / "坏.json"
    data = example()
    data["staff"][0]["degree"] = "大学"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db, "annual-report", "import", str(bad), "--center", str(cid)]) == 1
    err = capsys.readouterr().err
    assert "staff[0].degree：" in err and "未导入" in err


def test_check_reads_an_annual_report_workbook(world: tuple[AppContext, int], tmp_path: Path) -> None:
    from lzcenter_desktop.services.checking import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, run_check

    ctx, cid = world
    path = report_files.write_report_workbook(ctx, center_id=cid, year=2026, path=tmp_path / "年报.xlsx")
    data = own(example())
    fill(path, data)
    assert run_check(path).exit_code == EXIT_OK
    data["director"]["months_at_center"] = 5
    fill(path, data)
    outcome = run_check(path)
    assert outcome.exit_code == EXIT_VIOLATIONS
    assert outcome.stdout.startswith("基本信息!B17：错误 M12b 第十二条 director.months_at_center：")
    data["director"]["months_at_center"] = 13
    fill(path, data)
    outcome = run_check(path)
    assert outcome.exit_code == EXIT_BAD_INPUT
    assert outcome.stderr == f"{path}：基本信息!B17：主任本年度在中心工作月数应不大于 12，实际为 13\n"
