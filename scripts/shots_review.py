"""The 评审 section on the demo database at 1366×768: one image per tab (``review-<n>-<tab>.png``)
and the refused hand assignment (``review-assign-refused.png``).

Before the images are taken the demo's open call is walked a step further through the services, as
a clerk would on the page: one declaration passed by 形式审查 and one returned, a panel of the
planned session with its experts drawn and assigned, some scores entered and an anonymous objection
recorded — so that each tab shows what it is for. Run through ``scripts/screenshots.py`` or alone::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/shots_review.py [OUTPUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait

FULL = {
    "rd_conditions": "17",
    "rd_team": "16.5",
    "rd_achievements": "15",
    "cooperation": "12",
    "management": "8",
    "development_plan": "12.5",
}


def prepare(ctx: Any) -> dict[str, int]:
    """Walk the demo's current call a step further (see the module docstring); the ids to show."""
    from sqlmodel import col, select

    from lzcenter_desktop.services.review import assignments, calls, experts, formal, notice, panels, scoring
    from lzcenter_desktop.services.uow import reading
    from lzcenter_desktop.storage.models import Center, Declaration

    call = calls.list_calls(ctx)[0]
    with reading(ctx) as session:  # the demo's declarations whose centres are still 已提交
        fresh = session.execute(
            select(col(Declaration.id), col(Declaration.submitted_on))
            .join(Center, col(Center.id) == col(Declaration.center_id))
            .where(col(Declaration.call_id) == call.id, col(Center.state) == "submitted")
            .order_by(col(Declaration.id))
        ).all()
    (passed, first_on), (returned, second_on) = fresh[:2]
    on = max(first_on, second_on) + dt.timedelta(days=10)
    formal.decide_formal(ctx, declaration_id=passed, decision="passed", on=on)
    formal.decide_formal(
        ctx,
        declaration_id=returned,
        decision="returned",
        on=on,
        reasons="缺少依托单位近三年研发投入专项审计报告\n研发场所产权证明不清晰，请补充租赁合同",
    )
    sessions = panels.list_sessions(ctx, call_id=call.id)
    planned = next(s for s in sessions if s.status == "planned")
    pool = experts.list_experts(ctx)
    experts.add_relation(  # recorded from the registry: a conflict an administrator may override
        ctx,
        expert_id=pool[0].id,
        kind="advisory",
        organization_name="柳州欣澜液压科技有限公司",
        from_on=dt.date(2024, 3, 1),
        to_on=dt.date(2025, 6, 30),
        note="担任技术顾问",
        source="registry",
    )
    panel = panels.create_panel(
        ctx, session_id=planned.id, name="第一组（先进制造）", field="汽车、机械", min_experts=5
    )
    panels.add_panel_declarations(ctx, panel_id=panel, declaration_ids=[passed])
    panels.draw_experts(ctx, panel_id=panel, count=5, seed="2026-3-1")
    made = assignments.auto_assign(ctx, panel_id=panel, per_declaration=5)
    for assignment_id in made[:3]:
        scoring.enter_expert_scores(ctx, assignment_id=assignment_id, points=FULL, scored_on=planned.held_on)
    shown = notice.list_notices(ctx, call_id=call.id)
    if shown and shown[0].items:
        notice.record_objection(
            ctx,
            notice_id=shown[0].id,
            center_id=shown[0].items[0].center_id,
            received_on=shown[0].published_on + dt.timedelta(days=2),
            submitter="",
            submitter_kind="anonymous",
            form="unsigned",
            content="反映该中心研发人员数量与实际不符",
        )
    return {"session": planned.id, "returned": returned, "panel": panel}


def review_tabs(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.review.common import select_where

    ids = prepare(ctx)
    written: list[Path] = []
    window = make_main_window_for_selftest(ctx)
    window.resize(*SCREEN)
    try:
        window.show_section("评审")
        page = window.stack.currentWidget()

        def idle() -> None:
            wait(lambda: not page.busy, "评审")
            window.wait_until_idle()
            process(0.3)

        idle()
        select_where(page.formal.table, lambda r: r.declaration_id == ids["returned"])
        for number, tab in enumerate(page.tab_list, start=1):
            page.show_tab(tab)
            idle()
            if tab is page.results:  # a finished session shows its stored ranking
                finished = next((s for s in page.sessions if s.status in ("closed", "finished")), None)
                if finished is not None:
                    page.choose_session(finished.id)
                    idle()
            if tab is page.scoring:
                page.choose_session(ids["session"])
                idle()
                form = tab.form
                if form is not None:
                    for key, value in list(FULL.items())[:4]:
                        form.boxes[key].setText(value)
            grab(window, out / f"review-{number}-{tab.title}.png", written)

        page.choose_session(ids["session"])
        page.show_tab(page.panels)
        idle()
        page.panels.assign()
        dialog = page.panels.dialog
        wait(lambda: not dialog.loading, "候选专家")
        off_panel = next((c for c in dialog.candidates if c.conflicts), None)
        if off_panel is not None:
            dialog.expert.setCurrentIndex(dialog.expert.findData(off_panel.expert_id))
            dialog.submit()
            idle()
        process(0.3)
        grab(dialog, out / "review-assign-refused.png", written)
        dialog.reject()
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
            for path in review_tabs(ctx, out):
                print(path)
        finally:
            ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main(sys.argv[1:]))
