"""What the tabs of the 年报 page share: the tab base (the 评审 page's, reading off the UI thread),
the kinds of change they write and watch, the report year a clerk works on by default, and the
report services of 第二十一条 reached through one place.

The default report year. 第二十一条 asks for each year's 工作年报 “在每年12月底前”, and the reminder
list starts on 1 December (:mod:`lzcenter_desktop.domain.report_dues`). So from 1 December the year
that is due is the current one (its reports are being filed this month); from 1 January to
30 November it is the previous year — whose reports were due on 31 December and are now being
chased (逾期未报) and checked on site.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lzcenter_desktop.domain.report_dues import REMINDER_MONTH_DAY
from lzcenter_desktop.ui.review.common import ReviewTab

if TYPE_CHECKING:
    from lzcenter_desktop.ui.annual.page import AnnualPage

#: what a 年报 write changes
ANNUAL_KINDS = frozenset({"reports"})
#: the kinds of change the 年报 page reads again after (a centre recognised or revoked changes
#: who must report; a rule set can move the deadline)
WATCHED_KINDS = frozenset({"reports", "centers", "organizations", "rulesets"})


def default_report_year(today: dt.date) -> int:
    """The 工作年报 year a clerk works on on ``today``: this year from 1 December, else last year."""
    return today.year if (today.month, today.day) >= REMINDER_MONTH_DAY else today.year - 1


class AnnualTab(ReviewTab):
    """A tab of the 年报 page (the page gives it ``ctx``, ``today``, ``year`` and the busy count)."""

    def __init__(self, page: AnnualPage) -> None:
        super().__init__(page)  # type: ignore[arg-type]
        self.annual_page = page
