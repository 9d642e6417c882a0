"""Screenshots of the committee editors, taken offscreen on a temporary database.

    python -m lzcenter_desktop.ui.committees.screenshots [OUTPUT_DIR]   (default: docs/screenshots)

Imports the committees example of interchange.md into a centre made through the services, then
grabs each editor; the roster is shown once as loaded and once after a 换届 with a 4th host-unit
member, so the flags and the banner's ✗ figures can be looked at.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

SIZE = (1360, 820)
AS_OF = date(2026, 11, 26)
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"


def _centre(ctx: object) -> int:
    from lzcenter_desktop.services import centers, organizations
    from lzcenter_desktop.services.context import AppContext

    assert isinstance(ctx, AppContext)
    host = organizations.create_organization(
        ctx, name="柳州某某汽车有限公司", kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    cid = centers.create_center(
        ctx, name_zh=NAME, host_id=host, on=date(2022, 3, 1), industries=["汽车"], co_builder_ids=[uni]
    )
    for state, day in (
        ("submitted", date(2022, 3, 10)),
        ("under_review", date(2022, 5, 1)),
        ("proposed", date(2022, 9, 1)),
        ("public_notice", date(2022, 9, 5)),
    ):
        centers.change_state(ctx, center_id=cid, to_state=state, on=day, reason="按程序推进")
    centers.recognise(ctx, center_id=cid, on=date(2022, 12, 1), document_no="柳科发〔2022〕30号")
    return cid


def wait_idle(page: Any, timeout_s: float = 30.0) -> None:
    """Process events until the page's reads and writes (worker threads) have answered."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if not page.busy:
            QCoreApplication.processEvents()
            return
        time.sleep(0.01)
    raise TimeoutError("委员会页面截图超时")


def take_screenshots(output_dir: Path, example: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from lzcenter_desktop.services import committees
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.committees import edits
    from lzcenter_desktop.ui.committees.page import CommitteesPage
    from lzcenter_desktop.ui.committees.roster import COL_ORG
    from lzcenter_desktop.ui.fonts import register_application_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    register_application_fonts(app)
    output_dir.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lzcenter-committee-shots-") as tmp:
        ctx = open_app(str(Path(tmp) / "c.sqlite"), operator="截图")
        try:
            cid = _centre(ctx)
            committees.import_committees_json(
                ctx, center_id=cid, data=json.loads(example.read_text(encoding="utf-8"))
            )
            page = CommitteesPage(ctx, as_of=AS_OF)
            page.resize(*SIZE)
            page.show()
            page.on_shown(True)  # as the main window does on the first visit: the page reads now
            wait_idle(page)
            assert page.experts and page.management and page.directors and page.meetings and page.doc

            def grab(name: str) -> None:
                app.processEvents()
                path = output_dir / f"committees-{name}.png"
                page.grab().save(str(path))
                out.append(path)

            page.tabs.setCurrentWidget(page.experts)
            grab("roster")
            # 换届 without enough replacement, and a 4th member from the host / co-building units
            page.experts.renew()
            doc = page.doc
            t = doc.value.expert_committee_terms[-1]
            host_person = next(p for p in doc.value.people if p.name == "周四")
            value = edits.with_term(doc.value, len(doc.value.expert_committee_terms) - 1, t)
            doc.apply(
                edits.add_member(value, len(value.expert_committee_terms) - 1, host_person.id), "添加委员周四"
            )
            page.experts.model.setData(page.experts.model.index(5, COL_ORG), "广西科技大学")
            page.experts.table.clearSelection()
            grab("roster-flags")
            page.open_centre(cid)  # back to the saved record
            wait_idle(page)
            page.tabs.setCurrentWidget(page.directors)
            grab("directors")
            page.tabs.setCurrentWidget(page.management)
            grab("management")
            page.tabs.setCurrentWidget(page.meetings)
            page.meetings.committee_box.setCurrentIndex(1)
            page.meetings.table.selectRow(1)
            grab("meetings")
            page.close()
        finally:
            ctx.db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[3]
    output = Path(args[0]) if args else root / "docs" / "screenshots"
    example = root / "tests" / "data" / "examples" / "committees.json"
    for path in take_screenshots(output, example):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
