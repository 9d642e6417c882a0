"""Which centres must file the 工作年报 of a year and where each stands (第二十一条, E21a).

The rules are in :mod:`lzcenter_desktop.domain.report_dues`: a centre reports for a year when it
holds the title on 31 December of that year (recognised during the year included); its report is
已按期报送, 逾期报送, 未报送 or 逾期未报 against the deadline of the year's rule settings; the
reminder list, from 1 December, holds those not yet received. A report counts as received once its
status is 已提交 or 已备案 with a submission date; a draft does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.domain import report_dues
from lzcenter_desktop.domain.report_dues import DueStatus
from lzcenter_desktop.domain.settings import RuleSettings
from lzcenter_desktop.services import rulesets
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AnnualReport, Center, CenterStateChange, Organization

#: report statuses that mean the report has reached the bureau
RECEIVED_REPORT_STATUSES = frozenset({"submitted", "filed"})


@dataclass(frozen=True, slots=True)
class ReportDue:
    """One centre's 工作年报 of the year, as of the day asked."""

    center_id: int
    center_name: str
    host_name: str
    year: int
    deadline: date
    report_id: int | None
    submitted_on: date | None
    status: DueStatus

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True, slots=True)
class YearDues:
    """Every centre that must report for ``year``, by centre name, and the reminder list."""

    year: int
    as_of: date
    deadline: date
    reminders_from: date
    rows: tuple[ReportDue, ...]
    reminders: tuple[ReportDue, ...]

    def with_status(self, status: DueStatus) -> tuple[ReportDue, ...]:
        return tuple(row for row in self.rows if row.status is status)


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ServiceError(f"年报年度“{year}”无效，应为四位数年份", field="年报年度")


def _changes(session: Session) -> dict[int, list[tuple[date, str]]]:
    out: dict[int, list[tuple[date, str]]] = {}
    rows = session.execute(
        select(
            col(CenterStateChange.center_id),
            col(CenterStateChange.changed_on),
            col(CenterStateChange.to_state),
        ).order_by(col(CenterStateChange.changed_on), col(CenterStateChange.id))
    ).all()
    for center_id, changed_on, to_state in rows:
        out.setdefault(int(center_id), []).append((changed_on, str(to_state)))
    return out


def obliged_centres(session: Session, year: int) -> list[tuple[Center, str]]:
    """The centres that must report for ``year`` and their hosts' names, by centre name."""
    history = _changes(session)
    rows = session.execute(
        select(Center, col(Organization.name))
        .join(Organization, col(Organization.id) == col(Center.host_id))
        .order_by(col(Center.name_zh), col(Center.id))
    ).all()
    out: list[tuple[Center, str]] = []
    for center, host_name in rows:
        assert center.id is not None
        changes = history.get(center.id) or [(center.state_since, center.state)]
        if report_dues.must_report(year, changes):
            out.append((center, str(host_name)))
    return out


def _reports(session: Session, year: int) -> dict[int, AnnualReport]:
    found = session.execute(select(AnnualReport).where(col(AnnualReport.year) == year)).scalars()
    return {report.center_id: report for report in found}


def received_on(report: AnnualReport | None) -> date | None:
    """The day the report reached the bureau, ``None`` while it has not (no report, or a draft)."""
    if report is None or report.status not in RECEIVED_REPORT_STATUSES:
        return None
    return report.submitted_on


def year_dues(ctx: AppContext, *, year: int, as_of: date, settings: RuleSettings | None = None) -> YearDues:
    """The 工作年报 of ``year`` of every centre that must report, with its status on ``as_of``;
    ``settings`` default to the rule settings of ``year``."""
    _check_year(year)
    rules = settings if settings is not None else rulesets.settings_for_year(ctx, year)
    deadline = report_dues.report_deadline(year, rules)
    rows: list[ReportDue] = []
    with reading(ctx) as session:
        reports = _reports(session, year)
        for center, host_name in obliged_centres(session, year):
            assert center.id is not None
            report = reports.get(center.id)
            submitted = received_on(report)
            rows.append(
                ReportDue(
                    center_id=center.id,
                    center_name=center.name_zh,
                    host_name=host_name,
                    year=year,
                    deadline=deadline,
                    report_id=report.id if report is not None else None,
                    submitted_on=submitted,
                    status=report_dues.due_status(year, submitted, as_of=as_of, settings=rules),
                )
            )
    reminders = tuple(
        row for row in rows if report_dues.needs_reminder(year, row.status, as_of=as_of, settings=rules)
    )
    return YearDues(
        year=year,
        as_of=as_of,
        deadline=deadline,
        reminders_from=report_dues.reminder_start(year, rules),
        rows=tuple(rows),
        reminders=reminders,
    )
