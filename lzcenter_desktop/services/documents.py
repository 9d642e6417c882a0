"""Documents from the database: plaques, certificates, official lists, and certificate verification.

The documents layer (``lzcenter_desktop.documents``) draws; this module decides *what* is drawn
from the recorded centres and recognitions, keeps the bureau's verification key, and checks
certificate codes against the register.

* :func:`plaque_spec` / :func:`certificate_spec` — the specs of one centre, from its latest
  recognition (第十条（五）: 认定文号, date, 牌匾编号, 证书编号);
* :func:`make_plaque`, :func:`make_certificate`, :func:`make_certificate_batch` — write PDFs;
  a batch is one recognition document (one 认定文号 = one 认定批次) and can be cancelled;
* :func:`make_list` — 拟认定名单, 认定名单, 评估结果, 整改通知, 年度报告汇总 of a year;
* :func:`bureau_key` — the HMAC key, made once and kept in the database (table ``bureau_secret``);
* :func:`verify_certificate` — is a code genuine, looked up in the register (version 2: by the
  serial and date of the code, :func:`certificate_candidates`; version 1: by certificate number).

A centre that has been revoked (已撤销), has forfeited its title (自动放弃) or was withdrawn (已撤回)
gets no new plaque or certificate: :func:`plaque_spec` and :func:`certificate_spec` refuse with
the date and 文号 of that step of its history (:class:`Ending`), a batch skips it and says so
(:class:`CertificateBatch`), and :func:`verify_certificate` reports a genuine certificate of such
a centre as ``revoked`` — “证书真实，但该中心已于 …… 被撤销（文号）”, never as valid.

Documents are records: every plaque, certificate and list made from the database writes one audit
entry per document (entity ``document``, operation ``issue``: what, which centre, certificate
number, verification code, file) in a unit of work; if that cannot be written, the files just
written are removed again.  A free-form certificate (:func:`write_certificate`, not from a
recognition record) is printed with :data:`~lzcenter_desktop.documents.certificate.UNREGISTERED_NOTE`,
audited as not registered, and verifies as ``unregistered``, not as genuine.

Every error for the clerk is a :class:`~lzcenter_desktop.services.errors.ServiceError` naming the
field; a character the fonts lack comes out as
:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (use :func:`glyph_problem_text`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlmodel import Session, col, select

from lzcenter_desktop.documents import certificate as certificate_doc
from lzcenter_desktop.documents import plaque as plaque_doc
from lzcenter_desktop.documents.certificate import CertificateSpec
from lzcenter_desktop.documents.fonts import MissingGlyphError, fallback_for
from lzcenter_desktop.documents.plaque import STANDARD_SIZES, PlaqueSpec
from lzcenter_desktop.documents.verify import (
    MIN_KEY_BYTES,
    VerifyResult,
    check_code,
    make_code,
    new_key,
    parse_code,
    serial_of,
)
from lzcenter_desktop.domain.lifecycle import TITLED_STATES, CenterState
from lzcenter_desktop.domain.lifecycle import label as state_label
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.labels import GRADE_LABELS, HOST_ASSESSMENT_LABELS, label_of
from lzcenter_desktop.services.uow import audit_context, reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    AuditEntry,
    Center,
    CenterStateChange,
    Evaluation,
    EvaluationRound,
    Organization,
    Recognition,
    Rectification,
    utcnow,
)

__all__ = [
    "AUDIT_ENTITY",
    "ENDED_STATES",
    "KEY_NAME",
    "LIST_KINDS",
    "STANDARD_SIZES",
    "BatchInfo",
    "CertificateBatch",
    "CertificateSpec",
    "DocumentCenter",
    "Ending",
    "PlaqueSpec",
    "Refusal",
    "VerifyResult",
    "bureau_key",
    "certificate_candidates",
    "certificate_spec",
    "document_centers",
    "glyph_problem_text",
    "make_certificate",
    "make_certificate_batch",
    "make_code",
    "make_list",
    "make_plaque",
    "plaque_spec",
    "recognition_batches",
    "render_selftest_page",
    "verify_certificate",
]

#: The name of the certificate key in table ``bureau_secret``.
KEY_NAME: Final = "certificate_hmac"

#: The audit trail's ``entity`` of a generated document (operation ``issue``).
AUDIT_ENTITY: Final = "document"
AUDIT_OPERATION: Final = "issue"

#: States in which a centre gets no new plaque or certificate, and its old certificate no longer
#: proves the title: 已撤销, 自动放弃, 已撤回.
ENDED_STATES: Final[frozenset[CenterState]] = frozenset(
    {CenterState.REVOKED, CenterState.FORFEITED, CenterState.WITHDRAWN}
)
_ENDED_CODES: Final = frozenset(s.value for s in ENDED_STATES)
_TITLED_CODES: Final = frozenset(s.value for s in TITLED_STATES)
#: What happened, as a sentence continues after “该中心已于 <date> …”.
_ENDING_VERBS: Final[dict[str, str]] = {
    CenterState.REVOKED.value: "被撤销",
    CenterState.FORFEITED.value: "视为自动放弃工程技术中心资格",
    CenterState.WITHDRAWN.value: "撤回认定",
}

#: kind → Chinese name, the lists :func:`make_list` can make.
LIST_KINDS: Final[dict[str, str]] = {
    "proposed": "拟认定名单",
    "recognised": "认定名单",
    "evaluation": "评估结果",
    "rectification": "整改通知",
    "annual_summary": "年度报告汇总",
}

Progress = Callable[[int, int], bool]


def _chinese_date(d: date) -> str:
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
        verb = _ENDING_VERBS.get(self.state)
        if verb is None:  # not an ending state: say where the centre is now
            text = f"当前状态为“{self.label}”" + (
                f"（自 {_chinese_date(self.on)} 起）" if self.on is not None else ""
            )
        elif self.on is not None:
            text = f"已于 {_chinese_date(self.on)} {verb}"
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
        return "" if self.ending is None else _refusal_message(self.name_zh, self.ending, what)


@dataclass(frozen=True, slots=True)
class CertificateBatch:
    """The result of :func:`make_certificate_batch`: the files written (empty if cancelled) and the
    centres of the batch that were skipped because they no longer hold the title."""

    files: list[Path]
    skipped: tuple[Refusal, ...] = ()

    @property
    def cancelled(self) -> bool:
        return not self.files

    def skipped_text(self) -> str:
        """``已跳过 N 个中心（…）：`` and one line per centre; empty if none was skipped."""
        if not self.skipped:
            return ""
        lines = [f"已跳过 {len(self.skipped)} 个不再持有称号的中心（不生成新证书）："]
        lines += [f"• “{r.name_zh}”{r.ending.phrase()}" for r in self.skipped]
        return "\n".join(lines)


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


def _latest_recognitions(session: Session) -> dict[int, Recognition]:
    out: dict[int, Recognition] = {}
    rows = session.execute(
        select(Recognition).order_by(col(Recognition.recognized_on), col(Recognition.id))
    ).scalars()
    for rec in rows:
        out[rec.center_id] = rec  # the last one wins: the latest recognition
    return out


def _ending_rows(session: Session, center_id: int | None = None) -> dict[int, list[CenterStateChange]]:
    """Each centre's steps into 已撤销, 自动放弃 or 已撤回, oldest first (of one centre, or of all)."""
    stmt = (
        select(CenterStateChange)
        .where(col(CenterStateChange.to_state).in_(sorted(_ENDED_CODES)))
        .order_by(col(CenterStateChange.changed_on), col(CenterStateChange.id))
    )
    if center_id is not None:
        stmt = stmt.where(col(CenterStateChange.center_id) == center_id)
    out: dict[int, list[CenterStateChange]] = {}
    for row in session.execute(stmt).scalars():
        out.setdefault(row.center_id, []).append(row)
    return out


def _ending_of(row: CenterStateChange) -> Ending:
    return Ending(row.to_state, row.changed_on, row.document_no, row.reason or "")


def _blocking_ending(
    center: Center, recognized_on: date | None, rows: Sequence[CenterStateChange]
) -> Ending | None:
    """Why ``center`` may get no new plaque or certificate now, or ``None`` if it may.

    * in 已撤销, 自动放弃 or 已撤回: the latest step into that state (its date, 文号 and reason;
      without one on record, the date the centre entered the state);
    * in another state without the title (e.g. a revoked centre's new 草稿) after a recognition:
      the first ending step since that recognition, else the current state;
    * in 已认定 or 整改中: ``None``.
    """
    if center.state in _ENDED_CODES:
        same = [r for r in rows if r.to_state == center.state]
        return _ending_of(same[-1]) if same else Ending(center.state, center.state_since, None)
    if center.state in _TITLED_CODES or recognized_on is None:
        return None
    since = [r for r in rows if r.changed_on >= recognized_on]
    return _ending_of(since[0]) if since else Ending(center.state, center.state_since, None)


def _refusal_message(name: str, ending: Ending, what: str) -> str:
    text = f"不能为“{name}”生成新的{what}：该中心{ending.phrase()}，不持有柳州市工程技术研究中心称号。"
    if ending.reason:
        text += f"记录的原因：{ending.reason.rstrip('。')}。"
    return text


def _document_center(
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
        ending=_blocking_ending(center, recognized_on, rows),
    )


def document_centers(ctx: AppContext, *, recognised_only: bool = False) -> list[DocumentCenter]:
    """Every centre (or only the recognised ones), by id, with its latest recognition's numbers
    and, for a centre that gets no new documents, why (:attr:`DocumentCenter.ending`)."""
    with reading(ctx) as session:
        latest = _latest_recognitions(session)
        endings = _ending_rows(session)
        rows = session.execute(
            select(Center, col(Organization.name))
            .join(Organization, col(Organization.id) == col(Center.host_id))
            .order_by(col(Center.id))
        ).all()
        out: list[DocumentCenter] = []
        for center, host in rows:
            assert center.id is not None
            item = _document_center(center, str(host), latest.get(center.id), endings.get(center.id, []))
            if recognised_only and not item.recognised:
                continue
            out.append(item)
        return out


def _center(ctx: AppContext, center_id: int) -> DocumentCenter:
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
        rows = _ending_rows(session, center_id).get(center_id, [])
        return _document_center(center, host.name if host is not None else "", rec, rows)


def _require_issuable(item: DocumentCenter, what: str) -> tuple[date, str]:
    """The recognition date and 文号 of a centre that may get a new ``what``; else
    :class:`ServiceError` (field 中心): revoked, forfeited or withdrawn — with the date, 文号 and
    reason of that step — or not recognised at all."""
    if item.ending is not None:
        raise ServiceError(_refusal_message(item.name_zh, item.ending, what), field="中心")
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
    revoked, has forfeited its title or was withdrawn (:func:`_require_issuable`)."""
    item = _center(ctx, center_id)
    on, _ = _require_issuable(item, "牌匾")
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
    item = _center(ctx, center_id)
    on, document_no = _require_issuable(item, "认定证书")
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
        latest = _latest_recognitions(session)
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


# --------------------------------------------------------------------------- the bureau's key


def _load_or_create_key(session: Session) -> bytes | None:
    """The stored key, or ``None`` when none has been made yet."""
    from lzcenter_desktop.storage.models import BureauSecret

    row = session.get(BureauSecret, KEY_NAME)
    if row is None:
        return None
    value = bytes(row.value)
    if len(value) < MIN_KEY_BYTES:
        raise ServiceError(
            "数据库中的证书验证密钥已损坏（长度不足），无法生成或核验证书，请联系系统维护人员。",
            field="证书验证密钥",
        )
    return value


def _store_new_key(session: Session) -> bytes:
    """Write a fresh key and an audit entry that names it without revealing it."""
    import hashlib
    import json

    from lzcenter_desktop.services.uow import audit_context
    from lzcenter_desktop.storage.models import AuditEntry, BureauSecret, utcnow

    key = new_key()
    now = utcnow()
    # Core insert: the ORM's automatic audit would copy the secret into the audit trail.
    session.connection().execute(
        BureauSecret.__table__.insert(),  # type: ignore[attr-defined]
        {"name": KEY_NAME, "value": key, "created_at": now.replace(tzinfo=None)},
    )
    audit = audit_context(session)
    fingerprint = hashlib.sha256(key).hexdigest()[:12]
    session.add(
        AuditEntry(
            operator=audit.operator,
            action=audit.action,
            operation="insert",
            entity="bureau_secret",
            entity_id=KEY_NAME,
            before=None,
            after=json.dumps(
                {"name": KEY_NAME, "value": f"（已隐藏，指纹 {fingerprint}）"}, ensure_ascii=False
            ),
            txn=audit.txn,
            at=audit.at,
        )
    )
    audit.entries += 1
    return key


def bureau_key(ctx: AppContext) -> bytes:
    """The bureau's certificate key, made on first use and kept in the database."""
    with reading(ctx) as session:
        key = _load_or_create_key(session)
    if key is not None:
        return key
    with unit_of_work(ctx, "documents.create_key") as session:
        key = _load_or_create_key(session)  # another user may have made it meanwhile
        return key if key is not None else _store_new_key(session)


# --------------------------------------------------------------------------- writing documents


def glyph_problem_text(exc: MissingGlyphError, *, option_hint: str = "") -> str:
    """The message for characters the fonts lack, each with the bundled fallback on offer.

    ``option_hint`` says how to choose another font where the message is shown (e.g. the CLI's
    ``--font``); it is added after a fallback's name.
    """
    lines = [f"有 {len(exc.missing)} 个字无法打印（所选字体没有这些字的字形），已停止生成，未写出任何文件："]
    for m in exc.missing:
        fallback = fallback_for(m.char)
        if fallback is not None:
            offer = f"可改用内置后备字体“{fallback.display_name}”{option_hint.format(key=fallback.role)}"
        else:
            offer = "内置后备字体也都没有此字，请改用常用写法，或联系维护人员扩充字体"
        lines.append(f"• {m.message}；{offer}。")
    return "\n".join(lines)


def _record(
    ctx: AppContext, action: str, entries: Sequence[tuple[str, Mapping[str, Any]]], written: Sequence[Path]
) -> None:
    """One audit entry per document (entity :data:`AUDIT_ENTITY`, operation ``issue``) in one unit
    of work.  A document without its record is not kept: if the entries cannot be written, the
    files just written are removed and the error is raised."""
    try:
        with unit_of_work(ctx, action) as session:
            audit = audit_context(session)
            for entity_id, details in entries:
                session.add(
                    AuditEntry(
                        operator=audit.operator,
                        action=audit.action,
                        operation=AUDIT_OPERATION,
                        entity=AUDIT_ENTITY,
                        entity_id=entity_id[:60],
                        before=None,
                        after=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
                        txn=audit.txn,
                        at=utcnow(),
                    )
                )
            audit.entries += len(entries)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _certificate_details(
    spec: certificate_doc.CertificateSpec, key: bytes, path: Path, center_id: int | None
) -> dict[str, Any]:
    return {
        "document": "认定证书",
        "registered": spec.registered,
        "center_id": center_id,
        "center_name": spec.center_name,
        "host_name": spec.host_name,
        "certificate_no": spec.number,
        "code": certificate_doc.certificate_code(spec, key),
        "recognition_doc_no": spec.recognition_doc_no,
        "recognized_on": spec.date.isoformat(),
        "file": str(path),
    }


def make_plaque(
    ctx: AppContext,
    center_id: int,
    path: Path,
    *,
    width_mm: float = 600,
    height_mm: float = 400,
    bleed: bool = False,
    proof: bool = False,
    faces: dict[str, str] | None = None,
) -> Path:
    """Write the plaque PDF of a recognised centre, with its audit entry."""
    item = _center(ctx, center_id)
    spec = plaque_spec(ctx, center_id, width_mm=width_mm, height_mm=height_mm, bleed=bleed, proof=proof)
    written = write_plaque(spec, path, faces=faces)
    details = {
        "document": "牌匾",
        "registered": True,
        "center_id": center_id,
        "center_name": spec.name_zh,
        "name_en": spec.name_en,
        "plaque_no": item.plaque_no,
        "certificate_no": item.certificate_no,
        "recognition_doc_no": item.document_no,
        "recognized_on": spec.date.isoformat(),
        "size_mm": f"{width_mm:g}×{height_mm:g}",
        "bleed": bleed,
        "proof": proof,
        "file": str(written),
    }
    _record(ctx, "documents.make_plaque", [(str(center_id), details)], [written])
    return written


def write_plaque(spec: plaque_doc.PlaqueSpec, path: Path, *, faces: dict[str, str] | None = None) -> Path:
    """Write a plaque for any spec (the CLI's free form: no database, no audit entry); bad input
    → :class:`ServiceError`."""
    try:
        with output.writing(path) as tmp:  # complete or absent, with a message naming the file
            plaque_doc.render(spec, tmp, faces=faces)
        return Path(path)
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def _render_certificate(
    spec: certificate_doc.CertificateSpec,
    path: Path,
    key: bytes,
    *,
    seal_guide: bool,
    faces: dict[str, str] | None,
) -> Path:
    try:
        with output.writing(path) as tmp:
            certificate_doc.render(spec, tmp, key=key, seal_guide=seal_guide, faces=faces)
        return Path(path)
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def make_certificate(
    ctx: AppContext,
    center_id: int,
    path: Path,
    *,
    seal_guide: bool = False,
    faces: dict[str, str] | None = None,
) -> Path:
    """Write the certificate of a recognised centre, with the bureau's verification code and its
    audit entry (refused for a revoked, forfeited or withdrawn centre, see :func:`certificate_spec`)."""
    spec = certificate_spec(ctx, center_id)
    key = bureau_key(ctx)
    written = _render_certificate(spec, path, key, seal_guide=seal_guide, faces=faces)
    details = _certificate_details(spec, key, written, center_id)
    _record(ctx, "documents.make_certificate", [(str(center_id), details)], [written])
    return written


def write_certificate(
    ctx: AppContext,
    spec: certificate_doc.CertificateSpec,
    path: Path,
    *,
    seal_guide: bool = False,
    faces: dict[str, str] | None = None,
) -> Path:
    """Write a free-form certificate (not from a recognition record) under the bureau's key.

    It is always marked as not registered (the spec's ``registered`` is set to ``False``: the
    certificate carries :data:`~lzcenter_desktop.documents.certificate.UNREGISTERED_NOTE` and
    verifies as ``unregistered``), and its audit entry says so.  A certificate number that the
    register holds is refused: that certificate is made from the database (``--center``).
    """
    spec = replace(spec, registered=False)
    number = (spec.number or "").strip()
    if number:
        with reading(ctx) as session:
            found = _registered(session, number, None)
        if found is not None:
            center = found[0]
            raise ServiceError(
                f"证书编号“{number}”已登记为“{center.name_zh}”的证书，不能手工生成；"
                f"请从数据库生成该中心的证书（文档页，或命令行 --center {center.id}）。",
                field="证书编号",
            )
    key = bureau_key(ctx)
    written = _render_certificate(spec, path, key, seal_guide=seal_guide, faces=faces)
    details = _certificate_details(spec, key, written, None)
    _record(ctx, "documents.write_certificate", [(f"未登记:{number}", details)], [written])
    return written


def make_certificate_batch(
    ctx: AppContext,
    target: Path,
    *,
    document_no: str | None = None,
    center_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    seal_guide: bool = False,
    faces: dict[str, str] | None = None,
) -> CertificateBatch:
    """Certificates of a whole recognition batch (``document_no``) or of the centres ``center_ids``.

    ``target`` is a folder (one ``<证书编号>.pdf`` each) or a ``.pdf`` file (one page each).
    ``progress(done, total)`` returning ``False`` cancels: then nothing is written and the result
    has no files.  Every certificate is checked before the first is drawn.  Centres that have been
    revoked, have forfeited their title or were withdrawn are skipped and listed in the result
    (:attr:`CertificateBatch.skipped`); if that leaves none, :class:`ServiceError` says so.  Each
    certificate written gets its audit entry.
    """
    if (document_no is None) == (center_ids is None):
        raise ServiceError("请选择一个认定批次（认定文号）或一组中心。", field="认定批次")
    if document_no is not None:
        batch = next((b for b in recognition_batches(ctx) if b.document_no == document_no), None)
        if batch is None:
            raise NotFound(f"没有认定文号为“{document_no}”的认定批次。", field="认定批次")
        ids: Sequence[int] = batch.center_ids
    else:
        assert center_ids is not None
        ids = center_ids
    if not ids:
        raise ServiceError("所选批次中没有中心。", field="认定批次")
    by_id = {c.id: c for c in document_centers(ctx)}
    chosen: list[int] = []
    skipped: list[Refusal] = []
    lacking: list[str] = []
    for cid in ids:
        item = by_id.get(cid)
        if item is None:
            raise NotFound(f"找不到编号为 {cid} 的中心。", field="中心")
        if item.ending is not None:
            skipped.append(Refusal(cid, item.name_zh, item.ending, item.refusal_text("认定证书")))
            continue
        if not item.certificate_no:
            lacking.append(item.name_zh)
            continue
        chosen.append(cid)
    if lacking:
        raise ServiceError(
            f"{len(lacking)} 个中心没有证书编号，请先补充："
            + "、".join(lacking[:5])
            + ("等" if len(lacking) > 5 else ""),
            field="证书编号",
        )
    if not chosen:
        what = f"认定批次“{document_no}”" if document_no is not None else "所选"
        raise ServiceError(
            f"{what}的 {len(skipped)} 个中心都已不持有柳州市工程技术研究中心称号，没有可生成的证书：\n"
            + "\n".join(f"• {r.message}" for r in skipped),
            field="中心",
        )
    specs = [certificate_spec(ctx, cid) for cid in chosen]
    key = bureau_key(ctx)
    try:
        files = certificate_doc.render_batch(
            specs, target, key=key, progress=progress, seal_guide=seal_guide, faces=faces
        )
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    if not files:
        return CertificateBatch([], tuple(skipped))
    per_spec = [files[0]] * len(specs) if target.suffix.lower() == ".pdf" else files
    entries = [
        (str(cid), _certificate_details(spec, key, file, cid) | {"batch": document_no})
        for cid, spec, file in zip(chosen, specs, per_spec, strict=True)
    ]
    _record(ctx, "documents.make_certificate_batch", entries, files)
    return CertificateBatch(files, tuple(skipped))


# --------------------------------------------------------------------------- lists


def _list_content(
    ctx: AppContext, kind: str, year: int
) -> tuple[str, list[tuple[str, float, str]], list[list[str]], str, list[int]]:
    """(title, columns as (title, width, align), rows, intro, the centre of each row) of a list."""
    with reading(ctx) as session:
        hosts = dict(session.execute(select(col(Organization.id), col(Organization.name))).all())
        centers = {c.id: c for c in session.execute(select(Center)).scalars()}

        def host_of(center_id: int) -> str:
            c = centers.get(center_id)
            return str(hosts.get(c.host_id, "")) if c is not None else ""

        def name_of(center_id: int) -> str:
            c = centers.get(center_id)
            return c.name_zh if c is not None else f"（中心 {center_id}）"

        if kind == "proposed":
            chosen = sorted(
                (c for c in centers.values() if c.state in ("proposed", "public_notice")),
                key=lambda c: c.id or 0,
            )
            rows = [[str(i), c.name_zh, host_of(c.id or 0)] for i, c in enumerate(chosen, 1)]
            return (
                f"{year}年度拟认定柳州市工程技术研究中心名单",
                [("序号", 0.6, "center"), ("中心名称", 3.0, "left"), ("依托单位", 2.2, "left")],
                rows,
                "经专家评审和现场考察，拟认定以下中心为柳州市工程技术研究中心，现予公示。",
                [c.id or 0 for c in chosen],
            )
        if kind == "recognised":
            recs = (
                session.execute(
                    select(Recognition).order_by(col(Recognition.recognized_on), col(Recognition.id))
                )
                .scalars()
                .all()
            )
            recs = [r for r in recs if r.recognized_on.year == year]
            rows = [
                [str(i), name_of(r.center_id), host_of(r.center_id), r.certificate_no or "", r.document_no]
                for i, r in enumerate(recs, 1)
            ]
            return (
                f"{year}年度柳州市工程技术研究中心认定名单",
                [
                    ("序号", 0.6, "center"),
                    ("中心名称", 3.0, "left"),
                    ("依托单位", 2.2, "left"),
                    ("证书编号", 1.6, "center"),
                    ("认定文号", 1.6, "center"),
                ],
                rows,
                "",
                [r.center_id for r in recs],
            )
        if kind in ("evaluation", "rectification"):
            rnd = (
                session.execute(select(EvaluationRound).where(col(EvaluationRound.year) == year))
                .scalars()
                .first()
            )
            evaluations = (
                []
                if rnd is None
                else list(
                    session.execute(
                        select(Evaluation)
                        .where(col(Evaluation.round_id) == rnd.id)
                        .order_by(col(Evaluation.id))
                    ).scalars()
                )
            )
            if kind == "evaluation":
                rows = [
                    [
                        str(i),
                        name_of(e.center_id),
                        host_of(e.center_id),
                        "" if e.total_score is None else f"{e.total_score:.1f}",
                        label_of(GRADE_LABELS, e.grade),
                    ]
                    for i, e in enumerate(evaluations, 1)
                ]
                return (
                    f"{year}年度柳州市工程技术研究中心评估结果",
                    [
                        ("序号", 0.6, "center"),
                        ("中心名称", 3.0, "left"),
                        ("依托单位", 2.2, "left"),
                        ("总分", 0.8, "right"),
                        ("评估结果", 1.0, "center"),
                    ],
                    rows,
                    "",
                    [e.center_id for e in evaluations],
                )
            eval_ids = {e.id for e in evaluations}
            rects = [
                r
                for r in session.execute(select(Rectification).order_by(col(Rectification.id))).scalars()
                if r.evaluation_id in eval_ids
            ]
            rows = [
                [str(i), name_of(r.center_id), host_of(r.center_id), r.deadline.isoformat()]
                for i, r in enumerate(rects, 1)
            ]
            return (
                f"关于{year}年度评估结果为整改的柳州市工程技术研究中心限期整改的通知",
                [
                    ("序号", 0.6, "center"),
                    ("中心名称", 3.0, "left"),
                    ("依托单位", 2.2, "left"),
                    ("整改期限", 1.2, "center"),
                ],
                rows,
                "根据《柳州市工程技术研究中心管理办法》第二十四条，下列中心评估结果为整改，"
                "请于整改期限内完成整改并提出验收申请。",
                [r.center_id for r in rects],
            )
        if kind == "annual_summary":
            reports = list(
                session.execute(
                    select(AnnualReport)
                    .where(col(AnnualReport.year) == year)
                    .order_by(col(AnnualReport.center_id))
                ).scalars()
            )

            def num(v: int | None) -> str:
                return "" if v is None else str(v)

            rows = [
                [
                    str(i),
                    name_of(r.center_id),
                    label_of(HOST_ASSESSMENT_LABELS, r.host_assessment),
                    num(r.rd_staff),
                    "" if r.rd_investment_yuan is None else f"{r.rd_investment_yuan / 10000:.1f}",
                    num(r.projects),
                    num(r.patents_granted),
                    num(r.standards),
                ]
                for i, r in enumerate(reports, 1)
            ]
            return (
                f"{year}年度柳州市工程技术研究中心年度报告汇总",
                [
                    ("序号", 0.6, "center"),
                    ("中心名称", 3.2, "left"),
                    ("依托单位考核", 1.1, "center"),
                    ("研发人员", 0.9, "right"),
                    ("研发投入（万元）", 1.2, "right"),
                    ("项目", 0.7, "right"),
                    ("授权专利", 0.9, "right"),
                    ("标准", 0.7, "right"),
                ],
                rows,
                "",
                [r.center_id for r in reports],
            )
    known = "、".join(f"{k}（{v}）" for k, v in LIST_KINDS.items())
    raise ServiceError(f"不认识的名单类型“{kind}”，可用：{known}。", field="名单类型")


def make_list(
    ctx: AppContext, kind: str, path: Path, *, year: int, document_no: str = "", signed_on: date | None = None
) -> Path:
    """Write the list ``kind`` of ``year`` (see :data:`LIST_KINDS`), with its audit entry (the
    centres listed, by id)."""
    from lzcenter_desktop.documents.lists import ColumnSpec, render_list

    if not 1990 <= year <= 2100:
        raise ServiceError(f"“年度”应在 1990–2100 之间，收到 {year}。", field="年度")
    title, columns, rows, intro, center_ids = _list_content(ctx, kind, year)
    try:
        with output.writing(path) as tmp:
            render_list(
                kind,
                title,
                [ColumnSpec(t, w, a) for t, w, a in columns],  # type: ignore[arg-type]
                rows,
                tmp,
                document_no=document_no,
                intro=intro,
                date=signed_on,
                landscape=len(columns) > 4 or kind == "annual_summary",
            )
        written = Path(path)
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    details = {
        "document": LIST_KINDS[kind],
        "registered": True,
        "kind": kind,
        "year": year,
        "title": title,
        "document_no": document_no,
        "signed_on": signed_on.isoformat() if signed_on is not None else None,
        "center_ids": center_ids,
        "rows": len(rows),
        "file": str(written),
    }
    _record(ctx, "documents.make_list", [(f"{kind}-{year}", details)], [written])
    return written


# --------------------------------------------------------------------------- verification


def _registered(session: Session, number: str, on: date | None) -> tuple[Center, Recognition | None] | None:
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


def _ended_since(session: Session, center: Center, since: date, rec: Recognition | None) -> Ending | None:
    """The first step of ``center`` into 已撤销, 自动放弃 or 已撤回 on or after ``since`` (the date on
    its certificate); without one on record, its current state if that is such a state entered
    since then, or the recognition's own status; else ``None`` (the certificate still stands)."""
    assert center.id is not None
    rows = [r for r in _ending_rows(session, center.id).get(center.id, []) if r.changed_on >= since]
    if rows:
        return _ending_of(rows[0])
    if center.state in _ENDED_CODES and center.state_since >= since:
        return Ending(center.state, center.state_since, None)
    if rec is not None and rec.status in _ENDED_CODES:
        return Ending(rec.status, None, None)
    return None


def registered_name(ctx: AppContext, certificate_no: str) -> str | None:
    """The centre name the register records for a certificate number, ``None`` if unknown."""
    with reading(ctx) as session:
        rec = (
            session.execute(select(Recognition).where(col(Recognition.certificate_no) == certificate_no))
            .scalars()
            .first()
        )
        if rec is not None:
            center = session.get(Center, rec.center_id)
            return center.name_zh if center is not None else None
        center = (
            session.execute(select(Center).where(col(Center.certificate_no) == certificate_no))
            .scalars()
            .first()
        )
        return center.name_zh if center is not None else None


def certificate_candidates(ctx: AppContext, serial: str, on: date) -> list[tuple[str, str]]:
    """The registered certificates a version-2 code of ``serial`` and date ``on`` may belong to:
    (full certificate number, registered centre name), by number.

    A certificate carries the date of its centre's latest recognition and the centre's current
    name (see :func:`certificate_spec`), so the candidates are the recognitions of date ``on``
    with a certificate number, and the centres recognised on ``on`` whose own record holds a
    number, whose number's digits (:func:`~lzcenter_desktop.documents.verify.serial_of`) are
    ``serial``.  Two queries on the date (a date has few recognitions); the digits are compared in
    Python, since a number's digits are not stored.
    """
    found: dict[str, str] = {}
    with reading(ctx) as session:
        recs = session.execute(
            select(Recognition, col(Center.name_zh))
            .join(Center, col(Center.id) == col(Recognition.center_id))
            .where(col(Recognition.recognized_on) == on, col(Recognition.certificate_no).is_not(None))
            .order_by(col(Recognition.id))
        ).all()
        for rec, name in recs:
            if rec.certificate_no and serial_of(rec.certificate_no) == serial:
                found.setdefault(rec.certificate_no, str(name))
        centers = session.execute(
            select(Center)
            .where(col(Center.recognized_on) == on, col(Center.certificate_no).is_not(None))
            .order_by(col(Center.id))
        ).scalars()
        for center in centers:
            if center.certificate_no and serial_of(center.certificate_no) == serial:
                found.setdefault(center.certificate_no, center.name_zh)
    return sorted(found.items())


def verify_certificate(
    ctx: AppContext, code: str, *, name: str | None = None, number: str | None = None
) -> VerifyResult:
    """Whether ``code`` (version 2 ``LZ2-…`` or version 1 ``LZETRC1.…``) is the code of a genuine
    certificate of this bureau.

    Version 2: the code's serial and date find the registered certificates
    (:func:`certificate_candidates`); the check code is recomputed over each one's full number and
    registered name — or ``name`` when given (typed from the certificate) — genuine if one matches.
    Version 1: the name is ``name`` when given, otherwise the one the register records for the
    code's certificate number (:func:`registered_name`).  With ``number`` and ``name`` typed from
    the certificate, a version-2 code of a certificate that is not in the register (made with
    ``document certificate --name … --number …``) can be checked too: it is ``unregistered``, not
    genuine.  A genuine code of a centre that has since been revoked, has forfeited its title or
    was withdrawn is ``revoked`` (“证书真实，但该中心已于 …… 被撤销（文号）”), not genuine.  Never
    writes.
    """
    if name is not None and not name.strip():
        name = None
    if number is not None and not number.strip():
        number = None
    try:
        parsed = parse_code(code)
    except ValueError as exc:
        return VerifyResult(False, f"无法核验：{exc}", None, None, "malformed")
    with reading(ctx) as session:
        key = _load_or_create_key(session)
    if key is None:
        # No certificate was ever issued from this database: nothing to check against (and a
        # check must not write, so no key is made here).
        return VerifyResult(
            False,
            "无法核验：本数据库还没有签发过任何证书（没有证书验证密钥），请在签发证书的系统中核验，"
            "或向市科技局核实。",
            parsed.number,
            parsed.date,
            "unknown",
            serial=parsed.serial,
            version=parsed.version,
        )
    result = check_code(
        code,
        key,
        lookup=lambda number: registered_name(ctx, number),
        candidates=lambda serial, on: certificate_candidates(ctx, serial, on),
        name=name,
        number=number,
    )
    if not result.genuine or result.number is None or result.date is None:
        return result
    when = _chinese_date(result.date)
    with reading(ctx) as session:
        found = _registered(session, result.number, result.date if result.version >= 2 else None)
        if found is None:  # a version-1 code with a typed name, of a number the register lacks
            return replace(
                result,
                genuine=False,
                status="unregistered",
                message=f"未登记：验证码与编号 {result.number}、“{result.name}”、认定日期 {when} 相符"
                "（由本系统的密钥生成），但本系统没有登记这份证书——它不是依据本系统的认定记录生成的，"
                "不能据此确认该中心已获认定，请向市科技局核实。",
            )
        center, rec = found
        ending = _ended_since(session, center, result.date, rec)
    if ending is None:
        return result
    return replace(
        result,
        genuine=False,
        status="revoked",
        message=f"证书真实，但该中心{ending.phrase()}：编号 {result.number}，{result.name}，"
        f"认定日期 {when}。该证书已不能证明其柳州市工程技术研究中心资格。",
    )


def render_selftest_page(path: Path, *, extra_text: str = "") -> Path:
    """Write the self-test page (every bundled face, a QR code, Chinese text) to ``path``.

    Raises :class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` if ``extra_text`` has a
    character the fonts lack."""
    from lzcenter_desktop.documents.selftest_page import render_selftest_page as render

    return render(path, extra_text=extra_text)
