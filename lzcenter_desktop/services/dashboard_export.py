"""概览 → Excel: each figure of the dashboard as a one-sheet workbook of what the clerk sees.

The figure is the DTO the page shows (:mod:`services.dashboard`), so the file holds the same
numbers as the screen; nothing is read again. Text goes through ``documents.xlsx.safe`` (never a
formula, characters Excel cannot store removed and reported), the file through
``services.output.writing`` (complete or not at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lzcenter_desktop.services import output
from lzcenter_desktop.services.committee_export import ExportedFile
from lzcenter_desktop.services.dashboard import (
    CountFigure,
    EvaluationFigure,
    FormalFigure,
    RectificationFigure,
    ReportFigure,
)
from lzcenter_desktop.services.errors import ServiceError

Figure = CountFigure | ReportFigure | EvaluationFigure | RectificationFigure | FormalFigure
Cell = str | int


@dataclass(frozen=True, slots=True)
class FigureTable:
    """What one figure's sheet holds: a caption (row 1), a header (row 2), the rows below."""

    sheet: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _day(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def figure_table(figure: Figure) -> FigureTable:
    """The sheet of ``figure`` (a summary first where the figure has one)."""
    if isinstance(figure, CountFigure):
        rows: list[tuple[Cell, ...]] = [(bar.label, bar.count) for bar in figure.bars]
        rows.append(("合计", figure.total))
        return FigureTable(figure.title, figure.title, (figure.dimension, "中心数"), tuple(rows))
    if isinstance(figure, ReportFigure):
        rows = [
            ("应报送", figure.due, "", ""),
            ("已按期报送", figure.received, "", ""),
            ("逾期报送", figure.late, "", ""),
            ("未报送", figure.missing, "", ""),
            ("逾期未报", figure.overdue, "", ""),
            ("", "", "", ""),
            ("中心", "依托单位", "报送情况", "报送日期"),
            *figure.rows,
        ]
        return FigureTable(
            "工作年报",
            f"{figure.year}年度工作年报报送情况（截止 {_day(figure.deadline)}，统计日 {_day(figure.as_of)}）",
            ("项目", "数量", "", ""),
            tuple(rows),
        )
    if isinstance(figure, EvaluationFigure):
        return FigureTable(
            "应评估中心",
            f"{figure.year}年应参加绩效评估的中心（统计日 {_day(figure.as_of)}，共 {len(figure.rows)} 个）",
            ("中心", "依托单位", "认定日期", "上次评估", "应评估日期"),
            tuple(
                (
                    r.center_name,
                    r.host_name,
                    _day(r.recognised_on),
                    _day(r.last_evaluated_on) or "无",
                    _day(r.due_on),
                )
                for r in figure.rows
            ),
        )
    if isinstance(figure, RectificationFigure):
        both = (*figure.past_deadline, *figure.rows)
        return FigureTable(
            "整改期限",
            f"整改期限在 {figure.window_days} 天内到期或已过期的中心（统计日 {_day(figure.as_of)}）",
            ("中心", "整改通知日期", "整改期限", "剩余天数"),
            tuple(
                (
                    r.center_name,
                    _day(r.notice_date),
                    _day(r.deadline),
                    r.days_left if r.days_left >= 0 else f"已过期 {-r.days_left} 天",
                )
                for r in both
            ),
        )
    if isinstance(figure, FormalFigure):
        return FigureTable(
            "待形式审查",
            f"待形式审查的申报书（共 {len(figure.rows)} 份）",
            ("申报书编号", "中心名称", "申报年度", "提交日期", "说明"),
            tuple(
                (
                    r.declaration_id,
                    r.center_name,
                    r.call_year,
                    _day(r.submitted_on),
                    "补正后重新提交" if r.resubmitted else "",
                )
                for r in figure.rows
            ),
        )
    raise ServiceError("无法导出该图表：不是概览中的统计图", field="图表")


def write_figure_xlsx(figure: Figure, path: Path) -> ExportedFile:
    """Write ``figure`` to the workbook ``path`` (one sheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from lzcenter_desktop.documents.xlsx import safe

    output.check_target(path)
    table = figure_table(figure)
    notes: list[str] = []
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.sheet[:31]
    notes.extend(safe.put(ws.cell(row=1, column=1), table.caption, where=f"{ws.title}!A1"))
    ws["A1"].font = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="DDE3EA")
    for column, text in enumerate(table.header, start=1):
        cell = ws.cell(row=2, column=column)
        safe.put(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
    for r, row in enumerate(table.rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=column)
            notes.extend(safe.put(cell, value, where=f"{ws.title}!{cell.coordinate}"))
    _widths(ws, table.header, table.rows)
    with output.writing(path) as tmp:
        wb.save(tmp)
    return ExportedFile(Path(path), tuple(notes))


def _widths(ws: object, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    from openpyxl.utils import get_column_letter

    for column in range(1, len(header) + 1):
        texts = [str(header[column - 1])] + [str(row[column - 1]) for row in rows if len(row) >= column]
        width = max(len(t) for t in texts) * 2 + 2
        ws.column_dimensions[get_column_letter(column)].width = min(max(width, 8), 60)  # type: ignore[attr-defined]
