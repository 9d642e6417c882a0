"""Centres taken through the guarded lifecycle to 已认定 on a chosen day, for the tests of the
consequences of an evaluation (第二十四条, 第二十五条)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, select

from lzcenter_desktop.services import centers, organizations
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.storage.models import Center, CenterStateChange, Rectification
from tests.review_records import NOTICE_DAYS, take_steps


def open_db(tmp_path: Path, name: str = "consequences.sqlite") -> AppContext:
    return open_app(str(tmp_path / name), operator="覃科长")


def titled(
    ctx: AppContext,
    core: str,
    recognised: date = date(2021, 6, 1),
    *,
    host_name: str | None = None,
    credit_code: str | None = None,
) -> int:
    """A centre of host ``host_name`` (default 柳州<core>有限公司) recognised on ``recognised``."""
    host = host_name or f"柳州{core}有限公司"
    host_id = organizations.create_organization(ctx, name=host, kind="enterprise", credit_code=credit_code)
    notice_from = recognised - timedelta(days=NOTICE_DAYS + 1)
    cid = centers.create_center(
        ctx,
        name_zh=f"柳州{core}工程技术研究中心（{host}）",
        host_id=host_id,
        on=recognised - timedelta(days=100),
        industries=["汽车"],
    )
    take_steps(
        ctx,
        cid,
        [
            ("submitted", recognised - timedelta(days=90)),
            ("under_review", recognised - timedelta(days=60)),
            ("proposed", notice_from - timedelta(days=1)),
            ("public_notice", notice_from),
            ("recognised", recognised),
        ],
    )
    return cid


def state(ctx: AppContext, center_id: int) -> str:
    with ctx.db.session() as session:
        center = session.get(Center, center_id)
        assert center is not None
        return center.state


def last_change(ctx: AppContext, center_id: int) -> CenterStateChange:
    with ctx.db.session() as session:
        row = session.execute(
            select(CenterStateChange)
            .where(col(CenterStateChange.center_id) == center_id)
            .order_by(col(CenterStateChange.id).desc())
            .limit(1)
        ).scalar_one()
        return row


def rectifications(ctx: AppContext, center_id: int) -> list[Rectification]:
    with ctx.db.session() as session:
        return list(
            session.execute(select(Rectification).where(col(Rectification.center_id) == center_id)).scalars()
        )
