"""Writing plaques and certificates: from the register (each with its audit entry), free-form
(a plaque without the database; a certificate marked as not registered), and whole recognition
batches of certificates that can be cancelled.  Part of :mod:`lzcenter_desktop.services.documents`.

A character the fonts lack comes out as
:class:`~lzcenter_desktop.documents.fonts.MissingGlyphError` (:func:`glyph_problem_text` words it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lzcenter_desktop.documents import certificate as certificate_doc
from lzcenter_desktop.documents import plaque as plaque_doc
from lzcenter_desktop.documents.fonts import MissingGlyphError, fallback_for
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_audit import record_documents
from lzcenter_desktop.services.documents_key import bureau_key
from lzcenter_desktop.services.documents_register import (
    Refusal,
    certificate_spec,
    document_centers,
    one_center,
    plaque_spec,
    recognition_batches,
    registered_certificate,
)
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading

Progress = Callable[[int, int], bool]


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
    item = one_center(ctx, center_id)
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
    record_documents(ctx, "documents.make_plaque", [(str(center_id), details)], [written])
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
    record_documents(ctx, "documents.make_certificate", [(str(center_id), details)], [written])
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
            found = registered_certificate(session, number, None)
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
    record_documents(ctx, "documents.write_certificate", [(f"未登记:{number}", details)], [written])
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
    record_documents(ctx, "documents.make_certificate_batch", entries, files)
    return CertificateBatch(files, tuple(skipped))
