"""The demo's plan and the common ground of the demo builder.

:data:`PLAN` gives each demo centre its final lifecycle state and call year, and the ``*_SLOT``
constants and :data:`COMMITTEE_PROBLEMS` mark the deliberate problem cases by position in it (see
:mod:`lzcenter_desktop.services.demo`).  :class:`DemoCentre` is one planned centre while it is
built; :class:`BuilderBase` holds the builder's state (the seeded random generators, the names and
codes used so far, the calls, experts, the build's one transaction for the services …) and the
helpers every chapter uses: writing under a bureau clerk, people, credit codes, document numbers, a
lifecycle step.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from sqlmodel import Session

from lzcenter_desktop.domain.credit_code import ALPHABET, check_char
from lzcenter_desktop.domain.lifecycle import CenterState
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.centers import apply_state_change
from lzcenter_desktop.services.uow import audit_context
from lzcenter_desktop.storage.engine import Database
from lzcenter_desktop.storage.models import (
    AnnualCall,
    Center,
    Declaration,
    Expert,
    Organization,
    Person,
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


@dataclass
class DemoCentre:
    """One planned demo centre while it is built (its host, its records once made)."""

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


class BuilderBase:
    """The state of one demo build and the helpers every chapter of the build uses."""

    def __init__(self, session: Session, seed: int, shared: Database | None = None) -> None:
        self.s = session
        self.seed = seed
        self.rng = random.Random(seed)
        self.review_rng = random.Random(f"{seed}:review")  # the review chapter's own draws
        self.shared = shared  # the build's one transaction, for the public services (demo_transaction)
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self.brands = list(data.BRANDS)
        self.rng.shuffle(self.brands)
        self.calls: dict[int, AnnualCall] = {}
        self.external: list[Person] = []
        self.experts: list[Expert] = []
        self.universities: list[Organization] = []
        self.doc_no: dict[int, int] = {}
        self.plaque_seq: Counter[int] = Counter()
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

    def step(
        self, c: DemoCentre, to: CenterState, on: date, reason: str, document_no: str | None = None
    ) -> None:
        assert c.center is not None
        self.as_staff(data.STAFF_INTAKE if to in (S.SUBMITTED, S.UNDER_REVIEW) else data.STAFF_REVIEW)
        apply_state_change(self.s, c.center, to_state=to.value, on=on, reason=reason, document_no=document_no)
