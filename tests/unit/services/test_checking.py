"""The ``check`` use case: exit codes, plain and JSON output, never raising on any input."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services.checking import CheckOutcome, format_violation, run_check

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
DECLARATION = EXAMPLES / "declaration-enterprise.json"
COMMITTEES = EXAMPLES / "committees.json"


def _write(tmp_path: Path, doc: Any, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _decl(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DECLARATION.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def test_example_declaration_exits_0() -> None:
    out = run_check(DECLARATION)
    assert out.exit_code == 0 and out.stderr == ""
    assert out.stdout.strip() == "检查申报书（参照日 2026-06-10，依据 2026 年度规则）：未发现问题。"


def test_example_committees_exit_0_with_director_warning() -> None:
    out = run_check(COMMITTEES, as_of=date(2026, 11, 26))
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0].startswith("警告 M12c 第十二条 directors[0]：")
    assert "0 项错误，1 项警告" in lines[-1]


def test_committees_json_output() -> None:
    out = run_check(COMMITTEES, as_json=True, as_of=date(2026, 11, 26))
    data = json.loads(out.stdout)
    assert list(data) == ["violations"]
    assert [v["rule"] for v in data["violations"]] == ["M12c"]
    assert list(data["violations"][0]) == [
        "rule",
        "article",
        "severity",
        "path",
        "message",
        "actual",
        "required",
    ]
    assert data["violations"][0]["severity"] == "warning"


def test_seven_staff_exits_1_with_d9_3a(tmp_path: Path) -> None:
    doc = _decl()
    doc["staff"] = doc["staff"][:7]
    out = run_check(_write(tmp_path, doc))
    assert out.exit_code == 1
    assert any(
        line.startswith("错误 D9.3a 第九条（三） staff：固定研究开发人员 7 人")
        for line in out.stdout.splitlines()
    )
    js = run_check(_write(tmp_path, doc), as_json=True)
    assert js.exit_code == 1
    assert "D9.3a" in [v["rule"] for v in json.loads(js.stdout)["violations"]]


def test_d9_3b_json_matches_interchange_example(tmp_path: Path) -> None:
    doc = _decl()
    for i in (5, 6, 7):
        doc["staff"][i]["degree"] = "大专"
    out = run_check(_write(tmp_path, doc), as_json=True)
    v = json.loads(out.stdout)["violations"][0]
    assert (v["rule"], v["article"], v["severity"], v["path"], v["actual"], v["required"]) == (
        "D9.3b",
        "第九条（三）",
        "error",
        "staff",
        "6/10",
        "≥ 80%",
    )


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    doc = _decl()
    doc["center"]["equipment"] = []
    out = run_check(_write(tmp_path, doc))
    assert out.exit_code == 0 and out.stdout.startswith("警告 D9.5b")


def test_third_consecutive_chair_term_exits_1(tmp_path: Path) -> None:
    doc = json.loads(COMMITTEES.read_text(encoding="utf-8"))
    third = dict(doc["expert_committee_terms"][0], start="2029-01-01", end="2031-12-31")
    doc["expert_committee_terms"].append(third)
    out = run_check(_write(tmp_path, doc), as_of=date(2026, 11, 26), as_json=True)
    assert out.exit_code == 1
    assert [v["rule"] for v in json.loads(out.stdout)["violations"] if v["severity"] == "error"] == ["M15b"]


def test_format_error_exits_2_with_the_path(tmp_path: Path) -> None:
    doc = _decl()
    doc["staff"][3]["degree"] = "college"
    for as_json in (False, True):
        out = run_check(_write(tmp_path, doc), as_json=as_json)
        assert out.exit_code == 2 and out.stdout == ""
        assert "staff[3].degree: 'college' is not one of 博士, 硕士, 本科, 大专, 其他" in out.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "不是有效的 JSON"),
        (b"{", "不是有效的 JSON"),
        (b"[1, 2]", "格式错误"),
        (b'{"format": "other/1"}', "不是支持的格式"),
        (b'{"a": NaN}', "不是有效的 JSON"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "JSON"),
    ],
)
def test_unreadable_or_not_the_format_exits_2(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    out = run_check(path)
    assert out.exit_code == 2 and out.stdout == "" and fragment in out.stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = run_check(tmp_path / "nope.json")
    assert missing.exit_code == 2 and "文件不存在" in missing.stderr
    folder = run_check(tmp_path)
    assert folder.exit_code == 2 and "文件夹" in folder.stderr


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + DECLARATION.read_bytes())
    assert run_check(path).exit_code == 0


def test_as_of_moves_the_reference_date() -> None:
    assert run_check(DECLARATION, as_of=date(2026, 6, 10)).exit_code == 0
    later = run_check(DECLARATION, as_of=date(2029, 6, 11), as_json=True)
    assert later.exit_code == 1
    assert {"D9.4a", "D9.4b"} <= {v["rule"] for v in json.loads(later.stdout)["violations"]}
    assert run_check(DECLARATION, as_of=date(1, 1, 1)).exit_code == 2


def test_settings_of_the_call_year_are_used() -> None:
    asked: list[int] = []

    def for_year(year: int) -> RuleSettings:
        asked.append(year)
        return RuleSettings(min_staff=11) if year == 2026 else DEFAULT_SETTINGS

    out = run_check(DECLARATION, settings_for_year=for_year)
    assert asked == [2026] and out.exit_code == 1 and "D9.3a" in out.stdout


def test_committees_default_reference_date_is_today() -> None:
    out = run_check(COMMITTEES)
    assert out.exit_code in (0, 1)
    assert f"参照日 {date.today().isoformat()}" in out.stdout


def test_a_failing_settings_provider_does_not_raise() -> None:
    def broken(year: int) -> RuleSettings:
        raise RuntimeError("数据库不可用")

    out = run_check(DECLARATION, settings_for_year=broken)
    assert out.exit_code == 2 and "数据库不可用" in out.stderr


def test_format_violation_line() -> None:
    out = run_check(DECLARATION)
    assert isinstance(out, CheckOutcome)
    from lzcenter_desktop.domain.catalog import violation

    line = format_violation(violation("D9.3b", "staff", "本科及以上 7/10 = 70%，要求 ≥ 80%", "7/10", "≥ 80%"))
    assert (
        line == "错误 D9.3b 第九条（三） staff：本科及以上 7/10 = 70%，要求 ≥ 80%（实际：7/10；要求：≥ 80%）"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
formats = st.sampled_from(["lzcenter.declaration/1", "lzcenter.committees/1"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.booleans())
def test_check_never_raises_on_arbitrary_json(data: object, as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        out = run_check(path, as_json=as_json)
    assert out.exit_code == 2 and out.stdout == "" and out.stderr.strip()


@settings(max_examples=150, deadline=None)
@given(formats, st.dictionaries(st.text(max_size=20), json_values, max_size=6))
def test_check_never_raises_on_documents_with_a_valid_format_key(fmt: str, rest: dict[str, object]) -> None:
    data = {**rest, "format": fmt}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        out = run_check(path)
    assert out.exit_code == 2 and out.stdout == "" and ("格式错误" in out.stderr or "Infinity" in out.stderr)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_check_never_raises_on_arbitrary_bytes(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.json"
        path.write_bytes(content)
        out = run_check(path)
    assert out.exit_code == 2 and out.stderr.strip()
