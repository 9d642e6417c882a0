"""The demo's declarations (第三章 申报与认定, 第九条): each centre is drafted with its
application (申请书), with every part of the interchange format — industries, co-builders and
joint applicants, R&D staff, projects, achievements, equipment, investment, finances and
cooperation.  The 2026 drafts carry the deliberate D25 and D9.3a cases.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from lzcenter_desktop.domain.interchange import declaration_to_json, parse_declaration
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.centers import add_center
from lzcenter_desktop.services.declarations import stored_document
from lzcenter_desktop.services.demo_base import (
    EVALUATION_NOTICE,
    REAPPLICATION_SLOT,
    SHORT_STAFF,
    SHORT_STAFF_SLOT,
    BuilderBase,
    DemoCentre,
    S,
)
from lzcenter_desktop.storage.models import (
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
)


class DeclarationsBuilder(BuilderBase):
    """Centres drafted with their declarations."""

    def create_centre(self, c: DemoCentre) -> None:
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
        self.document_of_record(c.declaration)

    def document_of_record(self, decl: Declaration) -> None:
        """Keep the document with the declaration (``source_json``) as the 申报 services do: a draft's
        as written, a submitted one's in canonical form; every reader then uses it rather than
        rebuilding it from the rows."""
        self.flush()
        document = stored_document(self.s, decl)  # from the rows just written
        if decl.status != "draft":
            document = declaration_to_json(parse_declaration(document))
        decl.source_json = json.dumps(document, ensure_ascii=False)

    def declaration(self, c: DemoCentre, drafted: date) -> Declaration:
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
