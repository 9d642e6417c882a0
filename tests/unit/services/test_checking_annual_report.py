"""`check` on a 工作年报 (``lzcenter.annual-report/1``): recognised by its ``format``, reported like a
declaration (exit 0 / 1 / 2, plain and JSON output)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services.checking import run_check

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "annual-report-2026.json"


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_example_annual_report_exits_0() -> None:
    out = run_check(EXAMPLE)
    assert out.exit_code == 0 and out.stderr == ""
    assert out.stdout.strip() == "检查2026年度工作年报（参照日 2026-12-31，依据 2026 年度规则）：未发现问题。"


def test_rule_violations_exit_1_with_chinese_lines(tmp_path: Path) -> None:
    doc = _doc()
    doc["director"]["months_at_center"] = 5
    doc["host_assessment"]["result"] = ""
    out = run_check(_write(tmp_path, doc), as_of=date(2027, 1, 5))
    assert out.exit_code == 1 and out.stderr == ""
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("错误 M12b 第十二条 director.months_at_center：")
    assert lines[1].startswith("错误 E21b 第二十一条 host_assessment.result：")
    assert (
        lines[-1]
        == "检查2026年度工作年报（参照日 2027-01-05，依据 2026 年度规则）：2 项错误，0 项警告——不符合条件。"
    )


def test_json_output_lists_the_violations(tmp_path: Path) -> None:
    doc = _doc()
    doc["management_meetings"] = doc["management_meetings"][:1]
    out = run_check(_write(tmp_path, doc), as_json=True)
    assert out.exit_code == 1
    found = json.loads(out.stdout)["violations"]
    assert [(v["rule"], v["path"], v["actual"]) for v in found] == [("M13c", "management_meetings", "1次")]


def test_shape_errors_exit_2_naming_the_path(tmp_path: Path) -> None:
    doc = _doc()
    doc["funding"]["rd_spent_yuan"] = -1
    out = run_check(_write(tmp_path, doc))
    assert out.exit_code == 2 and out.stdout == ""
    assert "格式错误 funding.rd_spent_yuan: 不能为负数" in out.stderr


def test_a_year_before_the_first_form_is_judged_by_the_parser(tmp_path: Path) -> None:
    doc = _doc()
    doc["year"] = 1999
    out = run_check(_write(tmp_path, doc))
    assert out.exit_code == 2 and "year: 应不小于 2000" in out.stderr
    doc["year"] = "2026"
    out = run_check(_write(tmp_path, doc))
    assert out.exit_code == 2 and "year: 应为整数" in out.stderr


def test_the_rule_set_of_the_report_year_is_used(tmp_path: Path) -> None:
    doc = _doc()  # the director worked 10 months
    asked: list[int] = []

    def settings_for_year(year: int) -> RuleSettings:
        asked.append(year)
        return RuleSettings(director_min_months=11)

    out = run_check(_write(tmp_path, doc), settings_for_year=settings_for_year)
    assert asked == [2026] and out.exit_code == 1 and " M12b " in out.stdout
