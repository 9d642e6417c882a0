"""The review documents' hand-writing blanks and opinion boxes name our font: an empty table cell
would otherwise select reportlab's Helvetica, listed in the PDF and not embedded (the self-test's
font check found it in 专家评分表, 评审会汇总表 and 拟认定名单公示)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lzcenter_desktop.documents import review_common as rc
from lzcenter_desktop.documents.pdf_fonts import pdf_fonts
from lzcenter_desktop.documents.review_sheets import SheetEntry, _comment_box


def test_a_line_of_blanks_embeds_every_font(tmp_path: Path) -> None:
    st = rc.styles()
    width = rc.frame_width()
    story = [rc.blanks_line([("评审专家（签字）：", -1), ("日期：", 6)], width, st, indent=2)]
    found = pdf_fonts(rc.build_pdf(story, tmp_path / "blanks.pdf", title="t", subject="s"))
    assert found.fonts and found.not_embedded == ()
    assert not any("Helvetica" in name for name in found.fonts)


@pytest.mark.parametrize("comment", [None, "同意推荐"])  # empty box to write in, and a typed opinion
def test_an_opinion_box_embeds_every_font(tmp_path: Path, comment: str | None) -> None:
    st = rc.styles()
    entry = SheetEntry(1, "柳州某中心", "柳州某公司", ("10",), "10", comment=comment)
    story = [_comment_box(entry, rc.frame_width(), st)]
    found = pdf_fonts(rc.build_pdf(story, tmp_path / "box.pdf", title="t", subject="s"))
    assert found.fonts and found.not_embedded == ()
