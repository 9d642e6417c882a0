"""A deterministic, realistic, fictional demo database (``lzcenter-desktop demo``).

About 40 centres in every lifecycle state, hosts spread over Liuzhou's districts and counties and
its key industries, declarations with every part of the interchange format, review sessions with
scores, public notices and objections, recognitions, directors and committees with meetings,
annual reports 2023–2025 and one finished evaluation round (2025). Same seed → same data.

Everything is written through the services layer's unit of work, in one transaction, with audit
entries: a crash half-way leaves no half-built demo. The operator of every demo write is one of
three fictional bureau clerks (:data:`demo_data.DEMO_STAFF`: 受理 by 李科员, 评审/认定/评估 by
覃科长, 运行管理 by 韦科员), never the account that happens to build the database.

Consistency with the rules: every host has an English name, so each centre's names follow
第二十六条; each declaration that passed the review (拟认定 and later, and every submitted one)
passes every error-level rule of 第九条 with the rule set of its call year; the committee records
of recognised centres pass M11–M16 as of the demo's "today" (2026-11-26).

Deliberate problem cases, so the checks have something to show (by position in :data:`PLAN`):

* 申报 (2026 drafts, both flagged by the wizard):
  - ``REAPPLICATION_SLOT`` — the host of the centre revoked after the 2025 evaluation drafts a new
    application for the same centre in 2026, under the same Chinese name (the only two centres
    that share a name). 第二十五条 lets it apply again only two years after the revocation
    (D25, error; ``previous_revocation_date`` is filled in).
  - ``SHORT_STAFF_SLOT`` — a draft with only 7 fixed R&D staff (D9.3a, error: 8 required).
* 委员会 (recognised centres, ``COMMITTEE_PROBLEMS``):
  - M14b — at the latest 换届 one member left without a successor: the expert committee has
    8 members, an even number.
  - M12b — the director was seconded elsewhere in 2025 and worked 5 months at the centre.
  - M13c — the management committee met only once in 2025.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, col, func, select

from lzcenter_desktop.domain import lifecycle
from lzcenter_desktop.domain.credit_code import ALPHABET, check_char
from lzcenter_desktop.domain.dates import term_last_day, years_after
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.centers import add_center, add_recognition, apply_state_change
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.organizations import add_cto_filing, add_organization
from lzcenter_desktop.services.rulesets import add_settings_version
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualCall,
    AnnualReport,
    Center,
    CommitteeMeeting,
    Declaration,
    DeclarationAchievement,
    DeclarationCooperation,
    DeclarationEquipment,
    DeclarationFinance,
    DeclarationIndustry,
    DeclarationInvestment,
    DeclarationParty,
    DeclarationProject,
    DeclarationStaff,
    DirectorAppointment,
    DirectorWorkMonths,
    Evaluation,
    EvaluationRound,
    Expert,
    ExpertCommitteeMember,
    ExpertCommitteeTerm,
    IndicatorScore,
    ManagementCommitteeMember,
    MeetingAttendance,
    Objection,
    Organization,
    Person,
    PublicNotice,
    PublicNoticeItem,
    Recognition,
    Rectification,
    ReviewAssignment,
    ReviewResult,
    ReviewScore,
    ReviewSession,
    VerificationDraw,
    metadata,
)

_T = TypeVar("_T")

DEMO_TODAY = date(2026, 11, 26)  # the demo's "today": fixed, so the data never depend on the clock
CURRENT_CALL_YEAR = 2026
FIRST_CALL_YEAR = 2019
EVALUATION_YEAR = 2025
REPORT_YEARS = (2023, 2024, 2025)
DEMO_OPERATOR = "演示数据"  # the context's operator when the demo is built at start-up (not used for writes)
DEMO_STAFF = data.DEMO_STAFF
EVALUATION_NOTICE = date(EVALUATION_YEAR, 12, 15)  # the evaluation results (and their consequences)

S = CenterState

# (final state, call year) of each demo centre.
PLAN: tuple[tuple[CenterState, int], ...] = (
    *((S.RECOGNISED, y) for y in (2019, 2019, 2019, 2020, 2020, 2020, 2021, 2021, 2021, 2021)),
    *(
        (S.RECOGNISED, y)
        for y in (2022, 2022, 2022, 2022, 2023, 2023, 2023, 2024, 2024, 2024, 2025, 2025, 2025)
    ),
    (S.RECTIFYING, 2021),
    (S.REVOKED, 2020),
    (S.FORFEITED, 2022),
    (S.WITHDRAWN, 2025),
    (S.NOT_RECOGNISED, 2026),
    (S.NOT_RECOGNISED, 2026),
    (S.PUBLIC_NOTICE, 2026),
    (S.PUBLIC_NOTICE, 2026),
    (S.PROPOSED, 2026),
    (S.PROPOSED, 2026),
    (S.UNDER_REVIEW, 2026),
    (S.UNDER_REVIEW, 2026),
    (S.UNDER_REVIEW, 2026),
    (S.SUBMITTED, 2026),
    (S.SUBMITTED, 2026),
    (S.DRAFT, 2026),
    (S.DRAFT, 2026),
)
UNIVERSITY_SLOTS = frozenset({5, 12, 19, 27, 33, 35})  # plan entries hosted by a university/institute
REVOKED_SLOT = 24  # revoked after the 2025 evaluation …
REAPPLICATION_SLOT = 39  # … and its host applies again in 2026, too early (D25)
SHORT_STAFF_SLOT = 38  # a 2026 draft with 7 fixed R&D staff (D9.3a)
COMMITTEE_PROBLEMS: dict[int, str] = {3: "M14b", 9: "M12b", 16: "M13c"}  # plan entry → broken rule
SHORT_STAFF = 7
INDUSTRY_CYCLE = (
    "汽车", "机械", "汽车", "新材料", "日用消费品", "电子信息", "钢铁", "汽车", "生物医药", "现代农业",
    "机械", "化工", "节能环保", "汽车", "现代农业", "新材料", "机械", "日用消费品", "电子信息", "汽车",
)  # fmt: skip
GROUP_WEIGHTS = (("research", 35), ("talent", 25), ("openness", 20), ("support", 20))
INDICATORS = {
    "research": ("承担科研项目", "授权发明专利与标准", "成果转化收益"),
    "talent": ("研发队伍结构", "人才引进与培养"),
    "openness": ("开放课题与合作交流", "管理制度与运行"),
    "support": ("依托单位经费投入", "场地与设备条件"),
}


@dataclass(frozen=True, slots=True)
class DemoSummary:
    counts: dict[str, int]  # rows per table
    states: dict[str, int]  # centres per lifecycle state code
    seed: int
    headline: str = ""


@dataclass
class _Centre:
    slot: int  # position in PLAN
    state: CenterState
    year: int
    industry: str
    research: data.ResearchField
    host: Organization
    co_builder: Organization | None
    joint: Organization | None
    center: Center | None = None
    declaration: Declaration | None = None
    recognized_on: date | None = None
    host_people: list[Person] = field(default_factory=list)  # [the host's CTO] for enterprises
    cto_filing: tuple[str, date] | None = None  # (filing number, filing date) of that CTO
    industries: list[str] = field(default_factory=list)

    @property
    def ends_on(self) -> date | None:
        """The day the centre stopped running (revoked or forfeited after the 2025 evaluation)."""
        return EVALUATION_NOTICE if self.state in (S.REVOKED, S.FORFEITED) else None


class _Builder:
    def __init__(self, session: Session, seed: int) -> None:
        self.s = session
        self.rng = random.Random(seed)
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self.brands = list(data.BRANDS)
        self.rng.shuffle(self.brands)
        self.calls: dict[int, AnnualCall] = {}
        self.sessions: dict[tuple[int, int], ReviewSession] = {}
        self.external: list[Person] = []
        self.experts: list[Expert] = []
        self.universities: list[Organization] = []
        self.doc_no: dict[int, int] = {}
        self.plaque_seq: Counter[int] = Counter()
        self.dismissed_objection = False
        self.field_use: Counter[str] = Counter()
        self.director_months: dict[tuple[int, int], int] = {}  # (center id, year) → months worked

    # --- small helpers ---------------------------------------------------------------------------

    def as_staff(self, operator: str) -> None:
        """Record the following writes (and timeline entries) under the bureau clerk ``operator``."""
        audit = audit_context(self.s)
        if audit.operator != operator:
            self.s.flush()  # the rows added so far are audited under the previous clerk
            audit.operator = operator

    def add(self, obj: _T) -> _T:
        self.s.add(obj)
        return obj

    def flush(self) -> None:
        self.s.flush()

    def day(self, start: date, spread_days: int) -> date:
        return start + timedelta(days=self.rng.randint(0, spread_days))

    def credit_code(self, prefix: str) -> str:
        while True:
            body = "".join(self.rng.choice(ALPHABET) for _ in range(6))
            first17 = (
                f"{prefix}MA5{body}"
                if prefix.startswith("91")
                else f"{prefix}{body}X{self.rng.randint(10, 99)}"
            )
            first17 = first17[:17]
            code = first17 + check_char(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def person_name(self) -> str:
        for _ in range(1000):
            given = "".join(self.rng.choice(data.GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(data.SURNAMES) + given
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("ran out of demo names")

    def person(
        self,
        *,
        organization: Organization | None = None,
        org_name: str | None = None,
        born_from: int = 1965,
        born_to: int = 1990,
        title: str = "正高级",
        degree: str = "博士",
    ) -> Person:
        birth = date(self.rng.randint(born_from, born_to), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return self.add(
            Person.model_validate(
                {
                    "name": self.person_name(),
                    "birth_date": birth,
                    "gender": self.rng.choice(("male", "female")),
                    "organization_id": organization.id if organization else None,
                    "organization_name": organization.name if organization else org_name,
                    "degree": degree,
                    "title": title,
                }
            )
        )

    def document_no(self, year: int) -> str:
        if year not in self.doc_no:
            self.doc_no[year] = self.rng.randint(8, 60)
        return f"柳科发〔{year}〕{self.doc_no[year]}号"

    # --- reference data --------------------------------------------------------------------------

    def calls_and_settings(self, operator: str) -> None:
        for year in range(FIRST_CALL_YEAR, CURRENT_CALL_YEAR + 1):
            self.calls[year] = self.add(
                AnnualCall.model_validate(
                    {
                        "year": year,
                        "title": f"{year}年度柳州市工程技术研究中心建设申报通知",
                        "document_no": f"柳科通〔{year}〕{self.rng.randint(3, 19)}号",
                        "published_on": date(year, 3, 1),
                        "deadline": date(year, 5, 31),
                        "status": "open" if year == CURRENT_CALL_YEAR else "closed",
                    }
                )
            )
        add_settings_version(
            self.s,
            year=CURRENT_CALL_YEAR,
            settings=DEFAULT_SETTINGS,
            note="按管理办法默认参数",
            operator=operator,
        )
        self.flush()

    def people_pool(self) -> None:
        for u in data.UNIVERSITIES:
            self.universities.append(
                add_organization(
                    self.s,
                    name=u.name,
                    name_en=u.name_en,
                    kind=u.kind,
                    credit_code=self.credit_code(f"12{u.division}"),  # registered where it sits
                    competent_department="广西壮族自治区教育厅"
                    if u.kind == "university"
                    else "柳州市科学技术局",
                    address=u.address,
                )
            )
        for _ in range(60):
            org_name, _category = self.rng.choice(data.EXTERNAL_ORGS)
            self.external.append(self.person(org_name=org_name, born_from=1960, born_to=1985))
        self.flush()
        for n, p in enumerate(self.external[:32]):
            self.experts.append(
                self.add(
                    Expert.model_validate(
                        {
                            "person_id": p.id,
                            "specialty": self.rng.choice(list(data.INDUSTRIES)),
                            "industries": "、".join(self.rng.sample(list(data.INDUSTRIES), 2)),
                            "joined_on": date(2018 + n % 5, 1, 15),
                            "status": "retired" if n == 31 else "active",
                            "retired_on": date(2024, 12, 31) if n == 31 else None,
                        }
                    )
                )
            )
        self.flush()

    # --- centres ---------------------------------------------------------------------------------

    def research_field(self, industry: str) -> data.ResearchField:
        """A research field of ``industry``, the least used so far (ties broken by the seed)."""
        fields = list(data.INDUSTRIES[industry])
        self.rng.shuffle(fields)
        chosen = min(fields, key=lambda f: self.field_use[f[0]])
        self.field_use[chosen[0]] += 1
        return chosen

    def enterprise(self, industry: str, research: data.ResearchField) -> Organization:
        brand = self.brands.pop()
        company = self.rng.choice(research[3])
        division = self.rng.choice(data.INDUSTRY_DISTRICTS[industry])
        dept = next(d for code, _n, d in data.DISTRICTS if code == division)
        street = self.rng.choice(data.DISTRICT_ADDRESSES[division])
        return add_organization(
            self.s,
            name=f"柳州{brand}{company}",
            name_en=f"Liuzhou {data.BRAND_EN[brand]} {data.COMPANY_EN[company]}",
            kind="enterprise",
            credit_code=self.credit_code(f"91{division}"),
            competent_department=dept,
            address=f"{street}{self.rng.randint(1, 399)}号",
        )

    def university_for(self, industry: str, taken: set[int]) -> Organization:
        """A university/institute that works for ``industry`` (any one when none does)."""
        free = [
            (org, u)
            for org, u in zip(self.universities, data.UNIVERSITIES, strict=True)
            if id(org) not in taken
        ]
        fits = [org for org, u in free if industry in u.industries]
        return self.rng.choice(fits or [org for org, _u in free])

    def plan_centres(self) -> list[_Centre]:
        centres: list[_Centre] = []
        hosts_taken: set[int] = set()  # each university/institute hosts one centre
        for n, (state, year) in enumerate(PLAN):
            if n == REAPPLICATION_SLOT:  # the revoked centre's host applies again, for the same centre
                old = centres[REVOKED_SLOT]
                centres.append(
                    _Centre(
                        n,
                        state,
                        year,
                        old.industry,
                        old.research,
                        old.host,
                        old.co_builder,
                        old.joint,
                        industries=list(old.industries),
                    )
                )
                continue
            industry = INDUSTRY_CYCLE[n % len(INDUSTRY_CYCLE)]
            joint: Organization | None = None
            co_builder: Organization | None = None
            if n in UNIVERSITY_SLOTS:
                host = self.university_for(industry, hosts_taken)
                hosts_taken.add(id(host))
                if industry not in data.UNIVERSITIES[self.universities.index(host)].industries:
                    industry = data.UNIVERSITIES[self.universities.index(host)].industries[0]
                research = self.research_field(industry)
                joint = self.enterprise(industry, research)
            else:
                research = self.research_field(industry)
                host = self.enterprise(industry, research)
                if self.rng.random() < 0.35:
                    co_builder = self.university_for(industry, set())
            second = self.rng.choice([i for i in data.INDUSTRIES if i != industry])
            industries = [industry] if self.rng.random() < 0.6 else [industry, second]
            centres.append(
                _Centre(n, state, year, industry, research, host, co_builder, joint, industries=industries)
            )
        self.flush()
        ctos: dict[int, Person] = {}
        for c in centres:
            if c.host.kind == "enterprise":
                if id(c.host) not in ctos:
                    ctos[id(c.host)] = self.person(organization=c.host, born_from=1970, born_to=1985)
                c.host_people.append(ctos[id(c.host)])
        self.flush()
        filings: dict[int, tuple[str, date]] = {}
        for c in centres:
            if c.host.kind == "enterprise":
                if id(c.host) not in filings:
                    filing_year = min(c.year, 2025) - self.rng.randint(0, 1)
                    filing = (
                        f"LZCTO-{filing_year}-{self.rng.randint(1, 199):03d}",
                        self.day(date(filing_year, 1, 10), 60),
                    )
                    add_cto_filing(
                        self.s,
                        organization_id=c.host.id or 0,
                        name=c.host_people[0].name,
                        person_id=c.host_people[0].id,
                        filing_no=filing[0],
                        filing_date=filing[1],
                    )
                    filings[id(c.host)] = filing
                c.cto_filing = filings[id(c.host)]
        return centres

    def create_centre(self, c: _Centre) -> None:
        zh, en, direction, _companies = c.research
        # 第二十六条: 柳州××工程技术研究中心（依托单位名称）and its English form with the host's English name
        name_zh = f"柳州{zh}工程技术研究中心（{c.host.name}）"
        name_en = f"Liuzhou {en} Research Center of Engineering Technology ({c.host.name_en})"
        drafted = self.day(date(c.year, 3, 5), 30)
        c.center = add_center(
            self.s,
            name_zh=name_zh,
            name_en=name_en,
            research_direction=direction,
            host_id=c.host.id or 0,
            on=drafted,
            industries=c.industries,
            co_builder_ids=[c.co_builder.id or 0] if c.co_builder else [],
            reason=f"{c.year}年度申报，填写申请书",
        )
        c.declaration = self.declaration(c, drafted)

    def declaration(self, c: _Centre, drafted: date) -> Declaration:
        assert c.center is not None
        application = self.day(date(c.year, 5, 8), 20)
        cto = c.host_people[0] if c.host_people else None
        filing = c.cto_filing
        decl = self.add(
            Declaration.model_validate(
                {
                    "call_id": self.calls[c.year].id,
                    "center_id": c.center.id,
                    "host_id": c.host.id,
                    "application_date": application,
                    "name_zh": c.center.name_zh,
                    "name_en": c.center.name_en,
                    "research_direction": c.center.research_direction,
                    "rd_org_established": date(c.year - self.rng.randint(3, 9), self.rng.randint(1, 12), 1),
                    "floor_area_m2": float(self.rng.randrange(320, 2400, 20)),
                    "competent_department": c.host.competent_department,
                    "first_level_legal_person": True,
                    "cto_name": cto.name if cto else None,
                    "cto_filing_no": filing[0] if filing else None,
                    "cto_filing_date": filing[1] if filing else None,
                    "signature_name": cto.name if cto else self.person_name(),
                    "signature_role": "cto" if cto else "legal_representative",
                    "signature_date": application - timedelta(days=2),
                    "status": "draft" if c.state is S.DRAFT else "submitted",
                    "submitted_on": None if c.state is S.DRAFT else application,
                    "previous_revocation_date": EVALUATION_NOTICE if c.slot == REAPPLICATION_SLOT else None,
                }
            )
        )
        self.flush()
        did = decl.id
        for pos, industry in enumerate(c.industries):
            self.add(
                DeclarationIndustry.model_validate(
                    {"declaration_id": did, "position": pos, "industry": industry}
                )
            )
        for pos, (org, role) in enumerate(
            [(o, r) for o, r in ((c.co_builder, "co_builder"), (c.joint, "joint_applicant")) if o is not None]
        ):
            self.add(
                DeclarationParty.model_validate(
                    {"declaration_id": did, "organization_id": org.id, "role": role, "position": pos}
                )
            )
        staff_n = SHORT_STAFF if c.slot == SHORT_STAFF_SLOT else self.rng.randint(9, 16)
        degrees = ["博士"] * 2 + ["硕士"] * 3 + ["本科"] * (staff_n - 6) + ["大专"]
        titles = ["正高级"] * 2 + ["副高级"] * 2 + ["中级"] * 3 + ["初级"] * (staff_n - 8) + ["无"]
        for pos in range(staff_n):
            self.add(
                DeclarationStaff.model_validate(
                    {
                        "declaration_id": did,
                        "position": pos,
                        "name": self.person_name(),
                        "birth_date": date(
                            self.rng.randint(1966, 1998), self.rng.randint(1, 12), self.rng.randint(1, 28)
                        ),
                        "degree": degrees[pos],
                        "title": titles[pos],
                        "tech_leader": pos == 0,
                    }
                )
            )
        y = c.year
        levels = [("region", "lead"), ("city", "participate"), ("city", "lead"), ("national", "participate")]
        for pos in range(self.rng.randint(2, 4)):
            level, role = levels[pos]
            self.add(
                DeclarationProject.model_validate(
                    {
                        "declaration_id": did,
                        "position": pos,
                        "name": f"{c.center.research_direction[:10]}关键技术研究（课题{pos + 1}）",
                        "level": level,
                        "role": role,
                        "approved_date": self.day(date(y - 3, 6, 1), 900),
                    }
                )
            )
        kinds = ["invention_patent", "invention_patent", "new_product", "new_technology", "standard", "award"]
        for pos in range(self.rng.randint(5, 7)):
            kind = kinds[pos % len(kinds)]
            self.add(
                DeclarationAchievement.model_validate(
                    {
                        "declaration_id": did,
                        "position": pos,
                        "kind": kind,
                        "title": f"{c.center.research_direction[:8]}相关成果{pos + 1}",
                        "achieved_on": self.day(date(y - 3, 7, 1), 950),
                        "number": f"ZL{y - 2}1{self.rng.randint(1000000, 9999999)}.{self.rng.randint(0, 9)}"
                        if kind == "invention_patent"
                        else None,
                        "transferred": kind == "invention_patent" and pos == 1,
                    }
                )
            )
        for pos, (name, value) in enumerate(self.rng.sample(data.EQUIPMENT, self.rng.randint(1, 3))):
            self.add(
                DeclarationEquipment.model_validate(
                    {"declaration_id": did, "position": pos, "name": name, "value_yuan": value}
                )
            )
        for year in range(y - 3, y):
            self.add(
                DeclarationInvestment.model_validate(
                    {
                        "declaration_id": did,
                        "year": year,
                        "amount_yuan": self.rng.randrange(1_700_000, 4_000_000, 10_000),
                    }
                )
            )
            if c.host.kind == "enterprise":
                revenue = self.rng.randrange(60_000_000, 900_000_000, 1_000_000)
                self.add(
                    DeclarationFinance.model_validate(
                        {
                            "declaration_id": did,
                            "year": year,
                            "sales_revenue_yuan": revenue,
                            "rd_expense_yuan": revenue * self.rng.randint(35, 70) // 1000,
                        }
                    )
                )
        partner = (c.co_builder or c.joint or self.rng.choice(self.universities)).name
        self.add(
            DeclarationCooperation.model_validate(
                {
                    "declaration_id": did,
                    "position": 0,
                    "partner": partner,
                    "kind": "agreement",
                    "cooperated_on": self.day(date(y - 2, 3, 1), 500),
                    "title": "产学研合作协议",
                }
            )
        )
        return decl

    # --- the recognition procedure ---------------------------------------------------------------

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

    def review(self, c: _Centre, session: ReviewSession, target: float | None) -> None:
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

    def step(
        self, c: _Centre, to: CenterState, on: date, reason: str, document_no: str | None = None
    ) -> None:
        assert c.center is not None
        self.as_staff(data.STAFF_INTAKE if to in (S.SUBMITTED, S.UNDER_REVIEW) else data.STAFF_REVIEW)
        apply_state_change(self.s, c.center, to_state=to.value, on=on, reason=reason, document_no=document_no)

    def run_procedure(self, c: _Centre, notices: dict[tuple[int, int], PublicNotice]) -> None:
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

    # --- running a recognised centre ---------------------------------------------------------------

    def management(self, c: _Centre) -> None:
        assert c.center is not None and c.recognized_on is not None
        start = c.recognized_on
        limit = c.ends_on or DEMO_TODAY  # a revoked or forfeited centre stopped running
        problem = COMMITTEE_PROBLEMS.get(c.slot)
        # Director: appointed before recognition, aged ≤ 60; after 3 years reappointed or succeeded.
        director = self.person(organization=c.host, born_from=1968, born_to=1982)
        appointed = start - timedelta(days=self.rng.randint(60, 300))
        appointments: list[tuple[Person, date]] = [(director, appointed)]
        while appointments[-1][1] + timedelta(days=3 * 365) < limit:
            prev_person, prev_day = appointments[-1]
            nxt = prev_day + timedelta(days=3 * 365 + 1)
            person = (
                prev_person
                if self.rng.random() < 0.6
                else self.person(organization=c.host, born_from=1972, born_to=1985)
            )
            appointments.append((person, nxt))
        self.flush()
        for n, (person, day) in enumerate(appointments):
            last = n == len(appointments) - 1
            term_end = term_last_day(day, 3)
            appt = self.add(
                DirectorAppointment.model_validate(
                    {
                        "center_id": c.center.id,
                        "person_id": person.id,
                        "appointed_on": day,
                        "filed_on": day + timedelta(days=self.rng.randint(10, 40)),
                        "term_ends_on": term_end,
                        "ended_on": None if last else term_end,
                        "status": "active" if last else "ended",
                    }
                )
            )
            self.flush()
            # months worked at the centre, every year of the appointment up to the last annual report
            until = min(limit, date(REPORT_YEARS[-1], 12, 31)) if last else min(term_end, limit)
            for year in range(day.year, until.year + 1):
                if year == day.year:
                    months = 13 - day.month
                elif not last and year == term_end.year:
                    months = term_end.month
                else:
                    months = self.rng.randint(8, 12)
                if problem == "M12b" and last and year == REPORT_YEARS[-1] and day.year < year:
                    months = 5  # seconded to another post for most of the year (deliberate M12b case)
                self.add(
                    DirectorWorkMonths.model_validate(
                        {"appointment_id": appt.id, "year": year, "months": months}
                    )
                )
                self.director_months[(c.center.id or 0, year)] = months
        # Management committee: people of the host and co-builder.
        members = [appointments[-1][0]] + [
            self.person(organization=c.host, born_from=1970, born_to=1990, title="副高级", degree="硕士")
            for _ in range(self.rng.randint(2, 3))
        ]
        if c.co_builder is not None:
            members.append(self.person(organization=c.co_builder, born_from=1965, born_to=1985))
        self.flush()
        for n, p in enumerate(members):
            self.add(
                ManagementCommitteeMember.model_validate(
                    {
                        "center_id": c.center.id,
                        "person_id": p.id,
                        "organization_id": p.organization_id,
                        "role": "chair" if n == 0 else "member",
                        "joined_on": start,
                    }
                )
            )
        for year in range(start.year + 1, limit.year + 1):
            count = 2 if year == DEMO_TODAY.year else self.rng.choice((2, 2, 3))
            if problem == "M13c" and year == REPORT_YEARS[-1]:
                count = 1  # the second meeting of 2025 never took place (deliberate M13c case)
            for k in range(count):
                held = date(year, 3 + k * 4, self.rng.randint(5, 25))
                if held >= limit:
                    continue
                self.meeting(
                    c, "management", None, held, members, self.rng.choice(data.MEETING_TOPICS_MANAGEMENT), 1
                )
        self.expert_committee(c, start, limit, even=problem == "M14b")

    def meeting(
        self,
        c: _Centre,
        committee: str,
        term_id: int | None,
        held: date,
        members: list[Person],
        topic: str,
        absent: int,
    ) -> None:
        assert c.center is not None
        meeting = self.add(
            CommitteeMeeting.model_validate(
                {
                    "center_id": c.center.id,
                    "committee": committee,
                    "term_id": term_id,
                    "held_on": held,
                    "topic": topic,
                }
            )
        )
        self.flush()
        present = members[:]
        for _ in range(self.rng.randint(0, absent)):
            present.pop(self.rng.randrange(1, len(present)))
        for p in present:
            self.add(MeetingAttendance.model_validate({"meeting_id": meeting.id, "person_id": p.id}))

    def expert_committee(self, c: _Centre, recognized: date, limit: date, *, even: bool = False) -> None:
        """Terms of the expert guidance committee up to ``limit``; with ``even`` the latest term
        has 8 members (deliberate M14b case: one member left at the 换届 and was not replaced)."""
        assert c.center is not None
        size = 9 if even else self.rng.choice((7, 9, 9, 11))
        own = 2 if even else self.rng.randint(1, size // 3)  # host/co-builder members ≤ 1/3
        insiders = [self.person(organization=c.host, born_from=1970, born_to=1985) for _ in range(own)]
        # external experts: never from the host or a co-building unit (第十四条、第十五条)
        own_units = {o.name for o in (c.host, c.co_builder) if o is not None}
        external = [p for p in self.external if p.organization_name not in own_units]
        outsiders = self.rng.sample(external, size - own)
        self.flush()
        members = outsiders + insiders  # the chair is outsiders[0]
        start = recognized + timedelta(days=self.rng.randint(20, 60))
        term_no = 1
        chair_terms = 0
        while start < limit:
            end = term_last_day(start, 3)
            if even and term_no > 1 and end >= limit:
                members = [p for p in members if p is not outsiders[-1]]
            chair_terms += 1
            if chair_terms > 2:  # 第十五条: at most two consecutive terms as chair
                members = members[1:] + members[:1]
                chair_terms = 1
            term = self.add(
                ExpertCommitteeTerm.model_validate(
                    {
                        "center_id": c.center.id,
                        "term_no": term_no,
                        "starts_on": start,
                        "ends_on": end,
                        "chair_person_id": members[0].id,
                        "recommended_on": start - timedelta(days=20),
                        "reviewed_on": start - timedelta(days=10),
                        "filed_on": start + timedelta(days=15),
                    }
                )
            )
            self.flush()
            for p in members:
                category = "center_leader" if p in insiders else self._category(p)
                self.add(
                    ExpertCommitteeMember.model_validate(
                        {
                            "term_id": term.id,
                            "person_id": p.id,
                            "category": category,
                            "organization_name": p.organization_name,
                        }
                    )
                )
            for year in range(start.year, min(end.year, DEMO_TODAY.year) + 1):
                held = date(year, self.rng.randint(4, 10), self.rng.randint(1, 28))
                if start <= held <= end and held < limit:
                    self.meeting(
                        c,
                        "expert",
                        term.id,
                        held,
                        members,
                        self.rng.choice(data.MEETING_TOPICS_EXPERT),
                        len(members) // 3,  # attendance ≥ 2/3
                    )
            # 换届: replace at least one third of the external members (never the whole committee).
            replace = -(-size // 3)
            fresh = self.rng.sample([p for p in external if p not in members], replace)
            keep_out = [p for p in members if p not in insiders][: len(outsiders) - replace]
            members = keep_out + fresh + insiders
            outsiders = keep_out + fresh
            start = end + timedelta(days=1)
            term_no += 1

    def _category(self, p: Person) -> str:
        for org, category in data.EXTERNAL_ORGS:
            if org == p.organization_name:
                return category
        return "other"

    # --- annual reports and the evaluation ---------------------------------------------------------

    def annual_reports(self, centres: list[_Centre]) -> None:
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

    def evaluation(self, centres: list[_Centre]) -> None:
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
            grade = "absent"
            if participated:
                group_scores = {
                    g: max(0.0, min(100.0, round(target + self.rng.uniform(-3, 3), 1)))
                    for g, _ in GROUP_WEIGHTS
                }
                total = round(sum(group_scores[g] * w for g, w in GROUP_WEIGHTS) / 100, 2)
                grade = (
                    "excellent"
                    if total >= 90
                    else "qualified"
                    if total >= 75
                    else "rectify"
                    if total >= 60
                    else "fail"
                )
            ev = self.add(
                Evaluation.model_validate(
                    {
                        "round_id": rnd.id,
                        "center_id": c.center.id,
                        "participated": participated,
                        "total_score": total,
                        "grade": grade,
                        "conditions_ok": grade in ("excellent", "qualified"),
                        "notice_date": notice,
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
            doc = "柳科发〔2025〕88号"
            if grade == "rectify":
                self.add(
                    Rectification.model_validate(
                        {
                            "evaluation_id": ev.id,
                            "center_id": c.center.id,
                            "notice_date": notice,
                            "deadline": years_after(notice, 1),
                            "outcome": "pending",
                        }
                    )
                )
                self.step(c, S.RECTIFYING, notice, "2025年度绩效评估结果为整改，给予一年整改期限", doc)
            elif grade == "fail":
                self.step(c, S.REVOKED, notice, "2025年度绩效评估结果为不合格，取消工程技术中心称号", doc)
                self._end_recognition(c, "revoked")
            elif grade == "absent":
                self.step(c, S.FORFEITED, notice, "未参加2025年度绩效评估，视为自动放弃工程技术中心资格", doc)
                self._end_recognition(c, "forfeited")

    def _end_recognition(self, c: _Centre, status: str) -> None:
        assert c.center is not None
        for r in self.s.execute(
            select(Recognition).where(col(Recognition.center_id) == c.center.id)
        ).scalars():
            r.status = status
            self.add(r)


def build_demo(ctx: AppContext, *, seed: int = 2026) -> DemoSummary:
    """Fill the (empty) database of ``ctx`` with the demo dataset, in one audited transaction."""
    with unit_of_work(ctx, "demo.build_demo") as session:
        existing = session.execute(select(func.count()).select_from(Center)).scalar_one()
        if existing:
            from lzcenter_desktop.services.errors import ServiceError

            raise ServiceError("数据库中已有中心数据，演示数据只能生成到空数据库中", field="数据库")
        b = _Builder(session, seed)
        b.as_staff(data.STAFF_REVIEW)  # the calls, the rule set and the expert pool
        b.calls_and_settings(data.STAFF_REVIEW)
        b.people_pool()
        b.as_staff(data.STAFF_INTAKE)  # hosts, CTO filings and the declarations
        centres = b.plan_centres()
        for c in centres:
            b.create_centre(c)
        b.flush()
        notices: dict[tuple[int, int], PublicNotice] = {}
        for c in sorted(centres, key=lambda c: (c.year, c.center.id if c.center else 0)):
            b.run_procedure(c, notices)
            if c.declaration is not None:
                b.add(c.declaration)
        b.flush()
        b.as_staff(data.STAFF_OPERATIONS)  # running the recognised centres
        for c in centres:
            if c.recognized_on is not None:
                b.management(c)
        b.annual_reports(centres)
        b.as_staff(data.STAFF_REVIEW)
        b.evaluation(centres)
        b.flush()
    return summarize(ctx, seed=seed)


def summarize(ctx: AppContext, *, seed: int = 0) -> DemoSummary:
    """Rows per table and centres per state."""
    with reading(ctx) as session:
        counts = {
            name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in sorted(metadata.tables.items())
        }
        states = {
            str(state): int(n)
            for state, n in session.execute(
                select(Center.state, func.count()).group_by(col(Center.state))
            ).all()
        }
    labels = "、".join(f"{lifecycle.label(s)}{states.get(s.value, 0)}" for s in CenterState)
    headline = f"{counts.get('center', 0)} 个中心（{labels}），{counts.get('audit_entry', 0)} 条审计记录"
    return DemoSummary(counts=counts, states=states, seed=seed, headline=headline)


def ensure_demo_database(path: Path) -> Path:
    """Build the demo database at ``path`` if it is absent or has no centre yet; otherwise leave it."""
    ctx = open_app(str(path), operator=DEMO_OPERATOR)
    try:
        with reading(ctx) as session:
            has_centres = session.execute(select(func.count()).select_from(Center)).scalar_one() > 0
        if not has_centres:
            build_demo(ctx)
    finally:
        ctx.db.dispose()
    return Path(path)
