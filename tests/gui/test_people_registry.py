"""人员库: likely duplicates are marked, two records of one person are merged, different people are not."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from lzcenter_desktop.services import audit, people
from lzcenter_desktop.ui.committees.people import (
    PeopleRegistryDialog,
    likely_duplicates,
    masked_id_number,
)
from tests.helpers import type_text


def test_masked_id_number_keeps_the_ends_only() -> None:
    assert masked_id_number("45020219800211123X") == "450202********123X"
    assert masked_id_number(None) == "" and masked_id_number("") == ""


def reg(ctx: Any, name: str, born: date | None, organization: str) -> int:
    return people.register_person(ctx, name=name, birth_date=born, organization_name=organization)


def settled(qtbot: Any, dialog: PeopleRegistryDialog) -> None:
    """Wait for the list and any merge (both run off the UI thread)."""
    qtbot.waitUntil(lambda: not dialog.loading and not dialog.merging, timeout=20000)


def _dialog(qtbot: Any, ctx: Any) -> PeopleRegistryDialog:
    dialog = PeopleRegistryDialog(ctx)
    qtbot.addWidget(dialog)
    settled(qtbot, dialog)
    return dialog


def test_same_person_entered_twice_is_marked_and_merged(qtbot: Any, ctx: Any) -> None:
    a = reg(ctx, "王五", date(1968, 4, 2), "广西大学")
    b = reg(ctx, "王五", None, "广西大学机械学院")
    other = reg(ctx, "王六", date(1968, 4, 2), "广西大学")
    dialog = _dialog(qtbot, ctx)
    assert likely_duplicates(dialog.rows) == {a, b}
    table = dialog.table
    hints = {table.item(r, 0).text(): table.item(r, 6).text() for r in range(table.rowCount())}
    assert hints[str(a)].startswith("疑似重复") and hints[str(other)] == ""
    assert "2 条疑似重复" in dialog.message.text()

    dialog.select_ids(a)
    assert not dialog.merge_button.isEnabled()  # one record is not a pair
    dialog.select_ids(a, b)
    assert dialog.merge_button.isEnabled()
    asked: list[tuple[int, int]] = []

    def keep_first(first: Any, second: Any) -> tuple[int, int, str]:
        asked.append((first.id, second.id))
        return a, b, "同一人，工作单位写法不同"

    dialog.ask_merge = keep_first
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.merging and not dialog.merge_button.isEnabled()  # no second merge meanwhile
    settled(qtbot, dialog)
    assert asked == [(a, b)]
    assert [p.id for p in dialog.rows if p.name == "王五"] == [a]
    assert f"已将编号 {b} 的记录合并到编号 {a}" in dialog.message.text()
    dialog.show_merged.setChecked(True)
    settled(qtbot, dialog)
    merged = next(p for p in dialog.rows if p.id == b)
    assert merged.status == "merged"  # kept, never deleted
    assert any("people.merge_people" in e.action for e in audit.list_audit(ctx, limit=20))


def test_different_people_are_not_merged(qtbot: Any, ctx: Any) -> None:
    a = reg(ctx, "李四", date(1980, 2, 11), "广西大学")
    b = reg(ctx, "李四", date(1981, 2, 11), "广西大学")
    dialog = _dialog(qtbot, ctx)
    assert likely_duplicates(dialog.rows) == set()  # same name, different birth dates
    dialog.select_ids(a, b)
    dialog.ask_merge = lambda first, second: (a, b, "录入错误")
    assert dialog.merge_selected() is True  # started; the service refuses it
    settled(qtbot, dialog)
    assert "出生日期不同" in dialog.message.text()
    dialog.refresh()
    settled(qtbot, dialog)
    assert {p.id for p in dialog.rows} == {a, b}


def test_cancelling_the_merge_changes_nothing_and_the_filter_types_chinese(qtbot: Any, ctx: Any) -> None:
    a = reg(ctx, "周四", date(1970, 5, 1), "柳州某某汽车有限公司")
    b = reg(ctx, "周四", date(1970, 5, 1), "柳州某某汽车公司")
    reg(ctx, "吴五", date(1965, 1, 1), "中国汽车工程研究院")
    dialog = _dialog(qtbot, ctx)
    type_text(dialog.filter, "周四")
    settled(qtbot, dialog)
    assert {p.id for p in dialog.rows} == {a, b}
    dialog.select_ids(a, b)
    dialog.ask_merge = lambda first, second: None  # the clerk pressed 取消
    assert dialog.merge_selected() is False
    assert {p.id for p in dialog.rows} == {a, b}


def test_committees_page_opens_the_registry(qtbot: Any, ctx: Any) -> None:
    from lzcenter_desktop.ui.committees.page import CommitteesPage

    page = CommitteesPage(ctx)
    qtbot.addWidget(page)
    page.on_shown(True)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert page.people_button.isEnabled()
    dialog = page.open_people_registry()
    assert isinstance(dialog, PeopleRegistryDialog) and dialog.isVisible()
    settled(qtbot, dialog)
    dialog.accept()
