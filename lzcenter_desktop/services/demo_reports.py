"""The demo's annual reports and evaluation (第五章 绩效评估): annual reports 2023–2025 with
the yearly random verification draw (第二十一条), and the finished 2025 evaluation round with
indicator scores and its consequences (第二十四条: rectification, revocation, forfeiture).
"""

from __future__ import annotations

import json
import random
from datetime import date

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services.demo_base import (
    EVALUATION_YEAR,
    REPORT_YEARS,
    BuilderBase,
    DemoCentre,
    S,
)
from lzcenter_desktop.services.evaluation.consequences import apply_consequence_in
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Evaluation,
    EvaluationRound,
    IndicatorScore,
    VerificationDraw,
)

GROUP_WEIGHTS = (("research", 35), ("talent", 25), ("openness", 20), ("support", 20))
INDICATORS = {
    "research": ("承担科研项目", "授权发明专利与标准", "成果转化收益"),
    "talent": ("研发队伍结构", "人才引进与培养"),
    "openness": ("开放课题与合作交流", "管理制度与运行"),
    "support": ("依托单位经费投入", "场地与设备条件"),
}


class ReportsBuilder(BuilderBase):
    """Annual reports, verification draws and the evaluation round."""

    def annual_reports(self, centres: list[DemoCentre]) -> None:
        draws: dict[int, VerificationDraw] = {}
        for year in REPORT_YEARS:
            draws[year] = self.add(
                VerificationDraw.model_validate(
                    {
                        "year": year,
                        "drawn_on": date(year + 1, 2, 20),
                        "method": f"从已报送年报的中心中随机抽取3家（随机种子 {year}）",
                    }
                )
            )
        self.flush()
        reports: dict[int, list[AnnualReport]] = {y: [] for y in REPORT_YEARS}
        for c in centres:
            if c.recognized_on is None or c.center is None:
                continue
            for year in REPORT_YEARS:
                if c.recognized_on.year > year:
                    continue
                if c.state is S.FORFEITED and year == EVALUATION_YEAR:
                    continue  # stopped reporting: did not take part in the evaluation either
                late = self.rng.random() < 0.06
                submitted = (
                    date(year + 1, 1, self.rng.randint(5, 20)) if late else self.day(date(year, 11, 25), 33)
                )
                staff = self.rng.randint(10, 40)
                reports[year].append(
                    self.add(
                        AnnualReport.model_validate(
                            {
                                "center_id": c.center.id,
                                "year": year,
                                "status": "filed",
                                "submitted_on": submitted,
                                "host_assessment": self.rng.choice(
                                    ("excellent", "qualified", "qualified", "qualified")
                                ),
                                "director_months": self.director_months.get(
                                    (c.center.id or 0, year), self.rng.randint(8, 12)
                                ),
                                "rd_staff": staff,
                                "rd_investment_yuan": self.rng.randrange(1_500_000, 9_000_000, 10_000),
                                "projects": self.rng.randint(1, 8),
                                "patents_granted": self.rng.randint(0, 9),
                                "standards": self.rng.randint(0, 2),
                                "revenue_yuan": self.rng.randrange(5_000_000, 300_000_000, 100_000),
                                "data_json": json.dumps(
                                    {"年度": year, "固定研发人员": staff}, ensure_ascii=False
                                ),
                            }
                        )
                    )
                )
        self.flush()
        for year, rows in reports.items():
            for report in random.Random(year).sample(rows, min(3, len(rows))):
                report.verification_draw_id = draws[year].id
                report.verification_result = "现场核查：年报数据属实"
                self.add(report)

    def evaluation(self, centres: list[DemoCentre]) -> None:
        rnd = self.add(
            EvaluationRound.model_validate(
                {
                    "year": EVALUATION_YEAR,
                    "title": f"{EVALUATION_YEAR}年度柳州市工程技术研究中心绩效评估",
                    "document_no": "柳科发〔2025〕88号",
                    "started_on": date(EVALUATION_YEAR, 9, 1),
                    "finished_on": date(EVALUATION_YEAR, 12, 15),
                    "status": "finished",
                    "settings_json": json.dumps(
                        {
                            "weights": dict(GROUP_WEIGHTS),
                            "bands": {"excellent": 90, "qualified": 75, "rectify": 60},
                        },
                        ensure_ascii=False,
                    ),
                }
            )
        )
        self.flush()
        notice = date(EVALUATION_YEAR, 12, 15)
        for c in centres:
            if c.recognized_on is None or c.center is None or c.recognized_on >= date(EVALUATION_YEAR, 1, 1):
                continue
            target = {S.RECTIFYING: 67.0, S.REVOKED: 50.0}.get(
                c.state, self.rng.choice((94.0, 80.0, 83.0, 86.0, 79.0))
            )
            participated = c.state is not S.FORFEITED
            total: float | None = None
            grade: Grade | None = None
            if participated:
                group_scores = {
                    g: max(0.0, min(100.0, round(target + self.rng.uniform(-3, 3), 1)))
                    for g, _ in GROUP_WEIGHTS
                }
                total = round(sum(group_scores[g] * w for g, w in GROUP_WEIGHTS) / 100, 2)
                grade = (
                    Grade.EXCELLENT
                    if total >= 90
                    else Grade.QUALIFIED
                    if total >= 75
                    else Grade.RECTIFY
                    if total >= 60
                    else Grade.FAILED
                )
            ev = self.add(
                Evaluation.model_validate(
                    {
                        "round_id": rnd.id,
                        "center_id": c.center.id,
                        "participated": participated,
                        "total_score": total,
                        "total_text": f"{total:.2f}" if total is not None else None,
                        "grade": grade.value if grade is not None else None,
                        "conditions_ok": grade in (Grade.EXCELLENT, Grade.QUALIFIED),
                        "note": None if participated else "未按要求提交评估材料，视为不参加评估",
                    }
                )
            )
            self.flush()
            if participated:
                for g, w in GROUP_WEIGHTS:
                    names = INDICATORS[g]
                    for name in names:
                        self.add(
                            IndicatorScore.model_validate(
                                {
                                    "evaluation_id": ev.id,
                                    "group_code": g,
                                    "indicator": name,
                                    "weight": round(w / len(names), 2),
                                    "score": group_scores[g],
                                }
                            )
                        )
            # 第二十四条: every result's consequence through the evaluation services (整改 → 整改中
            # with its rectification, 不合格 → 已撤销, not taking part → 自动放弃, the others kept),
            # each recorded in the centre's history with its article
            apply_consequence_in(self.s, ev, on=notice, document_no="柳科发〔2025〕88号")
