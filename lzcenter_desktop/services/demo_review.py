"""The demo's recognition procedure (第十条), call year by call year, through the public review
services — so that the demo is in the state those services would have left it in:

submission (rows, as the 申报 chapter writes them) → the 县区/主管部门 recommendation
(:func:`~lzcenter_desktop.services.review.calls.record_recommendation`) → 形式审查 通过, round 1
(:func:`~lzcenter_desktop.services.review.formal.decide_formal`) → a review session with one panel
(:mod:`~lzcenter_desktop.services.review.panels`: the declarations, a random draw with a recorded
seed) and balanced assignment (:func:`~lzcenter_desktop.services.review.assignments.auto_assign`)
→ the experts' points per indicator of the score sheet and the site inspection team's score
(:mod:`~lzcenter_desktop.services.review.scoring`) → the session closed, with the results ranked
and decided (:func:`~lzcenter_desktop.services.review.results.close_session`) → the 拟认定名单公示,
objections (:mod:`~lzcenter_desktop.services.review.notice`) → 发文认定 with certificate and plaque
numbers (:func:`~lzcenter_desktop.services.review.recognition.recognise_notice`).

Every call before :data:`CURRENT_CALL_YEAR` is finished: its session closed, its notice ended and
closed, its centres recognised (or withdrawn after an upheld objection, 2025). The current call is
open and shows every step still to be taken on the 评审 page: two declarations waiting for 形式审查,
a first session closed (two 未获认定, two 公示中 on a notice that ends on the demo's "today"), a
second one closed whose two 拟认定 centres wait for the next notice, and a third one planned for
December with its panel drawn and its experts assigned, not scored yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from lzcenter_desktop.domain.scoresheet import PointsInput, ScoreSheet
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.demo_base import CURRENT_CALL_YEAR, BuilderBase, DemoCentre, S
from lzcenter_desktop.services.errors import NotFound
from lzcenter_desktop.services.review import (
    assignments,
    calls,
    formal,
    notice,
    panels,
    recognition,
    results,
    scoring,
)
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Person, ReviewAssignment

_T = TypeVar("_T")

# batch → (month, day) of its review session; batches 2 and 3 only in the current call
SESSION_DAYS = {1: (9, 15), 2: (11, 18), 3: (12, 5)}
PANEL_EXPERTS = 5  # drawn per panel; each declaration is scored by all of them (a trimmed mean needs 5)
RECUSAL_YEAR = 2024  # one expert steps aside in this year's session (an arithmetic mean of the 4 others)
NOTICE_DAY = {CURRENT_CALL_YEAR: (11, 20)}  # the other years publish on 10 October
SESSION_LOCATION = "柳州市科学技术局会议室"


def enter_session_scores(ctx: AppContext, *, points: Mapping[int, PointsInput], scored_on: date) -> None:
    """Every expert's points of a session (assignment id → points per indicator) in one unit of
    work, each checked and stored as :func:`~lzcenter_desktop.services.review.scoring.enter_expert_scores`
    stores one expert's (:func:`~lzcenter_desktop.services.review.scoring.record_expert_scores`)."""
    with unit_of_work(ctx, "review.enter_expert_scores") as session:
        for assignment_id, given in points.items():
            assignment = session.get(ReviewAssignment, assignment_id)
            if assignment is None:
                raise NotFound(f"找不到编号为 {assignment_id} 的评审安排", field="评审安排")
            scoring.record_expert_scores(session, assignment, given, scored_on=scored_on)


def working_day(day: date, later: int = 0) -> date:
    """``later`` days after ``day``, moved on to the Monday when that is a Saturday or a Sunday."""
    out = day + timedelta(days=later)
    while out.weekday() >= 5:
        out += timedelta(days=1)
    return out


def batch_of(c: DemoCentre) -> int:
    """The review session (batch) of the centre's call that reviews it."""
    if c.year != CURRENT_CALL_YEAR:
        return 1
    if c.state is S.UNDER_REVIEW:
        return 3  # planned: panel drawn, experts assigned, not scored
    return 2 if c.state is S.PROPOSED else 1


class ReviewBuilder(BuilderBase):
    """The recognition procedure of every call, through the review services."""

    in_progress: list[DemoCentre]  # the centres of the call year being walked through

    # --- running a public service inside the build ---------------------------------------------

    def run(self, operator: str, service: Callable[..., _T], /, **kwargs: Any) -> _T:
        """Call a public service as the bureau clerk ``operator``, inside the build's transaction.

        The builder's pending rows are flushed first, so the service sees them, and the centres and
        declarations of the call year are expired after, so the builder sees what the service
        changed (a centre's state, a declaration's status) — the review services change nothing
        else the builder holds (everything is expired once the procedure is over)."""
        assert self.shared is not None, "the demo build runs the services in its one transaction"
        self.s.flush()
        try:
            return service(AppContext(db=self.shared, operator=operator), **kwargs)
        finally:
            for c in self.in_progress:
                for row in (c.center, c.declaration):
                    if row is not None:
                        self.s.expire(row)

    # --- the procedure ---------------------------------------------------------------------------

    def recognition_procedure(self, centres: Sequence[DemoCentre]) -> None:
        """Walk every centre up to its planned state, call year by call year."""
        for year in sorted({c.year for c in centres}):
            self.in_progress = [c for c in centres if c.year == year and c.state is not S.DRAFT]
            self.call_year(year, self.in_progress)
        self.in_progress = []
        self.s.expire_all()  # the later chapters read what the services wrote

    def call_year(self, year: int, centres: list[DemoCentre]) -> None:
        for c in centres:
            self.submit(c)
        reviewed = [c for c in centres if c.state is not S.SUBMITTED]
        for c in reviewed:
            self.formal_check(c)
        if not reviewed:
            return
        first = [c for c in reviewed if batch_of(c) == 1]
        self.review_batch(year, 1, first)
        self.public_notice(year, [c for c in first if c.state is not S.NOT_RECOGNISED])
        for batch in (2, 3):
            batch_centres = [c for c in reviewed if batch_of(c) == batch]
            if batch_centres:
                self.review_batch(year, batch, batch_centres)

    def submit(self, c: DemoCentre) -> None:
        """Submitted by the host, recommended by its competent department (第十条（二）)."""
        assert c.declaration is not None and c.declaration.id is not None
        submitted = c.declaration.application_date
        self.step(c, S.SUBMITTED, submitted, "依托单位提交申请书，经业务主管部门审核推荐")
        self.run(
            data.STAFF_INTAKE,
            calls.record_recommendation,
            declaration_id=c.declaration.id,
            recommended_by=c.host.competent_department or "柳州市科学技术局",
            recommended_on=working_day(submitted, self.review_rng.randint(1, 6)),
            note="经审核，申报材料真实，同意推荐",
        )

    def formal_check(self, c: DemoCentre) -> None:
        """形式审查 通过 (round 1), in June or early July: the centre moves 已提交 → 评审中."""
        assert c.declaration is not None and c.declaration.id is not None
        self.run(
            data.STAFF_INTAKE,
            formal.decide_formal,
            declaration_id=c.declaration.id,
            decision=formal.PASSED,
            on=working_day(date(c.year, 6, 20), self.review_rng.randint(0, 12)),
        )

    # --- review sessions -------------------------------------------------------------------------

    def review_batch(self, year: int, batch: int, centres: list[DemoCentre]) -> None:
        """A session with one panel for ``centres``: drawn, assigned and — unless the session is
        still ahead (batch 3) — scored, inspected and closed with the results."""
        if not centres:
            return
        month, day = SESSION_DAYS[batch]
        held_on = working_day(date(year, month, day))
        review = data.STAFF_REVIEW
        session_id = self.run(
            review,
            panels.create_session,
            call_id=self.calls[year].id,
            title=f"{year}年度工程技术研究中心认定评审（第{batch}批）",
            held_on=held_on,
            aggregation="trimmed_mean" if year % 2 else "mean",
            score_deadline=working_day(held_on, 3),
            location=SESSION_LOCATION,
        )
        fields = "、".join(dict.fromkeys(c.industry for c in centres))
        panel_id = self.run(review, panels.create_panel, session_id=session_id, name="综合组", field=fields)
        decl_ids = [c.declaration.id or 0 for c in centres if c.declaration is not None]
        self.run(review, panels.add_panel_declarations, panel_id=panel_id, declaration_ids=decl_ids)
        drawn = self.run(
            review, panels.draw_experts, panel_id=panel_id, count=PANEL_EXPERTS, seed=f"{year}-{batch}-综合组"
        )
        made = self.run(review, assignments.auto_assign, panel_id=panel_id, per_declaration=PANEL_EXPERTS)
        if batch == 3:
            return  # planned: nothing scored yet
        if year == RECUSAL_YEAR:
            self.run(
                review,
                assignments.recuse_assignment,
                assignment_id=made[0],
                reason="专家本人申请回避：近三年曾为申报单位提供技术咨询",
            )
        targets = {
            c.declaration.id or 0: (
                self.review_rng.uniform(48, 53)
                if c.state is S.NOT_RECOGNISED
                else self.review_rng.uniform(72, 88)
            )
            for c in centres
            if c.declaration is not None
        }
        sheet = self.run(review, scoring.session_score_sheet, session_id=session_id)
        active = self.run(review, assignments.list_assignments, session_id=session_id, include_recused=False)
        self.run(
            review,
            enter_session_scores,
            points={a.id: self.points(sheet, targets[a.declaration_id]) for a in active},
            scored_on=held_on,
        )
        members = "、".join(self.expert_name(e) for e in drawn.expert_ids[:3])
        for decl_id, target in targets.items():
            self.run(
                review,
                scoring.enter_site_score,
                session_id=session_id,
                declaration_id=decl_id,
                team="现场考察组",
                members=members,
                score=self.half_points(target + self.review_rng.uniform(-5, 5), 100),
                inspected_on=working_day(held_on, self.review_rng.randint(1, 3)),
            )
        self.run(review, results.close_session, session_id=session_id, decided_on=working_day(held_on, 5))

    def points(self, sheet: ScoreSheet, target: float) -> dict[str, str]:
        """One expert's points per indicator, about ``target`` in all."""
        mine = target + self.review_rng.uniform(-5, 5)
        return {
            i.key: self.half_points(
                float(i.max_points) * mine / 100 + self.review_rng.uniform(-1, 1), float(i.max_points)
            )
            for i in sheet.indicators
        }

    @staticmethod
    def half_points(value: float, maximum: float) -> str:
        """``value`` to the nearest half point within 0 … ``maximum``, as exact decimal text."""
        return str(Decimal(max(0.0, min(maximum, round(value * 2) / 2))).normalize())

    def expert_name(self, expert_id: int) -> str:
        expert = next(e for e in self.experts if e.id == expert_id)
        person = self.s.get(Person, expert.person_id)
        return person.name if person is not None else ""

    # --- 公示, objections and 认定 ----------------------------------------------------------------

    def public_notice(self, year: int, centres: list[DemoCentre]) -> None:
        """The 拟认定名单公示 of the call's first batch, its objections and — for a finished call —
        发文认定 of the batch the day it may be."""
        if not centres:
            return
        review = data.STAFF_REVIEW
        month, day = NOTICE_DAY.get(year, (10, 10))
        start = working_day(date(year, month, day))
        published = self.run(
            review,
            notice.publish_notice,
            call_id=self.calls[year].id,
            title=f"{year}年度柳州市工程技术研究中心拟认定名单公示",
            published_on=start,
            center_ids=[c.center.id or 0 for c in centres if c.center is not None],
        )
        if year == CURRENT_CALL_YEAR:
            return  # still open on the demo's "today"
        for c in centres:
            if c.state is S.WITHDRAWN:
                self.objection(
                    published.id,
                    c,
                    received=working_day(start, 3),
                    submitter=("韦某某（实名来信）", "person", "signed"),
                    content="反映申报材料中部分研发人员为外单位兼职人员，固定研发人员数量不实。",
                    outcome=("upheld", working_day(start, 20), "经核查，固定研发人员不足8人，异议成立。"),
                )
        if year == 2024:
            self.objection(
                published.id,
                centres[0],
                received=working_day(start, 2),
                submitter=("柳州某某机械有限公司（来函）", "unit", "stamped"),
                content="质疑中心科研用房面积。",
                outcome=(
                    "dismissed",
                    working_day(start, 6),
                    "经现场核实，科研集中用房面积符合要求，异议不成立。",
                ),
            )
        batch = self.run(
            review,
            recognition.recognise_notice,
            notice_id=published.id,
            document_no=self.document_no(year),
            recognized_on=working_day(date(year, 11, 15), self.review_rng.randint(0, 20)),
        )
        recognised = {r.center_id for r in batch.recognised}
        for c in centres:
            if c.center is not None and c.center.id in recognised:
                c.recognized_on = batch.recognized_on

    def objection(
        self,
        notice_id: int,
        c: DemoCentre,
        *,
        received: date,
        submitter: tuple[str, str, str],
        content: str,
        outcome: tuple[str, date, str],
    ) -> None:
        """A written objection about ``c``, accepted and handled (upheld: the centre is withdrawn)."""
        assert c.center is not None
        name, kind, form = submitter
        recorded = self.run(
            data.STAFF_REVIEW,
            notice.record_objection,
            notice_id=notice_id,
            center_id=c.center.id,
            received_on=received,
            submitter=name,
            submitter_kind=kind,
            form=form,
            content=content,
        )
        decision, on, resolution = outcome
        self.run(
            data.STAFF_REVIEW,
            notice.resolve_objection,
            objection_id=recorded.id,
            outcome=decision,
            resolution=resolution,
            resolved_on=on,
        )
