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

Every error for the clerk is a :class:`~lzcenter_desktop.services.errors.ServiceError` naming the
field; a character the fonts lack comes out as
:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (use :func:`glyph_problem_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from sqlmodel import Session, col, select

from lzcenter_desktop.documents import certificate as certificate_doc
from lzcenter_desktop.documents import plaque as plaque_doc
from lzcenter_desktop.documents.fonts import MissingGlyphError, fallback_for
from lzcenter_desktop.documents.verify import (
    MIN_KEY_BYTES,
    VerifyResult,
    check_code,
    new_key,
    parse_code,
    serial_of,
)
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.labels import GRADE_LABELS, HOST_ASSESSMENT_LABELS, label_of
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import (
    AnnualReport,
    Center,
    Evaluation,
    EvaluationRound,
    Organization,
    Recognition,
    Rectification,
)

__all__ = [
    "KEY_NAME",
    "LIST_KINDS",
    "BatchInfo",
    "DocumentCenter",
    "bureau_key",
    "certificate_candidates",
    "certificate_spec",
    "document_centers",
    "glyph_problem_text",
    "make_certificate",
    "make_certificate_batch",
    "make_list",
    "make_plaque",
    "plaque_spec",
    "recognition_batches",
    "verify_certificate",
]

#: The name of the certificate key in table ``bureau_secret``.
KEY_NAME: Final = "certificate_hmac"

#: kind → Chinese name, the lists :func:`make_list` can make.
LIST_KINDS: Final[dict[str, str]] = {
    "proposed": "拟认定名单",
    "recognised": "认定名单",
    "evaluation": "评估结果",
    "rectification": "整改通知",
    "annual_summary": "年度报告汇总",
}

Progress = Callable[[int, int], bool]


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

    @property
    def recognised(self) -> bool:
        return self.recognized_on is not None and bool(self.document_no)


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


def document_centers(ctx: AppContext, *, recognised_only: bool = False) -> list[DocumentCenter]:
    """Every centre (or only the recognised ones), by id, with its latest recognition's numbers."""
    with reading(ctx) as session:
        latest = _latest_recognitions(session)
        rows = session.execute(
            select(Center, col(Organization.name))
            .join(Organization, col(Organization.id) == col(Center.host_id))
            .order_by(col(Center.id))
        ).all()
        out: list[DocumentCenter] = []
        for center, host in rows:
            assert center.id is not None
            rec = latest.get(center.id)
            item = DocumentCenter(
                id=center.id,
                name_zh=center.name_zh,
                name_en=center.name_en,
                host=str(host),
                state=center.state,
                recognized_on=rec.recognized_on if rec else center.recognized_on,
                document_no=rec.document_no if rec else None,
                plaque_no=(rec.plaque_no if rec else None) or center.plaque_no,
                certificate_no=(rec.certificate_no if rec else None) or center.certificate_no,
            )
            if recognised_only and not item.recognised:
                continue
            out.append(item)
        return out


def _center(ctx: AppContext, center_id: int) -> DocumentCenter:
    """One centre with its latest recognition (three indexed look-ups, whatever the register's size)."""
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
        return DocumentCenter(
            id=center_id,
            name_zh=center.name_zh,
            name_en=center.name_en,
            host=host.name if host is not None else "",
            state=center.state,
            recognized_on=rec.recognized_on if rec else center.recognized_on,
            document_no=rec.document_no if rec else None,
            plaque_no=(rec.plaque_no if rec else None) or center.plaque_no,
            certificate_no=(rec.certificate_no if rec else None) or center.certificate_no,
        )


def _require_recognised(item: DocumentCenter, what: str) -> tuple[date, str]:
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
    """The plaque of a recognised centre: its registered names and its recognition date."""
    item = _center(ctx, center_id)
    on, _ = _require_recognised(item, "牌匾")
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
    """The certificate of a recognised centre with a 证书编号."""
    item = _center(ctx, center_id)
    on, document_no = _require_recognised(item, "认定证书")
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
    """Write the plaque PDF of a recognised centre."""
    spec = plaque_spec(ctx, center_id, width_mm=width_mm, height_mm=height_mm, bleed=bleed, proof=proof)
    return write_plaque(spec, path, faces=faces)


def write_plaque(spec: plaque_doc.PlaqueSpec, path: Path, *, faces: dict[str, str] | None = None) -> Path:
    """Write a plaque for any spec (the CLI's free form); bad input → :class:`ServiceError`."""
    try:
        return plaque_doc.render(spec, path, faces=faces)
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
    """Write the certificate of a recognised centre, with the bureau's verification code."""
    spec = certificate_spec(ctx, center_id)
    return write_certificate(ctx, spec, path, seal_guide=seal_guide, faces=faces)


def write_certificate(
    ctx: AppContext,
    spec: certificate_doc.CertificateSpec,
    path: Path,
    *,
    seal_guide: bool = False,
    faces: dict[str, str] | None = None,
) -> Path:
    """Write a certificate for any spec under the bureau's key."""
    key = bureau_key(ctx)
    try:
        return certificate_doc.render(spec, path, key=key, seal_guide=seal_guide, faces=faces)
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


def make_certificate_batch(
    ctx: AppContext,
    target: Path,
    *,
    document_no: str | None = None,
    center_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    seal_guide: bool = False,
    faces: dict[str, str] | None = None,
) -> list[Path]:
    """Certificates of a whole recognition batch (``document_no``) or of the centres ``center_ids``.

    ``target`` is a folder (one ``<证书编号>.pdf`` each) or a ``.pdf`` file (one page each).
    ``progress(done, total)`` returning ``False`` cancels: then nothing is written and ``[]`` is
    returned.  Every certificate is checked before the first is drawn.
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
    specs: list[certificate_doc.CertificateSpec] = []
    lacking: list[str] = []
    for cid in ids:
        item = by_id.get(cid)
        if item is None:
            raise NotFound(f"找不到编号为 {cid} 的中心。", field="中心")
        if not item.certificate_no:
            lacking.append(item.name_zh)
            continue
        specs.append(certificate_spec(ctx, cid))
    if lacking:
        raise ServiceError(
            f"{len(lacking)} 个中心没有证书编号，请先补充："
            + "、".join(lacking[:5])
            + ("等" if len(lacking) > 5 else ""),
            field="证书编号",
        )
    key = bureau_key(ctx)
    try:
        return certificate_doc.render_batch(
            specs, target, key=key, progress=progress, seal_guide=seal_guide, faces=faces
        )
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


# --------------------------------------------------------------------------- lists


def _list_content(
    ctx: AppContext, kind: str, year: int
) -> tuple[str, list[tuple[str, float, str]], list[list[str]], str]:
    """(title, columns as (title, width, align), rows, intro) of a list."""
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
            )
    known = "、".join(f"{k}（{v}）" for k, v in LIST_KINDS.items())
    raise ServiceError(f"不认识的名单类型“{kind}”，可用：{known}。", field="名单类型")


def make_list(
    ctx: AppContext, kind: str, path: Path, *, year: int, document_no: str = "", signed_on: date | None = None
) -> Path:
    """Write the list ``kind`` of ``year`` (see :data:`LIST_KINDS`)."""
    from lzcenter_desktop.documents.lists import ColumnSpec, render_list

    if not 1990 <= year <= 2100:
        raise ServiceError(f"“年度”应在 1990–2100 之间，收到 {year}。", field="年度")
    title, columns, rows, intro = _list_content(ctx, kind, year)
    try:
        return render_list(
            kind,
            title,
            [ColumnSpec(t, w, a) for t, w, a in columns],  # type: ignore[arg-type]
            rows,
            path,
            document_no=document_no,
            intro=intro,
            date=signed_on,
            landscape=len(columns) > 4 or kind == "annual_summary",
        )
    except MissingGlyphError:
        raise
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc


# --------------------------------------------------------------------------- verification


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
    ``document certificate --name … --number …``) can be checked too.  Never writes.
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
    return check_code(
        code,
        key,
        lookup=lambda number: registered_name(ctx, number),
        candidates=lambda serial, on: certificate_candidates(ctx, serial, on),
        name=name,
        number=number,
    )
