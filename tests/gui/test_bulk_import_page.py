"""The 申报 page imports several files or a whole folder in one pass (issue 11 item 6): behind a
progress dialog with 取消, each file in its own transaction, then a summary of what was imported and
what was refused and why."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from lzcenter_desktop.services import bulk_import
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.declarations.page import DeclarationsPage


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def variant(example: dict[str, Any], n: int) -> dict[str, Any]:
    """The example for another host (its own valid credit code): no violation."""
    from lzcenter_desktop.domain.credit_code import check_char

    data = json.loads(json.dumps(example))
    first17 = f"91450205MA5{n:06d}"
    data["host"]["credit_code"] = first17 + check_char(first17)
    data["host"]["name"] = f"柳州第{'一二三四五六七八九'[n]}机械有限公司"
    data["center"]["name_zh"] = f"柳州工程机械智能制造工程技术研究中心（{data['host']['name']}）"
    return data


def page_for(qtbot: Any, ctx: Any) -> DeclarationsPage:
    page = DeclarationsPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=10000)
    return page


def test_a_folder_is_imported_with_a_summary(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path, examples_dir: Path
) -> None:
    folder = tmp_path / "收到的申报书"
    for n in range(3):
        write(folder, f"{n + 1}号.json", variant(example, n))
    small = variant(example, 5)
    small["center"]["floor_area_m2"] = 299  # 第九条（五）: at least 300 m² — a flagged draft
    write(folder, "面积不足.json", small)
    write(folder, "委员会.json", json.loads((examples_dir / "committees.json").read_text(encoding="utf-8")))
    (folder / "说明.txt").write_text("不是申报书", encoding="utf-8")  # not a .json: not taken
    page = page_for(qtbot, ctx)
    announced: list[frozenset[str]] = []
    ops.hub().data_changed.connect(announced.append)
    page.choose_folder = lambda _title: str(folder)
    with qtbot.waitSignal(page.imported, timeout=30000) as blocker:
        qtbot.mouseClick(page.import_folder_button, Qt.MouseButton.LeftButton)
    ops.hub().data_changed.disconnect(announced.append)
    report = blocker.args[0]
    assert isinstance(report, bulk_import.BulkImportReport)
    assert report.headline() == "共 5 个文件：已导入 4 个（其中 1 个为带标记的草稿），未导入 1 个。"
    assert report.exit_code == 1
    [refused] = report.refused
    assert refused.path.name == "委员会.json" and "不是交换格式文件" in (refused.refusal or "")
    box = page.report_box
    assert box is not None and box.isVisible()
    assert "委员会.json：未导入。不是交换格式文件" in box.informativeText()
    assert "面积不足.json：已导入为第" in box.detailedText() and "1 项错误" in box.detailedText()
    assert page.message.text().startswith("共 5 个文件：已导入 4 个")
    assert frozenset({"declarations", "centers", "organizations"}) in announced
    qtbot.waitUntil(lambda: page.table.rowCount() == 4, timeout=10000)
    assert page.selected_ids() == [report.imported[-1].declaration_id]
    assert len(d.list_declarations(ctx)) == 4
    box.close()


def test_several_files_chosen_at_once_go_through_the_bulk_import(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path
) -> None:
    a = write(tmp_path, "a.json", variant(example, 1))
    b = write(tmp_path, "b.json", variant(example, 2))
    page = page_for(qtbot, ctx)
    page.choose_open_files = lambda _t, _f: [str(a), str(b)]
    with qtbot.waitSignal(page.imported, timeout=30000) as blocker:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert [o.path.name for o in report.imported] == ["a.json", "b.json"] and report.exit_code == 0
    assert page.report_box is not None and not page.message.styleSheet()
    page.report_box.close()
    # one file chosen: the single import, as before
    page.choose_open_files = lambda _t, _f: [str(a)]
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已导入为第 3 号草稿" in page.message.text(), timeout=10000)
    assert "1 项警告" in page.message.text()  # a.json again: the same host twice in the year


def test_cancel_stops_after_the_file_being_imported_and_keeps_what_was_imported(
    qtbot: Any, ctx: Any, example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "批量"
    for n in range(5):
        write(folder, f"{n}.json", variant(example, n))
    real = bulk_import._import_one
    gate, second_started = threading.Event(), threading.Event()
    calls: list[str] = []

    def gated(ctx: Any, checker: Any, path: Path) -> bulk_import.FileOutcome:
        calls.append(path.name)
        if len(calls) == 2:
            second_started.set()
            assert gate.wait(10)
        return real(ctx, checker, path)

    monkeypatch.setattr(bulk_import, "_import_one", gated)
    page = page_for(qtbot, ctx)
    task = page.import_many([folder])
    progress = page.import_progress
    assert isinstance(progress, QProgressDialog) and progress.windowTitle() == "批量导入申报书"
    qtbot.waitUntil(second_started.is_set, timeout=10000)
    qtbot.waitUntil(lambda: "已处理 1/5 个文件" in progress.labelText(), timeout=10000)
    qtbot.waitUntil(progress.isVisible, timeout=5000)
    [button] = [b for b in progress.findChildren(QPushButton) if b.text() == "取消"]
    with qtbot.waitSignal(page.imported, timeout=20000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        gate.set()
    assert task.is_finished
    report = blocker.args[0]
    assert report.cancelled and [o.path.name for o in report.imported] == ["0.json", "1.json"]
    assert calls == ["0.json", "1.json"]  # the third file was never started
    assert report.headline() == "共 5 个文件：已导入 2 个，未导入 0 个，已取消，另有 3 个未处理。"
    assert len(d.list_declarations(ctx)) == 2  # each file was its own transaction: both stay
    assert page.report_box is not None
    page.report_box.close()
