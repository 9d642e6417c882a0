"""The ``check`` use case: read an interchange file, check it against the rules, report.

No Qt, no database.  :func:`run_check` never raises: exit 0 (no error-level violation),
1 (at least one), 2 (unreadable, not JSON, or not the format — message on stderr).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lzcenter_desktop import paths
from lzcenter_desktop.documents import inbound
from lzcenter_desktop.domain import annual_report
from lzcenter_desktop.domain.committees import check_committees
from lzcenter_desktop.domain.eligibility import check_declaration
from lzcenter_desktop.domain.evaluation import annual_report_due
from lzcenter_desktop.domain.formdef import FormDef, FormDefinitionError, load_form_text, pick_year
from lzcenter_desktop.domain.interchange import MAX_YEAR, MIN_YEAR, FormatError, parse_document
from lzcenter_desktop.domain.model import Declaration
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation, has_errors

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
# A declaration is about 10 KB and a centre's committee records far less than 1 MB; the limit bounds
# the memory parsing takes.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class CheckOutcome:
    exit_code: int
    stdout: str
    stderr: str


def format_violation(v: Violation) -> str:
    """One Chinese line: ``错误 D9.3b 第九条（三） staff：… （实际：7/10；要求：≥ 80%）``."""
    head = f"{v.severity.label} {v.rule} {v.article} {v.path}"
    return f"{head}：{v.message}（实际：{v.actual}；要求：{v.required}）"


def _summary(violations: list[Violation], kind: str, ref: date, year: int | None) -> str:
    errors = sum(1 for v in violations if v.severity is Severity.ERROR)
    warnings = len(violations) - errors
    basis = f"，依据 {year} 年度规则" if year is not None else ""
    head = f"检查{kind}（参照日 {ref.isoformat()}{basis}）："
    if not violations:
        return head + "未发现问题。"
    verdict = "不符合条件" if errors else "符合全部错误级条件，警告需确认"
    return head + f"{errors} 项错误，{warnings} 项警告——{verdict}。"


def _bad(message: str) -> CheckOutcome:
    return CheckOutcome(EXIT_BAD_INPUT, "", message + "\n")


def run_check(
    path: Path,
    *,
    as_json: bool = False,
    as_of: date | None = None,
    settings_for_year: Callable[[int], RuleSettings] | None = None,
) -> CheckOutcome:
    """Check one interchange file (declaration, committees or annual report, detected from its
    ``format`` key). An annual report is checked against the form of its year; its reference date
    (shown in the summary) is ``as_of`` or its due date.

    The reference date is ``as_of``, else the declaration's ``application_date``, else today.
    ``settings_for_year`` gives the rule set of a call year (default: the Measures' values).
    """
    try:
        return _run(path, as_json=as_json, as_of=as_of, settings_for_year=settings_for_year)
    except Exception as exc:  # the command must never crash on a file; report and exit 2
        return _bad(f"检查失败（内部错误）：{type(exc).__name__}: {exc}")


def _run(
    path: Path,
    *,
    as_json: bool,
    as_of: date | None,
    settings_for_year: Callable[[int], RuleSettings] | None,
) -> CheckOutcome:
    if as_of is not None and not MIN_YEAR <= as_of.year <= MAX_YEAR:
        return _bad(f"--as-of：参照日 {as_of.isoformat()} 超出允许的年份范围 {MIN_YEAR}—{MAX_YEAR}")
    if Path(path).suffix.lower() == ".xlsx":
        return _check_annual_workbook(path, as_json=as_json, as_of=as_of, settings_for_year=settings_for_year)
    try:
        raw = inbound.read_regular(Path(path), max_bytes=MAX_FILE_BYTES)
    except inbound.RefusedFile as exc:
        if exc.kind == "too_large":
            return _bad(f"{path}：{exc}，不是交换格式文件")
        return _bad(f"{path}：{exc}")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _bad(f"{path}：文件不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）")
    try:
        data = inbound.loads_json(content)
    except json.JSONDecodeError as exc:
        return _bad(f"{path}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）")
    except inbound.JsonRefused as exc:
        return _bad(f"{path}：{exc}")
    except (ValueError, RecursionError) as exc:
        return _bad(f"{path}：不是有效的 JSON（{exc}）")
    if isinstance(data, dict) and data.get("format") == annual_report.ANNUAL_REPORT_FORMAT:
        return _check_annual_report(
            path, data, as_json=as_json, as_of=as_of, settings_for_year=settings_for_year
        )
    try:
        document = parse_document(data)
    except FormatError as exc:
        return _bad(f"{path}：格式错误 {exc}")
    except RecursionError:
        return _bad(f"{path}：格式错误（嵌套过深）")

    if isinstance(document, Declaration):
        settings = settings_for_year(document.call_year) if settings_for_year else DEFAULT_SETTINGS
        ref = as_of or document.application_date
        violations = check_declaration(document, settings, as_of=ref)
        summary = _summary(violations, "申报书", ref, document.call_year)
    else:
        ref = as_of or date.today()
        settings = settings_for_year(ref.year) if settings_for_year else DEFAULT_SETTINGS
        violations = check_committees(document, settings, as_of=ref)
        summary = _summary(violations, "中心人员与委员会", ref, None)

    return _report(violations, summary, as_json=as_json)


def _report(
    violations: list[Violation], summary: str, *, as_json: bool, places: Mapping[str, str] | None = None
) -> CheckOutcome:
    code = EXIT_VIOLATIONS if has_errors(violations) else EXIT_OK
    if as_json:
        out = json.dumps({"violations": [v.to_json() for v in violations]}, ensure_ascii=False, indent=2)
        return CheckOutcome(code, out + "\n", "")
    where = places or {}
    lines = [
        f"{where[v.path]}：{format_violation(v)}" if v.path in where else format_violation(v)
        for v in violations
    ]
    lines.append(summary)
    return CheckOutcome(code, "\n".join(lines) + "\n", "")


def annual_report_form(year: object) -> FormDef:
    """The 工作年报 form of ``year``: the newest one not after it (the first one for an earlier year,
    the newest one if ``year`` is not a year)."""
    kind = annual_report.ANNUAL_REPORT_FORM_KIND
    available: dict[int, Path] = {}
    for file in paths.forms_dir().glob(f"{kind}-*.toml"):
        suffix = file.stem.rsplit("-", 1)[-1]
        if suffix.isdigit():
            available[int(suffix)] = file
    if not available:
        raise FormDefinitionError(f"找不到工作年报表单定义文件 forms/{kind}-<年度>.toml")
    wanted = year if isinstance(year, int) and not isinstance(year, bool) else max(available)
    # a year before the first form is read with the first one (its parser then judges the year)
    chosen = pick_year(available, wanted) if wanted >= min(available) else min(available)
    return load_form_text(available[chosen].read_text(encoding="utf-8"))


def _check_annual_report(
    path: Path,
    data: dict[str, object],
    *,
    as_json: bool,
    as_of: date | None,
    settings_for_year: Callable[[int], RuleSettings] | None,
) -> CheckOutcome:
    """A ``lzcenter.annual-report/1`` document: shape against its year's form, then its checks."""
    try:
        form = annual_report_form(data.get("year"))
        document = annual_report.parse_annual_report(data, form)
    except FormDefinitionError as exc:
        return _bad(f"{path}：{exc}")
    except FormatError as exc:
        return _bad(f"{path}：格式错误 {exc}")
    except RecursionError:
        return _bad(f"{path}：格式错误（嵌套过深）")
    settings = settings_for_year(document.year) if settings_for_year else DEFAULT_SETTINGS
    violations = annual_report.check_annual_report_document(document, form, settings)
    ref = as_of or annual_report_due(document.year, settings)
    summary = _summary(violations, f"{document.year}年度工作年报", ref, document.year)
    return _report(violations, summary, as_json=as_json)


def _check_annual_workbook(
    path: Path,
    *,
    as_json: bool,
    as_of: date | None,
    settings_for_year: Callable[[int], RuleSettings] | None,
) -> CheckOutcome:
    """A filled 工作年报 workbook (documents/xlsx_annual.py): its cells, then the report's checks;
    each finding is prefixed with its ``工作表!单元格``. A workbook that cannot be read as a report
    (not ours, a bad cell …) exits 2 with every problem on stderr."""
    from lzcenter_desktop.documents.xlsx_annual import read_annual_workbook, workbook_report_year

    year = workbook_report_year(Path(path))
    try:
        form = annual_report_form(year)
    except FormDefinitionError as exc:
        return _bad(f"{path}：{exc}")
    book = read_annual_workbook(Path(path), form, year=year)
    if book.document is None:
        return _bad("\n".join(f"{path}：{problem}" for problem in book.problems))
    document = book.document
    settings = settings_for_year(document.year) if settings_for_year else DEFAULT_SETTINGS
    violations = annual_report.check_annual_report_document(document, form, settings)
    places = {v.path: cell for v in violations if (cell := book.cell_of(v.path)) is not None}
    ref = as_of or annual_report_due(document.year, settings)
    summary = _summary(violations, f"{document.year}年度工作年报", ref, document.year)
    return _report(violations, summary, as_json=as_json, places=places)
