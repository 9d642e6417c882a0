"""What the register says about a centre's documents: its latest recognition, why it may get no
new plaque or certificate, the specs drawn from it, and the recognition batches.

A centre that has been revoked (已撤销), has forfeited its title (自动放弃) or was withdrawn (已撤回)
gets no new plaque or certificate: :func:`plaque_spec` and :func:`certificate_spec` refuse with
the date and 文号 of that step of its history (:class:`Ending`).  Part of
:mod:`lzcenter_desktop.services.documents` (which re-exports the public names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlmodel import Session, col, select

from lzcenter_desktop.documents import certificate as certificate_doc
from lzcenter_desktop.documents import plaque as plaque_doc
from lzcenter_desktop.domain.lifecycle import TITLED_STATES, CenterState
from lzcenter_desktop.domain.lifecycle import label as state_label
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, CenterStateChange, Organization, Recognition

#: States in which a centre gets no new plaque or certificate, and its old certificate no longer
#: proves the title: 已撤销, 自动放弃, 已撤回.
ENDED_STATES: Final[frozenset[CenterState]] = frozenset(
    {CenterState.REVOKED, CenterState.FORFEITED, CenterState.WITHDRAWN}
)
ENDED_CODES: Final = frozenset(s.value for s in ENDED_STATES)
TITLED_CODES: Final = frozenset(s.value for s in TITLED_STATES)
#: What happened, as a sentence continues after “该中心已于 <date> …”.
ENDING_VERBS: Final[dict[str, str]] = {
    CenterState.REVOKED.value: "被撤销",
    CenterState.FORFEITED.value: "视为自动放弃工程技术中心资格",
    CenterState.WITHDRAWN.value: "撤回认定",
}

#: kind → Chinese name, the lists :func:`make_list` can make.


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, slots=True)
class Ending:
    """Why a centre does not hold the title (any more): the step of its history that says so.

    ``state`` is the state code (``revoked``, ``forfeited``, ``withdrawn``; or, for a centre that
    lost the title without such a step on record, its current state), ``on`` the date of the
    change, ``document_no`` its 文号 and ``reason`` the reason recorded with it.
    """

    state: str
    on: date | None
    document_no: str | None
    reason: str = ""

    @property
    def label(self) -> str:
        return state_label(self.state)

    def phrase(self) -> str:
        """``已于 2025年12月15日 被撤销（柳科发〔2025〕88号）`` (what follows “该中心”)."""
        verb = ENDING_VERBS.get(self.state)
        if verb is None:  # not an ending state: say where the centre is now
            text = f"当前状态为“{self.label}”" + (
                f"（自 {chinese_date(self.on)} 起）" if self.on is not None else ""
            )
        elif self.on is not None:
            text = f"已于 {chinese_date(self.on)} {verb}"
        else:
            text = f"已{verb}"
        if self.document_no:
            text += f"（{self.document_no}）"
        return text


@dataclass(frozen=True, slots=True)
class Refusal:
    """A centre that gets no new document, and the message saying why (Chinese, for the clerk)."""

    center_id: int
    name_zh: str
    ending: Ending
    message: str


@dataclass(frozen=True, slots=True)
class DocumentCenter:
    """A centre as the 文档 page lists it: what its plaque and certificate would say."""

    id: int
    name_zh: str
    name_en: str
    host: str
    state: str  # machine code, e.g. "recognised"
    recognized_on: date | None
    document_no: str | None  # 认定文号 of the latest recognition
    plaque_no: str | None
    certificate_no: str | None
    #: why the centre gets no new plaque or certificate (revoked, forfeited, withdrawn), or None
    ending: Ending | None = None

    @property
    def recognised(self) -> bool:
        return self.recognized_on is not None and bool(self.document_no)

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def blocked(self) -> bool:
        """True if no new plaque or certificate may be made for the centre (see :attr:`ending`)."""
        return self.ending is not None

    def refusal_text(self, what: str) -> str:
        """The Chinese refusal for a new ``what`` (“认定证书”, “牌匾”); empty if not blocked."""
        return "" if self.ending is None else refusal_message(self.name_zh, self.ending, what)


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """One recognition batch (认定批次): every recognition made by one 认定文号."""

    document_no: str
    recognized_on: date
    center_ids: tuple[int, ...]
    with_certificate_no: int  # how many of them have a 证书编号

    @property
    def label(self) -> str:
        return f"{self.document_no}（{self.recognized_on.isoformat()}，{len(self.center_ids)} 个中心）"


# --------------------------------------------------------------------------- reading


def latest_recognitions(session: Session) -> dict[int, Recognition]:
    out: dict[int, Recognition] = {}
    rows = session.execute(
        select(Recognition).order_by(col(Recognition.recognized_on), col(Recognition.id))
    ).scalars()
    for rec in rows:
        out[rec.center_id] = rec  # the last one wins: the latest recognition
    return out


def ending_rows(session: Session, center_id: int | None = None) -> dict[int, list[CenterStateChange]]:
    """Each centre's steps into 已撤销, 自动放弃 or 已撤回, oldest first (of one centre, or of all)."""
    stmt = (
        select(CenterStateChange)
        .where(col(CenterStateChange.to_state).in_(sorted(ENDED_CODES)))
        .order_by(col(CenterStateChange.changed_on), col(CenterStateChange.id))
    )
    if center_id is not None:
        stmt = stmt.where(col(CenterStateChange.center_id) == center_id)
    out: dict[int, list[CenterStateChange]] = {}
    for row in session.execute(stmt).scalars():
        out.setdefault(row.center_id, []).append(row)
    return out


def ending_of(row: CenterStateChange) -> Ending:
    return Ending(row.to_state, row.changed_on, row.document_no, row.reason or "")


def blocking_ending(
    center: Center, recognized_on: date | None, rows: Sequence[CenterStateChange]
) -> Ending | None:
    """Why ``center`` may get no new plaque or certificate now, or ``None`` if it may.

    * in 已撤销, 自动放弃 or 已撤回: the latest step into that state (its date, 文号 and reason;
      without one on record, the date the centre entered the state);
    * in another state without the title (e.g. a revoked centre's new 草稿) after a recognition:
      the first ending step since that recognition, else the current state;
    * in 已认定 or 整改中: ``None``.
    """
    if center.state in ENDED_CODES:
        same = [r for r in rows if r.to_state == center.state]
        return ending_of(same[-1]) if same else Ending(center.state, center.state_since, None)
    if center.state in TITLED_CODES or recognized_on is None:
        return None
    since = [r for r in rows if r.changed_on >= recognized_on]
    return ending_of(since[0]) if since else Ending(center.state, center.state_since, None)


def refusal_message(name: str, ending: Ending, what: str) -> str:
    text = f"不能为“{name}”生成新的{what}：该中心{ending.phrase()}，不持有柳州市工程技术研究中心称号。"
    if ending.reason:
        text += f"记录的原因：{ending.reason.rstrip('。')}。"
    return text


def document_center(
    center: Center, host: str, rec: Recognition | None, rows: Sequence[CenterStateChange]
) -> DocumentCenter:
    assert center.id is not None
    recognized_on = rec.recognized_on if rec else center.recognized_on
    return DocumentCenter(
        id=center.id,
        name_zh=center.name_zh,
        name_en=center.name_en,
        host=host,
        state=center.state,
        recognized_on=recognized_on,
        document_no=rec.document_no if rec else None,
        plaque_no=(rec.plaque_no if rec else None) or center.plaque_no,
        certificate_no=(rec.certificate_no if rec else None) or center.certificate_no,
        ending=blocking_ending(center, recognized_on, rows),
    )


def document_centers(ctx: AppContext, *, recognised_only: bool = False) -> list[DocumentCenter]:
    """Every centre (or only the recognised ones), by id, with its latest recognition's numbers
    and, for a centre that gets no new documents, why (:attr:`DocumentCenter.ending`)."""
    with reading(ctx) as session:
        latest = latest_recognitions(session)
        endings = ending_rows(session)
        rows = session.execute(
            select(Center, col(Organization.name))
            .join(Organization, col(Organization.id) == col(Center.host_id))
            .order_by(col(Center.id))
        ).all()
        out: list[DocumentCenter] = []
        for center, host in rows:
            assert center.id is not None
            item = document_center(center, str(host), latest.get(center.id), endings.get(center.id, []))
            if recognised_only and not item.recognised:
                continue
            out.append(item)
        return out


def one_center(ctx: AppContext, center_id: int) -> DocumentCenter:
    """One centre with its latest recognition (four indexed look-ups, whatever the register's size)."""
    with reading(ctx) as session:
        center = session.get(Center, center_id)
        if center is None:
            raise NotFound(f"找不到编号为 {center_id} 的中心。", field="中心")
        host = session.get(Organization, center.host_id)
        rec = (
            session.execute(
                select(Recognition)
                .where(col(Recognition.center_id) == center_id)
                .order_by(col(Recognition.recognized_on).desc(), col(Recognition.id).desc())
                .limit(1)
            )
            .scalars()
            .first()
        )
        rows = ending_rows(session, center_id).get(center_id, [])
        return document_center(center, host.name if host is not None else "", rec, rows)


def require_issuable(item: DocumentCenter, what: str) -> tuple[date, str]:
    """The recognition date and 文号 of a centre that may get a new ``what``; else
    :class:`ServiceError` (field 中心): revoked, forfeited or withdrawn — with the date, 文号 and
    reason of that step — or not recognised at all."""
    if item.ending is not None:
        raise ServiceError(refusal_message(item.name_zh, item.ending, what), field="中心")
    if item.recognized_on is None or not item.document_no:
        raise ServiceError(
            f"“{item.name_zh}”尚未认定（没有认定文号和认定日期），不能生成{what}。", field="中心"
        )
    return item.recognized_on, item.document_no


def plaque_spec(
    ctx: AppContext,
    center_id: int,
    *,
    width_mm: float = 600,
    height_mm: float = 400,
    bleed: bool = False,
    proof: bool = False,
) -> plaque_doc.PlaqueSpec:
    """The plaque of a recognised centre: its registered names and its recognition date.

    Refused (:class:`ServiceError`, field 中心) for a centre that is not recognised, or has been
    revoked, has forfeited its title or was withdrawn (:func:`require_issuable`)."""
    item = one_center(ctx, center_id)
    on, _ = require_issuable(item, "牌匾")
    if not item.name_en.strip():
        raise ServiceError(
            f"“{item.name_zh}”没有登记英文名称，牌匾需要英文名称，请先在“中心”页补充。", field="英文名称"
        )
    return plaque_doc.PlaqueSpec(
        name_zh=item.name_zh,
        name_en=item.name_en,
        date=on,
        width_mm=width_mm,
        height_mm=height_mm,
        bleed=bleed,
        proof=proof,
    )


def certificate_spec(ctx: AppContext, center_id: int) -> certificate_doc.CertificateSpec:
    """The certificate of a recognised centre with a 证书编号 (refused like :func:`plaque_spec`)."""
    item = one_center(ctx, center_id)
    on, document_no = require_issuable(item, "认定证书")
    if not item.certificate_no:
        raise ServiceError(
            f"“{item.name_zh}”没有证书编号，请先在认定记录中填写“证书编号”。", field="证书编号"
        )
    return certificate_doc.CertificateSpec(
        number=item.certificate_no,
        center_name=item.name_zh,
        host_name=item.host,
        recognition_doc_no=document_no,
        date=on,
    )


def recognition_batches(ctx: AppContext) -> list[BatchInfo]:
    """The recognition batches, newest first (one per 认定文号)."""
    with reading(ctx) as session:
        latest = latest_recognitions(session)
    groups: dict[str, list[Recognition]] = {}
    for rec in latest.values():
        groups.setdefault(rec.document_no, []).append(rec)
    out = [
        BatchInfo(
            document_no=doc_no,
            recognized_on=min(r.recognized_on for r in recs),
            center_ids=tuple(sorted(r.center_id for r in recs)),
            with_certificate_no=sum(1 for r in recs if r.certificate_no),
        )
        for doc_no, recs in groups.items()
    ]
    out.sort(key=lambda b: (b.recognized_on, b.document_no), reverse=True)
    return out


def registered_certificate(
    session: Session, number: str, on: date | None
) -> tuple[Center, Recognition | None] | None:
    """The centre (and recognition) the register holds certificate ``number`` for — recognised
    on ``on`` if that is given — or ``None``."""
    stmt = select(Recognition).where(col(Recognition.certificate_no) == number)
    if on is not None:
        stmt = stmt.where(col(Recognition.recognized_on) == on)
    rec = session.execute(stmt.order_by(col(Recognition.id))).scalars().first()
    if rec is not None:
        center = session.get(Center, rec.center_id)
        return (center, rec) if center is not None else None
    stmt_c = select(Center).where(col(Center.certificate_no) == number)
    if on is not None:
        stmt_c = stmt_c.where(col(Center.recognized_on) == on)
    center = session.execute(stmt_c.order_by(col(Center.id))).scalars().first()
    return (center, None) if center is not None else None
