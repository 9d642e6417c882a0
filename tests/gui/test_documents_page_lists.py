"""The 名单与通知 options of the 文档 page: each list offers the years that have data (the latest
chosen), the batches of that year where it has some, and says in Chinese when it has none."""

from __future__ import annotations

import pytest

from lzcenter_desktop.ui.dialogs.errors import open_message_boxes
from lzcenter_desktop.ui.documents.list_options import NO_YEAR
from lzcenter_desktop.ui.documents.page import KIND_LIST, DocumentsPage
from tests.gui.documents_centres import add_three_centres, open_page, recognised, wait_task

SECOND_BATCH = "柳科发〔2026〕30号"


@pytest.fixture
def page(qtbot, ctx) -> DocumentsPage:
    add_three_centres(ctx)
    recognised(
        ctx,
        "柳州新材料工程技术研究中心（柳州某新材料有限公司）",
        "柳州某新材料有限公司",
        "Liuzhou New Materials Research Center of Engineering Technology",
        "LZGC-2026-004",
        doc_no=SECOND_BATCH,
    )
    widget = open_page(qtbot, ctx)
    widget.set_kind(KIND_LIST)
    return widget


def items(combo) -> list[str]:  # type: ignore[no-untyped-def]
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_list_offers_its_years_and_batches(qtbot, page: DocumentsPage) -> None:
    options = page.list_options
    options.set_kind("recognised")
    assert items(options.year_combo) == ["2026 年度（4 条）"] and options.year() == 2026
    assert options.form.isRowVisible(options.batch_combo)
    assert items(options.batch_combo) == [
        "全部（4 条）",
        "柳科发〔2026〕12号（2026-08-01，3 个中心）",
        f"{SECOND_BATCH}（2026-08-01，1 个中心）",
    ]
    assert options.batch() is None
    options.set_kind("evaluation")  # a list without batches: no 批次 row
    assert not options.form.isRowVisible(options.batch_combo) and options.batch() is None


def test_one_batch_of_a_year(qtbot, page: DocumentsPage) -> None:
    options = page.list_options
    options.set_kind("recognised")
    assert options.set_batch(SECOND_BATCH)
    page.generate()
    wait_task(qtbot, page)
    text = page.pdf.getAllText(0).text()
    assert "LZGC-2026-004" in text and "LZGC-2026-001" not in text and SECOND_BATCH in text
    description = f"2026年度认定名单（认定批次“{SECOND_BATCH}”）"
    assert page.preview_label.text() == f"预览：{description}，共 1 页"
    assert page._suggested_name() == f"{description}.pdf"


def test_the_choices_stay_when_the_lists_are_read_again(qtbot, page: DocumentsPage) -> None:
    options = page.list_options
    options.set_kind("recognised")
    assert options.set_batch(SECOND_BATCH)
    page.reload()
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)
    assert (options.kind(), options.year(), options.batch()) == ("recognised", 2026, SECOND_BATCH)


def test_the_proposed_list_is_of_its_call_year(qtbot, page: DocumentsPage) -> None:
    options = page.list_options
    assert options.kind() == "proposed"
    assert items(options.year_combo) == ["2026 年度（4 条）"]  # recognised since, proposed in 2026
    # the four were each put on a 公示 of 2026-07-05 without 文号: one batch, keyed by its first day
    assert items(options.batch_combo) == ["全部（4 条）", "公示 2026-07-05 至 2026-07-25（4 个中心）"]
    assert options.batch_combo.isEnabled() and options.batch() is None
    page.generate()
    wait_task(qtbot, page)
    text = page.pdf.getAllText(0).text()
    assert "2026年度拟认定柳州市工程技术研究中心名单" in text and "柳州新材料工程技术研究中心" in text


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_list_without_any_year_of_data_says_so(qtbot, page: DocumentsPage) -> None:
    options = page.list_options
    options.set_kind("annual_summary")
    assert items(options.year_combo) == [NO_YEAR] and not options.year_combo.isEnabled()
    assert options.year() is None and options.description() == "年度报告汇总"
    page.generate()
    qtbot.waitUntil(lambda: bool(page.last_error), timeout=20000)
    assert page.last_error == "数据库中还没有任何年度的年度报告，无法生成年度报告汇总。"
    assert page.status_label.text() == f"未生成：{page.last_error}"
    assert page.pdf.pageCount() == 0
    for box in open_message_boxes():
        box.close()
