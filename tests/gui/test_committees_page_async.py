"""The 委员会 page reads and writes off the UI thread (issue 11 item 1): no database call from the
page on the UI thread while a clerk works, a clear busy state while a save runs, the result (or the
Chinese refusal) back on the page, ``data_changed`` followed, and the close question's save."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from lzcenter_desktop.services import committees, organizations, people
from lzcenter_desktop.ui import ops
from lzcenter_desktop.ui.committees.page import CommitteesPage
from lzcenter_desktop.ui.committees.roster import COL_ORG
from tests.gui.committee_centres import AS_OF, add_two_centres, recognised
from tests.gui.ui_thread_db import ui_thread_statements
from tests.helpers import type_text

OWN_CENTRE = "柳州某某汽车有限公司工程技术研究中心"


@pytest.fixture
def two_centres(ctx: Any, examples_dir: Path) -> Any:
    """The example's centre (its committees imported through the services) and a second one."""
    return add_two_centres(ctx, examples_dir)


@pytest.fixture
def ui_sql(ctx: Any) -> Iterator[list[str]]:
    """Every statement the GUI runs on the UI thread during the test (it must stay empty)."""
    with ui_thread_statements(ctx.db.engine) as seen:
        yield seen


def idle(qtbot: Any, page: CommitteesPage) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def shown_page(qtbot: Any, ctx: Any) -> CommitteesPage:
    page = CommitteesPage(ctx, as_of=AS_OF)
    page.confirm_errors = lambda errors: True  # saving with errors is asked about (tested elsewhere)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.on_shown(True)
    idle(qtbot, page)
    return page


@pytest.fixture
def announced(qtbot: Any) -> Iterator[list[frozenset[str]]]:
    seen: list[frozenset[str]] = []
    ops.hub().data_changed.connect(seen.append)
    yield seen
    ops.hub().data_changed.disconnect(seen.append)


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds the write thread (a write queued first waits on it), so a save can be seen running."""
    release = threading.Event()
    ops.write_op(lambda: release.wait(20), parent=None, kinds=())
    yield release
    release.set()
    ops.wait_for_writes()


# ------------------------------------------------------------------ the guard itself


def test_the_guard_records_a_ui_call_on_the_ui_thread_and_not_on_a_worker(qtbot: Any, ctx: Any) -> None:
    from lzcenter_desktop.ui.tasks import Task

    def read() -> list[committees.CommitteeCentre]:
        return committees.list_committee_centres(ctx)

    with ui_thread_statements(ctx.db.engine) as seen:
        read()  # the test's own call: no ui frame
        assert seen == []
        Task(read, parent=None, on_success=None, on_failure=None, on_cancelled=None)._run()  # on this thread
        assert seen and all(s.startswith("tasks.py:") for s in seen)
        assert any("SELECT center." in s for s in seen)
        recorded = len(seen)
        task = ops.query_op(read, parent=None, on_success=lambda _rows: None)
        qtbot.waitUntil(lambda: task.is_finished)
        assert len(seen) == recorded


# ------------------------------------------------------------------ a clerk's session


def test_the_constructor_reads_nothing_and_the_first_visit_reads_in_the_background(
    qtbot: Any, two_centres: Any
) -> None:
    from sqlalchemy import event

    from lzcenter_desktop.services.rulesets import settings_for_year

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(two_centres.db.engine, "before_cursor_execute", count)
    try:
        page = CommitteesPage(two_centres, as_of=AS_OF)
        qtbot.addWidget(page)
        qtbot.wait(50)
        assert statements == [] and page.centre_box.count() == 0 and page.settings is None
        page.on_shown(True)
        assert page.busy and page.message.text() == "正在读取已认定的中心…"
        assert not page.save_button.isEnabled()
        idle(qtbot, page)
    finally:
        event.remove(two_centres.db.engine, "before_cursor_execute", count)
    assert statements  # it did read, on a worker thread
    assert [page.centre_box.itemData(i) for i in range(2)] == [two_centres.first, two_centres.second]
    assert page.settings == settings_for_year(two_centres, AS_OF.year)
    assert page.center_id == two_centres.first and page.message.text() == ""
    assert page.save_button.isEnabled() and page.tabs.isEnabled()


def test_a_clerk_session_runs_no_database_call_on_the_ui_thread(
    qtbot: Any, two_centres: Any, ui_sql: list[str], tmp_path: Path, examples_dir: Path
) -> None:
    from lzcenter_desktop.ui.committees.people import PeopleRegistryDialog

    page = shown_page(qtbot, two_centres)
    # switch centre, and back
    page.select_centre(two_centres.second)
    assert page.busy and not page.tabs.isEnabled()
    idle(qtbot, page)
    assert page.center_id == two_centres.second and page.experts is not None
    assert page.experts.term_box.count() == 0
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.center_id == two_centres.first
    # import (the same file again: every person matched)
    assert page.import_file(examples_dir / "committees.json")
    idle(qtbot, page)
    assert page.message.text().startswith("已导入“committees.json”")
    experts = page.experts
    assert experts is not None and experts.term_box.count() == 2
    # edit and save
    experts.renew_button.click()
    type_text(page.reason, "2029年换届")
    assert page.save()
    idle(qtbot, page)
    assert page.last_save_ok and not page.is_dirty()
    assert (
        len(committees.load_committees(two_centres, center_id=two_centres.first).expert_committee_terms) == 3
    )
    # a member's unit, confirmed in the registry
    experts.model.setData(experts.model.index(3, COL_ORG), OWN_CENTRE)
    qtbot.mouseClick(experts.unit_bar.yes, Qt.MouseButton.LeftButton)
    idle(qtbot, page)
    assert "已记入单位库" in page.message.text()
    assert page.doc is not None
    page.doc.undo_stack.undo()
    # exports
    for path, start in (
        (tmp_path / "c.json", b"{"),
        (tmp_path / "r.xlsx", b"PK"),
        (tmp_path / "r.pdf", b"%PDF"),
    ):
        started = (
            page.export_json(path) if path.suffix == ".json" else page.export_roster(path, path.suffix[1:])
        )
        assert started
        idle(qtbot, page)
        assert page.message.text() == f"已导出：{path}" and path.read_bytes().startswith(start)
    # the people registry: list, filter, merge
    dup = people.register_person(two_centres, name="王一", birth_date=None, organization_name="广西大学")
    dialog = page.open_people_registry()
    assert isinstance(dialog, PeopleRegistryDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=20000)
    type_text(dialog.filter, "王一")
    qtbot.waitUntil(lambda: not dialog.loading and len(dialog.rows) == 2, timeout=20000)
    original = next(p.id for p in dialog.rows if p.id != dup)
    dialog.select_ids(original, dup)
    dialog.ask_merge = lambda first, second: (original, dup, "同一人录入两次")
    assert dialog.merge_selected()
    qtbot.waitUntil(lambda: not dialog.merging and not dialog.loading, timeout=20000)
    assert "合并到编号" in dialog.message.text()
    dialog.accept()
    idle(qtbot, page)
    # a centre recognised elsewhere appears
    host = organizations.create_organization(two_centres, name="柳州新测试机械有限公司", kind="enterprise")
    recognised(
        two_centres, "柳州新测试工程技术研究中心（柳州新测试机械有限公司）", host, [], date(2024, 12, 1)
    )
    ops.hub().notify({"centers"})
    qtbot.waitUntil(lambda: page.centre_box.count() == 3, timeout=20000)
    idle(qtbot, page)
    # the close question: save (blocking) and discard
    experts.renew_button.click()
    type_text(page.reason, "关闭前保存")
    assert page.save_changes() is True and not page.is_dirty()
    experts.renew_button.click()
    page.discard_changes()
    assert not page.is_dirty()
    idle(qtbot, page)
    assert ui_sql == []


# ------------------------------------------------------------------ busy state and results


def test_while_a_save_runs_the_page_says_so_and_waits(
    qtbot: Any, two_centres: Any, gate: threading.Event, announced: list[frozenset[str]]
) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.experts is not None
    page.experts.renew_button.click()
    type_text(page.reason, "2029年换届")
    assert page.save()
    qtbot.wait(50)
    assert page.busy and page.save_button.text() == "正在保存…" and not page.save_button.isEnabled()
    assert not page.tabs.isEnabled() and not page.reason.isEnabled() and not page.centre_box.isEnabled()
    assert not page.undo_button.isEnabled() and not page.import_button.isEnabled()
    assert page.message.text() == "正在保存（原因：2029年换届）…"
    assert page.status_text() == "委员会：正在保存（原因：2029年换届）…"
    assert page.unsaved_changes() is not None  # not written yet
    assert page.save() is False  # no second save meanwhile
    with qtbot.waitSignal(page.save_finished, timeout=20000) as finished:
        gate.set()
    assert finished.args == [True]
    assert page.message.text() == "已保存（原因：2029年换届），修改已记入审计日志。"
    assert page.save_button.text() == "保存" and page.save_button.isEnabled() and page.tabs.isEnabled()
    assert page.undo_button.isEnabled() is False and page.reason.text() == ""
    assert page.status_text() == "" and page.unsaved_changes() is None
    assert frozenset({"committees", "people"}) in announced


def refusing_merge(ctx: Any) -> int:
    """Another clerk merges 王一 into a new record: the page's unsaved value still names the old one."""
    loaded = committees.load_committees(ctx, center_id=ctx.first)
    wang = next(p for p in loaded.people if p.name == "王一")
    old = committees.person_db_id(wang.id)
    assert old is not None
    dup = people.register_person(ctx, name="王一", birth_date=None, organization_name="广西大学")
    people.merge_people(ctx, keep_id=dup, merge_id=old, reason="同一人")
    return old


def test_a_refused_save_comes_back_in_chinese_and_keeps_the_edits(
    qtbot: Any, two_centres: Any, announced: list[frozenset[str]]
) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.experts is not None
    page.experts.renew_button.click()
    old = refusing_merge(two_centres)
    type_text(page.reason, "2029年换届")
    with qtbot.waitSignal(page.save_finished, timeout=20000) as finished:
        assert page.save()
    assert finished.args == [False] and page.last_save_ok is False
    assert page.message.text() == f"未保存：人员“王一”（编号 {old}）不存在或已被合并，请重新选择"
    assert page.is_dirty() and page.reason.text() == "2029年换届" and page.save_button.isEnabled()
    assert announced == []


def test_save_changes_waits_for_the_write_and_tells_the_truth(qtbot: Any, two_centres: Any) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.experts is not None
    assert page.save_changes() is True  # nothing unsaved
    page.experts.renew_button.click()
    assert page.save_changes() is False  # no reason: refused at once, the field named
    assert page.message.text() == "修改原因：请填写本次修改的原因后再保存"
    type_text(page.reason, "关闭前保存")
    assert page.save_changes() is True  # no waiting in the test: it blocked until written
    assert not page.is_dirty() and page.message.text().startswith("已保存（原因：关闭前保存）")
    assert (
        len(committees.load_committees(two_centres, center_id=two_centres.first).expert_committee_terms) == 3
    )
    # a save the service refuses: False, the reason on the page, the edits kept
    page.experts.renew_button.click()
    old = refusing_merge(two_centres)
    type_text(page.reason, "再换届")
    assert page.save_changes() is False
    assert page.message.text() == f"未保存：人员“王一”（编号 {old}）不存在或已被合并，请重新选择"
    assert page.is_dirty()


def test_save_changes_just_after_pressing_save_waits_for_that_save(
    qtbot: Any, two_centres: Any, gate: threading.Event
) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.experts is not None
    page.experts.renew_button.click()
    type_text(page.reason, "2029年换届")
    assert page.save()
    gate.set()
    assert page.save_changes() is True and not page.is_dirty()
    assert (
        len(committees.load_committees(two_centres, center_id=two_centres.first).expert_committee_terms) == 3
    )


# ------------------------------------------------------------------ following data_changed


def test_a_newly_recognised_centre_appears_and_unsaved_edits_stay(qtbot: Any, two_centres: Any) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.experts is not None
    page.experts.renew_button.click()
    host = organizations.create_organization(two_centres, name="柳州新测试机械有限公司", kind="enterprise")
    new = recognised(
        two_centres, "柳州新测试工程技术研究中心（柳州新测试机械有限公司）", host, [], date(2024, 12, 1)
    )
    ops.hub().notify({"declarations"})  # not the centre list's business
    qtbot.wait(50)
    assert page.centre_box.count() == 2
    ops.hub().notify({"centers"})
    qtbot.waitUntil(lambda: page.centre_box.findData(new) >= 0, timeout=20000)
    idle(qtbot, page)
    assert page.center_id == two_centres.first and page.centre_box.currentData() == two_centres.first
    assert page.is_dirty() and page.experts.term_box.count() == 3  # the clerk's edit is still there


def test_the_open_centre_follows_people_changed_elsewhere_unless_edited(qtbot: Any, two_centres: Any) -> None:
    page = shown_page(qtbot, two_centres)
    page.select_centre(two_centres.first)
    idle(qtbot, page)
    assert page.doc is not None and page.experts is not None
    before = page.doc.value
    # edited: a change elsewhere does not overwrite the clerk's work
    page.experts.renew_button.click()
    refusing_merge(two_centres)
    ops.hub().notify({"people"})
    qtbot.wait(200)
    assert page.is_dirty() and page.doc.value != before and page.experts.term_box.count() == 3
    # nothing unsaved: the record is read again and shows the kept record
    page.discard_changes()
    assert page.doc.value == before
    ops.hub().notify({"people"})
    qtbot.waitUntil(lambda: page.doc is not None and page.doc.value != before, timeout=20000)
    wang = next(p for p in page.doc.value.people if p.name == "王一")
    assert wang.id not in {p.id for p in before.people}
    assert not page.is_dirty() and page.experts.term_box.count() == 2


# ------------------------------------------------------------------ environment problems


def test_a_locked_database_during_a_save_or_a_read_is_said_in_chinese(
    qtbot: Any, two_centres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lzcenter_desktop.storage.errors import DatabaseLocked

    page = shown_page(qtbot, two_centres)
    assert page.experts is not None
    page.experts.renew_button.click()
    locked = DatabaseLocked("另一个程序正在写入数据库，请稍候再试。")

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise locked

    monkeypatch.setattr(committees, "save_committees", refuse)
    type_text(page.reason, "2029年换届")
    with qtbot.waitSignal(page.save_finished, timeout=20000) as finished:
        assert page.save()
    assert finished.args == [False]
    assert page.message.text() == "未保存：数据库正被占用：另一个程序正在写入数据库，请稍候再试。"
    assert page.is_dirty() and page.save_button.isEnabled()
    # a centre that cannot be read: the list goes back to the centre shown
    page.discard_changes()
    monkeypatch.setattr(committees, "load_committees", refuse)
    page.select_centre(two_centres.second)
    idle(qtbot, page)
    assert page.message.text() == "未能读取委员会记录：数据库正被占用：另一个程序正在写入数据库，请稍候再试。"
    assert page.center_id == two_centres.first and page.centre_box.currentData() == two_centres.first
    assert page.tabs.isEnabled()
