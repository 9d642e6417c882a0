"""Annual reports, on-site verification draws, evaluation rounds, indicator scores, grades and
rectifications (第五章)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from lzcenter_desktop.storage.models._common import YUAN, version_column


class VerificationDrawBase(SQLModel):
    """The bureau's selection of centres for on-site verification of one year (第二十一条), and how."""

    year: int = Field(index=True)
    drawn_on: date
    method: str = Field(max_length=300)  # e.g. 随机抽取（种子 2025）
    note: str | None = Field(default=None, max_length=1000)


class VerificationDraw(VerificationDrawBase, table=True):
    __tablename__ = "verification_draw"
    id: int | None = Field(default=None, primary_key=True)


class AnnualReportBase(SQLModel):
    """《柳州市工程技术研究中心工作年报》 of one centre and year (第二十一条)."""

    center_id: int = Field(foreign_key="center.id")
    year: int
    status: str = Field(default="draft", max_length=20)  # draft / submitted / filed
    submitted_on: date | None = None  # due by 31 December of ``year``
    host_assessment: str | None = Field(default=None, max_length=20)  # excellent/qualified/basic/fail
    director_months: int | None = None
    rd_staff: int | None = None
    rd_investment_yuan: int | None = Field(default=None, sa_type=YUAN)
    projects: int | None = None
    patents_granted: int | None = None
    standards: int | None = None
    revenue_yuan: int | None = Field(default=None, sa_type=YUAN)
    data_json: str | None = Field(default=None, sa_type=Text)  # the whole form, as entered
    verification_draw_id: int | None = Field(default=None, foreign_key="verification_draw.id")
    verification_result: str | None = Field(default=None, max_length=1000)
    # Migration 0008: the host's review before filing (依托单位审核: who and when), the day the
    # bureau filed it (备案), and where it came from (desktop / json / xlsx).
    host_reviewer: str | None = Field(default=None, max_length=50)
    host_reviewed_on: date | None = None
    filed_on: date | None = None
    source: str = Field(default="desktop", max_length=20, sa_column_kwargs={"server_default": "desktop"})


_annual_report_version = version_column()


class AnnualReport(AnnualReportBase, table=True):
    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("center_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_annual_report_version)
    __mapper_args__ = {"version_id_col": _annual_report_version}


class EvaluationRoundBase(SQLModel):
    """A three-yearly performance evaluation (第二十二条); weights and bands are its settings."""

    year: int = Field(unique=True)
    title: str = Field(max_length=200)
    document_no: str | None = Field(default=None, max_length=100)
    started_on: date
    finished_on: date | None = None
    status: str = Field(default="in_progress", max_length=20)  # planned / in_progress / finished
    settings_json: str | None = Field(default=None, sa_type=Text)
    # Migration 0008: the indicator sheet (forms/evaluation-<year>.toml, its ``version``), the day
    # of the expert meeting, the deadline of offline score packages and their per-round HMAC key.
    sheet_version: str | None = Field(default=None, max_length=50)
    held_on: date | None = None
    score_deadline: date | None = None
    package_key: str | None = Field(default=None, max_length=128)


class EvaluationRound(EvaluationRoundBase, table=True):
    __tablename__ = "evaluation_round"
    id: int | None = Field(default=None, primary_key=True)


class EvaluationBase(SQLModel):
    round_id: int = Field(foreign_key="evaluation_round.id")
    center_id: int = Field(foreign_key="center.id", index=True)
    participated: bool = True
    total_score: float | None = None
    grade: str | None = Field(default=None, max_length=20)  # excellent / qualified / rectify / fail / absent
    conditions_ok: bool | None = None  # 第二十三条: 第九条 conditions still met
    violations_json: str | None = Field(default=None, sa_type=Text)
    notice_date: date | None = None
    note: str | None = Field(default=None, max_length=1000)
    # Migration 0008: the self-evaluation (points per indicator as JSON of decimal texts, total),
    # the experts' aggregated score and the total as exact decimal texts, the outcome the rules
    # propose (keep / rectify / revoke / forfeit) and the day the clerk applied it.
    self_points_json: str | None = Field(default=None, sa_type=Text)
    self_score_text: str | None = Field(default=None, max_length=30)
    expert_score_text: str | None = Field(default=None, max_length=30)
    total_text: str | None = Field(default=None, max_length=30)
    outcome: str | None = Field(default=None, max_length=20)
    outcome_applied_on: date | None = None


_evaluation_version = version_column()


class Evaluation(EvaluationBase, table=True):
    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("round_id", "center_id"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_evaluation_version)
    __mapper_args__ = {"version_id_col": _evaluation_version}


class IndicatorScoreBase(SQLModel):
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    # research (研究水平与创新成果) / talent (队伍建设与人才培养) / openness (开放交流与运行管理) /
    # support (依托单位条件保障与组织管理)
    group_code: str = Field(max_length=20)
    indicator: str = Field(max_length=100)
    weight: float
    score: float


class IndicatorScore(IndicatorScoreBase, table=True):
    __tablename__ = "indicator_score"
    id: int | None = Field(default=None, primary_key=True)


class EvaluationAssignmentBase(SQLModel):
    """An expert of the pool asked to score one centre's evaluation (the same pool, 回避 rules and
    offline packages as the 第十条 review). Removed assignments stay, with their reason."""

    round_id: int = Field(foreign_key="evaluation_round.id", index=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    expert_id: int = Field(foreign_key="expert.id", index=True)
    how: str = Field(default="manual", max_length=20)  # manual / drawn
    status: str = Field(default="assigned", max_length=20)  # assigned / scored / removed
    override_reason: str | None = Field(default=None, max_length=500)
    removed_reason: str | None = Field(default=None, max_length=500)
    score_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class EvaluationAssignment(EvaluationAssignmentBase, table=True):
    __tablename__ = "evaluation_assignment"
    __table_args__ = (UniqueConstraint("evaluation_id", "expert_id"),)
    id: int | None = Field(default=None, primary_key=True)


class EvaluationExpertScoreBase(SQLModel):
    """One expert's points for one evaluation (indicator key → decimal text) and the exact total."""

    assignment_id: int = Field(foreign_key="evaluation_assignment.id", unique=True)
    score_text: str = Field(max_length=30)
    points_json: str = Field(sa_type=Text)
    sheet_version: str | None = Field(default=None, max_length=50)
    scored_on: date
    source: str = Field(default="desktop", max_length=100, sa_column_kwargs={"server_default": "desktop"})
    comment: str | None = Field(default=None, max_length=1000)


class EvaluationExpertScore(EvaluationExpertScoreBase, table=True):
    __tablename__ = "evaluation_expert_score"
    id: int | None = Field(default=None, primary_key=True)


class RectificationBase(SQLModel):
    """整改 (第二十四条（三）): one year from the notice, then an acceptance check."""

    evaluation_id: int = Field(foreign_key="evaluation.id", unique=True)
    center_id: int = Field(foreign_key="center.id", index=True)
    notice_date: date
    deadline: date
    applied_on: date | None = None  # 整改验收申请
    checked_on: date | None = None
    outcome: str = Field(default="pending", max_length=20)  # pending / accepted / not_accepted
    note: str | None = Field(default=None, max_length=1000)


class Rectification(RectificationBase, table=True):
    __tablename__ = "rectification"
    id: int | None = Field(default=None, primary_key=True)
