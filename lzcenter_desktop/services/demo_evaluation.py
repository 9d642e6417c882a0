"""The demo's finished 2025 绩效评估 (第二十二条–第二十四条), through the evaluation services.

:func:`~lzcenter_desktop.services.evaluation.rounds.create_round` with every centre due in 2025
(E22: recognised three or more years before, never evaluated) → the forfeited centre's
:func:`~lzcenter_desktop.services.evaluation.rounds.withdraw` (it sent no material) → three experts
per centre drawn from the demo's expert pool with a fixed seed
(:func:`~lzcenter_desktop.services.evaluation.experts.draw_experts`) → each expert's points per
indicator of the round's sheet (:func:`~lzcenter_desktop.services.evaluation.scoring.enter_expert_scores`),
about the centre's intended total (整改 about 67, 不合格 about 50, the others 79–94) →
:func:`~lzcenter_desktop.services.evaluation.results.grade_round` (E23a re-run on the centres'
current data, grades from the year's bands) →
:func:`~lzcenter_desktop.services.evaluation.results.finish_round` on 2025-12-15 (柳科发〔2025〕88号)
→ :func:`~lzcenter_desktop.services.evaluation.consequences.apply_consequence` for every centre on
that day: 整改 → 整改中 (rectification due 2026-12-15), 不合格 → 已撤销, not taking part → 自动放弃.
The build fails loudly when a grade or outcome is not the one the plan intends.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.domain.scoresheet import ScoreSheet
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.demo_base import EVALUATION_NOTICE, EVALUATION_YEAR, DemoCentre, S
from lzcenter_desktop.services.demo_review import ReviewBuilder
from lzcenter_desktop.services.evaluation import consequences, experts, results, rounds, scoring

EVALUATION_DOCUMENT_NO = "柳科发〔2025〕88号"
EVALUATION_STARTED = date(EVALUATION_YEAR, 9, 1)
EVALUATION_HELD = date(EVALUATION_YEAR, 11, 20)
EVALUATION_GRADED = date(EVALUATION_YEAR, 12, 10)
EXPERTS_PER_CENTRE = 3
DRAW_SEED = EVALUATION_YEAR
#: the intended total of the centres whose result decides their state; the others take
#: ``KEPT_TOTALS`` in turn (the first kept centre gets 优秀, so the list of priority is never empty)
TARGETS = {S.RECTIFYING: 67, S.REVOKED: 50}
KEPT_TOTALS = (94, 80, 83, 86, 79, 82, 77, 84)
INTENDED = {
    S.RECTIFYING: ("整改", "rectify"),
    S.REVOKED: ("不合格", "revoke"),
    S.FORFEITED: (None, "forfeit"),
}


def expert_points(sheet: ScoreSheet, total: Decimal) -> dict[str, str]:
    """Points per indicator adding up exactly to ``total`` (whole or half points, within each
    indicator's maximum): each indicator the same share of its maximum, the rest spread."""
    maximum = sum((i.max_points for i in sheet.indicators), Decimal(0))
    share = total / maximum
    points = {
        i.key: (i.max_points * share * 2).to_integral_value(rounding=ROUND_FLOOR) / 2
        for i in sheet.indicators
    }
    rest = total - sum(points.values(), Decimal(0))
    for i in sheet.indicators:
        if rest <= 0:
            break
        room = i.max_points - points[i.key]
        step = min(room, rest)
        points[i.key] += step
        rest -= step
    assert rest == 0, "the total is within the sheet's maximum"
    return {key: str(value.normalize()) if value else "0" for key, value in points.items()}


class EvaluationBuilder(ReviewBuilder):
    """The 2025 evaluation round, through the evaluation services."""

    def evaluation(self, centres: list[DemoCentre]) -> None:
        rng = random.Random(f"{self.seed}:evaluation")
        clerk = data.STAFF_REVIEW
        round_id = self.run(
            clerk,
            rounds.create_round,
            year=EVALUATION_YEAR,
            title=f"{EVALUATION_YEAR}年度柳州市工程技术研究中心绩效评估",
            started_on=EVALUATION_STARTED,
            document_no=EVALUATION_DOCUMENT_NO,
            held_on=EVALUATION_HELD,
            score_deadline=date(EVALUATION_YEAR, 11, 28),
        )
        by_centre = {c.center.id: c for c in centres if c.center is not None}
        evaluations = self.run(clerk, rounds.list_evaluations, round_id=round_id)
        for e in evaluations:
            if by_centre[e.center_id].state is S.FORFEITED:
                self.run(
                    clerk,
                    rounds.withdraw,
                    evaluation_id=e.evaluation_id,
                    on=date(EVALUATION_YEAR, 10, 15),
                    reason="未按要求提交评估材料，视为不参加评估",
                )
        self.run(
            clerk, experts.draw_experts, round_id=round_id, per_centre=EXPERTS_PER_CENTRE, seed=DRAW_SEED
        )
        sheet = self.run(clerk, scoring.round_score_sheet, round_id=round_id)
        kept = 0
        targets: dict[int, int] = {}
        for e in evaluations:
            state = by_centre[e.center_id].state
            if state in TARGETS:
                targets[e.evaluation_id] = TARGETS[state]
            elif state is not S.FORFEITED:
                targets[e.evaluation_id] = KEPT_TOTALS[kept % len(KEPT_TOTALS)]
                kept += 1
        panel: dict[int, list[int]] = {}
        for a in self.run(clerk, experts.list_assignments, round_id=round_id, include_removed=False):
            panel.setdefault(a.evaluation_id, []).append(a.assignment_id)
        for evaluation_id, assignment_ids in panel.items():
            # the experts' totals about the target, their mean a whole or half point
            mean = Decimal(targets[evaluation_id]) + Decimal(rng.randint(-4, 4)) / 2
            spread = Decimal(rng.randint(0, 3)) / 2
            offsets = [spread, -spread, Decimal(0)]
            for n, assignment_id in enumerate(assignment_ids):
                self.run(
                    clerk,
                    scoring.enter_expert_scores,
                    assignment_id=assignment_id,
                    points=expert_points(sheet, mean + offsets[n % 3]),
                    scored_on=EVALUATION_HELD,
                )
        self.run(clerk, results.grade_round, round_id=round_id, on=EVALUATION_GRADED)
        self.run(clerk, results.finish_round, round_id=round_id, on=EVALUATION_NOTICE)
        for e in self.run(clerk, rounds.list_evaluations, round_id=round_id):
            self.run(
                clerk,
                consequences.apply_consequence,
                evaluation_id=e.evaluation_id,
                on=EVALUATION_NOTICE,
                document_no=EVALUATION_DOCUMENT_NO,
            )
            self.check_result(by_centre[e.center_id], e)
        self.s.expire_all()  # the centres' states changed through the services

    @staticmethod
    def check_result(c: DemoCentre, e: rounds.EvaluationView) -> None:
        """The grade and outcome the plan intends for ``c`` (a wrong one fails the build)."""
        grade, outcome = INTENDED.get(c.state, (None, "keep"))
        ok = e.outcome == outcome and (grade is None or e.grade == grade)
        if c.state not in INTENDED:
            ok = ok and e.grade in (Grade.EXCELLENT.value, Grade.QUALIFIED.value)
        if not ok:
            raise RuntimeError(
                f"demo evaluation of {c.center.name_zh if c.center else c.slot}: "
                f"grade {e.grade} outcome {e.outcome}, planned {c.state}; violations {e.violations}"
            )
