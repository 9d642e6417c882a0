"""Shared builders for review (评审, issue 13) tests: a database with a call, submitted declarations
(optionally through 形式审查), experts, a session with a panel and assignments.

Plain functions, everything built through the public services. Import them as
``from tests.review_fixtures import ...``. A typical set-up::

    ctx = open_review_db(tmp_path)
    setup = review_setup(ctx)  # call 2026, 3 declarations under review, 6 experts, 1 panel, assigned
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.credit_code import check_char
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.review import assignments, calls, experts, formal, panels

EXAMPLE = Path(__file__).resolve().parent / "data" / "examples" / "declaration-enterprise.json"
YEAR = 2026
# A draft's centre enters 草稿 today (the import dates it so) and no state change may be dated
# before that: the procedure's dates are counted from today.
TODAY = dt.date.today()
SUBMITTED_ON = TODAY
FORMAL_ON = TODAY + dt.timedelta(days=7)
REVIEW_ON = TODAY + dt.timedelta(days=30)
DEFAULT_SEED = "review-fixture"


def open_review_db(tmp_path: Path, *, operator: str = "评审科员", name: str = "review.sqlite") -> AppContext:
    """A fresh database file in ``tmp_path`` (call ``ctx.db.dispose()`` when done, or use a fixture)."""
    return open_app(str(tmp_path / name), operator=operator)


def credit_code(n: int, *, district: str = "450205", org_type: str = "91") -> str:
    """A valid 统一社会信用代码, distinct for each ``n`` (0 ≤ n < 10**9)."""
    first = f"{org_type}{district}{n:09d}"
    return first + check_char(first)


def example_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def declaration_document(
    n: int,
    *,
    year: int = YEAR,
    host_name: str | None = None,
    host_code: str | None = None,
    co_builders: Sequence[tuple[str, str]] = (),
    joint_applicants: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The example enterprise declaration made distinct by ``n``: host ``柳州测试{n}号科技有限公司``
    (credit code ``credit_code(n)``), centre ``柳州测试{n}号工程技术研究中心（host）``; co-builders
    and joint applicants as (name, credit code) pairs."""
    doc = copy.deepcopy(example_document())
    host = host_name or f"柳州测试{n}号科技有限公司"
    doc["call_year"] = year
    doc["host"]["name"] = host
    doc["host"]["credit_code"] = host_code or credit_code(n)
    doc["center"]["name_zh"] = f"柳州测试{n}号工程技术研究中心（{host}）"
    doc["co_builders"] = [{"name": nm, "credit_code": code, "kind": "enterprise"} for nm, code in co_builders]
    doc["joint_applicants"] = [
        {"name": nm, "credit_code": code, "kind": "university"} for nm, code in joint_applicants
    ]
    return doc


def make_call(ctx: AppContext, *, year: int = YEAR, **kwargs: Any) -> int:
    """The call of ``year`` through :func:`calls.create_call` (title and dates defaulted)."""
    values: dict[str, Any] = {
        "title": f"{year}年度柳州市工程技术研究中心建设申报通知",
        "document_no": f"柳科发〔{year}〕8号",
        "published_on": dt.date(year, 3, 1),
        "deadline": dt.date(year, 6, 30),
    }
    values.update(kwargs)
    return calls.create_call(ctx, year=year, **values)


def submit_declaration(
    ctx: AppContext,
    n: int,
    *,
    on: dt.date = SUBMITTED_ON,
    **document_kwargs: Any,
) -> int:
    """Import and submit the declaration ``declaration_document(n, ...)``; returns its id (the call
    of its year is created by the import when it does not exist yet — make it first with
    :func:`make_call` to choose its details)."""
    outcome = d.import_declaration_data(ctx, data=declaration_document(n, **document_kwargs))
    d.submit_declaration(ctx, declaration_id=outcome.declaration_id, on=on)
    return outcome.declaration_id


def submitted_declarations(ctx: AppContext, count: int, *, first: int = 1, year: int = YEAR) -> list[int]:
    return [submit_declaration(ctx, n, year=year) for n in range(first, first + count)]


def pass_formal(ctx: AppContext, declaration_ids: Sequence[int], *, on: dt.date = FORMAL_ON) -> None:
    """形式审查 通过 for each declaration (their centres move to 评审中)."""
    for did in declaration_ids:
        formal.decide_formal(ctx, declaration_id=did, decision="passed", on=on)


def add_experts(ctx: AppContext, count: int, *, first: int = 1, specialty: str = "智能制造") -> list[int]:
    """``count`` experts, each from a unit of their own (``广西测试{i}号研究院``, registered with a
    credit code), named ``专家{i:02d}``."""
    return [
        experts.create_expert(
            ctx,
            name=f"专家{i:02d}",
            unit=f"广西测试{i}号研究院",
            credit_code=credit_code(50_000 + i, org_type="12"),
            specialty=specialty,
            title="正高级工程师",
            phone=f"0772-{3100000 + i}",
            email=f"expert{i}@example.com",
        )
        for i in range(first, first + count)
    ]


@dataclass(frozen=True)
class ReviewSetup:
    call_id: int
    declaration_ids: list[int]
    expert_ids: list[int]
    session_id: int
    panel_id: int
    assignment_ids: list[int]


def review_setup(
    ctx: AppContext,
    *,
    declarations: int = 3,
    expert_count: int = 6,
    per_declaration: int = 3,
    aggregation: str = "mean",
    held_on: dt.date = REVIEW_ON,
    score_deadline: dt.date | None = None,
    draw: int | None = None,
    seed: str = DEFAULT_SEED,
    assign: bool = True,
) -> ReviewSetup:
    """A call of 2026 with ``declarations`` submitted declarations passed by 形式审查 (centres 评审中),
    ``expert_count`` experts, a session on ``held_on`` with one panel 「第一组」 holding every
    declaration, ``draw`` experts drawn with ``seed`` (default: all of them) and, with ``assign``, a
    balanced assignment of ``per_declaration`` experts to each declaration."""
    call_id = make_call(ctx)
    decl_ids = submitted_declarations(ctx, declarations)
    pass_formal(ctx, decl_ids)
    expert_ids = add_experts(ctx, expert_count)
    session_id = panels.create_session(
        ctx,
        call_id=call_id,
        title="2026年度第一次评审会",
        held_on=held_on,
        aggregation=aggregation,
        score_deadline=score_deadline,
    )
    panel_id = panels.create_panel(ctx, session_id=session_id, name="第一组", field="智能制造")
    panels.add_panel_declarations(ctx, panel_id=panel_id, declaration_ids=decl_ids)
    panels.draw_experts(ctx, panel_id=panel_id, count=draw or expert_count, seed=seed)
    assignment_ids = (
        assignments.auto_assign(ctx, panel_id=panel_id, per_declaration=per_declaration) if assign else []
    )
    return ReviewSetup(call_id, decl_ids, expert_ids, session_id, panel_id, assignment_ids)
