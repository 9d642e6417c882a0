"""The 工作年报 reminder list (第二十一条, from 1 December) as text for the clipboard and as an Excel
workbook: one row per centre whose report of the year has not reached the bureau."""

from __future__ import annotations

from pathlib import Path

from lzcenter_desktop.services import output
from lzcenter_desktop.services.annual.dues import ReportDue, YearDues

REMINDER_HEADER = ("序号", "中心名称", "依托单位", "报送情况", "截止日期")


def reminder_rows(dues: YearDues) -> list[tuple[str, ...]]:
    """The reminder list's rows, in the order of :attr:`YearDues.reminders` (by centre name)."""
    return [_row(n, due) for n, due in enumerate(dues.reminders, start=1)]


def _row(n: int, due: ReportDue) -> tuple[str, ...]:
    return (str(n), due.center_name, due.host_name, due.status_label, due.deadline.isoformat())


def reminder_text(dues: YearDues) -> str:
    """Tab-separated lines with a header (pastes into Excel or a message as a table)."""
    title = f"{dues.year}年度工作年报提醒名单（{dues.as_of.isoformat()}，共 {len(dues.reminders)} 家）"
    lines = [title, "\t".join(REMINDER_HEADER)]
    lines.extend("\t".join(row) for row in reminder_rows(dues))
    return "\n".join(lines) + "\n"


def write_reminders_xlsx(dues: YearDues, path: Path) -> Path:
    """Write the reminder list to ``path`` (an ``.xlsx``); every value is written as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from lzcenter_desktop.documents.xlsx import safe

    target = path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
    output.check_target(target)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "提醒名单"
    safe.put(
        ws.cell(row=1, column=1),
        f"{dues.year}年度工作年报提醒名单"
        f"（截至 {dues.as_of.isoformat()}，截止日期 {dues.deadline.isoformat()}）",
    )
    ws["A1"].font = Font(bold=True, size=13)
    for column, text in enumerate(REMINDER_HEADER, start=1):
        cell = ws.cell(row=2, column=column)
        safe.put(cell, text)
        cell.font = Font(bold=True)
    rows = reminder_rows(dues)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            safe.put(ws.cell(row=r, column=c), value)
    for letter, width in zip("ABCDE", (6, 44, 36, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    with output.writing(target) as temporary:
        wb.save(str(temporary))
    return target
