"""The 现场核查 draws of a report year, newest first — what the 年报 section lists beside the draw
(:mod:`.spot_checks` draws and records findings; this only reads).

A stratified draw records its strata only in its method (``…，按所在区县分层）``); the list gives each
drawn report the stratum its centre is in now (the host's district, or the centre's first industry),
so the clerk sees how the draw was spread."""

from __future__ import annotations

from sqlmodel import col, select

from lzcenter_desktop.services.annual.spot_checks import (
    STRATA,
    SpotCheckDraw,
    _check_year,
    _strata,
    _view,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import AnnualReport, VerificationDraw


def stratify_of(method: str) -> str | None:
    """``district`` / ``industry`` for a method that says ``按<strata>分层``, else ``None``."""
    return next((key for key, name in STRATA.items() if f"按{name}分层" in method), None)


def list_draws(ctx: AppContext, *, year: int) -> list[SpotCheckDraw]:
    """Every recorded draw of ``year`` with its reports, their findings and (for a stratified
    draw) their strata, newest first."""
    _check_year(year)
    with reading(ctx) as session:
        draws = list(
            session.execute(
                select(VerificationDraw)
                .where(col(VerificationDraw.year) == year)
                .order_by(col(VerificationDraw.drawn_on).desc(), col(VerificationDraw.id).desc())
            ).scalars()
        )
        out: list[SpotCheckDraw] = []
        for draw in draws:
            strata: dict[int, str | None] = {}
            stratify = stratify_of(draw.method)
            if stratify is not None:
                drawn = list(
                    session.execute(
                        select(AnnualReport).where(col(AnnualReport.verification_draw_id) == draw.id)
                    ).scalars()
                )
                strata = _strata(session, drawn, stratify)
            out.append(_view(session, draw, strata))
        return out
