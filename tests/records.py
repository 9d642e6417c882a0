"""Records the bureau already holds, built through the services (no Qt): shared by service and GUI tests."""

from __future__ import annotations

from datetime import date

from lzcenter_desktop.domain.evaluation import Grade
from lzcenter_desktop.services.centers import add_center, apply_state_change
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.evaluation.consequences import apply_consequence_in
from lzcenter_desktop.services.organizations import add_organization
from lzcenter_desktop.services.uow import unit_of_work
from lzcenter_desktop.storage.models import Evaluation
from tests.consequence_records import add_evaluation
from tests.review_records import add_notice, add_review_result

REVOKED_ON = date(2024, 6, 10)  # the example applies on 2026-06-10: exactly two years later
REVOCATION_NO = "柳科字〔2024〕9号"


def revoke_a_centre_of(ctx: AppContext, *, name: str, code: str | None, on: date = REVOKED_ON) -> None:
    """Register ``name`` with a centre that went the whole way to 已撤销 on ``on``."""
    steps = [
        ("submitted", date(2019, 5, 1)),
        ("under_review", date(2019, 6, 1)),
        ("proposed", date(2019, 7, 1)),
        ("public_notice", date(2019, 7, 2)),
        ("recognised", date(2019, 7, 25)),  # after the 公示 of 2019-07-02 + 20 days
    ]
    with unit_of_work(ctx, "test.revoke") as session:
        org = add_organization(session, name=name, kind="enterprise", credit_code=code)
        assert org.id is not None
        center = add_center(
            session,
            name_zh=f"柳州旧工程技术研究中心（{name}）",
            host_id=org.id,
            on=date(2019, 4, 1),
            industries=["汽车"],
        )
        assert center.id is not None
        for state, day in steps:
            if state == "proposed":  # the review records the guarded steps need
                add_review_result(session, center.id, call_year=day.year, decided_on=day)
            elif state == "public_notice":
                add_notice(session, [center.id], call_year=day.year, start=day)
            apply_state_change(session, center, to_state=state, on=day, reason="测试")
        # revoked as the consequence of an evaluation graded 不合格 (第二十四条（四）)
        evaluation = session.get(
            Evaluation, add_evaluation(session, center.id, year=on.year, grade=Grade.FAILED)
        )
        assert evaluation is not None
        apply_consequence_in(session, evaluation, on=on, document_no=REVOCATION_NO)
