"""Issue 13 "Done when": a whole call runs through the 评审 page on the demo database — the call's
last two declarations through 形式审查 (one returned and corrected), a panel drawn with a conflicted
hand assignment refused, scores from two experts on the desktop and one from an offline package
scored on a second "laptop" folder, the session closed, the ranking, the notice with one objection
handled, recognition with certificate and plaque numbers, then the batch's certificates and a plaque
made on the 文档 page — every step through the pages' buttons and dialogs, with no database call on
the UI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlmodel import col, select

from lzcenter_desktop.services.review import assignments, formal, notice, results, scoring
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, Declaration
from lzcenter_desktop.ui.documents.page import KIND_PLAQUE
from tests.gui.documents_centres import open_page, wait_task
from tests.gui.review_gui import (
    dialog_error,
    fill,
    open_tab,
    select_row,
    settle,
    shown_page,
    submit,
    type_date,
)
from tests.gui.ui_thread_db import ui_thread_statements
from tests.review_package_helpers import fill_return

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

FORMAL_ON = dt.date(2026, 12, 1)
HELD_ON = dt.date(2026, 12, 10)
DEADLINE = dt.date(2026, 12, 12)
DECIDED_ON = dt.date(2026, 12, 14)
NOTICE_ON = dt.date(2026, 12, 15)
DESKTOP = {
    "rd_conditions": "17",
    "rd_team": "16.5",
    "rd_achievements": "15",
    "cooperation": "12",
    "management": "8",
    "development_plan": "12.5",
}  # 81
LAPTOP = dict(DESKTOP, rd_team="18", development_plan="13")  # 83


def fresh_declarations(ctx: Any) -> tuple[int, list[int]]:
    """The demo's open call and its declarations whose centres are still 已提交."""
    with reading(ctx) as session:
        rows = session.execute(
            select(col(Declaration.call_id), col(Declaration.id))
            .join(Center, col(Center.id) == col(Declaration.center_id))
            .where(col(Center.state) == "submitted", col(Declaration.status) == "submitted")
            .order_by(col(Declaration.id))
        ).all()
    call_id = rows[0][0]
    return call_id, [did for cid, did in rows if cid == call_id]


def type_points(form: Any, points: dict[str, str]) -> None:
    for key, value in points.items():
        form.boxes[key].setFocus()
        form.boxes[key].selectAll()
        form.boxes[key].insert(value)


def test_a_whole_call_through_the_review_page(
    qtbot: Any, demo_ctx: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    ctx = demo_ctx
    call_id, (first, second) = fresh_declarations(ctx)
    with ui_thread_statements(ctx.db.engine) as ui_sql:
        page = shown_page(qtbot, ctx, today=FORMAL_ON)
        assert page.call_id == call_id

        # -- 形式审查: the second returned, corrected (as stored) and passed; the first passed ------
        tab = page.formal
        select_row(tab.table, lambda r: r.declaration_id == second)
        tab.return_button.click()
        fill(tab.dialog.reasons, "缺少研发场所产权证明")
        submit(qtbot, page, tab.dialog)
        select_row(tab.table, lambda r: r.declaration_id == second)
        tab.resubmit_button.click()
        type_date(tab.dialog.on, FORMAL_ON + dt.timedelta(days=2))
        submit(qtbot, page, tab.dialog)
        for did in (first, second):
            select_row(tab.table, lambda r, did=did: r.declaration_id == did)
            tab.pass_button.click()
            type_date(tab.dialog.on, FORMAL_ON + dt.timedelta(days=3))
            submit(qtbot, page, tab.dialog)
        assert [c.decision for c in formal.formal_history(ctx, declaration_id=second)] == [
            "returned",
            "passed",
        ]
        assert [c.decision for c in formal.formal_history(ctx, declaration_id=first)] == ["passed"]

        # -- 专家库: an expert who works for the first applicant -----------------------------------
        open_tab(qtbot, page, page.experts)
        host = next(r for r in page.formal.model.rows if r.declaration_id == first).host_name
        page.experts.add_button.click()
        fill(page.experts.dialog.name, "覃利益")
        fill(page.experts.dialog.unit, host)
        fill(page.experts.dialog.specialty, "液压传动")
        submit(qtbot, page, page.experts.dialog)
        insider = next(e for e in page.experts.model.rows if e.name == "覃利益").id

        # -- 分组与抽取: a session, a panel, both declarations, a draw, 回避 refused, 自动分配 ----------
        open_tab(qtbot, page, page.panels)
        page.new_session_button.click()
        fill(page.dialog.title, "2026年度第四批认定评审")
        type_date(page.dialog.held_on, HELD_ON)
        type_date(page.dialog.deadline, DEADLINE)
        submit(qtbot, page, page.dialog)
        session = page.current_session()
        assert session is not None and session.title == "2026年度第四批认定评审"
        ptab = page.panels
        ptab.new_panel_button.click()
        fill(ptab.dialog.name, "第一组")
        ptab.dialog.minimum.setValue(3)
        submit(qtbot, page, ptab.dialog)
        ptab.add_decl_button.click()
        ptab.dialog.check_all()
        submit(qtbot, page, ptab.dialog)
        ptab.draw_button.click()
        fill(ptab.dialog.seed, "whole-call")
        submit(qtbot, page, ptab.dialog)
        panel = ptab.selected()
        assert panel is not None and panel.draw_seed == "whole-call" and len(panel.members) == 3
        assert insider not in {m.expert_id for m in panel.members}
        select_row(ptab.decl_table, lambda d: d.declaration_id == first)
        ptab.assign_button.click()
        assigning = ptab.dialog
        qtbot.waitUntil(lambda: not assigning.loading)
        assigning.expert.setCurrentIndex(assigning.expert.findData(insider))
        submit(qtbot, page, assigning)
        assert "不能分配" in dialog_error(assigning)  # 回避: refused by the service
        assigning.reject()
        ptab.auto_button.click()
        settle(qtbot, page)
        made = assignments.list_assignments(ctx, session_id=session.id)
        assert len(made) == 6 and insider not in {a.expert_id for a in made}

        # -- 专家评分: two experts on the desktop ------------------------------------------------
        open_tab(qtbot, page, page.scoring)
        stab = page.scoring
        experts_in_session = [stab.expert_box.itemData(i) for i in range(stab.expert_box.count())]
        assert len(experts_in_session) == 3
        desktop, laptop = experts_in_session[:2], experts_in_session[2]
        for expert_id in desktop:
            stab.expert_box.setCurrentIndex(stab.expert_box.findData(expert_id))
            settle(qtbot, page)
            for task in list(stab.model.rows):
                select_row(stab.table, lambda t, task=task: t.assignment_id == task.assignment_id)
                type_date(stab.scored_on, HELD_ON)
                type_points(stab.form, DESKTOP)
                assert "合计：81 分" in stab.form.total.text()
                assert stab.save()
                settle(qtbot, page)

        # -- and one on a laptop: a package per expert, scored in a second folder, brought back -
        office, elsewhere = tmp_path / "office", tmp_path / "laptop"
        office.mkdir()
        elsewhere.mkdir()
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(office))
        stab.export_each_button.click()
        settle(qtbot, page)
        assert len(list(office.glob("*.lzreview"))) == 3
        mine = next(p for p in office.glob("*.lzreview") if p.stem.endswith(expert_name(ctx, laptop)))
        copied = elsewhere / mine.name
        copied.write_bytes(mine.read_bytes())
        returned = fill_return(copied, laptop, elsewhere / "回执.lzreview", default=LAPTOP)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(returned), ""))
        stab.import_button.click()
        settle(qtbot, page)
        submit(qtbot, page, stab.dialog)
        sheet = scoring.expert_view(ctx, session_id=session.id, expert_id=laptop)
        assert {t.score.total_text for t in sheet.tasks if t.score} == {"83"}

        # -- 现场考察 ---------------------------------------------------------------------------
        open_tab(qtbot, page, page.site)
        for did, score in ((first, "90"), (second, "58")):
            page.site.enter_button.click()
            dialog = page.site.dialog
            dialog.declaration.setCurrentIndex(dialog.declaration.findData(did))
            type_date(dialog.on, HELD_ON)
            fill(dialog.score, score)
            submit(qtbot, page, dialog)
        assert scoring.session_completeness(ctx, session_id=session.id).complete

        # -- 汇总排名: (81 + 81 + 83) / 3 = 81.67 experts; × 50 % + site × 50 % -------------------
        open_tab(qtbot, page, page.results)
        rtab = page.results
        shown = {r.row.declaration_id: t for r, t in zip(rtab.model.rows, rtab.model.texts(), strict=True)}
        assert shown[first][6] == "85.83" and shown[first][7] == "拟认定"  # 81.666… × ½ + 45
        assert shown[second][6] == "69.83" and shown[second][7] == "拟认定"
        rtab.close_button.click()
        type_date(rtab.dialog.on, DECIDED_ON)
        submit(qtbot, page, rtab.dialog)
        assert {r.outcome for r in results.session_results(ctx, session_id=session.id)} == {"proposed"}

        # -- 公示 with one objection handled --------------------------------------------------------
        page.today = NOTICE_ON
        open_tab(qtbot, page, page.notice)
        ntab = page.notice
        ntab.publish_button.click()
        publishing = ntab.dialog
        type_date(publishing.on, NOTICE_ON)
        settle(qtbot, page)
        qtbot.waitUntil(lambda: publishing.period is not None and publishing.period.start == NOTICE_ON)
        mine_only = {i.declaration_id for i in ntab.waiting_model.rows}
        assert {first, second} <= mine_only
        ours = {i.center_id for i in ntab.waiting_model.rows if i.declaration_id in (first, second)}
        for i in range(publishing.centres.count()):  # only this session's two centres
            item = publishing.centres.item(i)
            chosen = item.data(Qt.ItemDataRole.UserRole) in ours
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        submit(qtbot, page, publishing)
        published = next(n for n in notice.list_notices(ctx, call_id=call_id) if n.published_on == NOTICE_ON)
        assert len(published.items) == 2
        ntab.notice_box.setCurrentIndex(ntab.notice_box.findData(published.id))
        ntab.record_button.click()
        objecting = ntab.dialog
        objecting.kind.setCurrentIndex(objecting.kind.findData("unit"))
        fill(objecting.submitter, "柳州某竞争企业")
        fill(objecting.content, "反映该中心研发场地与实际不符")
        type_date(objecting.received, NOTICE_ON + dt.timedelta(days=1))
        submit(qtbot, page, objecting)
        [objection] = notice.get_notice(ctx, published.id).objections
        select_row(ntab.objections_table, lambda o: o.id == objection.id)
        ntab.resolve_button.click()
        fill(ntab.dialog.resolution, "经现场核查，研发场地符合要求，异议不成立")
        type_date(ntab.dialog.on, NOTICE_ON + dt.timedelta(days=2))
        submit(qtbot, page, ntab.dialog)
        assert notice.get_notice(ctx, published.id).objections[0].outcome == "dismissed"

        # -- 认定: refused on the notice's last day, done the day after, with numbers ---------------
        open_tab(qtbot, page, page.recognition)
        gtab = page.recognition
        gtab.notice_box.setCurrentIndex(gtab.notice_box.findData(published.id))
        fill(gtab.document_no, "柳科发〔2026〕40号")
        type_date(gtab.on, published.ends_on)
        settle(qtbot, page)
        gtab.recognise_button.click()
        submit(qtbot, page, gtab.dialog)
        assert "才能发文认定" in dialog_error(gtab.dialog)
        gtab.dialog.reject()
        type_date(gtab.on, published.ends_on + dt.timedelta(days=1))
        settle(qtbot, page)
        gtab.recognise_button.click()
        submit(qtbot, page, gtab.dialog)
        rows = {r.item.declaration_id: t for r, t in zip(gtab.model.rows, gtab.model.texts(), strict=True)}
        assert rows[first][2] == "已认定" and rows[second][2] == "已认定"
        assert rows[first][3] == "柳科发〔2026〕40号"
        assert rows[first][4].startswith("柳工程中心证〔2026〕") and rows[first][5].startswith("LZETRC-2026-")
        serial_first = int(rows[first][5].rsplit("-", 1)[1])
        assert int(rows[second][5].rsplit("-", 1)[1]) == serial_first + 1  # in sequence, highest total first
        settle(qtbot, page)

        # -- 文档: the batch's certificates and a plaque, from the recognition just made -------------
        docs = open_page(qtbot, ctx)
        docs.batch_combo.setCurrentIndex(docs.batch_combo.findData("柳科发〔2026〕40号"))
        assert docs.batch_combo.currentData() == "柳科发〔2026〕40号"
        out = tmp_path / "证书"
        task = docs.start_batch(out)
        assert task is not None
        qtbot.waitUntil(lambda: task.is_finished, timeout=60000)
        assert docs.batch_result is not None
        made = sorted(p.name for p in out.iterdir())
        assert made == sorted(f"{rows[d][4]}.pdf" for d in (first, second))  # named by certificate number
        assert all((out / name).read_bytes().startswith(b"%PDF") for name in made)
        recognised_centre = next(c for c in docs.centers if rows[first][5] in (c.plaque_no or ""))
        docs.set_kind(KIND_PLAQUE)
        docs.select_center(recognised_centre.id)
        docs.generate()
        wait_task(qtbot, docs)
        assert docs.pdf.pageCount() == 1
    assert ui_sql == []


def expert_name(ctx: Any, expert_id: int) -> str:
    from lzcenter_desktop.services.review import experts

    return experts.get_expert(ctx, expert_id).name
