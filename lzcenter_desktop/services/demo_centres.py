"""The demo's organizations and planned centres, and the reference data every chapter uses.

Hosts (enterprises with a registered CTO, universities and institutes, 第九条（一）（七）（八）),
co-builders and joint applicants, the planned centres with their industries and research fields,
the annual calls (第十条（一）) with the rule set, and the pool of external people and experts
that reviews (第十条) and expert committees (第十四条) draw from.
"""

from __future__ import annotations

from datetime import date

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.demo_base import (
    CURRENT_CALL_YEAR,
    FIRST_CALL_YEAR,
    PLAN,
    REAPPLICATION_SLOT,
    REVOKED_SLOT,
    UNIVERSITY_SLOTS,
    BuilderBase,
    DemoCentre,
)
from lzcenter_desktop.services.organizations import add_cto_filing, add_organization
from lzcenter_desktop.services.rulesets import add_settings_version
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Expert,
    Organization,
    Person,
)

INDUSTRY_CYCLE = (
    "汽车", "机械", "汽车", "新材料", "日用消费品", "电子信息", "钢铁", "汽车", "生物医药", "现代农业",
    "机械", "化工", "节能环保", "汽车", "现代农业", "新材料", "机械", "日用消费品", "电子信息", "汽车",
)  # fmt: skip


class CentresBuilder(BuilderBase):
    """Organizations, planned centres and reference data."""

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

    def plan_centres(self) -> list[DemoCentre]:
        centres: list[DemoCentre] = []
        hosts_taken: set[int] = set()  # each university/institute hosts one centre
        for n, (state, year) in enumerate(PLAN):
            if n == REAPPLICATION_SLOT:  # the revoked centre's host applies again, for the same centre
                old = centres[REVOKED_SLOT]
                centres.append(
                    DemoCentre(
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
                DemoCentre(n, state, year, industry, research, host, co_builder, joint, industries=industries)
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
