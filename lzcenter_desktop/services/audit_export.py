"""审计日志 → Excel: the entries the viewer's filter matches, newest first, one sheet.

Row 1 says what was exported (the filter, the number of entries, when), row 2 is the header, one
row per entry below. Actions, kinds of record and fields are in Chinese (domain/audit_labels.py);
an action the catalogue does not name keeps its stored code, in grey italics. The entries are
read in batches and written with openpyxl's write-only workbook, so 100,000 entries need little
memory. Every text goes through ``documents.xlsx.safe``
(a detail typed as ``=HYPERLINK(…)`` stays text, characters Excel cannot store are removed and
reported); the file through ``services.output.writing`` (complete or not at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lzcenter_desktop.services import output
from lzcenter_desktop.services.audit_query import AuditFilter, AuditRow, iter_matching, query_audit
from lzcenter_desktop.services.context import AppContext

SHEET = "审计日志"
HEADER = ("序号", "时间", "操作人", "记录类别", "记录编号", "操作", "事项", "内容", "修改前", "修改后")
WIDTHS = (9, 20, 14, 16, 10, 8, 30, 60, 40, 40)
ACTION_COLUMN = HEADER.index("事项")
HINT_GREY = "808080"  # an action the catalogue does not name: its stored code, in grey
MAX_NOTES = 20  # removed characters are reported for the first entries only (then a count)


@dataclass(frozen=True, slots=True)
class AuditExport:
    """The file written, how many entries it holds, and what had to change on the way (Chinese)."""

    path: Path
    entries: int
    notes: tuple[str, ...] = ()


def _values(row: AuditRow) -> tuple[Any, ...]:
    return (
        row.entry_id,
        row.local_time,
        row.operator,
        row.entity_text,
        row.entity_id,
        row.operation_text,
        row.action_text,
        row.details(),
        row.before or "",
        row.after or "",
    )


def write_audit_xlsx(ctx: AppContext, flt: AuditFilter, path: Path) -> AuditExport:
    """Write the entries matching ``flt`` to the workbook ``path``; refused (Chinese) for a role
    that may not read the audit trail."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from lzcenter_desktop.documents.xlsx import safe

    output.check_target(path)
    # The count and the newest matching entry first (the permission is checked here, before
    # anything is written); entries written while the file is made are left out of it.
    head = query_audit(ctx, flt, limit=1)
    count = head.total
    below = head.rows[0].entry_id + 1 if head.rows else 0
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A3"
    notes: list[str] = []
    removed = 0

    def cell(value: Any, where: str, *, bold: bool = False, grey: bool = False) -> Any:
        nonlocal removed
        c = WriteOnlyCell(ws)
        found = safe.put(c, value, where=where)
        if found:
            removed += len(found)
            if len(notes) < MAX_NOTES:
                notes.extend(found)
        if bold:
            c.font = Font(bold=True)
        elif grey:
            c.font = Font(color=HINT_GREY, italic=True)
        return c

    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    caption = f"审计日志（{flt.describe()}），共 {count} 条，导出于 {stamp}"
    ws.append([cell(caption, f"{SHEET}!A1", bold=True)])
    ws.append([cell(title, f"{SHEET} 表头", bold=True) for title in HEADER])
    line = 2
    for entry in iter_matching(ctx, flt, below=below) if below else ():
        line += 1
        unknown = not entry.action_known
        ws.append(
            [
                cell(v, f"{SHEET} 第 {line} 行“{HEADER[i]}”", grey=unknown and i == ACTION_COLUMN)
                for i, v in enumerate(_values(entry))
            ]
        )
    if removed > len(notes):
        notes.append(f"另有 {removed - len(notes)} 处控制字符已删除")
    with output.writing(path) as tmp:
        wb.save(tmp)
    return AuditExport(Path(path), line - 2, tuple(notes))
