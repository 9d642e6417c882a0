"""Every image in docs/screenshots, regenerated in one run, offscreen, on temporary databases.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUTPUT_DIR] [--only GROUP ...]
      (default: docs/screenshots; GROUP: sections, dashboard, documents, pdfs, review, annual,
       evaluation, committees, wizard, audit)

* sections — the main window at 1366×768 (the office PCs' screen, issue 12) on the demo database:
  ``section-<n>-<title>.png`` for every section, ``main-window.png`` (a centre's detail open),
  ``rules.png``, ``settings.png``, and ``committees-people.png`` (the 人员库 dialog);
* dashboard — the 概览 section at 1366×768 on the demo database, every figure loaded
  (``shots_dashboard.py``): ``dashboard.png``;
* documents — the 文档 page at 1366×768 on the demo database: ``documents-certificate.png``,
  ``documents-plaque.png``, ``documents-list.png``, ``documents-verify.png``;
* pdfs — the documents themselves rendered from their PDFs (made through the services from the
  demo database): ``certificate.png``, ``plaque-*.png``, ``list-*.png``;
* review — the 评审 section at 1366×768 on the demo database, walked a step further first
  (``shots_review.py``): ``review-<n>-<tab>.png``, ``review-assign-refused.png``;
* annual — the 年报 section on its own demo database, a few 2026 reports added first
  (``shots_annual.py``): ``annual-<n>-*.png``;
* evaluation — the 绩效评估 section on its own demo database, a 2026 round walked through first
  (``shots_evaluation.py``): ``evaluation-*.png``;
* committees — the 委员会 editors on the committees example: ``committees-*.png``;
* audit — 帮助 → 审计日志 at 1366×768 on the demo database (``shots_audit.py``): ``audit-viewer.png``;
* wizard — the declaration wizard on the public example: ``wizard-01-…png`` … ``wizard-11-…png``.

Nothing of the user's is touched: the demo database is built in a temporary folder. At the end the
script lists any PNG in the output folder it did not write (an image no generator makes any more),
except ``dashboard-after-cycle.png``, which the three-year cycle test writes
(``CYCLE_SCREENSHOT=docs/screenshots/dashboard-after-cycle.png pytest tests/gui/test_three_year_cycle.py``).
The generators are the ``shots_*.py`` modules next to this file; the package ships no screenshot code.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GROUPS = (
    "sections",
    "dashboard",
    "documents",
    "pdfs",
    "review",
    "annual",
    "evaluation",
    "committees",
    "wizard",
    "audit",
)
#: groups that change the demo database: each gets a demo database of its own
OWN_DEMO_GROUPS = ("annual", "evaluation")
MADE_ELSEWHERE = frozenset({"dashboard-after-cycle.png"})
DEMO_GROUPS = frozenset({"sections", "dashboard", "documents", "pdfs", "review", "audit"})


def take(output_dir: Path, groups: tuple[str, ...] = GROUPS) -> list[Path]:
    """Write the images of ``groups`` into ``output_dir``; return their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import shots_committees
    import shots_documents
    import shots_window
    import shots_wizard

    from lzcenter_desktop.ui.app import create_application

    create_application()
    output_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def run(name: str, make: Callable[[], list[Path]]) -> None:
        start = time.monotonic()
        made = make()
        written.extend(made)
        print(f"{name}: {len(made)} 张（{time.monotonic() - start:.1f} s）", flush=True)

    if DEMO_GROUPS & set(groups):
        from lzcenter_desktop.services import demo
        from lzcenter_desktop.services.context import open_app

        with tempfile.TemporaryDirectory(prefix="lzcenter-shots-") as tmp:
            ctx: Any = open_app(str(Path(tmp) / "demo.sqlite"), operator="截图")
            try:
                demo.build_demo(ctx, seed=2026)
                if "sections" in groups:
                    run("sections", lambda: shots_window.sections(ctx, output_dir))
                    run("people", lambda: shots_window.people_registry(ctx, output_dir))
                if "dashboard" in groups:
                    import shots_dashboard

                    run("dashboard", lambda: shots_dashboard.dashboard(ctx, output_dir))
                if "documents" in groups:
                    run("documents", lambda: shots_documents.page(ctx, output_dir))
                if "pdfs" in groups:
                    run("pdfs", lambda: shots_documents.rendered(ctx, output_dir))
                if "audit" in groups:
                    import shots_audit

                    run("audit", lambda: shots_audit.audit_viewer(ctx, output_dir))
                if "review" in groups:  # last: it walks the demo's open call a step further
                    import shots_review

                    run("review", lambda: shots_review.review_tabs(ctx, output_dir))
            finally:
                ctx.db.dispose()
    for group in OWN_DEMO_GROUPS:
        if group in groups:
            run(group, lambda group=group: _on_own_demo(group, output_dir))
    if "committees" in groups:
        run("committees", lambda: shots_committees.committee_editors(output_dir))
    if "wizard" in groups:
        run("wizard", lambda: shots_wizard.wizard_pages(output_dir))
    return written


def _on_own_demo(group: str, output_dir: Path) -> list[Path]:
    from lzcenter_desktop.services import demo
    from lzcenter_desktop.services.context import open_app

    with tempfile.TemporaryDirectory(prefix=f"lzcenter-shots-{group}-") as tmp:
        ctx: Any = open_app(str(Path(tmp) / "demo.sqlite"), operator="截图")
        try:
            demo.build_demo(ctx, seed=2026)
            if group == "annual":
                import shots_annual

                return list(shots_annual.annual_tabs(ctx, output_dir))
            import shots_evaluation

            return list(shots_evaluation.evaluation_tabs(ctx, output_dir))
        finally:
            ctx.db.dispose()


def main(argv: list[str]) -> int:
    args = list(argv)
    groups: tuple[str, ...] = GROUPS
    if "--only" in args:
        at = args.index("--only")
        groups = tuple(args[at + 1 :])
        del args[at:]
        unknown = [g for g in groups if g not in GROUPS]
        if unknown or not groups:
            got = " ".join(unknown) or "（无）"
            print(f"--only 后应为 {'、'.join(GROUPS)} 之一或几个，收到：{got}", file=sys.stderr)
            return 2
    target = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    written = take(target, groups)
    for path in written:
        print(path)
    if groups == GROUPS:
        stale = sorted(p for p in set(target.glob("*.png")) - set(written) if p.name not in MADE_ELSEWHERE)
        for path in stale:
            print(f"注意：{path} 不是本次生成的（已没有生成它的程序），请确认后删除", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
