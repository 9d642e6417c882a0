"""The demo's 工作年报 (第二十一条), through the annual-report services.

Every recognised centre reports every year from the year it was recognised in, 2022–2025 (a centre
revoked or forfeited after the 2025 evaluation stopped running: the forfeited one sent no 2025
report; 2022 is there because the 2025 evaluation's re-check of 第九条 looks at 2022–2024), as a
real ``lzcenter.annual-report/1`` document (:func:`report_document`, the shape of
``tests/data/examples/annual-report-2026.json``): its staff, floor area and equipment are those of
its recognition declaration (so the re-check finds them met), its projects and outputs are the
year's, its director's months and committee meetings are the ones on record (none in the year of
recognition, which the report's checks do not judge, as the committee checks do not). Each report
goes :func:`~lzcenter_desktop.services.annual.reports.save_report` →
:func:`~lzcenter_desktop.services.annual.reports.record_host_review` →
:func:`~lzcenter_desktop.services.annual.reports.submit_report` →
:func:`~lzcenter_desktop.services.annual.reports.file_report`; a few are late (submitted in
January). The two deliberate committee problems of 2025 (M12b, M13c) are error-level rules of the
report: those two 2025 reports stay 草稿 (their submission would be refused). Each report carries
the host's 销售收入 (``funding.sales_revenue_yuan``) for the evaluation's re-check of 研发强度.

Each year's spot check (现场核查, 2023–2025) is drawn with
:func:`~lzcenter_desktop.services.annual.spot_checks.draw_spot_checks` (seeded with the year,
recorded) and its findings recorded with
:func:`~lzcenter_desktop.services.annual.spot_checks.record_findings`.

2026 (due 2026-12-31; the demo's "today" is in late November): a third of the running centres
have submitted (half of those already filed), two hold a draft, the rest have sent nothing yet.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, func, select

from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.annual import reports, spot_checks
from lzcenter_desktop.services.declarations.stored import stored_document
from lzcenter_desktop.services.demo_base import COMMITTEE_PROBLEMS, DEMO_TODAY, REPORT_YEARS, DemoCentre, S
from lzcenter_desktop.services.demo_review import ReviewBuilder
from lzcenter_desktop.storage.models import (
    CommitteeMeeting,
    DirectorAppointment,
    DirectorWorkMonths,
    ExpertCommitteeMember,
    MeetingAttendance,
    Person,
)

CURRENT_REPORT_YEAR = DEMO_TODAY.year  # reports due 31 December, not all in yet
#: the finished report years: the spot-checked ones and the year before, which the 2025
#: evaluation's re-check of 第九条 needs too (its window is 2022–2024)
ANNUAL_YEARS = (REPORT_YEARS[0] - 1, *REPORT_YEARS)
SPOT_CHECKS_PER_YEAR = 3
#: the deliberate committee problems that are error-level rules of the 2025 report (refused)
REFUSED_2025 = frozenset(slot for slot, rule in COMMITTEE_PROBLEMS.items() if rule in ("M12b", "M13c"))
FINDINGS = (
    "现场核查：年报数据属实",
    "现场核查：年报数据属实，研发人员名单与社保缴纳记录一致",
    "现场核查：年报数据基本属实，1项新产品尚未完成鉴定，已要求中心在下一年度年报中更正",
)
OUTPUT_KINDS = ("invention_patent", "utility_patent", "new_product", "new_technology", "standard")


def report_document(
    *,
    year: int,
    center_name: str,
    host_name: str,
    credit_code: str,
    staff: Sequence[dict[str, Any]],
    projects: Sequence[dict[str, Any]],
    outputs: Sequence[dict[str, Any]],
    funding: dict[str, int],
    assets_yuan: int,
    floor_area_m2: float,
    equipment: Sequence[dict[str, Any]],
    open_topics: Sequence[dict[str, Any]],
    shared_instruments: Sequence[dict[str, Any]],
    director: tuple[str, int],
    management_meetings: Sequence[tuple[date, int]],
    expert_meetings: Sequence[tuple[date, int, int]],
    assessment: tuple[str, date],
) -> dict[str, Any]:
    """An ``lzcenter.annual-report/1`` document (the host's review is recorded by the service)."""
    return {
        "format": "lzcenter.annual-report/1",
        "year": year,
        "center": {"name_zh": center_name},
        "host": {"name": host_name, "credit_code": credit_code},
        "staff": [dict(s) for s in staff],
        "projects": [dict(p) for p in projects],
        "outputs": [dict(o) for o in outputs],
        "funding": dict(funding),
        "conditions": {"assets_yuan": assets_yuan, "floor_area_m2": floor_area_m2},
        "equipment": [dict(e) for e in equipment],
        "open_topics": [dict(t) for t in open_topics],
        "shared_instruments": [dict(i) for i in shared_instruments],
        "director": {"name": director[0], "months_at_center": director[1]},
        "management_meetings": [{"date": d.isoformat(), "attendees": n} for d, n in management_meetings],
        "expert_meetings": [
            {"date": d.isoformat(), "members": m, "attendees": n} for d, m, n in expert_meetings
        ],
        "host_assessment": {"result": assessment[0], "date": assessment[1].isoformat()},
        "host_review": {"reviewer": None, "date": None},  # recorded by the service
    }


class AnnualBuilder(ReviewBuilder):
    """The annual reports and spot checks, through the annual-report services."""

    def annual_reports(self, centres: list[DemoCentre]) -> None:
        rng = random.Random(f"{self.seed}:annual")
        clerk = data.STAFF_OPERATIONS
        for year in (*ANNUAL_YEARS, CURRENT_REPORT_YEAR):
            reporting = [c for c in centres if self.reports_in(c, year)]
            if year == CURRENT_REPORT_YEAR:
                self.current_year_reports(rng, reporting)
                continue
            for c in reporting:
                assert c.recognized_on is not None
                late = year < REPORT_YEARS[-1] and rng.random() < 0.1
                if late:
                    submitted = date(year + 1, 1, rng.randint(5, 20))
                else:  # the 2025 ones of the evaluated centres before the grading (10 December)
                    first = date(year, 11, 15) if year == REPORT_YEARS[-1] else date(year, 11, 25)
                    first = max(first, c.recognized_on + timedelta(days=5))
                    submitted = first + timedelta(days=rng.randint(0, 20 if year == REPORT_YEARS[-1] else 33))
                report_id = self.save(rng, c, year, assessed=submitted - timedelta(days=rng.randint(2, 8)))
                reviewed = submitted - timedelta(days=rng.randint(0, 2))
                self.run(
                    clerk,
                    reports.record_host_review,
                    report_id=report_id,
                    reviewer=self.reviewer(c),
                    reviewed_on=reviewed,
                )
                if year == REPORT_YEARS[-1] and c.slot in REFUSED_2025:
                    continue  # the submission is refused (M12b / M13c): it stays a draft
                self.run(clerk, reports.submit_report, report_id=report_id, submitted_on=submitted)
                filed = submitted + timedelta(days=rng.randint(3, 15))
                self.run(clerk, reports.file_report, report_id=report_id, filed_on=filed)
            if year in REPORT_YEARS:
                self.spot_checks(year)

    def reports_in(self, c: DemoCentre, year: int) -> bool:
        """Whether ``c`` reports for ``year`` (from the year of its recognition, while it runs)."""
        if c.center is None or c.recognized_on is None or c.recognized_on.year > year:
            return False
        if year == CURRENT_REPORT_YEAR:
            return c.state in (S.RECOGNISED, S.RECTIFYING)
        return not (c.state is S.FORFEITED and year == REPORT_YEARS[-1])  # stopped reporting

    def current_year_reports(self, rng: random.Random, reporting: list[DemoCentre]) -> None:
        """2026: a third submitted (half of them filed), two drafts, the rest not in yet."""
        clerk = data.STAFF_OPERATIONS
        year = CURRENT_REPORT_YEAR
        order = sorted(reporting, key=lambda c: c.slot)
        rng.shuffle(order)
        submitted_n = len(order) // 3
        for n, c in enumerate(order[: submitted_n + 2]):
            submitted = date(year, 11, 2) + timedelta(days=rng.randint(0, 22))  # before "today"
            report_id = self.save(rng, c, year, assessed=submitted - timedelta(days=rng.randint(2, 8)))
            if n >= submitted_n:
                continue  # a draft, saved but not reviewed by the host yet
            self.run(
                clerk,
                reports.record_host_review,
                report_id=report_id,
                reviewer=self.reviewer(c),
                reviewed_on=submitted,
            )
            self.run(clerk, reports.submit_report, report_id=report_id, submitted_on=submitted)
            if n % 2 == 0 and submitted + timedelta(days=3) < DEMO_TODAY:
                self.run(
                    clerk, reports.file_report, report_id=report_id, filed_on=submitted + timedelta(days=3)
                )

    def spot_checks(self, year: int) -> None:
        """The year's draw of reports for on-site verification (February), and the findings."""
        draw = self.run(
            data.STAFF_OPERATIONS,
            spot_checks.draw_spot_checks,
            year=year,
            count=SPOT_CHECKS_PER_YEAR,
            drawn_on=date(year + 1, 2, 20),
            seed=year,
        )
        for n, drawn in enumerate(draw.reports):
            self.run(
                data.STAFF_OPERATIONS,
                spot_checks.record_findings,
                report_id=drawn.report_id,
                findings=FINDINGS[(year + n) % len(FINDINGS)],
            )

    # --- the document --------------------------------------------------------------------------

    def save(self, rng: random.Random, c: DemoCentre, year: int, *, assessed: date) -> int:
        document = self.document(rng, c, year, assessed=assessed)
        assert c.center is not None and c.center.id is not None
        return self.run(
            data.STAFF_OPERATIONS, reports.save_report, center_id=c.center.id, year=year, data=document
        )

    def reviewer(self, c: DemoCentre) -> str:
        return c.host_people[0].name if c.host_people else f"{c.host.name}科技管理部"[:50]

    def document(self, rng: random.Random, c: DemoCentre, year: int, *, assessed: date) -> dict[str, Any]:
        assert c.center is not None and c.center.id is not None and c.declaration is not None
        decl = stored_document(self.s, c.declaration)
        centre = decl.get("center") or {}
        staff = [
            {k: s.get(k) for k in ("name", "birth_date", "degree", "title")} | {"full_time": True}
            for s in decl.get("staff") or []
        ]
        equipment = [
            {"name": e["name"], "value_yuan": e["value_yuan"]} for e in centre.get("equipment") or []
        ]
        topic = c.research[0]
        projects = [
            {
                "name": f"{topic}关键技术攻关（{year}-{k + 1}）",
                "level": rng.choice(("region", "city", "city")),
                "role": "lead" if k == 0 else rng.choice(("lead", "participate")),
                "approved_date": date(year, rng.randint(3, 10), rng.randint(1, 28)).isoformat(),
            }
            for k in range(rng.randint(1, 3))
        ]
        outputs = []
        for k in range(rng.randint(2, 4)):
            kind = OUTPUT_KINDS[0] if k < 2 else rng.choice(OUTPUT_KINDS)
            row: dict[str, Any] = {
                "kind": kind,
                "title": f"{topic}相关成果{year}-{k + 1}",
                "date": date(year, rng.randint(1, 10), rng.randint(1, 28)).isoformat(),
                "carries_center_name": rng.random() < 0.85,
            }
            if kind.endswith("_patent"):
                row["number"] = f"ZL{year - 1}{rng.randint(10_000_000, 99_999_999)}.{rng.randint(0, 9)}"
            outputs.append(row)
        rd_received = rng.randrange(1_500_000, 9_000_000, 10_000)
        running_received = rng.randrange(300_000, 1_500_000, 10_000)
        funding = {
            "rd_received_yuan": rd_received,
            "rd_spent_yuan": rd_received - rng.randrange(0, 300_000, 10_000),
            "running_received_yuan": running_received,
            "running_spent_yuan": running_received - rng.randrange(0, 100_000, 10_000),
        }
        # the host's 销售收入, for the re-check of 研发强度 (D9.7b): ≈ 7–9 % of it spent on R&D; its
        # own generator, so the rest of the demo draws the same numbers as before
        share = random.Random(year * 10_000 + (c.center.id if c.center and c.center.id else 0)).randint(
            11, 15
        )
        funding["sales_revenue_yuan"] = funding["rd_spent_yuan"] * share // 100_000 * 100_000
        shared = [
            {
                "name": e["name"],
                "value_yuan": e["value_yuan"],
                "in_regional_network": rng.random() < 0.7,
                "external_uses": rng.randint(0, 30),
            }
            for e in equipment[:1]
        ]
        open_topics = [
            {
                "title": f"{topic}开放课题（{year}）",
                "researcher": self.person_name(),
                "organization": rng.choice(("广西科技大学", "柳州职业技术学院", "广西大学")),
                "funding_yuan": rng.randrange(50_000, 200_000, 10_000),
            }
            for _ in range(rng.randint(0, 1))
        ]
        result = rng.choice(("优秀", "合格", "合格", "合格"))
        return report_document(
            year=year,
            center_name=c.center.name_zh,
            host_name=c.host.name,
            credit_code=c.host.credit_code or "",
            staff=staff,
            projects=projects,
            outputs=outputs,
            funding=funding,
            assets_yuan=rng.randrange(5_000_000, 60_000_000, 100_000),
            floor_area_m2=float(centre.get("floor_area_m2") or 500.0),
            equipment=equipment,
            open_topics=open_topics,
            shared_instruments=shared,
            director=self.director(c, year, rng),
            management_meetings=self.meetings(c.center.id, year, "management"),
            expert_meetings=[
                (d, self.members(term), n) for d, n, term in self.expert_meetings(c.center.id, year)
            ],
            assessment=(result, assessed),
        )

    def director(self, c: DemoCentre, year: int, rng: random.Random) -> tuple[str, int]:
        """The director who worked longest at the centre in ``year`` and the months on record (in a
        year of succession the one who served most of it); for the current year, the director in
        office and the months so far."""
        assert c.center is not None and c.center.id is not None
        recorded = self.s.execute(
            select(col(Person.name), col(DirectorWorkMonths.months))
            .join(DirectorAppointment, col(DirectorAppointment.person_id) == col(Person.id))
            .join(DirectorWorkMonths, col(DirectorWorkMonths.appointment_id) == col(DirectorAppointment.id))
            .where(col(DirectorAppointment.center_id) == c.center.id, col(DirectorWorkMonths.year) == year)
            .order_by(col(DirectorWorkMonths.months).desc(), col(DirectorAppointment.appointed_on).desc())
            .limit(1)
        ).first()
        if recorded is not None and year < CURRENT_REPORT_YEAR:
            return str(recorded[0]), int(recorded[1])
        # the current year: whoever has been in office longest so far (months up to "today")
        rows = self.s.execute(
            select(col(Person.name), col(DirectorAppointment.appointed_on), col(DirectorAppointment.ended_on))
            .join(DirectorAppointment, col(DirectorAppointment.person_id) == col(Person.id))
            .where(col(DirectorAppointment.center_id) == c.center.id)
        ).all()
        spans = []
        for name, start, end in rows:
            first = max(start, date(year, 1, 1))
            last = min(end or DEMO_TODAY, DEMO_TODAY)
            if first <= last:
                spans.append((last.month - first.month + 1, start, str(name)))
        months, _, name = max(spans)
        return name, min(months, rng.randint(9, 11))

    def meetings(self, center_id: int, year: int, committee: str) -> list[tuple[date, int]]:
        return [(d, n) for d, n, _ in self._meetings(center_id, year, committee)]

    def expert_meetings(self, center_id: int, year: int) -> list[tuple[date, int, int | None]]:
        return self._meetings(center_id, year, "expert")

    def _meetings(self, center_id: int, year: int, committee: str) -> list[tuple[date, int, int | None]]:
        rows = self.s.execute(
            select(
                col(CommitteeMeeting.held_on),
                func.count(col(MeetingAttendance.id)),
                col(CommitteeMeeting.term_id),
            )
            .join(
                MeetingAttendance, col(MeetingAttendance.meeting_id) == col(CommitteeMeeting.id), isouter=True
            )
            .where(
                col(CommitteeMeeting.center_id) == center_id,
                col(CommitteeMeeting.committee) == committee,
                col(CommitteeMeeting.status) == "active",
                col(CommitteeMeeting.held_on) >= date(year, 1, 1),
                col(CommitteeMeeting.held_on) <= date(year, 12, 31),
            )
            .group_by(col(CommitteeMeeting.id))
            .order_by(col(CommitteeMeeting.held_on))
        ).all()
        return [(d, int(n), t) for d, n, t in rows]

    def members(self, term_id: int | None) -> int:
        if term_id is None:
            return 0
        return int(
            self.s.execute(
                select(func.count())
                .select_from(ExpertCommitteeMember)
                .where(
                    col(ExpertCommitteeMember.term_id) == term_id,
                    col(ExpertCommitteeMember.status) == "active",
                )
            ).scalar_one()
        )
