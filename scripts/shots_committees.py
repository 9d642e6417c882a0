"""The committee editors of the 委员会 page at 1366×768, on a temporary database
(``committees-roster.png``, ``committees-roster-flags.png``, ``committees-directors.png``,
``committees-management.png``, ``committees-meetings.png``).

Imports the committees example of interchange.md into a centre made through the services (its
review records written as tests/review_records.py writes them), then grabs each editor; the roster
is shown once as loaded and once after a 换届 with a 4th host-unit member, so the flags and the
banner's ✗ figures can be looked at. Moved here from ``lzcenter_desktop/ui/committees/screenshots.py``.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from shots_common import SCREEN

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "examples" / "committees.json"
SIZE = SCREEN
AS_OF = date(2026, 11, 26)
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"


def _centre(ctx: object) -> int:
    from lzcenter_desktop.services import centers, organizations
    from lzcenter_desktop.services.context import AppContext
    from tests.review_records import take_steps

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
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(2022, 3, 10)),
            ("under_review", date(2022, 5, 1)),
            ("proposed", date(2022, 9, 1)),
            ("public_notice", date(2022, 9, 5)),
        ],
    )
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


def committee_editors(output_dir: Path, example: Path = EXAMPLE) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from lzcenter_desktop.domain import committee_edits as edits
    from lzcenter_desktop.services import committees
    from lzcenter_desktop.services.context import open_app
    from lzcenter_desktop.ui.app import create_application
    from lzcenter_desktop.ui.committees.page import CommitteesPage
    from lzcenter_desktop.ui.committees.roster import COL_ORG

    app = create_application()
    assert isinstance(app, QApplication)
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
