"""The 文档 page reads and writes off the UI thread (issue 11 item 1): the lists are read with
query_op and follow data_changed, a generated document (its audit entry is a write) runs on the
write thread and announces ``documents``, a batch too (with progress and 取消), and 验证证书 checks
on a worker thread — no database call from the page on the UI thread while a clerk works."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton

from lzcenter_desktop.services import audit, centers, documents, organizations
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.documents.page import KIND_LIST, KIND_PLAQUE, DocumentsPage
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text
from tests.review_records import take_steps

BATCH_NO = "柳科发〔2026〕12号"


def recognised(ctx: Any, name: str, host: str, cert_no: str | None, doc_no: str = BATCH_NO) -> int:
    host_id = organizations.create_organization(ctx, name=host, kind="enterprise")
    cid = centers.create_center(
        ctx,
        name_zh=name,
        host_id=host_id,
        on=date(2026, 3, 1),
        industries=["汽车"],
        name_en=f"Liuzhou Research Center of Engineering Technology No. {len(name)}",
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


@pytest.fixture
def docs_ctx(ctx: Any) -> Any:
    ctx.ids = (
        recognised(ctx, "柳州汽车轻量化工程技术研究中心", "柳州鑫桥汽车零部件有限公司", "LZGC-2026-001"),
        recognised(ctx, "柳州智能装备工程技术研究中心", "柳州恒锐机械装备有限公司", "LZGC-2026-002"),
    )
    return ctx


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


@pytest.fixture
def announced() -> Iterator[list[frozenset[str]]]:
    seen: list[frozenset[str]] = []
    ops.hub().data_changed.connect(seen.append)
    yield seen
    ops.hub().data_changed.disconnect(seen.append)


def shown(qtbot: Any, ctx: Any) -> DocumentsPage:
    page = DocumentsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.on_shown(True)
    qtbot.waitUntil(lambda: page.loaded and not page.loading, timeout=20000)
    return page


def finish(qtbot: Any, page: DocumentsPage) -> None:
    task = page.last_task
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=30000)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)


def issued(ctx: Any) -> int:
    return sum(1 for e in audit.list_audit(ctx, limit=500) if e.entity == documents.AUDIT_ENTITY)


def test_the_constructor_reads_nothing(qtbot: Any, docs_ctx: Any) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(docs_ctx.db.engine, "before_cursor_execute", count)
    try:
        page = DocumentsPage(docs_ctx)
        qtbot.addWidget(page)
        qtbot.wait(50)
        assert statements == [] and page.center_combo.count() == 0
        assert page.center_info.text() == "正在读取中心列表…" and not page.generate_button.isEnabled()
        page.on_shown(True)
        qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    finally:
        event.remove(docs_ctx.db.engine, "before_cursor_execute", count)
    assert statements and page.center_combo.count() == 2 and page.generate_button.isEnabled()


def test_a_clerk_session_runs_no_database_call_on_the_ui_thread(
    qtbot: Any, docs_ctx: Any, ui_sql: list[str], announced: list[frozenset[str]], tmp_path: Path
) -> None:
    from lzcenter_desktop.documents.verify import make_code

    page = shown(qtbot, docs_ctx)
    type_text(page.search_edit, "智能装备")
    assert page.center_combo.count() == 1
    before = issued(docs_ctx)
    page.generate()
    finish(qtbot, page)
    assert page.pdf.pageCount() == 1, page.status_label.text()
    assert issued(docs_ctx) == before + 1 and frozenset({"documents"}) in announced
    page.search_edit.clear()
    page.set_kind(KIND_PLAQUE)
    page.generate()
    finish(qtbot, page)
    assert "牌匾" in page.preview_label.text(), page.last_error
    page.set_kind(KIND_LIST)
    page.generate()
    finish(qtbot, page)
    assert page.pdf.pageCount() >= 1
    # a batch, on the write thread behind its progress dialog
    announced.clear()
    task = page.start_batch(tmp_path / "证书")
    assert task is not None
    qtbot.waitUntil(lambda: task.is_finished, timeout=30000)
    assert page.batch_result is not None and len(page.batch_result) == 2
    assert announced == [frozenset({"documents"})]
    # a centre recognised elsewhere appears without leaving the page
    new = recognised(docs_ctx, "柳州新材料工程技术研究中心", "柳州某新材料有限公司", "LZGC-2026-003")
    ops.hub().notify({"centers"})
    qtbot.waitUntil(lambda: any(c.id == new for c in page.centers), timeout=20000)
    assert page.center_combo.findData(new) >= 0  # 名单 lists every centre
    # 验证证书
    spec = documents.certificate_spec(docs_ctx, docs_ctx.ids[0])
    code = make_code(spec.number, spec.center_name, spec.date, documents.bureau_key(docs_ctx))
    dialog = page.open_verify_dialog()
    type_text(dialog.code_edit, code)
    dialog.verify_button.click()
    assert dialog.checking and not dialog.verify_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
    assert dialog.last_result is not None and dialog.last_result.genuine
    assert dialog.result_label.text().startswith("真实：")
    dialog.close()
    # a later visit reads the lists again
    page.on_shown(False)
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    assert ui_sql == []


def test_the_lists_follow_data_changed(qtbot: Any, docs_ctx: Any) -> None:
    page = shown(qtbot, docs_ctx)
    assert page.batch_combo.count() == 1
    new = recognised(
        docs_ctx, "柳州新材料工程技术研究中心", "柳州某新材料有限公司", "LZGC-2027-001", "柳科发〔2027〕1号"
    )
    ops.hub().notify({"committees"})  # not this page's business
    qtbot.wait(100)
    assert page.center_combo.findData(new) < 0
    ops.hub().notify({"centers"})
    qtbot.waitUntil(lambda: page.center_combo.findData(new) >= 0, timeout=20000)
    assert page.batch_combo.count() == 2


def test_a_refused_document_and_a_cancelled_batch_announce_nothing(
    qtbot: Any, docs_ctx: Any, announced: list[frozenset[str]], tmp_path: Path
) -> None:
    recognised(docs_ctx, "柳州无编号工程技术研究中心", "柳州无编号有限公司", None, "柳科发〔2026〕20号")
    page = shown(qtbot, docs_ctx)
    type_text(page.search_edit, "无编号")
    page.generate()
    finish(qtbot, page)
    qtbot.waitUntil(lambda: bool(page.last_error), timeout=20000)
    assert "证书编号" in page.last_error and page.generate_button.isEnabled()
    from lzcenter_desktop.ui.dialogs.errors import open_message_boxes

    for box in open_message_boxes():
        box.close()
    page.search_edit.clear()
    page.batch_combo.setCurrentIndex(page.batch_combo.findData(BATCH_NO))
    reached, resume = threading.Event(), threading.Event()

    def pause(done: int, _total: int) -> None:
        if done == 1:
            reached.set()
            resume.wait(10)

    page.batch_step_hook = pause
    task = page.start_batch(tmp_path / "证书")
    assert task is not None and page.batch_dialog is not None
    qtbot.waitUntil(reached.is_set, timeout=20000)
    next(b for b in page.batch_dialog.findChildren(QPushButton) if b.text() == "取消").click()
    resume.set()
    qtbot.waitUntil(lambda: task.is_finished, timeout=20000)
    assert page.batch_cancelled and announced == []
