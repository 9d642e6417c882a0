"""What the 年报 section lists beside the services of 第二十一条: a year's 现场核查 draws newest first
with the strata of a stratified draw read back (services/annual/draw_list.py), and the reminder
list as text and as a workbook (services/annual/reminder_export.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from annual_helpers import add_report, open_db, titled_centre
from openpyxl import load_workbook

from lzcenter_desktop.services.annual import draw_list, dues, reminder_export, spot_checks
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.output import OutputError

Y = 2025


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("随机抽取3家（种子 7，按所在区县分层）", "district"),
        ("随机抽取3家（种子 7，按第一产业领域分层）", "industry"),
        ("随机抽取3家（种子 7）", None),
        ("从已报送年报的中心中随机抽取3家（随机种子 2025）", None),  # the demo's older wording
    ],
)
def test_the_strata_of_a_draw_come_from_its_method(method: str, expected: str | None) -> None:
    assert draw_list.stratify_of(method) == expected


def test_draws_are_listed_newest_first_with_their_strata(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    for n, core in enumerate(["轻量化", "智能装备", "电池", "柳钢"]):
        cid = titled_centre(ctx, core, date(2024, 6, 3), district="450202" if n % 2 else "450203")
        add_report(ctx, cid, Y, date(Y, 12, 20))
    assert draw_list.list_draws(ctx, year=Y) == []
    plain = spot_checks.draw_spot_checks(ctx, year=Y, count=1, drawn_on=date(Y + 1, 3, 1), seed=5)
    layered = spot_checks.draw_spot_checks(
        ctx, year=Y, count=2, drawn_on=date(Y + 1, 3, 2), seed=5, stratify="district"
    )
    listed = draw_list.list_draws(ctx, year=Y)
    assert [d.draw_id for d in listed] == [layered.draw_id, plain.draw_id]
    assert sorted(r.stratum or "" for r in listed[0].reports) == ["450202", "450203"]
    assert [r.stratum for r in listed[1].reports] == [None]
    assert [r.report_id for r in listed[0].reports] == [r.report_id for r in layered.reports]
    assert draw_list.list_draws(ctx, year=Y - 1) == []
    with pytest.raises(ServiceError):
        draw_list.list_draws(ctx, year=99)
    ctx.db.dispose()


def test_the_reminder_list_as_text_and_workbook(tmp_path: Path) -> None:
    ctx = open_db(tmp_path)
    on_time = titled_centre(ctx, "轻量化", date(2024, 6, 3))
    titled_centre(ctx, "电池", date(2024, 6, 3))
    add_report(ctx, on_time, Y, date(Y, 12, 31))
    before = dues.year_dues(ctx, year=Y, as_of=date(Y, 11, 30))
    assert reminder_export.reminder_rows(before) == []  # the day before 1 December: nobody
    found = dues.year_dues(ctx, year=Y, as_of=date(Y + 1, 1, 1))
    name = "柳州电池工程技术研究中心（柳州电池有限公司）"
    assert reminder_export.reminder_rows(found) == [("1", name, "柳州电池有限公司", "逾期未报", "2025-12-31")]
    text = reminder_export.reminder_text(found).splitlines()
    assert text[0] == "2025年度工作年报提醒名单（2026-01-01，共 1 家）"
    assert text[2] == f"1\t{name}\t柳州电池有限公司\t逾期未报\t2025-12-31"
    written = reminder_export.write_reminders_xlsx(found, tmp_path / "提醒")
    assert written == tmp_path / "提醒.xlsx"
    sheet = load_workbook(written).active
    assert sheet is not None and [c.value for c in sheet[3]] == [
        "1",
        name,
        "柳州电池有限公司",
        "逾期未报",
        "2025-12-31",
    ]
    with pytest.raises(OutputError):
        reminder_export.write_reminders_xlsx(found, tmp_path / "no-such-folder" / "x.xlsx")
    ctx.db.dispose()
