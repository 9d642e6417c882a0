"""The demo's recognition procedure (第十条): submission, formal check, review sessions with
expert and site scores, the proposed list, public notices with objections, and recognition with
document, plaque and certificate numbers — each centre walked up to its planned final state.
"""

from __future__ import annotations

from datetime import date, timedelta

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.centers import add_recognition
from lzcenter_desktop.services.demo_base import (
    CURRENT_CALL_YEAR,
    DEMO_TODAY,
    BuilderBase,
    DemoCentre,
    S,
)
from lzcenter_desktop.storage.models import (
    Objection,
    Person,
    PublicNotice,
    PublicNoticeItem,
    ReviewAssignment,
    ReviewResult,
    ReviewScore,
    ReviewSession,
)


class ReviewBuilder(BuilderBase):
    """Review sessions, scores, public notices, objections and recognitions."""

    def review_session(self, year: int, batch: int, held_on: date, finished: bool) -> ReviewSession:
        key = (year, batch)
        if key not in self.sessions:
            self.sessions[key] = self.add(
                ReviewSession.model_validate(
                    {
                        "call_id": self.calls[year].id,
                        "title": f"{year}年度工程技术研究中心认定评审（第{batch}批）",
                        "held_on": held_on,
                        "location": "柳州市科学技术局会议室",
                        "aggregation": "trimmed_mean" if year % 2 else "mean",
                        "status": "finished" if finished else "planned",
                    }
                )
            )
            self.flush()
        return self.sessions[key]

    def review(self, c: DemoCentre, session: ReviewSession, target: float | None) -> None:
        assert c.declaration is not None and c.center is not None
        self.as_staff(data.STAFF_REVIEW)
        excluded = {o.name for o in (c.host, c.co_builder, c.joint) if o is not None}
        pool = [e for e in self.experts if e.status == "active"]
        chosen = self.rng.sample(pool, 6)
        expert_scores: list[float] = []
        site_scores: list[float] = []
        for expert in chosen:
            person = self.s.get(Person, expert.person_id)
            recused = person is not None and person.organization_name in excluded
            assignment = self.add(
                ReviewAssignment.model_validate(
                    {
                        "session_id": session.id,
                        "declaration_id": c.declaration.id,
                        "expert_id": expert.id,
                        "recused": recused,
                        "recusal_reason": "专家所在单位为申报单位的共建或联合申报单位" if recused else None,
                        "status": "recused" if recused else ("scored" if target is not None else "assigned"),
                    }
                )
            )
            if target is None or recused:
                continue
            self.flush()
            for kind, bucket in (("expert_review", expert_scores), ("site_inspection", site_scores)):
                score = max(0.0, min(100.0, round((target + self.rng.uniform(-5, 5)) * 2) / 2))
                bucket.append(score)
                self.add(
                    ReviewScore.model_validate(
                        {
                            "assignment_id": assignment.id,
                            "kind": kind,
                            "score": score,
                            "scored_on": session.held_on,
                        }
                    )
                )
        if target is None:
            return

        def aggregate(values: list[float]) -> float:
            if session.aggregation == "trimmed_mean" and len(values) > 2:
                values = sorted(values)[1:-1]
            return round(sum(values) / len(values), 2)

        expert_avg = aggregate(expert_scores)
        site_avg = aggregate(site_scores)
        total = round(expert_avg * 0.5 + site_avg * 0.5, 2)
        self.add(
            ReviewResult.model_validate(
                {
                    "declaration_id": c.declaration.id,
                    "session_id": session.id,
                    "expert_score": expert_avg,
                    "site_score": site_avg,
                    "total_score": total,
                    "aggregation": session.aggregation,
                    "outcome": "proposed" if total >= DEFAULT_SETTINGS.pass_score else "not_recognised",
                    "decided_on": session.held_on + timedelta(days=5),
                }
            )
        )

    def run_procedure(self, c: DemoCentre, notices: dict[tuple[int, int], PublicNotice]) -> None:
        """Walk the centre through the lifecycle up to its planned final state."""
        assert c.center is not None and c.declaration is not None
        y = c.year
        final = c.state
        if final is S.DRAFT:
            return
        self.step(
            c, S.SUBMITTED, c.declaration.application_date, "依托单位提交申请书，经业务主管部门审核推荐"
        )
        if final is S.SUBMITTED:
            return
        self.step(c, S.UNDER_REVIEW, date(y, 7, 1), "形式审查通过，进入专家评审")
        if final is S.UNDER_REVIEW:
            self.review(c, self.review_session(y, 3, date(y, 12, 5), finished=False), None)
            return
        batch = 2 if final is S.PROPOSED else 1
        session = self.review_session(
            y, batch, date(y, 9, 15) if batch == 1 else date(y, 11, 10), finished=True
        )
        failing = final is S.NOT_RECOGNISED
        self.review(c, session, self.rng.uniform(48, 53) if failing else self.rng.uniform(72, 88))
        decided = session.held_on + timedelta(days=5)
        if failing:
            self.step(c, S.NOT_RECOGNISED, decided, "专家评审与现场考察总分低于60分，不予认定")
            c.declaration.status = "decided"
            return
        self.step(c, S.PROPOSED, decided, "专家评审与现场考察总分达到60分以上，拟认定")
        if final is S.PROPOSED:
            return
        notice_start = date(y, 11, 20) if y == CURRENT_CALL_YEAR else date(y, 10, 10)
        notice = notices.get((y, 1))
        if notice is None:
            notice = self.add(
                PublicNotice.model_validate(
                    {
                        "call_id": self.calls[y].id,
                        "title": f"{y}年度柳州市工程技术研究中心拟认定名单公示",
                        "published_on": notice_start,
                        "ends_on": notice_start + timedelta(days=DEFAULT_SETTINGS.public_notice_days),
                        "status": "open" if notice_start + timedelta(days=7) >= DEMO_TODAY else "closed",
                    }
                )
            )
            self.flush()
            notices[(y, 1)] = notice
        self.add(
            PublicNoticeItem.model_validate(
                {"notice_id": notice.id, "center_id": c.center.id, "declaration_id": c.declaration.id}
            )
        )
        self.step(c, S.PUBLIC_NOTICE, notice_start, "列入拟认定名单，在市科技局网站公示")
        if final is S.PUBLIC_NOTICE:
            return
        if final is S.WITHDRAWN:
            self.add(
                Objection.model_validate(
                    {
                        "notice_id": notice.id,
                        "center_id": c.center.id,
                        "received_on": notice_start + timedelta(days=3),
                        "submitter": "实名来信",
                        "content": "反映申报材料中部分研发人员为外单位兼职人员，固定研发人员数量不实。",
                        "outcome": "upheld",
                        "resolved_on": notice_start + timedelta(days=20),
                        "resolution": "经核查，固定研发人员不足8人，异议成立。",
                    }
                )
            )
            self.step(
                c,
                S.WITHDRAWN,
                notice_start + timedelta(days=25),
                "公示期间收到异议，经核查异议成立，撤回认定",
            )
            c.declaration.status = "withdrawn"
            return
        if y == 2024 and not self.dismissed_objection:
            self.dismissed_objection = True
            self.add(
                Objection.model_validate(
                    {
                        "notice_id": notice.id,
                        "center_id": c.center.id,
                        "received_on": notice_start + timedelta(days=2),
                        "submitter": "匿名来电",
                        "content": "质疑中心科研用房面积。",
                        "outcome": "dismissed",
                        "resolved_on": notice_start + timedelta(days=6),
                        "resolution": "经现场核实，科研集中用房面积符合要求，异议不成立。",
                    }
                )
            )
        recognized = self.day(date(y, 11, 15), 20)
        self.plaque_seq[y] += 1
        seq = self.plaque_seq[y]
        add_recognition(
            self.s,
            c.center,
            on=recognized,
            document_no=self.document_no(y),
            plaque_no=f"LZETRC-{y}-{seq:03d}",
            certificate_no=f"柳工程中心证〔{y}〕{seq:03d}号",
            call_id=self.calls[y].id,
            declaration_id=c.declaration.id,
        )
        c.declaration.status = "decided"
        c.recognized_on = recognized
