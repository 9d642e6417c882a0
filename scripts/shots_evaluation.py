"""The 绩效评估 section on the demo database at 1366×768: one image per tab
(``evaluation-<n>-<tab>.png``), the 新建评估 dialog with the centres due ticked
(``evaluation-new-round.png``), an expert's score entry (``evaluation-scores.png``), the question
when it is closed with points typed (``evaluation-scores-unsaved.png``) and the
confirmation of a failed 整改 acceptance (``evaluation-acceptance-confirm.png``).

The demo holds the finished 2025 round (graded, consequences applied, one 整改 running). Before the
images are taken the clerk's next steps are walked, as on the page: the 2028 round is created in
the dialog (the centres due that year ticked), experts drawn with a seed, some scores entered and
some centres re-checked through the services, and the 2025 整改's acceptance requested. Run through
``scripts/screenshots.py`` or alone::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_evaluation.py [OUTPUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait

NEW_YEAR = 2028
TODAY = dt.date(NEW_YEAR, 9, 1)


def points_for(total: str) -> dict[str, str]:
    from decimal import Decimal

    from lzcenter_desktop.services.evaluation.sheet import load_evaluation_sheet

    left = Decimal(total)
    out: dict[str, str] = {}
    for indicator in load_evaluation_sheet(NEW_YEAR).indicators:
        take = min(indicator.max_points, left)
        out[indicator.key] = str(take)
        left -= take
    return out


def walk(ctx: Any, round_id: int) -> None:
    """Experts drawn for the new round, some scores entered, some centres re-checked."""
    from lzcenter_desktop.services.evaluation import experts, results, rounds, scoring

    experts.draw_experts(ctx, round_id=round_id, per_centre=5, seed=2028)
    evaluations = rounds.list_evaluations(ctx, round_id=round_id)
    totals = ["93.5", "86", "78.25", "64", "71.5", "88"]
    for n, e in enumerate(evaluations[:6]):
        for a in experts.list_assignments(ctx, round_id=round_id, evaluation_id=e.evaluation_id):
            scoring.enter_expert_scores(
                ctx, assignment_id=a.assignment_id, points=points_for(totals[n]), scored_on=TODAY
            )
    for e in evaluations[6:8]:  # partly scored
        for a in experts.list_assignments(ctx, round_id=round_id, evaluation_id=e.evaluation_id)[:2]:
            scoring.enter_expert_scores(
                ctx, assignment_id=a.assignment_id, points=points_for("80"), scored_on=TODAY
            )
    for e in evaluations[:8]:
        results.recheck(ctx, evaluation_id=e.evaluation_id, as_of=TODAY)


def evaluation_tabs(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.services.evaluation import consequences, rectification, rounds
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.dialogs.unsaved import DISCARD_TEXT
    from lzcenter_desktop.ui.evaluation.consequence_dialogs import AcceptanceDialog
    from lzcenter_desktop.ui.review.common import select_where

    written: list[Path] = []
    window = make_main_window_for_selftest(ctx)
    window.resize(*SCREEN)
    try:
        window.show_section("绩效评估")
        page = window.stack.currentWidget()
        page.today = TODAY  # the clerk's day in this walk (the page was made with the real one)
        page.centres.recheck_on.setDate(TODAY)

        def idle() -> None:
            wait(lambda: not page.busy, "绩效评估")
            window.wait_until_idle()
            process(0.3)

        idle()
        old = page.round_id
        grab(window, out / "evaluation-1-评估批次.png", written)

        page.new_round()
        dialog = page.dialog
        wait(lambda: not dialog.loading, "应参评的中心")
        dialog.document_no.setText(f"柳科发〔{NEW_YEAR}〕21号")
        dialog.started_on.setDate(TODAY)
        dialog.held_on.setDate(dt.date(NEW_YEAR, 10, 15))
        dialog.score_deadline.setDate(dt.date(NEW_YEAR, 10, 31))
        process(0.3)
        grab(dialog, out / "evaluation-new-round.png", written)
        dialog.submit()
        idle()
        new = page.round_id
        assert new is not None and new != old
        walk(ctx, new)
        page.reload()
        idle()

        page.show_tab(page.centres)
        idle()
        grab(window, out / "evaluation-2-参评中心.png", written)

        page.show_tab(page.experts)
        idle()
        tab = page.experts
        select_where(tab.centres, lambda r: 0 < r.scored < r.active)
        idle()
        select_where(tab.table, lambda a: a.status == "assigned")
        idle()
        grab(window, out / "evaluation-3-专家与评分.png", written)
        tab.enter_scores()
        idle()
        scores = tab.dialog
        for key, value in list(points_for("82.5").items())[:7]:
            scores.score_form.boxes[key].setText(value)
        process(0.3)
        grab(scores, out / "evaluation-scores.png", written)
        scores.reject()  # points typed: the unsaved-changes question, answered 不保存
        process(0.3)
        question = scores.unsaved_box
        grab(question, out / "evaluation-scores-unsaved.png", written)
        next(b for b in question.buttons() if b.text() == DISCARD_TEXT).click()
        idle()

        page.choose_round(old)
        page.show_tab(page.results)
        idle()
        grab(window, out / "evaluation-4-评估结果.png", written)

        running = next(
            c for c in consequences.proposed_consequences(ctx, round_id=old) if c.rectification is not None
        )
        assert running.rectification is not None
        rectification.request_acceptance(
            ctx,
            rectification_id=running.rectification.rectification_id,
            applied_on=running.rectification.deadline,
        )
        page.show_tab(page.consequences)
        page.reload()
        idle()
        ctab = page.consequences
        select_where(ctab.table, lambda c: c.evaluation_id == running.evaluation_id)
        idle()
        grab(window, out / "evaluation-5-处理结果.png", written)

        view = rectification.get_rectification(ctx, running.rectification.rectification_id)
        accept = AcceptanceDialog(ctab, ctx, view, today=TODAY)
        ctab.open_dialog(accept)
        accept.failed.setChecked(True)
        accept.note.setPlainText("整改期间研发投入和研发人员未见明显增加，整改目标未完成")
        accept.ok_button.click()
        process(0.3)
        grab(accept.question, out / "evaluation-acceptance-confirm.png", written)
        accept.question.no.click()
        accept.reject()
        assert rounds.get_round(ctx, old).finished_on is not None
    finally:
        window.close()
        window.deleteLater()
        process(0.2)
    return written


def main(argv: list[str]) -> int:
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import create_application

    create_application()
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
        ctx: Any = open_app(str(Path(tmp) / "demo.sqlite"), operator="截图")
        try:
            demo.build_demo(ctx, seed=2026)
            for path in evaluation_tabs(ctx, out):
                print(path)
        finally:
            ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
