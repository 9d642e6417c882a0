"""The 第五章 document buttons (ui/annual/document_actions.py, ui/evaluation/document_actions.py over
services/documents_evaluation*.py): each asks where to save, writes off the UI thread (audited)
and says in the tab's message line where the file went; the PDF read back names the centre and
the right grade or date. A document the record does not support is refused in the service's
Chinese words on the message line and nothing is written; the letters on 处理结果 are enabled as
the selected centre's record allows.

The evaluation database (built once, copied per test) is a 2026 round of four centres
(tests/evaluation_records.py through tests/gui/evaluation_gui.py) scored 92 / 65 / 65 / 55 and
graded — 优秀, 整改, 整改, 不合格 — the 不合格 centre revoked and both 整改 centres in rectification
from 2026-11-25; one passes its acceptance check on the deadline 2027-11-25, the other fails it and
is revoked (tests/consequence_records.py).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QPushButton
from sqlmodel import col, select

from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.evaluation import consequences, results
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import AuditEntry, Rectification
from lzcenter_desktop.ui.annual.page import AnnualPage
from lzcenter_desktop.ui.review.common import select_where
from tests import db_backend
from tests.consequence_records import accept, rectification_of
from tests.evaluation_records import GRADED_ON, add_annual_report, centre_with_history, recognised_centre
from tests.gui.annual_gui import settle as annual_settle
from tests.gui.evaluation_gui import open_tab, round_with_centres, score_all, shown_page
from tests.gui.review_gui import settle
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

APPLIED = dt.date(2026, 11, 25)
DEADLINE = dt.date(2027, 11, 25)  # one year from the notice
RECTIFY_NO = "柳科发〔2026〕90号"
REVOKE_NO = "柳科发〔2026〕91号"
TOTALS = ("92", "65", "65", "55")


@dataclass(frozen=True)
class World:
    round_id: int
    centres: list[int]
    evaluations: list[int]
    names: list[str]


def _build(ctx: AppContext) -> World:
    rid, ids, evs = round_with_centres(ctx, 4)
    score_all(ctx, rid, dict(zip(evs, TOTALS, strict=True)))
    results.grade_round(ctx, round_id=rid, on=GRADED_ON)
    for ev in evs[1:3]:
        consequences.apply_consequence(ctx, evaluation_id=ev, on=APPLIED, document_no=RECTIFY_NO)
    consequences.apply_consequence(ctx, evaluation_id=evs[3], on=APPLIED, document_no=REVOKE_NO)
    accept(ctx, rectification_of(ctx, evs[1]), DEADLINE, passed=True)
    accept(ctx, rectification_of(ctx, evs[2]), DEADLINE, passed=False)
    names = [f"柳州评估{n}号工程技术研究中心" for n in range(1, 5)]
    return World(rid, ids, evs, names)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("evaluation-documents-ui")
    ctx = open_app(str(folder / "world.sqlite"), operator="覃科长")
    try:
        world = _build(ctx)
    finally:
        ctx.db.dispose()
    return folder / "world.sqlite", world


@pytest.fixture
def world(template: tuple[Path, World], tmp_path: Path) -> Iterator[tuple[AppContext, World]]:
    source, built = template
    target = tmp_path / "db" / "world.sqlite"
    target.parent.mkdir()
    db_backend.copy_database(source, target)
    ctx = open_app(str(target), operator="覃科长")
    yield ctx, built
    ctx.db.dispose()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def pdf_text(pdf: Path) -> str:
    found = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True, capture_output=True
    )
    return "".join(found.stdout.decode("utf-8").split())


def audited(ctx: AppContext, kind: str) -> list[dict[str, Any]]:
    with reading(ctx) as session:
        rows = session.execute(select(AuditEntry).where(col(AuditEntry.entity) == "document")).scalars()
        found = [json.loads(r.after or "{}") for r in rows]
    return [d for d in found if d.get("kind") == kind]


def button(widget: Any, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert isinstance(found, QPushButton), name
    return found


class SaveAs:
    """The save dialog answered with ``folder / name`` (the suffix left out: the page adds it);
    what it was asked is kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path, name: str) -> None:
        self.asked: list[tuple[str, str]] = []
        self.target = folder / name

        def choose(_parent: Any, title: str, suggested: str, _filter: str) -> tuple[str, str]:
            self.asked.append((title, suggested))
            return str(self.target), ""

        monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)


def evaluation_page(qtbot: Any, ctx: AppContext, tab_name: str) -> Any:
    page = shown_page(qtbot, ctx, today=DEADLINE + dt.timedelta(days=5))
    tab = getattr(page, tab_name)
    open_tab(qtbot, page, tab)
    return page, tab


def select_centre(qtbot: Any, page: Any, tab: Any, evaluation_id: int) -> None:
    assert select_where(tab.table, lambda c: c.evaluation_id == evaluation_id)
    settle(qtbot, page)


# --- 评估结果: 评估结果名单 ---------------------------------------------------------------------------


def test_the_result_list_pdf_names_each_centre_with_its_grade(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "results")
    save = SaveAs(monkeypatch, out, "名单")
    with ui_thread_statements(ctx.db.engine) as ui_sql:
        button(tab, "resultListPdf").click()
        settle(qtbot, page)
    target = out / "名单.pdf"
    assert save.asked == [
        ("生成绩效评估结果名单", "2026年度柳州市工程技术研究中心绩效评估-绩效评估结果名单.pdf")
    ]
    assert (
        target.is_file()
        and str(target) in tab.message.text()
        and "已生成绩效评估结果名单" in tab.message.text()
    )
    text = pdf_text(target)
    # ordered by grade: 优秀, 整改 (twice), 不合格 — each name followed by its grade
    at = [text.index(n) for n in w.names]
    assert at[0] < at[1] and at[0] < at[2] and max(at[1], at[2]) < at[3]
    for name, grade in zip(w.names, ("优秀", "整改", "整改", "不合格"), strict=True):
        assert grade in text[text.index(name) : text.index(name) + 80]
    assert [d["round_id"] for d in audited(ctx, "result_list")] == [w.round_id]
    assert ui_sql == []


def test_the_result_list_workbook_has_the_scores(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "results")
    SaveAs(monkeypatch, out, "名单.xlsx")
    button(tab, "resultListXlsx").click()
    settle(qtbot, page)
    target = out / "名单.xlsx"
    assert target.is_file() and "绩效评估结果名单（Excel）" in tab.message.text()
    cells = [str(v) for row in load_workbook(target).active.iter_rows(values_only=True) for v in row if v]
    joined = "|".join(cells)
    for name, total in zip(w.names, TOTALS, strict=True):
        assert name in joined
        assert total in cells
    assert not list(out.glob("*.pdf"))


def test_the_result_list_is_refused_before_every_centre_is_graded(
    qtbot: Any, ctx: AppContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_with_centres(ctx, 1, experts=3)
    page, tab = evaluation_page(qtbot, ctx, "results")
    pdf = button(tab, "resultListPdf")
    assert pdf.isEnabled() and button(tab, "resultListXlsx").isEnabled()  # the service decides
    SaveAs(monkeypatch, out, "名单.pdf")
    pdf.click()
    settle(qtbot, page)
    said = tab.message.text()
    assert "尚未评定全部等级" in said and "柳州评估1号工程技术研究中心" in said
    assert list(out.iterdir()) == [] and audited(ctx, "result_list") == []


def test_the_result_buttons_wait_for_a_round(qtbot: Any, ctx: AppContext) -> None:
    page, tab = evaluation_page(qtbot, ctx, "results")
    assert page.round_id is None
    assert not button(tab, "resultListPdf").isEnabled() and not button(tab, "resultListXlsx").isEnabled()


# --- 处理结果: the letters -----------------------------------------------------------------------------


def test_each_letter_is_enabled_as_the_record_allows(qtbot: Any, world: tuple[AppContext, World]) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    expected = {
        w.evaluations[0]: (False, False, False),  # 优秀: nothing to write
        w.evaluations[1]: (True, True, False),  # 整改, accepted
        w.evaluations[2]: (True, True, True),  # 整改, acceptance failed → revoked
        w.evaluations[3]: (False, False, True),  # 不合格 → revoked
    }
    names = ("rectificationNoticePdf", "acceptanceResultPdf", "revocationNoticePdf")
    for evaluation_id, enabled in expected.items():
        select_centre(qtbot, page, tab, evaluation_id)
        assert tuple(button(tab, n).isEnabled() for n in names) == enabled, evaluation_id


def test_letters_wait_for_the_consequence_and_the_check(qtbot: Any, ctx: AppContext) -> None:
    """整改 graded but not applied: no letter yet; applied: 整改通知; 验收 requested but not
    checked: still no 验收结果."""
    rid, _ids, evs = round_with_centres(ctx, 1, experts=3)
    score_all(ctx, rid, {evs[0]: "65"})
    results.grade_round(ctx, round_id=rid, on=GRADED_ON)
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, evs[0])
    assert not button(tab, "rectificationNoticePdf").isEnabled()
    consequences.apply_consequence(ctx, evaluation_id=evs[0], on=APPLIED)
    page.reload()
    settle(qtbot, page)
    select_centre(qtbot, page, tab, evs[0])
    assert button(tab, "rectificationNoticePdf").isEnabled()
    assert not button(tab, "acceptanceResultPdf").isEnabled()
    assert not button(tab, "revocationNoticePdf").isEnabled()


def test_the_rectification_notice_names_the_centre_and_its_period(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, w.evaluations[1])
    save = SaveAs(monkeypatch, out, "整改")
    with ui_thread_statements(ctx.db.engine) as ui_sql:
        button(tab, "rectificationNoticePdf").click()
        settle(qtbot, page)
    target = out / "整改.pdf"
    assert save.asked[0][0] == "生成整改通知" and save.asked[0][1].endswith("-整改通知.pdf")
    assert w.names[1] in save.asked[0][1]
    assert target.is_file() and str(target) in tab.message.text()
    text = pdf_text(target)
    assert f"关于{w.names[1]}" in text and "评估结果为“整改”" in text
    assert "2026年11月25日" in text and "2027年11月25日" in text and RECTIFY_NO in text
    assert ui_sql == []


def test_the_acceptance_results_say_kept_or_revoked(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    for index, name in ((1, "通过"), (2, "未通过")):
        select_centre(qtbot, page, tab, w.evaluations[index])
        SaveAs(monkeypatch, out, name)
        button(tab, "acceptanceResultPdf").click()
        settle(qtbot, page)
        assert str(out / f"{name}.pdf") in tab.message.text()
    passed, failed = pdf_text(out / "通过.pdf"), pdf_text(out / "未通过.pdf")
    assert w.names[1] in passed and "验收结论通过" in passed and "继续保留" in passed
    assert "2027年11月25日" in passed
    assert w.names[2] in failed and "验收结论未通过" in failed and "取消" in failed
    assert "可重新申请认定" in failed and w.names[1] not in failed


def test_the_revocation_notice_names_the_centre_the_article_and_the_date(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, w.evaluations[3])
    SaveAs(monkeypatch, out, "撤销.pdf")
    button(tab, "revocationNoticePdf").click()
    settle(qtbot, page)
    text = pdf_text(out / "撤销.pdf")
    assert f"关于撤销{w.names[3]}" in text and "第二十四条（四）" in text
    assert "撤销日期2026年11月25日" in text and REVOKE_NO in text
    assert [d["center_id"] for d in audited(ctx, "revocation_notice")] == [w.centres[3]]


def test_a_letter_the_record_does_not_support_is_refused_and_nothing_written(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The buttons are only a hint: asked anyway (the 优秀 centre), the service refuses each letter
    and its message is shown."""
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, w.evaluations[0])
    SaveAs(monkeypatch, out, "信.pdf")
    for name, said in (
        ("rectificationNoticePdf", "评估结果为“优秀”，不是“整改”，不能生成整改通知"),
        ("acceptanceResultPdf", "没有整改记录，无法生成整改验收结果"),
        ("revocationNoticePdf", "不是“已撤销”，不能生成撤销通知"),
    ):
        b = button(tab, name)
        assert not b.isEnabled()
        b.clicked.emit()  # as if it were pressed
        settle(qtbot, page)
        assert said in tab.message.text() and w.names[0] in tab.message.text(), name
    assert list(out.iterdir()) == []
    for kind in ("rectification_notice", "acceptance_result", "revocation_notice"):
        assert audited(ctx, kind) == []


def test_a_character_the_fonts_lack_is_reported_and_nothing_written(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The acceptance note recorded with a character no bundled font draws: the service's glyph
    check names it before anything is printed."""
    ctx, w = world
    rid = rectification_of(ctx, w.evaluations[1])
    with unit_of_work(ctx, "test.glyph") as session:
        row = session.get(Rectification, rid)
        assert row is not None
        row.note = "整改成效明显\U00030000"
        session.add(row)
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, w.evaluations[1])
    SaveAs(monkeypatch, out, "验收.pdf")
    button(tab, "acceptanceResultPdf").click()
    settle(qtbot, page)
    said = tab.message.text()
    assert "无法打印" in said and "U+30000" in said and "未写出任何文件" in said
    assert list(out.iterdir()) == [] and audited(ctx, "acceptance_result") == []


def test_the_save_dialog_cancelled_writes_nothing(
    qtbot: Any, world: tuple[AppContext, World], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, w = world
    page, tab = evaluation_page(qtbot, ctx, "consequences")
    select_centre(qtbot, page, tab, w.evaluations[3])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    button(tab, "revocationNoticePdf").click()
    settle(qtbot, page)
    assert list(out.iterdir()) == [] and audited(ctx, "revocation_notice") == []


# --- 年报: 年报汇总表 -----------------------------------------------------------------------------------


def annual_page(qtbot: Any, ctx: AppContext, today: dt.date) -> AnnualPage:
    page = AnnualPage(ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1366 - 130, 700)
    page.show()
    page.on_shown(True)
    annual_settle(qtbot, page)
    return page


@pytest.fixture
def reporting(ctx: AppContext) -> dict[str, str]:
    """Two centres due to report for 2025: 轻量化 (on time, 20 December) and 电池 (submitted
    5 January 2026, late)."""
    centre_with_history(ctx, "轻量化", dt.date(2023, 6, 10))
    late = recognised_centre(ctx, "电池", dt.date(2023, 6, 10))
    add_annual_report(ctx, late, 2025, status="submitted", submitted_on=dt.date(2026, 1, 5))
    return {"on_time": "柳州轻量化工程技术研究中心", "late": "柳州电池工程技术研究中心"}


@pytest.mark.parametrize(
    ("today", "late_status"),
    [
        (dt.date(2026, 1, 4), "逾期未报"),  # the day before the late report arrived
        (dt.date(2026, 1, 5), "逾期报送（已提交）"),  # the day it arrived
        (dt.date(2026, 1, 6), "逾期报送（已提交）"),
    ],
)
def test_the_annual_summary_pdf_is_as_of_the_pages_day(
    qtbot: Any,
    ctx: AppContext,
    reporting: dict[str, str],
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
    today: dt.date,
    late_status: str,
) -> None:
    page = annual_page(qtbot, ctx, today)
    assert page.year == 2025
    save = SaveAs(monkeypatch, out, "汇总")
    with ui_thread_statements(ctx.db.engine) as ui_sql:
        page.summary_pdf_button.click()
        annual_settle(qtbot, page)
    target = out / "汇总.pdf"
    assert save.asked == [("生成年报汇总表", "2025年度-年报汇总表.pdf")]
    assert target.is_file() and str(target) in page.status.message.text()
    text = pdf_text(target)
    assert f"统计日期：{today.year}年{today.month}月{today.day}日" in text
    on_time = text[text.index(reporting["on_time"]) :]
    assert on_time.index("已按期报送") < 120 and "2025年12月20日" in on_time[:160]
    late = text[text.index(reporting["late"]) :]
    assert late.index(late_status) < 120
    assert [d["as_of"] for d in audited(ctx, "annual_summary")] == [today.isoformat()]
    assert ui_sql == []


def test_the_annual_summary_workbook_of_the_chosen_year(
    qtbot: Any, ctx: AppContext, reporting: dict[str, str], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = annual_page(qtbot, ctx, dt.date(2026, 1, 6))
    page.show_tab(page.spot)  # the message goes to the tab shown
    annual_settle(qtbot, page)
    save = SaveAs(monkeypatch, out, "汇总.xlsx")
    page.summary_xlsx_button.click()
    annual_settle(qtbot, page)
    target = out / "汇总.xlsx"
    assert save.asked == [("生成年报汇总表（Excel）", "2025年度-年报汇总表.xlsx")]
    assert target.is_file() and str(target) in page.spot.message.text()
    cells = [str(v) for row in load_workbook(target).active.iter_rows(values_only=True) for v in row if v]
    assert reporting["on_time"] in "|".join(cells) and reporting["late"] in "|".join(cells)


def test_the_annual_summary_is_refused_for_a_year_nobody_reports(
    qtbot: Any, ctx: AppContext, reporting: dict[str, str], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = annual_page(qtbot, ctx, dt.date(2026, 1, 6))
    page.choose_year(2022)  # the centres were recognised in 2023
    annual_settle(qtbot, page)
    SaveAs(monkeypatch, out, "汇总.pdf")
    page.summary_pdf_button.click()
    annual_settle(qtbot, page)
    assert "2022年度没有应报送工作年报的中心" in page.status.message.text()
    assert list(out.iterdir()) == [] and audited(ctx, "annual_summary") == []


def test_the_evaluation_document_buttons_have_their_own_alt_letters(
    qtbot: Any, world: tuple[AppContext, World]
) -> None:
    """(The 年报 page's are checked with its others in test_annual_page.py.)"""
    from tests.gui.test_tab_order_sections import assert_own_letters

    ctx, w = world
    page, _tab = evaluation_page(qtbot, ctx, "results")
    assert_own_letters(page)
    open_tab(qtbot, page, page.consequences)
    select_centre(qtbot, page, page.consequences, w.evaluations[2])  # every letter enabled
    assert_own_letters(page)
