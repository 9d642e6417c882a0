"""Two recognised centres for the 委员会 page tests, built through the services: the public example's
centre (its committees imported) and a second one without committee records."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from lzcenter_desktop.services import centers, committees, organizations
from tests.review_records import take_steps

AS_OF = date(2026, 11, 26)
HOST = "柳州某某汽车有限公司"
NAME = "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）"
OTHER = "柳州螺蛳粉工程技术研究中心（柳州嘉铖食品科技有限公司）"


def recognised(ctx: Any, name: str, host: int, co_builders: list[int], on: date) -> int:
    """A centre taken through every step of 第十条 up to recognition on ``on``."""
    cid = centers.create_center(
        ctx,
        name_zh=name,
        host_id=host,
        on=date(on.year, 3, 1),
        industries=["汽车"],
        co_builder_ids=co_builders,
    )
    steps = (("submitted", 4), ("under_review", 5), ("proposed", 6), ("public_notice", 7))
    take_steps(ctx, cid, [(state, date(on.year, month, 1)) for state, month in steps])
    centers.recognise(ctx, center_id=cid, on=on, document_no=f"柳科发〔{on.year}〕{on.month}号")
    return cid


def add_two_centres(ctx: Any, examples_dir: Path) -> Any:
    """``ctx.first`` (the example's centre, committees imported) and ``ctx.second``; returns ``ctx``."""
    host = organizations.create_organization(
        ctx, name=HOST, kind="enterprise", credit_code="91450200MA5K3L7Q58"
    )
    uni = organizations.create_organization(
        ctx, name="广西科技大学", kind="university", credit_code="12450000498503229M"
    )
    food = organizations.create_organization(ctx, name="柳州嘉铖食品科技有限公司", kind="enterprise")
    ctx.first = recognised(ctx, NAME, host, [uni], date(2022, 12, 1))
    ctx.second = recognised(ctx, OTHER, food, [], date(2023, 12, 1))
    text = (examples_dir / "committees.json").read_text(encoding="utf-8")
    committees.import_committees_json(ctx, center_id=ctx.first, data=committees.parse_json_text(text))
    return ctx
