"""The main window on the demo database: one image per section at 1366×768
(``section-<n>-<title>.png``), the 中心 list with a centre's detail open (``main-window.png``),
``rules.png``, ``settings.png``, and the 人员库 dialog with its likely duplicates marked
(``committees-people.png``).

Moved here from ``lzcenter_desktop/ui/screenshots.py``: the package ships no screenshot code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shots_common import SCREEN, grab, process, wait


def sections(ctx: Any, out: Path) -> list[Path]:
    from lzcenter_desktop.ui.app import make_main_window_for_selftest
    from lzcenter_desktop.ui.main_window import PAGES
    from lzcenter_desktop.ui.models.centers import COL_STATUS

    written: list[Path] = []
    window = make_main_window_for_selftest(ctx)
    window.resize(*SCREEN)
    try:
        for spec in PAGES:
            window.show_section(spec.title)
            process(1.5)
            window.wait_until_idle()
            grab(window, out / f"section-{spec.number}-{spec.title}.png", written)

        window.show_section("中心")
        page = window.centers_page
        # A centre with a long history makes the timeline worth looking at.
        statuses = [page.proxy.index(r, COL_STATUS).data() for r in range(page.proxy.rowCount())]
        page.select_row(statuses.index("已撤销") if "已撤销" in statuses else 0)
        wait(lambda: page.detail_open and page.detail.detail is not None, "中心详情")
        window.wait_until_idle()
        process(0.5)
        grab(window, out / "main-window.png", written)

        window.show_section("规则")
        window.wait_until_idle()
        window.rules_page.select_rule("D9.3b")
        process(0.3)
        grab(window, out / "rules.png", written)

        window.show_section("设置")
        window.wait_until_idle()
        process(0.5)
        grab(window, out / "settings.png", written)
    finally:
        window.close()
        window.deleteLater()
        process(0.2)
    return written


def people_registry(ctx: Any, out: Path) -> list[Path]:
    """The 人员库 with one likely duplicate: a person of the demo registered again without a birth
    date, at a branch of the same unit (as a clerk might from another centre's roster)."""
    from lzcenter_desktop.services import people
    from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog, likely_duplicates

    written: list[Path] = []
    someone = next(p for p in people.list_people(ctx)[3:] if p.birth_date is not None and p.organization)
    people.register_person(
        ctx, name=someone.name, birth_date=None, organization_name=f"{someone.organization}（分部）"
    )
    dialog = PeopleRegistryDialog(ctx)
    dialog.resize(1000, 600)
    dialog.show()
    wait(lambda: not dialog.loading and bool(dialog.rows), "人员库")
    duplicates = sorted(likely_duplicates(dialog.rows))
    if duplicates:
        dialog.select_ids(*duplicates)
        row = next(r for r, p in enumerate(dialog.rows) if p.id in duplicates)
        dialog.table.scrollTo(dialog.table.model().index(max(row - 3, 0), 0))
        dialog.table.verticalScrollBar().setValue(max(row - 3, 0))
    process(0.3)
    grab(dialog, out / "committees-people.png", written)
    dialog.close()
    dialog.deleteLater()
    return written
