"""Issue 14 "Done when": a three-year cycle runs on the demo database through the main window at
1366×768 — 年报, 绩效评估, 中心, 文档 and 概览, every step through the pages' buttons and dialogs,
with no database call on the UI thread.

* December 2026: the 2026 工作年报 imported (JSON files, the example adjusted per centre), reviewed
  by the host, submitted (one on 31 December) and filed; the demo's 整改中 centre's acceptance
  requested on its deadline day and passed (→ 已认定). On 1 January 2027 the centre that submitted
  that day is 逾期报送 and the one that never did 逾期未报.
* February 2027: a seeded 现场核查 draw, findings recorded. December 2027: a few 2027 reports.
* 2028: an evaluation round of four ticked centres; one withdraws; experts drawn with a seed; scores
  typed for most, one expert's package exported, scored in 评审模式 and its return imported; graded
  (优秀, 合格, 整改); the consequences applied: the centre 整改 again after its 2025 整改 → 撤销
  (第二十四条（四）), the withdrawn one → 自动放弃 (第二十四条（五）), the 优秀 listed for priority —
  each recorded with its article in the centre's history (the 中心 page's timeline).
* 概览 counts the new states; the 撤销 notice is made (the 文档 page has no button for the 第五章
  documents: made through the documents service and checked).

The pages take the day from the system; the story's days are the pages' ``today`` (see
``cycle_story.dated_pages``). With ``CYCLE_SCREENSHOT=<file.png>`` the window is saved on the 概览
after the cycle (docs/screenshots/dashboard-after-cycle.png was made so)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.services import centers
from lzcenter_desktop.services import documents_evaluation as evaluation_documents
from lzcenter_desktop.services.annual import draw_list, dues, reports
from lzcenter_desktop.services.evaluation import experts as eval_experts
from lzcenter_desktop.services.evaluation import rectification, rounds, scoring
from lzcenter_desktop.services.evaluation.consequences import reapply_from
from lzcenter_desktop.services.review.package_files import read_package_file
from lzcenter_desktop.ui import main_window
from lzcenter_desktop.ui.main_window import MainWindow
from lzcenter_desktop.ui.review_mode import open_review_window
from lzcenter_desktop.ui.tasks import running_tasks
from tests.evaluation_records import points_for
from tests.gui.cycle_story import (
    Cast,
    choose_cast,
    dated_pages,
    go,
    office_size,
    report_through_page,
    table_cells,
    write_report,
)
from tests.gui.evaluation_gui import open_tab
from tests.gui.review_gui import dialog_error, fill, select_row, settle, submit, type_date
from tests.gui.ui_thread_db import ui_thread_statements

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

DECEMBER = dt.date(2026, 12, 1)
REVIEWED = dt.date(2026, 12, 15)
SUBMITTED = dt.date(2026, 12, 20)
LAST_DAY = dt.date(2026, 12, 31)
NEW_YEAR = dt.date(2027, 1, 1)
FILED = dt.date(2027, 1, 5)
DRAWN_ON = dt.date(2027, 2, 20)
START = dt.date(2028, 3, 1)  # the 2028 evaluation round
WITHDRAWN = dt.date(2028, 4, 1)
HELD = dt.date(2028, 5, 10)
GRADED = dt.date(2028, 5, 20)
APPLIED = dt.date(2028, 6, 1)
AFTER_CYCLE = dt.date(2028, 12, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo database (seed 2026), built once for the module's tests."""
    from lzcenter_desktop.services import demo as demo_service
    from lzcenter_desktop.services.context import open_app

    ctx = open_app(str(tmp_path_factory.mktemp("cycle") / "demo.sqlite"))
    demo_service.build_demo(ctx, seed=2026)
    yield ctx
    ctx.db.dispose()


@pytest.fixture(scope="module")
def cast(demo: Any) -> Cast:
    return choose_cast(demo)


@pytest.fixture
def window(qtbot: Any, demo: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(main_window, "PAGES", dated_pages(DECEMBER, AFTER_CYCLE))
    made = MainWindow(demo)
    qtbot.addWidget(made)
    made.resize(*office_size())
    made.show()
    yield made
    made.close()


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(pdf), "-"], check=True, capture_output=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def history_of(ctx: Any, center_id: int) -> list[Any]:
    return list(centers.get_center(ctx, center_id).history)


def state_counts(qtbot: Any, window: Any) -> dict[str, int]:
    """The 概览's 各状态中心数 chart, as read (the window opens on the 概览)."""
    page = window.page("概览")
    qtbot.waitUntil(lambda: not page.loading and page.cards["state"].figure is not None, timeout=20000)
    return {bar.label: bar.count for bar in page.cards["state"].figure.bars}


def test_a_three_year_cycle_through_the_main_window(
    qtbot: Any, demo: Any, cast: Cast, window: Any, tmp_path: Path
) -> None:
    ctx = demo
    assert (window.width(), window.height()) == office_size() == (1280, 688)
    before = state_counts(qtbot, window)
    with ui_thread_statements(ctx.db.engine) as ui_sql:
        # -- 年报, December 2026: every obliged centre's report in but the withdrawing one's -----------
        page = go(qtbot, window, "年报")
        page.choose_year(2026)
        settle(qtbot, page)
        assert page.year == 2026
        for cid in cast.obliged_2026:
            if cid == cast.withdrawing:
                continue
            submitted = {cast.on_last_day: LAST_DAY, cast.late: NEW_YEAR}.get(cid, SUBMITTED)
            report_through_page(
                qtbot,
                page,
                cid,
                write_report(ctx, tmp_path, cid, 2026),
                reviewed_on=REVIEWED,
                submitted_on=submitted,
                filed_on=FILED,
            )
        received = {r.center_id: r for r in reports.list_reports(ctx, year=2026)}
        assert received[cast.on_last_day].submitted_on == LAST_DAY
        assert received[cast.late].submitted_on == NEW_YEAR
        assert received[cast.late].status == "filed" and received[cast.excellent].status == "filed"
        assert cast.withdrawing not in received

        # -- 绩效评估 → 处理结果, the 2025 round: the 整改中 centre's acceptance -------------------------
        evaluation = go(qtbot, window, "绩效评估")
        evaluation.today = dt.date(2026, 12, 15)
        (round_2025,) = [r for r in rounds.list_rounds(ctx) if r.year == 2025]
        evaluation.choose_round(round_2025.round_id)
        evaluation.show_tab(evaluation.consequences)
        settle(qtbot, evaluation)
        ctab = evaluation.consequences
        select_row(ctab.table, lambda c: c.center_id == cast.rectifying)
        rect = ctab.selected().rectification
        assert rect is not None and rect.deadline == dt.date(2026, 12, 15)
        ctab.request_button.click()
        type_date(ctab.dialog.on, rect.deadline - dt.timedelta(days=1))  # the day before: refused
        submit(qtbot, evaluation, ctab.dialog)
        assert "整改到期后方可提出验收申请" in dialog_error(ctab.dialog)
        type_date(ctab.dialog.on, rect.deadline)
        submit(qtbot, evaluation, ctab.dialog)
        select_row(ctab.table, lambda c: c.center_id == cast.rectifying)
        ctab.accept_button.click()
        accept = ctab.dialog
        type_date(accept.on, dt.date(2026, 12, 22))
        accept.passed.setChecked(True)
        fill(accept.note, "整改措施已落实，研发投入和研发人员均达到要求")
        submit(qtbot, evaluation, accept)
        done = rectification.get_rectification(ctx, rect.rectification_id)
        assert (done.outcome, done.checked_on) == ("accepted", dt.date(2026, 12, 22))
        assert centers.get_center(ctx, cast.rectifying).row.status_code == "recognised"
        assert "第二十四条（三）" in history_of(ctx, cast.rectifying)[-1].reason

        # -- 年报 on 1 January 2027: one late, one overdue --------------------------------------------
        page = go(qtbot, window, "年报")
        page.today = NEW_YEAR
        page.reload()
        settle(qtbot, page)
        shown = table_cells(page)
        assert shown[cast.on_last_day][2:4] == ["已按期报送", "2026-12-31"]
        assert shown[cast.late][2:4] == ["逾期报送", "2027-01-01"]
        assert shown[cast.withdrawing][2] == "逾期未报"
        reminders = [
            page.status.reminder_list.item(i).text() for i in range(page.status.reminder_list.count())
        ]
        assert any(shown[cast.withdrawing][0] in r and "逾期未报" in r for r in reminders)
        found = dues.year_dues(ctx, year=2026, as_of=NEW_YEAR)
        assert [r.center_id for r in found.with_status(DueStatus.OVERDUE)] == [cast.withdrawing]

        # -- 现场核查, February 2027: a seeded draw, findings recorded ----------------------------------
        page.today = DRAWN_ON
        page.show_tab(page.spot)
        settle(qtbot, page)
        spot = page.spot
        spot.count.setValue(3)
        spot.seed.setText("2027")
        type_date(spot.drawn_on, DRAWN_ON)
        spot.draw_button.click()
        spot.question.yes.click()
        settle(qtbot, page)
        (draw,) = [d for d in draw_list.list_draws(ctx, year=2026) if d.drawn_on == DRAWN_ON]
        assert "种子 2027" in draw.method and len(draw.reports) == 3
        first = spot.report
        assert first is not None
        fill(spot.findings, "现场核查：研发场地、设备与年报一致，研发人员名单与社保记录一致")
        assert spot.save()
        settle(qtbot, page)
        (again,) = [d for d in draw_list.list_draws(ctx, year=2026) if d.drawn_on == DRAWN_ON]
        assert {r.report_id: r.findings for r in again.reports}[first.report_id].startswith(
            "现场核查：研发场地"
        )
        page.show_tab(page.status)
        settle(qtbot, page)

        # -- 年报, December 2027: the reports of the centres to be evaluated ---------------------------
        page.today = dt.date(2027, 12, 20)
        page.choose_year(2027)
        settle(qtbot, page)
        for cid in (cast.rectifying, cast.excellent, cast.qualified):
            report_through_page(
                qtbot,
                page,
                cid,
                write_report(ctx, tmp_path, cid, 2027),
                reviewed_on=dt.date(2027, 12, 10),
                submitted_on=dt.date(2027, 12, 18),
                filed_on=dt.date(2027, 12, 28),
            )
        assert table_cells(page)[cast.excellent][2] == "已按期报送"

        evaluation_2028(qtbot, ctx, window, cast, tmp_path)
        timeline_and_dashboard(qtbot, ctx, window, cast, tmp_path, before)
    assert ui_sql == []


def evaluation_2028(qtbot: Any, ctx: Any, window: Any, cast: Cast, folder: Path) -> None:
    """The 2028 round on the 绩效评估 page, from 新建评估 to the consequences applied."""
    page = go(qtbot, window, "绩效评估")
    page.today = START

    # -- 新建评估: the four centres ticked, every other centre due in 2028 unticked -------------------
    page.new_round_button.click()
    dialog = page.dialog
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.year.value() == 2028
    items = [dialog.centres.item(i) for i in range(dialog.centres.count())]
    listed = {int(item.data(Qt.ItemDataRole.UserRole)): item for item in items}
    assert set(cast.evaluated) <= set(listed) and len(listed) > len(cast.evaluated)
    for cid, item in listed.items():
        item.setCheckState(Qt.CheckState.Checked if cid in cast.evaluated else Qt.CheckState.Unchecked)
    fill(dialog.document_no, "柳科字〔2028〕6号")
    type_date(dialog.started_on, START)
    type_date(dialog.held_on, HELD)
    submit(qtbot, page, dialog)
    (made,) = [r for r in rounds.list_rounds(ctx) if r.year == 2028]
    assert page.round_id == made.round_id and made.document_no == "柳科字〔2028〕6号"
    ids = {e.center_id: e.evaluation_id for e in rounds.list_evaluations(ctx, round_id=made.round_id)}
    assert set(ids) == set(cast.evaluated)

    # -- 参评中心: one centre withdraws --------------------------------------------------------------
    open_tab(qtbot, page, page.centres)
    tab = page.centres
    select_row(tab.table, lambda e: e.center_id == cast.withdrawing)
    tab.withdraw_button.click()
    fill(tab.dialog.reason, "依托单位来函：中心主要研发人员流失，申请退出本次评估")
    type_date(tab.dialog.on, WITHDRAWN)
    submit(qtbot, page, tab.dialog)
    assert not rounds.get_evaluation(ctx, ids[cast.withdrawing]).participated

    # -- 专家与评分: drawn with a seed; typed for all experts but one -----------------------------------
    open_tab(qtbot, page, page.experts)
    etab = page.experts
    etab.draw_button.click()
    etab.dialog.per_centre.setValue(3)
    etab.dialog.seed.setText("2028")
    submit(qtbot, page, etab.dialog)
    assert "抽取种子 2028" in etab.message.text()
    assigned = eval_experts.list_assignments(ctx, round_id=made.round_id, include_removed=False)
    assert len(assigned) == 9 and ids[cast.withdrawing] not in {a.evaluation_id for a in assigned}
    per_expert = Counter(a.expert_id for a in assigned)
    offline = min(per_expert, key=lambda e: (-per_expert[e], e))  # the busiest expert scores on a laptop
    totals = {ids[cast.rectifying]: "65", ids[cast.excellent]: "93", ids[cast.qualified]: "80"}
    for a in assigned:
        if a.expert_id == offline:
            continue
        select_row(etab.centres, lambda r, a=a: r.evaluation.evaluation_id == a.evaluation_id)
        select_row(etab.table, lambda x, a=a: x.assignment_id == a.assignment_id)
        etab.score_button.click()
        settle(qtbot, page)
        scoring_dialog = etab.dialog
        for key, value in points_for(totals[a.evaluation_id]).items():
            scoring_dialog.score_form.boxes[key].setText(value)
        type_date(scoring_dialog.on, HELD)
        submit(qtbot, page, scoring_dialog)

    # -- the offline expert: packages exported, one scored in 评审模式 on a laptop, its return imported
    office, laptop = folder / "评估包", folder / "笔记本"
    office.mkdir()
    laptop.mkdir()
    etab.packages.choose_folder = lambda: str(office)
    etab.export_button.click()
    settle(qtbot, page)
    exported = sorted(office.glob("*.lzreview"))
    assert len(exported) == len(per_expert)
    mine = next(p for p in exported if read_package_file(p).package.experts[0].expert_id == offline)
    copied = laptop / mine.name
    copied.write_bytes(mine.read_bytes())
    names = {e.center_name: e.evaluation_id for e in rounds.list_evaluations(ctx, round_id=made.round_id)}
    returned = score_in_review_mode(qtbot, copied, names, totals)
    etab.packages.choose_file = lambda: str(returned)
    etab.import_button.click()
    settle(qtbot, page)
    submit(qtbot, page, etab.dialog)
    assert f"导入评分 {per_expert[offline]} 份" in etab.message.text()
    for a in eval_experts.list_assignments(ctx, round_id=made.round_id, include_removed=False):
        score = scoring.get_expert_score(ctx, assignment_id=a.assignment_id)
        assert score is not None and score.total_text == totals[a.evaluation_id]
        assert score.source.startswith("package:") == (a.expert_id == offline)

    # -- 评估结果: graded ----------------------------------------------------------------------------
    open_tab(qtbot, page, page.results)
    page.results.grade_button.click()
    type_date(page.results.dialog.on, GRADED)
    submit(qtbot, page, page.results.dialog)
    graded = {e.center_id: e for e in rounds.list_evaluations(ctx, round_id=made.round_id)}
    assert {c: graded[c].grade for c in cast.evaluated} == {
        cast.rectifying: "整改",
        cast.excellent: "优秀",
        cast.qualified: "合格",
        cast.withdrawing: None,
    }, {c: graded[c].violations for c in cast.evaluated}
    assert {c: graded[c].outcome for c in cast.evaluated} == {
        cast.rectifying: "revoke",  # 整改 in 2025 and again in 2028, with the acceptance between
        cast.excellent: "keep",
        cast.qualified: "keep",
        cast.withdrawing: "forfeit",
    }

    # -- 处理结果: each consequence applied after its confirmation naming the article ------------------
    open_tab(qtbot, page, page.consequences)
    ctab = page.consequences
    assert graded[cast.excellent].center_name in ctab.priority.text()  # 优秀: listed for priority
    assert graded[cast.qualified].center_name not in ctab.priority.text()
    for cid, article in (
        (cast.rectifying, "第二十四条（四）"),
        (cast.withdrawing, "第二十四条（五）"),
        (cast.excellent, "第二十四条（一）"),
        (cast.qualified, None),
    ):
        select_row(ctab.table, lambda c, cid=cid: c.center_id == cid)
        ctab.apply_button.click()
        apply = ctab.dialog
        type_date(apply.on, APPLIED)
        fill(apply.document_no, "柳科发〔2028〕30号")
        apply.ok_button.click()
        if article is not None:
            assert article in apply.question.text(), apply.question.text()
        apply.question.yes.click()
        settle(qtbot, page)
        assert rounds.get_evaluation(ctx, ids[cid]).outcome_applied_on == APPLIED


def score_in_review_mode(qtbot: Any, package: Path, names: dict[str, int], totals: dict[int, str]) -> Path:
    """The expert opens the package in 评审模式, types each centre's points and saves (Ctrl+S)."""
    window = open_review_window(package)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert "绩效评估" in window.windowTitle()
    for row in range(window.list.count()):
        window.list.setCurrentRow(row)
        centre = window.package.declaration(window.assignments[row].declaration_id).name
        points = points_for(totals[names[centre]])
        for key, box in window.form.boxes.items():
            box.setFocus()
            qtbot.keyClicks(box, points[key])
            qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(window.form.comment, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = window.last_saved
    assert saved is not None and saved.complete
    window.close()
    return saved.path


def timeline_and_dashboard(
    qtbot: Any, ctx: Any, window: Any, cast: Cast, folder: Path, before: dict[str, int]
) -> None:
    """Each consequence in the centre's history with its article (the 中心 page's timeline), the
    撤销 notice, and the 概览's counts by state."""
    revoked = history_of(ctx, cast.rectifying)[-1]
    assert (revoked.to_state, revoked.on, revoked.document_no) == ("已撤销", APPLIED, "柳科发〔2028〕30号")
    assert "连续二次结果为整改" in revoked.reason and "第二十四条（四）" in revoked.reason
    forfeited = history_of(ctx, cast.withdrawing)[-1]
    assert (forfeited.to_state, forfeited.on) == ("自动放弃", APPLIED)
    assert "第二十四条（五）" in forfeited.reason
    assert history_of(ctx, cast.excellent)[-1].to_state == "已认定"  # 保留: no state change

    page = go(qtbot, window, "中心")
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    for cid, article in ((cast.rectifying, "第二十四条（四）"), (cast.withdrawing, "第二十四条（五）")):
        assert page.select_center(cid)
        qtbot.waitUntil(lambda cid=cid: page.detail.detail is not None and page.detail.detail.row.id == cid)
        newest = page.detail.timeline_rows()[0]
        assert any(article in cell for cell in newest), newest

    # -- the 撤销 notice (the 文档 page has no button for the 第五章 documents: through the service) -----
    notice = evaluation_documents.make_revocation_notice(
        ctx, center_id=cast.rectifying, path=folder / "撤销通知.pdf"
    )
    text = pdf_text(notice.path)
    name = centers.get_center(ctx, cast.rectifying).row.name
    assert f"关于撤销{name}称号的通知" in text and "柳科发〔2028〕30号" in text
    assert "连续二次结果为整改" in text and "第二十四条（四）" in text and "自2028年6月1日起撤销" in text
    assert reapply_from(ctx, center_id=cast.rectifying) == dt.date(2030, 6, 1)  # 第二十五条: two years
    assert "2030年6月1日起" in text and "第二十五条" in text

    # -- 概览: the counts by state changed -------------------------------------------------------------
    dashboard = go(qtbot, window, "概览")
    old = dashboard.cards["state"].figure
    dashboard.reload()
    qtbot.waitUntil(
        lambda: dashboard.cards["state"].figure is not old and running_tasks() == 0, timeout=20000
    )
    after = state_counts(qtbot, window)
    changed = {k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)}
    assert {k: v for k, v in changed.items() if v} == {"已认定": -1, "整改中": -1, "已撤销": 1, "自动放弃": 1}
    shot = os.environ.get("CYCLE_SCREENSHOT")
    if shot:
        window.wait_until_idle()
        assert window.grab().save(shot)
