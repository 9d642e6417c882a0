"""The 工作年报 (第二十一条) as an interchange document, ``lzcenter.annual-report/1``.

The shape of the document is the form definition (``forms/annual-report-<year>.toml``): every field
key is a path of the JSON document (``funding.rd_spent_yuan``), every table key a list of rows whose
keys are the table's columns. :func:`parse_annual_report` refuses a document of the wrong shape with
:class:`~lzcenter_desktop.domain.interchange.FormatError` naming the JSON path of the first problem
(unknown or missing keys, wrong types, values outside an enumeration, impossible dates, negative
counts or amounts, more than 12 months); :func:`annual_report_to_json` writes it back;
:func:`check_annual_report_document` reports what a well-shaped report breaks (blank required fields,
dates outside the report year, E21b, M12b, M13c, M16a, M16b). Pure Python: the caller reads the form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Final

from . import text
from .catalog import sort_violations, violation
from .formdef import FieldDef, FormDef
from .interchange import (
    MAX_AMOUNT_YUAN,
    MAX_CALL_YEAR,
    MIN_CALL_YEAR,
    FormatError,
    check_text,
    parse_date,
)
from .settings import DEFAULT_SETTINGS, RuleSettings
from .violations import Severity, Violation

ANNUAL_REPORT_FORMAT: Final = "lzcenter.annual-report/1"
ANNUAL_REPORT_FORM_KIND: Final = "annual-report"
# The program's own check of a required blank or a date outside the year (as 必填 in draft_checks).
FORM_RULE: Final = "FORM"
FORM_ARTICLE: Final = "工作年报"
MAX_COUNT: Final = 1_000_000  # meetings, people, uses: far above anything real, bounds the numbers
MONTHS_PATH: Final = "director.months_at_center"
# Integer fields with a bound tighter than a count's: a year has 12 months.
_INT_BOUNDS: Final[Mapping[str, tuple[int, int]]] = {MONTHS_PATH: (0, 12)}
# Dates that must fall in the report year: (table, column) or (None, field key).
_YEAR_DATES: Final = (
    ("outputs", "date"),
    ("management_meetings", "date"),
    ("expert_meetings", "date"),
)
# The host's assessment and review of a year are made at its end or after it — a late report
# (逾期报送, filed in January) is reviewed in January: they may fall in the report year or the next.
_HOST_DATES: Final = ("host_assessment.date", "host_review.date")
HOST_ASSESSMENT_PATH: Final = "host_assessment.result"

Value = str | int | float | bool | date | None
Row = Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class AnnualReportDocument:
    """One parsed 工作年报: the report year, the fields by path and the tables' rows, typed
    (dates as :class:`datetime.date`, amounts and counts as ``int``, areas as numbers)."""

    year: int
    values: Mapping[str, Value]
    tables: Mapping[str, tuple[Row, ...]]

    def value(self, key: str) -> Value:
        return self.values.get(key)

    def rows(self, key: str) -> tuple[Row, ...]:
        return self.tables.get(key, ())


# ------------------------------------------------------------------ shape


def _show(value: object) -> str:
    text_ = f"'{value}'" if isinstance(value, str) else repr(value)
    return text_ if len(text_) <= 60 else text_[:57] + "…"


def _wrong(path: str, expected: str, value: object) -> FormatError:
    kind = "null" if value is None else type(value).__name__
    names = {
        "bool": "布尔值",
        "int": "整数",
        "float": "小数",
        "str": "字符串",
        "list": "列表",
        "dict": "对象",
    }
    return FormatError(path, f"应为{expected}，实际为{names.get(kind, kind)} {_show(value)}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _obj(value: object, path: str, required: list[str], optional: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(path, "JSON 对象", value)
    allowed = [*required, *optional]
    for key in value:
        if key not in allowed:
            raise FormatError(_join(path, str(key)), f"未知的键（允许的键：{'、'.join(allowed)}）")
    for key in required:
        if key not in value:
            raise FormatError(_join(path, key), "缺少必填的键")
    return value


def _int(value: object, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(path, "整数", value)
    if value < low:
        raise FormatError(path, "不能为负数" if low == 0 else f"应不小于 {low}，实际为 {value}")
    if value > high:
        raise FormatError(path, f"应不大于 {high}，实际为 {value}")
    return value


def _typed(fd: FieldDef, value: object, path: str, bound_key: str) -> Value:
    """``value`` as the type ``fd`` declares; null is left to the required-field check."""
    if value is None:
        return None
    kind = fd.type
    if kind in ("text", "multiline"):
        if not isinstance(value, str):
            raise _wrong(path, "字符串", value)
        return check_text(value, path)
    if kind == "date":
        return parse_date(value, path)
    if kind == "money":
        return _int(value, path, 0, MAX_AMOUNT_YUAN)
    if kind == "int":
        low, high = _INT_BOUNDS.get(bound_key, (0, MAX_COUNT))
        return _int(value, path, low, high)
    if kind == "area":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong(path, "数字", value)
        if isinstance(value, float) and not math.isfinite(value):
            raise FormatError(path, f"应为有限的数字，实际为 {value}")
        if value < 0:
            raise FormatError(path, f"不能为负数，实际为 {value}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise _wrong(path, "布尔值 true 或 false", value)
        return value
    if kind == "enum":
        if not isinstance(value, str):
            raise _wrong(path, "字符串", value)
        codes = [code for code, _label in fd.choices]
        if value not in codes:
            raise FormatError(path, f"{_show(value)} 不是可选值（{', '.join(codes)}）之一")
        return value
    raise FormatError(path, f"工作年报不支持“{fd.label}”的字段类型")


def _tree(form: FormDef) -> dict[str, list[str]]:
    """Each object path of the document ("" is the root) with its keys, in the form's order."""
    tree: dict[str, list[str]] = {"": ["format", "year"]}
    keys = [f.key for f in form.all_fields()] + [t.key for t in form.all_tables()]
    for key in keys:
        parent = ""
        for part in key.split("."):
            children = tree.setdefault(parent, [])
            if part not in children:
                children.append(part)
            parent = _join(parent, part)
    return tree


def parse_annual_report(data: object, form: FormDef) -> AnnualReportDocument:
    """Parse a ``lzcenter.annual-report/1`` document of the shape ``form`` gives; raise
    :class:`FormatError` on the first problem. Every key is present; a field may be null."""
    if not isinstance(data, dict):
        raise _wrong("", "JSON 对象（工作年报交换格式文件）", data)
    if data.get("format") != ANNUAL_REPORT_FORMAT:
        raise FormatError(
            "format", f"{_show(data.get('format'))} 不是工作年报格式（应为 {ANNUAL_REPORT_FORMAT}）"
        )
    tree = _tree(form)
    for path, keys in tree.items():
        node: Any = data
        for part in path.split(".") if path else ():
            node = node[part]
        _obj(node, path, keys, [])
    year = _int(data["year"], "year", MIN_CALL_YEAR, MAX_CALL_YEAR)
    values: dict[str, Value] = {}
    for fd in form.all_fields():
        node = data
        for part in fd.key.split("."):
            node = node[part]
        values[fd.key] = _typed(fd, node, fd.key, fd.key)
    tables: dict[str, tuple[Row, ...]] = {}
    for table in form.all_tables():
        raw: Any = data
        for part in table.key.split("."):
            raw = raw[part]
        if not isinstance(raw, list):
            raise _wrong(table.key, "列表", raw)
        required = [c.key for c in table.columns if c.required]
        optional = [c.key for c in table.columns if not c.required]
        rows: list[Row] = []
        for i, item in enumerate(raw):
            where = f"{table.key}[{i}]"
            d = _obj(item, where, required, optional)
            rows.append(
                {
                    c.key: _typed(c, d[c.key], f"{where}.{c.key}", f"{table.key}.{c.key}")
                    for c in table.columns
                    if c.key in d
                }
            )
        tables[table.key] = tuple(rows)
    _check_attendance_shape(tables)
    return AnnualReportDocument(year, values, tables)


def _check_attendance_shape(tables: Mapping[str, tuple[Row, ...]]) -> None:
    for i, row in enumerate(tables.get("expert_meetings", ())):
        members, attendees = row.get("members"), row.get("attendees")
        if isinstance(members, int) and isinstance(attendees, int) and attendees > members:
            raise FormatError(
                f"expert_meetings[{i}].attendees",
                f"出席委员人数 {attendees} 多于在任委员人数 {members}",
            )


# ------------------------------------------------------------------ back to JSON


def _json_value(value: Value) -> object:
    return value.isoformat() if isinstance(value, date) else value


def annual_report_to_json(doc: AnnualReportDocument, form: FormDef) -> dict[str, object]:
    """The JSON document of ``doc`` in the form's key order: inverse of :func:`parse_annual_report`."""
    out: dict[str, object] = {"format": ANNUAL_REPORT_FORMAT, "year": doc.year}

    def put(key: str, value: object) -> None:
        node: dict[str, Any] = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value

    for section in form.sections:
        for fd in section.fields:
            put(fd.key, _json_value(doc.value(fd.key)))
        for table in section.tables:
            put(
                table.key,
                [
                    {c.key: _json_value(row[c.key]) for c in table.columns if c.key in row}
                    for row in doc.rows(table.key)
                ],
            )
    return out


# ------------------------------------------------------------------ checks


def _form_problem(path: str, message: str, actual: str, required: str) -> Violation:
    return Violation(FORM_RULE, FORM_ARTICLE, Severity.ERROR, path, message, actual, required)


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def required_violations(doc: AnnualReportDocument, form: FormDef) -> list[Violation]:
    """A 必填 error for each blank required field, row cell and missing minimum row. The host's
    assessment result is left to E21b."""
    out: list[Violation] = []
    for section in form.sections:
        for fd in section.fields:
            if fd.key != HOST_ASSESSMENT_PATH and fd.required and _blank(doc.value(fd.key)):
                out.append(_form_problem(fd.key, f"请填写“{fd.label}”（{section.title}）", "（空）", "必填"))
        for table in section.tables:
            rows = doc.rows(table.key)
            if len(rows) < table.min_rows:
                out.append(
                    _form_problem(
                        table.key,
                        f"“{table.label}”至少应填写 {table.min_rows} 行，现有 {len(rows)} 行",
                        f"{len(rows)}行",
                        f"≥ {table.min_rows}行",
                    )
                )
            for i, row in enumerate(rows):
                for c in table.columns:
                    if c.required and _blank(row.get(c.key)):
                        out.append(
                            _form_problem(
                                f"{table.key}[{i}].{c.key}",
                                f"“{table.label}”第 {i + 1} 行未填写“{c.label}”",
                                "（空）",
                                "必填",
                            )
                        )
    return out


def _date_label(form: FormDef, table: str | None, key: str, index: int | None) -> str:
    if table is None:
        return f"“{form.field(key).label}”"
    t = form.table(table)
    return f"“{t.label}”第 {(index or 0) + 1} 行的“{t.column(key).label}”"


def year_violations(doc: AnnualReportDocument, form: FormDef) -> list[Violation]:
    """Dates of the year's events (outputs, meetings, the host's assessment and review) outside it."""
    out: list[Violation] = []

    def check(value: Value, path: str, label: str, last_year: int) -> None:
        if isinstance(value, date) and not doc.year <= value.year <= last_year:
            where = f"{doc.year} 年度内" if last_year == doc.year else f"{doc.year} 年度或次年内"
            out.append(
                _form_problem(
                    path,
                    f"{label} {text.day(value)} 不在 {where}，请核对日期或年报年度",
                    text.day(value),
                    f"{doc.year}-01-01 至 {last_year}-12-31",
                )
            )

    for table, key in _YEAR_DATES:
        for i, row in enumerate(doc.rows(table)):
            check(row.get(key), f"{table}[{i}].{key}", _date_label(form, table, key, i), doc.year)
    for key in _HOST_DATES:
        check(doc.value(key), key, _date_label(form, None, key, None), doc.year + 1)
    return out


def _count(rows: tuple[Row, ...], year: int) -> int:
    """Meetings of the report year (a dated row outside it does not count, a blank date does not)."""
    dates = [r.get("date") for r in rows]
    return sum(1 for d in dates if isinstance(d, date) and d.year == year)


def rule_violations(
    doc: AnnualReportDocument, settings: RuleSettings = DEFAULT_SETTINGS, *, recognised_on: date | None = None
) -> list[Violation]:
    """M12b (director's months), M13c, M16a and M16b (meetings), E21b (host's assessment result),
    in catalog order. With ``recognised_on`` the yearly obligations (M12b, M13c, M16a) are checked
    only for a complete year since the recognition, as the committee checks do
    (:func:`~lzcenter_desktop.domain.dates.complete_years`): not in the report of the year the
    centre was recognised in (unless on 1 January)."""
    out: list[Violation] = []
    year = doc.year
    yearly = recognised_on is None or recognised_on <= date(year, 1, 1)
    assessment = doc.value(HOST_ASSESSMENT_PATH)
    if _blank(assessment):
        out.append(
            violation(
                "E21b",
                HOST_ASSESSMENT_PATH,
                f"{year}年工作年报未附依托单位年度考核结果，请填写“依托单位年度考核结果”",
                "（空）",
                "依托单位年度考核结果",
            )
        )
    months = doc.value(MONTHS_PATH)
    minimum = settings.director_min_months
    if yearly and isinstance(months, int) and not isinstance(months, bool) and months < minimum:
        out.append(
            violation(
                "M12b",
                MONTHS_PATH,
                f"{year} 年中心主任在中心工作 {months} 个月，要求不少于{minimum}个月",
                f"{months}个月",
                f"≥ {minimum}个月",
            )
        )
    held = _count(doc.rows("management_meetings"), year)
    if yearly and held < settings.management_min_meetings:
        out.append(
            violation(
                "M13c",
                "management_meetings",
                f"{year} 年管理委员会召开会议 {held} 次，要求每年至少{settings.management_min_meetings}次",
                f"{held}次",
                f"≥ {settings.management_min_meetings}次/年",
            )
        )
    expert = doc.rows("expert_meetings")
    held = _count(expert, year)
    if yearly and held < settings.expert_min_meetings:
        out.append(
            violation(
                "M16a",
                "expert_meetings",
                f"{year} 年专家指导委员会召开会议 {held} 次，要求每年至少{settings.expert_min_meetings}次",
                f"{held}次",
                f"≥ {settings.expert_min_meetings}次/年",
            )
        )
    for i, row in enumerate(expert):
        members, present = row.get("members"), row.get("attendees")
        if not (isinstance(members, int) and isinstance(present, int)) or members <= 0:
            continue
        if Fraction(present, members) < settings.min_attendance_share:
            out.append(
                violation(
                    "M16b",
                    f"expert_meetings[{i}].attendees",
                    f"专家指导委员会第 {i + 1} 次会议出席 {present} 人（在任委员 {members} 人），"
                    f"要求{text.at_least(settings.min_attendance_share)}",
                    f"{present}/{members}",
                    text.at_least(settings.min_attendance_share),
                )
            )
    return sort_violations(out)


def check_annual_report_document(
    doc: AnnualReportDocument,
    form: FormDef,
    settings: RuleSettings = DEFAULT_SETTINGS,
    *,
    recognised_on: date | None = None,
) -> list[Violation]:
    """Every problem of a parsed report: blanks, dates outside the year, then the rules (the
    yearly ones only for a complete year since ``recognised_on``, when given)."""
    return (
        required_violations(doc, form)
        + year_violations(doc, form)
        + rule_violations(doc, settings, recognised_on=recognised_on)
    )
