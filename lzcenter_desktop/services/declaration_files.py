"""Files made from, or read into, one stored declaration: the applicant's Excel workbook and the
printed application form (认定申请书).

Both start from the record, not from a screen: a workbook is read into a draft only while the
declaration is a draft (a submitted one is read-only, 第十条 — what was submitted is what is
reviewed), and the printed form is drawn from what is stored, so it never shows unsaved screen
contents or another workbook's values.

A workbook never goes straight into the record: :func:`preview_workbook_import` reads it (within
the limits of :mod:`documents.xlsx.guard`) into a preview of what would change and what is wrong,
and only :func:`apply_workbook_import`, once the clerk confirmed, saves it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lzcenter_desktop.documents.xlsx.guard import ReadCancelled
from lzcenter_desktop.domain.formdef import FieldDef, FormDef, TableDef, get_path
from lzcenter_desktop.services import declarations as decl
from lzcenter_desktop.services import output, rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from lzcenter_desktop.documents.xlsx_declaration import CellProblem, ImportResult

__all__ = [
    "ImportCancelled",
    "ImportProblem",
    "RowChange",
    "ValueChange",
    "WorkbookImportPreview",
    "apply_workbook_import",
    "preview_workbook_import",
    "read_workbook_for_draft",
    "write_application_form",
    "write_blank_template",
    "write_declaration_workbook",
]

ImportCancelled = ReadCancelled  # raised when the caller's ``stop()`` turned true while reading
IMPORT_ACTION = "declarations.import_excel"


def _require_draft(ctx: AppContext, declaration_id: int, what: str) -> decl.DeclarationView:
    view = decl.get_declaration(ctx, declaration_id)
    if view.status != "draft":
        label = decl.STATUS_LABELS.get(view.status, view.status)
        raise ServiceError(
            f"第 {declaration_id} 号申报书{label}，内容已锁定，不能{what}；如需更正，请先撤回（需填写原因）",
            field="申报书",
        )
    return view


def read_workbook_for_draft(
    ctx: AppContext, *, declaration_id: int, path: Path, stop: Callable[[], bool] | None = None
) -> ImportResult:
    """Read an applicant workbook for the draft ``declaration_id`` as it is in the file (nothing is
    written; :func:`preview_workbook_import` is what the screens use).

    Refused with a Chinese :class:`ServiceError` when the declaration is no longer a draft."""
    from lzcenter_desktop.documents.xlsx_declaration import read_workbook

    view = _require_draft(ctx, declaration_id, "从 Excel 导入")
    form = decl.load_declaration_form(view.call_year)
    settings = rulesets.settings_for_year(ctx, view.call_year)
    return read_workbook(Path(path), form, key_industries=settings.key_industries, stop=stop)


# ---------------------------------------------------------------- Excel import: preview, then apply
#
# A workbook never goes straight into the record. It is read into a preview: field by field (and row
# by row for the tables) what would change, old value → new value, and every problem with its cell.
# A cell with a problem (a bad value, a formula, a required cell left blank) keeps the stored value,
# and so does anything the workbook does not carry at all (a sheet or a column missing from it): an
# import never blanks what it could not read. A blank template and a workbook that is not our
# template are refused as such. Nothing changes until the clerk confirms; the confirmed preview is
# saved by ``declarations.save_draft`` in one audited transaction whose entry says
# ``从 Excel 导入：<file>``.


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One value that the import changes: ``path`` in the document (``staff[3].degree``), the
    field's ``label``, the values and how they are shown (``（空）`` for nothing)."""

    path: str
    label: str
    old: Any
    new: Any
    old_text: str
    new_text: str
    group: str = ""  # the section of a single field (基本情况…), the table of a row's value


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row of a table that the import adds, removes or changes (``kind``: added / removed /
    changed); ``index`` counts from 0, ``changes`` are its values (all of them for an added or a
    removed row)."""

    table: str
    table_label: str
    index: int
    kind: str
    changes: tuple[ValueChange, ...]

    @property
    def title(self) -> str:
        verb = {"added": "新增", "removed": "删除", "changed": "修改"}[self.kind]
        return f"{self.table_label} 第 {self.index + 1} 行（{verb}）"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A problem found in the workbook: ``where`` (``研发人员!C7``, empty for the whole file),
    the Chinese ``message``, and what the import does about it (``handling``, e.g.
    ``保留原值：硕士``; empty when the problem is not about one stored value)."""

    where: str
    message: str
    handling: str
    path: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


@dataclass(frozen=True)
class WorkbookImportPreview:
    """What importing the workbook ``file_name`` into the draft ``declaration_id`` would do.
    :func:`apply_workbook_import` saves ``document`` — nothing is written before."""

    declaration_id: int
    file_name: str
    fields: tuple[ValueChange, ...]
    rows: tuple[RowChange, ...]
    problems: tuple[ImportProblem, ...]
    notes: tuple[str, ...]  # what the workbook does not carry and is therefore kept as stored
    document: dict[str, Any]
    base: str  # the stored document the preview was made from (JSON), to notice a change since

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.rows)

    @property
    def summary(self) -> str:
        parts = []
        if self.fields:
            parts.append(f"{len(self.fields)} 项内容")
        if self.rows:
            parts.append(f"明细表 {len(self.rows)} 行")
        head = "将修改 " + "、".join(parts) if parts else "与已保存的内容相同，没有需要修改的地方"
        if self.problems:
            head += f"；发现 {len(self.problems)} 处问题，有问题的单元格不导入、保留原值"
        return head + "。"


_CELL_PATH = re.compile(r"^(?P<table>.+)\[(?P<index>\d+)\]\.(?P<column>[^.\[\]]+)$")


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _same(old: Any, new: Any) -> bool:
    if _blank(old) and _blank(new):
        return True
    return bool(old == new and type(old) is type(new))


def _money(value: int) -> str:
    return f"{value:,} 元"


def _shown(fd: FieldDef, value: Any, key_industries: Sequence[str]) -> str:
    """A value as the clerk reads it: labels of choices, 是/否, ``1,800,000 元``; ``（空）`` for nothing."""
    from lzcenter_desktop.documents.xlsx.cells import choice_pairs

    if _blank(value):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if fd.type == "money" and isinstance(value, int):
        return _money(value)
    if fd.type == "area" and isinstance(value, int | float):
        return f"{value:g} 平方米"
    labels = dict(choice_pairs(fd, key_industries))
    if isinstance(value, list):
        return "、".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


def _rows(document: Mapping[str, Any], key: str) -> list[Any]:
    found = get_path(document, key)
    return list(found) if isinstance(found, list) else []


def _collapse(document: dict[str, Any], form: FormDef) -> None:
    """An object below a top-level key with nothing in it is ``null`` (``host.cto`` of a host that
    is not an enterprise), as the workbook reader and the wizard have it."""
    parents = {fd.key.rsplit(".", 1)[0] for fd in form.all_fields() if fd.key.count(".") >= 2}
    for parent in sorted(parents, key=lambda p: -p.count(".")):
        node = get_path(document, parent)
        if isinstance(node, dict) and all(_blank(v) for v in node.values()):
            decl.set_path(document, parent, None)


def _merged(form: FormDef, stored: Mapping[str, Any], result: ImportResult, keep: set[str]) -> dict[str, Any]:
    """The stored document with the workbook's values, except where ``keep`` (problem cells) or
    ``result.absent`` (what the workbook does not carry) say to keep the stored value."""
    document = copy.deepcopy(dict(stored))
    for fd in form.all_fields():
        if fd.key in result.absent or fd.key in keep:
            continue
        old, new = get_path(stored, fd.key), get_path(result.draft, fd.key)
        if _same(old, new):
            continue
        decl.set_path(document, fd.key, copy.deepcopy(new))
    _collapse(document, form)
    for table in form.all_tables():
        if table.key in result.absent:
            continue
        missing = {c.key for c in table.columns if f"{table.key}[*].{c.key}" in result.absent}
        old_rows = _rows(stored, table.key)
        rows: list[Any] = []
        for index, record in enumerate(_rows(result.draft, table.key)):
            base = old_rows[index] if index < len(old_rows) and isinstance(old_rows[index], dict) else {}
            row = copy.deepcopy(base)
            for column in table.columns:
                if column.key in missing or f"{table.key}[{index}].{column.key}" in keep:
                    continue
                if column.key in record:
                    if not _same(row.get(column.key), record[column.key]):
                        row[column.key] = copy.deepcopy(record[column.key])
                elif not _blank(row.get(column.key)):
                    row.pop(column.key)
            rows.append(row)
        decl.set_path(document, table.key, rows)
    return document


def _field_changes(
    form: FormDef, old: Mapping[str, Any], new: Mapping[str, Any], key_industries: Sequence[str]
) -> list[ValueChange]:
    changes = []
    for section in form.sections:
        for fd in section.fields:
            before, after = get_path(old, fd.key), get_path(new, fd.key)
            if not _same(before, after):
                changes.append(
                    ValueChange(
                        fd.key,
                        fd.label,
                        before,
                        after,
                        _shown(fd, before, key_industries),
                        _shown(fd, after, key_industries),
                        section.title,
                    )
                )
    return changes


def _row_changes(
    table: TableDef, old: Mapping[str, Any], new: Mapping[str, Any], key_industries: Sequence[str]
) -> list[RowChange]:
    old_rows, new_rows = _rows(old, table.key), _rows(new, table.key)
    changes = []
    for index in range(max(len(old_rows), len(new_rows))):
        before = old_rows[index] if index < len(old_rows) and isinstance(old_rows[index], dict) else None
        after = new_rows[index] if index < len(new_rows) and isinstance(new_rows[index], dict) else None
        values = []
        for column in table.columns:
            a = before.get(column.key) if before is not None else None
            b = after.get(column.key) if after is not None else None
            shown_all = before is None or after is None
            if not _same(a, b) or (shown_all and not _blank(a if after is None else b)):
                values.append(
                    ValueChange(
                        f"{table.key}[{index}].{column.key}",
                        column.label,
                        a,
                        b,
                        _shown(column, a, key_industries),
                        _shown(column, b, key_industries),
                        table.label,
                    )
                )
        kind = "added" if before is None else "removed" if after is None else "changed"
        if values or kind != "changed":
            changes.append(RowChange(table.key, table.label, index, kind, tuple(values)))
    return changes


def _stored_value(form: FormDef, stored: Mapping[str, Any], path: str) -> tuple[FieldDef, Any, bool] | None:
    """(field, stored value, row exists) of a cell's path; None when ``path`` is not one cell."""
    for fd in form.all_fields():
        if fd.key == path:
            return fd, get_path(stored, path), True
    match = _CELL_PATH.match(path)
    if match is None:
        return None
    try:
        table = form.table(match["table"])
        column = table.column(match["column"])
    except KeyError:
        return None
    rows = _rows(stored, table.key)
    index = int(match["index"])
    if index < len(rows) and isinstance(rows[index], dict):
        return column, rows[index].get(column.key), True
    return column, None, False


def _problems(
    form: FormDef, stored: Mapping[str, Any], problems: Sequence[CellProblem], key_industries: Sequence[str]
) -> tuple[list[ImportProblem], set[str]]:
    """The problems as the clerk reads them, and the paths whose stored value is kept."""
    keep: set[str] = set()
    shown = []
    for problem in problems:
        where = f"{problem.sheet}!{problem.cell}" if problem.sheet and problem.cell else problem.sheet
        handling = ""
        found = _stored_value(form, stored, problem.field) if problem.field else None
        if found is not None:
            fd, value, row_exists = found
            keep.add(problem.field)
            if not row_exists:
                handling = "不导入（新增的行此项留空）"
            elif _blank(value):
                handling = "不导入（原值为空）"
            else:
                handling = f"保留原值：{_shown(fd, value, key_industries)}"
        shown.append(ImportProblem(where, problem.message, handling, problem.field))
    return shown, keep


def _notes(form: FormDef, stored: Mapping[str, Any], result: ImportResult) -> list[str]:
    notes = []
    for fd in form.all_fields():
        if fd.key in result.absent:
            notes.append(f"工作簿中没有“{fd.label}”一项，保留原值")
    for table in form.all_tables():
        if table.key in result.absent:
            count = len(_rows(stored, table.key))
            kept = f"保留原有的 {count} 行" if count else "原来也没有内容"
            notes.append(f"工作簿中没有“{table.label}”工作表，{kept}")
            continue
        for column in table.columns:
            if f"{table.key}[*].{column.key}" in result.absent:
                notes.append(f"“{table.label}”工作表中没有“{column.label}”列，该列保留原值")
    return notes


def _canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, default=str)


def preview_workbook_import(
    ctx: AppContext, *, declaration_id: int, path: Path, stop: Callable[[], bool] | None = None
) -> WorkbookImportPreview:
    """Read the applicant workbook ``path`` for the draft ``declaration_id`` and say what importing
    it would change, and every problem with its cell. Nothing is written.

    Refused with a Chinese :class:`ServiceError` when the declaration is not a draft, or the file
    is missing, not a regular file, over a limit (size, zip, rows, columns, cell length — see
    :mod:`documents.xlsx.guard`), damaged, not our template, or a blank template. Raises
    :data:`ImportCancelled` when ``stop()`` turns true while the workbook is read."""
    from lzcenter_desktop.documents.xlsx_declaration import read_workbook

    view = _require_draft(ctx, declaration_id, "从 Excel 导入")
    form = decl.load_declaration_form(view.call_year)
    industries = rulesets.settings_for_year(ctx, view.call_year).key_industries
    target = Path(path)
    result = read_workbook(target, form, key_industries=industries, stop=stop)
    if not result.draft:  # not read at all: the one problem says why
        raise ServiceError(
            "；".join(str(p) for p in result.problems) + "。申报书未作任何修改", field="Excel 文件"
        )
    if result.filled == 0:
        raise ServiceError(
            f"“{target.name}”是空白模板，没有填写任何内容，未导入；申报书未作任何修改。"
            "请让申报单位在模板中填写后再导入",
            field="Excel 文件",
        )
    stored = view.data
    problems, keep = _problems(form, stored, result.problems, industries)
    document = _merged(form, stored, result, keep)
    rows = [
        change for table in form.all_tables() for change in _row_changes(table, stored, document, industries)
    ]
    return WorkbookImportPreview(
        declaration_id=declaration_id,
        file_name=target.name,
        fields=tuple(_field_changes(form, stored, document, industries)),
        rows=tuple(rows),
        problems=tuple(problems),
        notes=tuple(_notes(form, stored, result)),
        document=document,
        base=_canonical(stored),
    )


def apply_workbook_import(ctx: AppContext, preview: WorkbookImportPreview) -> bool:
    """Save what ``preview`` shows, in one audited transaction (``declarations.save_draft``; the
    audit entry's action is ``declarations.import_excel`` and its reason ``从 Excel 导入：<file>``).
    Returns False when there was nothing to change.

    Refused (Chinese :class:`ServiceError`, nothing written) when the declaration is no longer a
    draft, or its stored content changed since the preview was made."""
    view = _require_draft(ctx, preview.declaration_id, "从 Excel 导入")
    if _canonical(view.data) != preview.base:
        raise ServiceError(
            f"第 {preview.declaration_id} 号申报书在预览之后已有改动，未导入；"
            "请重新从 Excel 导入并核对修改内容",
            field="申报书",
        )
    if not preview.has_changes:
        return False
    decl.save_draft(
        ctx,
        declaration_id=preview.declaration_id,
        data=preview.document,
        action=IMPORT_ACTION,
        reason=f"从 Excel 导入：{preview.file_name}",
    )
    return True


def write_application_form(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """Print the stored declaration ``declaration_id`` as the application form PDF at ``path``
    (complete or not at all, see :mod:`services.output`)."""
    from lzcenter_desktop.documents.declaration_form import render_declaration_form

    view = decl.get_declaration(ctx, declaration_id)
    form = decl.load_declaration_form(view.call_year)
    try:
        with output.writing(path) as tmp:
            render_declaration_form(tmp, form, view.data, declaration_id=declaration_id)
    except ValueError as exc:  # a character the bundled fonts lack, named with its field
        raise ServiceError(f"未能生成申请书 PDF：{exc}", field="申请书") from exc
    return Path(path)


def _xlsx(path: Path) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def write_blank_template(ctx: AppContext | None, *, call_year: int, path: Path) -> Path:
    """The applicants' Excel workbook of ``call_year``'s form, with that year's key-industry list
    (the defaults of the Measures when no database is open). The one function the 申报 page and
    the CLI ``template declaration`` call. Returns the path written (``.xlsx`` added if missing)."""
    from lzcenter_desktop.documents.xlsx_declaration import write_template
    from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS

    form = decl.load_declaration_form(call_year)
    settings = rulesets.settings_for_year(ctx, call_year) if ctx is not None else DEFAULT_SETTINGS
    target = _xlsx(path)
    with output.writing(target) as tmp:
        write_template(tmp, form, key_industries=settings.key_industries)
    return target


def write_declaration_workbook(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """The stored declaration as a filled applicant workbook (what is stored, not the screen)."""
    from lzcenter_desktop.documents.xlsx_declaration import write_template

    view = decl.get_declaration(ctx, declaration_id)
    form = decl.load_declaration_form(view.call_year)
    settings = rulesets.settings_for_year(ctx, view.call_year)
    target = _xlsx(path)
    with output.writing(target) as tmp:
        write_template(tmp, form, data=view.data, key_industries=settings.key_industries)
    return target
