"""Roster exports: an Excel workbook (openpyxl) and a PDF list (reportlab, bundled fonts).

Both take the :class:`Committees` value the editor shows (saved or not) so what is printed is what
the clerk sees; the problems found by the rules are listed with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lzcenter_desktop.domain.committees import CATEGORY_LABELS, check_committees, unit_match
from lzcenter_desktop.domain.dates import age_on, term_last_day
from lzcenter_desktop.domain.model import Committees, Person
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS, RuleSettings
from lzcenter_desktop.services import output
from lzcenter_desktop.services.errors import ServiceError

ROSTER_HEADER = ("序号", "姓名", "出生日期", "工作单位", "类别", "职务", "来自依托/共建单位")


def host_side_text(person: Person, c: Committees) -> str:
    """是 / 否 for "comes from the host or a co-building unit"; a name-only match the clerk has not
    confirmed is 是（待确认）, as the editor shows it."""
    m = unit_match(person, c)
    if m is None:
        return "否"
    return "是（待确认）" if m.likely else "是"


def roster_rows(c: Committees, term_index: int) -> list[tuple[str, ...]]:
    """The rows of one term's roster: chair first is not assumed — the roster order is kept."""
    t = c.expert_committee_terms[term_index]
    rows: list[tuple[str, ...]] = []
    for n, pid in enumerate(t.members, start=1):
        p = c.person(pid)
        rows.append(
            (
                str(n),
                p.name,
                p.birth_date.isoformat(),
                p.organization,
                CATEGORY_LABELS[p.category],
                "主任委员" if pid == t.chair else "委员",
                host_side_text(p, c),
            )
        )
    return rows


def term_title(c: Committees, term_index: int) -> str:
    t = c.expert_committee_terms[term_index]
    return f"专家指导委员会第{term_index + 1}届（{t.start.isoformat()} 至 {t.end.isoformat()}）"


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """A file written completely; ``notes`` say what had to change on the way (Chinese)."""

    path: Path
    notes: tuple[str, ...] = ()


def write_roster_xlsx(
    c: Committees, path: Path, *, as_of: date, settings: RuleSettings = DEFAULT_SETTINGS
) -> ExportedFile:
    """One sheet per term of the expert committee, the directors, the management committee and
    the problems found (rule ID, article, message). Every text is written as text (a name typed as
    ``=HYPERLINK(…)`` is not a formula); characters Excel cannot store are removed and reported."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from lzcenter_desktop.documents.xlsx import safe

    output.check_target(path)
    notes: list[str] = []
    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE3EA")
    first = True

    def sheet(title: str, caption: str, header: tuple[str, ...], rows: Sequence[Sequence[str]]) -> None:
        nonlocal first
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = title
        notes.extend(safe.put(ws.cell(row=1, column=1), caption, where=f"{title}!A1"))
        ws["A1"].font = Font(bold=True, size=13)
        for col, text in enumerate(header, start=1):
            cell = ws.cell(row=2, column=col)
            safe.put(cell, text)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center")
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col)
                notes.extend(safe.put(cell, value, where=f"{title}!{cell.coordinate}"))
        for col, _ in enumerate(header, start=1):
            width = max([len(str(header[col - 1]))] + [len(str(r[col - 1])) for r in rows]) * 2 + 2
            ws.column_dimensions[ws.cell(row=2, column=col).column_letter].width = min(width, 60)

    name = c.center.name_zh
    for i in range(len(c.expert_committee_terms)):
        sheet(f"第{i + 1}届", f"{name} {term_title(c, i)}", ROSTER_HEADER, roster_rows(c, i))
    directors = []
    for n, d in enumerate(c.directors, start=1):
        p = c.person(d.person)
        directors.append(
            (
                str(n),
                p.name,
                p.birth_date.isoformat(),
                d.appointed.isoformat(),
                f"{age_on(p.birth_date, d.appointed)}",
                d.filed.isoformat() if d.filed else "未备案",
                term_last_day(d.appointed, settings.director_term_years).isoformat(),
                "，".join(f"{y}年{m}个月" for y, m in d.months_worked),
            )
        )
    sheet(
        "中心主任",
        f"{name} 中心主任",
        ("序号", "姓名", "出生日期", "聘任日期", "聘任时年龄", "备案日期", "任期届满", "各年工作时间"),
        directors,
    )
    mc = c.management_committee
    members = []
    if mc is not None:
        for n, pid in enumerate(mc.members, start=1):
            p = c.person(pid)
            members.append((str(n), p.name, p.organization, host_side_text(p, c)))
    sheet("管理委员会", f"{name} 管理委员会", ("序号", "姓名", "工作单位", "来自依托/共建单位"), members)
    problems = [
        (v.rule, v.article, v.severity.label, v.message, v.actual, v.required)
        for v in check_committees(c, settings, as_of=as_of)
    ]
    sheet(
        "检查结果",
        f"{name} 第十一条至第十六条检查结果（截至 {as_of.isoformat()}）",
        ("规则", "条款", "级别", "说明", "实际", "要求"),
        problems,
    )
    with output.writing(path) as tmp:
        wb.save(tmp)
    return ExportedFile(Path(path), tuple(notes))


def write_roster_pdf(c: Committees, path: Path, *, term_index: int | None = None) -> Path:
    """The roster of one term (the latest by default) as an A4 PDF with the bundled fonts."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from lzcenter_desktop.documents.fonts import MissingGlyphError, register_reportlab_fonts, require_glyphs

    output.check_target(path)
    if not c.expert_committee_terms:
        raise ServiceError("该中心尚未设立专家指导委员会，没有可导出的名单", field="专家指导委员会")
    index = len(c.expert_committee_terms) - 1 if term_index is None else term_index
    rows = roster_rows(c, index)
    title = c.center.name_zh
    subtitle = term_title(c, index) + "名单"
    fields = {"中心名称": title, "标题": subtitle}
    for row in rows:
        fields[f"委员{row[0]}"] = " ".join(row)
    try:
        require_glyphs(fields, "serif")
    except MissingGlyphError as exc:
        raise ServiceError(str(exc), field="名单") from exc
    fonts = register_reportlab_fonts()
    serif, bold = fonts["serif"], fonts["serif-bold"]
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=22, alignment=1)
    h2 = ParagraphStyle("h2", fontName=serif, fontSize=12, leading=18, alignment=1)
    cell = ParagraphStyle("cell", fontName=serif, fontSize=9.5, leading=13)
    header = ROSTER_HEADER[:6]
    data = [[Paragraph(f"<b>{h}</b>", cell) for h in header]]
    data += [[Paragraph(escape(v), cell) for v in row[:6]] for row in rows]
    widths = [12 * mm, 24 * mm, 24 * mm, 66 * mm, 26 * mm, 22 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE3EA")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [Paragraph(escape(title), h1), Paragraph(escape(subtitle), h2), Spacer(1, 6 * mm), table]
    with output.writing(path) as tmp:
        _build_pdf(tmp, subtitle, story)
    return path


def _build_pdf(path: Path, subtitle: str, story: list[Any]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=subtitle,
        author="柳州市科学技术局",
        invariant=1,
    )
    doc.build(story)
