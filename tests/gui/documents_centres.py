"""Three recognised centres for the 文档 page tests, built through the services, and the page as the
main window makes it (built without reading, then shown)."""

from __future__ import annotations

from datetime import date
from typing import Any

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.ui.documents.page import DocumentsPage
from tests.review_records import take_steps

BATCH_NO = "柳科发〔2026〕12号"


def recognised(ctx: Any, name: str, host: str, en: str, cert_no: str | None, doc_no: str = BATCH_NO) -> int:
    """A centre taken through every step of 第十条 in 2026, recognised on 2026-08-01 by ``doc_no``."""
    host_id = organizations.create_organization(ctx, name=host, kind="enterprise")
    cid = centers.create_center(
        ctx, name_zh=name, host_id=host_id, on=date(2026, 3, 1), industries=["汽车"], name_en=en
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", date(2026, 3, 10)),
            ("under_review", date(2026, 5, 1)),
            ("proposed", date(2026, 7, 1)),
            ("public_notice", date(2026, 7, 5)),
        ],
    )
    centers.recognise(ctx, center_id=cid, on=date(2026, 8, 1), document_no=doc_no, certificate_no=cert_no)
    return cid


def add_three_centres(ctx: Any) -> tuple[int, int, int]:
    """Three centres of the batch :data:`BATCH_NO`, certificates LZGC-2026-001 … 003."""
    return (
        recognised(
            ctx,
            "柳州汽车轻量化工程技术研究中心（柳州鑫桥汽车零部件有限公司）",
            "柳州鑫桥汽车零部件有限公司",
            "Liuzhou Automotive Lightweight Research Center of Engineering Technology",
            "LZGC-2026-001",
        ),
        recognised(
            ctx,
            "柳州智能装备工程技术研究中心（柳州恒锐机械装备有限公司）",
            "柳州恒锐机械装备有限公司",
            "Liuzhou Intelligent Equipment Research Center of Engineering Technology",
            "LZGC-2026-002",
        ),
        recognised(
            ctx,
            "柳州螺蛳粉工程技术研究中心（柳州嘉铖食品科技有限公司）",
            "柳州嘉铖食品科技有限公司",
            "Liuzhou Luosifen Research Center of Engineering Technology",
            "LZGC-2026-003",
        ),
    )


def open_page(qtbot: Any, ctx: Any) -> DocumentsPage:
    """The page as the main window makes it: built without reading, then shown (it reads then)."""
    widget = DocumentsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    assert widget.centers == [] and not widget.generate_button.isEnabled()
    widget.on_shown(True)
    qtbot.waitUntil(lambda: widget.loaded and not widget.loading, timeout=20000)
    return widget


def wait_task(qtbot: Any, page: DocumentsPage) -> None:
    """Wait until the page's last task (a document, a batch) has finished."""
    task = page.last_task
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)
