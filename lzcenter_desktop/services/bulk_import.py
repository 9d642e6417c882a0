"""Importing many declaration files in one pass: ``lzcenter-desktop import`` with several files or a
folder, and the 申报 page's 批量导入 (issue 11 item 6).

Every file is read, checked and written on its own, in its own transaction: a file that cannot be
imported (unreadable, not the interchange format, an impossible call year) is refused with a
Chinese reason naming it and the others go on; a file that breaks rules is imported as a flagged
draft, as a single import does (:func:`declarations.import_declaration_data`) — the same rows, the
same audit entries, the same violations reported.

What makes a thousand files cheap is what is *not* repeated per file. A single import re-reads the
new draft and re-checks it with ``check_declaration_draft``: the form definition parsed from its
TOML file, the rule set read, every other declaration of the call year parsed again to find the
same host twice (``DUP``), every organization's name compared for a revoked centre (D25). Here the
form and rule set are read once per call year, the hosts already declared in a call year are read
once and then kept up to date as files are imported, and the records of revoked centres are read
once (a file is looked up in them only when its host matches one). The checks are those of
:func:`declarations.check_document`, on the document exactly as stored.

A problem with the database itself (locked, read-only, damaged, disk full) stops the run: it would
refuse every following file for the same reason. The report then says what was imported before it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from lzcenter_desktop.domain.formdef import FormDef, get_path
from lzcenter_desktop.domain.interchange import FormatError, parse_declaration
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.domain.violations import Severity, Violation
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.errors import EnvironmentProblem
from lzcenter_desktop.storage.models import AnnualCall, Center, CenterStateChange, Declaration, Organization

SUFFIX = ".json"
IMPORT_ACTION = "declarations.import_declaration"  # the same audit action as a single import
IMPORT_REASON = "导入申报书（交换格式 JSON）"

Progress = Callable[[int, int, "FileOutcome"], None]  # (files done, files in all, the latest outcome)


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file: imported as draft ``declaration_id`` (with its violations), or
    refused with ``refusal`` (Chinese, naming the file)."""

    path: Path
    declaration_id: int | None = None
    violations: tuple[Violation, ...] = ()
    refusal: str | None = None

    @property
    def imported(self) -> bool:
        return self.declaration_id is not None

    @property
    def errors(self) -> int:
        return sum(1 for v in self.violations if v.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.violations) - self.errors

    def text(self) -> str:
        """One Chinese line: ``a.json：已导入为第 12 号草稿，未发现问题`` or why it was refused."""
        if self.declaration_id is None:
            return f"{self.path.name}：未导入。{self.refusal}"
        if not self.violations:
            return f"{self.path.name}：已导入为第 {self.declaration_id} 号草稿，未发现问题"
        return (
            f"{self.path.name}：已导入为第 {self.declaration_id} 号带标记的草稿"
            f"（{self.errors} 项错误，{self.warnings} 项警告，请在申报书中改正或确认）"
        )


@dataclass
class BulkImportReport:
    """The outcome of a run, file by file, in the order the files were taken."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    total: int = 0  # files found (including any not reached)
    cancelled: bool = False  # the clerk pressed 取消 (or Ctrl+C): the rest was not started
    problem: EnvironmentProblem | None = None  # the database failed: the rest was not started

    @property
    def imported(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.imported]

    @property
    def refused(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.imported]

    @property
    def flagged(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.imported and o.violations]

    @property
    def not_reached(self) -> int:
        return self.total - len(self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 when every file was imported, 1 when some were refused (or not reached), 2 when none was."""
        if not self.imported:
            return 2
        return 0 if not self.refused and not self.not_reached else 1

    def headline(self) -> str:
        """``共 12 个文件：已导入 10 个（其中 2 个为带标记的草稿），未导入 2 个。``"""
        parts = [f"已导入 {len(self.imported)} 个"]
        if self.flagged:
            parts[0] += f"（其中 {len(self.flagged)} 个为带标记的草稿）"
        parts.append(f"未导入 {len(self.refused)} 个")
        if self.not_reached:
            why = "已取消" if self.cancelled else "已停止"
            parts.append(f"{why}，另有 {self.not_reached} 个未处理")
        return f"共 {self.total} 个文件：" + "，".join(parts) + "。"

    def summary(self) -> str:
        """The headline, then what was imported and what was refused and why (one line a file)."""
        lines = [self.headline()]
        if self.imported:
            lines.append("已导入：")
            lines += [f"  {o.text()}" for o in self.imported]
        if self.refused:
            lines.append("未导入：")
            lines += [f"  {o.text()}" for o in self.refused]
        if self.problem is not None:
            lines.append(f"导入中止：{self.problem}")
        return "\n".join(lines)


# ---------------------------------------------------------------- choosing the files


def collect_files(targets: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """The files to import: each file named, and every ``*.json`` directly in each folder named
    (sorted by name; a file named twice is taken once). A target that is neither, or a folder
    without any ``.json`` file, is a refusal."""
    files: list[Path] = []
    refusals: list[FileOutcome] = []
    seen: set[Path] = set()

    def take(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for target in targets:
        p = Path(target)
        if p.is_dir():
            try:
                found = sorted(
                    (c for c in p.iterdir() if c.suffix.lower() == SUFFIX and c.is_file()),
                    key=lambda c: c.name,
                )
            except OSError as exc:
                refusals.append(FileOutcome(p, refusal=f"无法读取文件夹“{p}”：{exc.strerror or exc}"))
                continue
            if not found:
                refusals.append(FileOutcome(p, refusal=f"文件夹“{p}”中没有 .json 文件"))
            for c in found:
                take(c)
        elif p.exists():
            take(p)
        else:
            refusals.append(FileOutcome(p, refusal=f"找不到文件或文件夹“{p}”，请检查路径"))
    return files, refusals


# ---------------------------------------------------------------- importing


class _Checker:
    """The checks of a single import, with what they read from the database read once."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._years: dict[int, tuple[FormDef, RuleSettings]] = {}
        self._hosts: dict[int, dict[str, list[int]]] = {}  # call year → host code → declaration ids
        with reading(ctx) as session:
            revoked_hosts = (
                select(col(Center.host_id))
                .join(CenterStateChange, col(CenterStateChange.center_id) == col(Center.id))
                .where(col(CenterStateChange.to_state) == "revoked")
            )
            rows = session.execute(
                select(col(Organization.credit_code), col(Organization.name)).where(
                    col(Organization.id).in_(revoked_hosts)
                )
            ).all()
        # Hosts of a revoked centre, by credit code and by normalised name (as find_recorded_revocation
        # matches them); nothing an import does can revoke a centre, so this stays true for the run.
        self._revoked_codes = {code for code, _name in rows if code}
        self._revoked_names = {decl.name_key(name) for _code, name in rows}

    def year(self, year: int) -> tuple[FormDef, RuleSettings]:
        if year not in self._years:
            self._years[year] = (decl.load_declaration_form(year), rulesets.settings_for_year(self.ctx, year))
        return self._years[year]

    def hosts(self, year: int) -> dict[str, list[int]]:
        """Host credit code → the declarations (not withdrawn or discarded) of ``year`` that name it."""
        if year not in self._hosts:
            found: dict[str, list[int]] = {}
            with reading(self.ctx) as session:
                rows = session.execute(
                    select(Declaration)
                    .join(AnnualCall, col(AnnualCall.id) == col(Declaration.call_id))
                    .where(col(AnnualCall.year) == year, col(Declaration.status).not_in(decl.CLOSED_STATUSES))
                ).scalars()
                for row in rows:
                    code = decl.host_code(decl.stored_document(session, row))
                    if code and row.id is not None:
                        found.setdefault(code, []).append(row.id)
            self._hosts[year] = found
        return self._hosts[year]

    def might_be_revoked(self, document: Any) -> bool:
        code = decl.host_code(document)
        return bool(code and code in self._revoked_codes) or (
            decl.name_key(get_path(document, "host.name")) in self._revoked_names
        )


def import_files(
    ctx: AppContext,
    files: Sequence[Path],
    *,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
) -> BulkImportReport:
    """Import ``files`` one after the other, each in its own transaction (see the module docstring).

    ``progress(done, total, outcome)`` is called after each file; ``stop()`` is asked before each
    file and ends the run when true (``report.cancelled``)."""
    report = BulkImportReport(total=len(files))
    if not files:
        return report
    checker = _Checker(ctx)
    # Thousands of short-lived ORM objects: the cyclic collector would run hundreds of times for
    # nothing (it finds no garbage cycles among them), so the objects alive now are left out of it.
    gc.freeze()
    try:
        for path in files:
            if stop is not None and stop():
                report.cancelled = True
                break
            try:
                outcome = _import_one(ctx, checker, Path(path))
            except EnvironmentProblem as exc:
                report.problem = exc
                break
            report.outcomes.append(outcome)
            if progress is not None:
                progress(len(report.outcomes), report.total, outcome)
    finally:
        gc.unfreeze()
    return report


def _import_one(ctx: AppContext, checker: _Checker, path: Path) -> FileOutcome:
    try:
        data = decl.read_interchange_file(path)
        year = decl.check_call_year(parse_declaration(data).call_year)  # FormatError: not the format
    except FormatError as exc:
        return FileOutcome(path, refusal=f"不是交换格式文件（{exc.path}：{exc.detail}）")
    except ServiceError as exc:
        return FileOutcome(path, refusal=str(exc))
    assert isinstance(data, dict)
    document: dict[str, Any] = data  # read from the file just now: no one else holds it
    decl.fullwidth_name(document)
    form, settings = checker.year(year)
    hosts = checker.hosts(year)
    try:
        with unit_of_work(ctx, IMPORT_ACTION) as session:
            row = decl.add_draft(session, document, reason=IMPORT_REASON)
            assert row.id is not None
            new_id = row.id
            revocation = (
                decl.find_recorded_revocation(session, document)
                if checker.might_be_revoked(document)
                else None
            )
    except ServiceError as exc:
        return FileOutcome(path, refusal=str(exc))
    code = decl.host_code(document)
    clash = list(hosts.get(code, [])) if code else []
    violations = decl.check_document(document, form=form, settings=settings, revocation=revocation)
    violations += decl.duplicate_host_violations(document, code, clash)
    if code:
        hosts.setdefault(code, []).append(new_id)
    return FileOutcome(path, declaration_id=new_id, violations=tuple(violations))
