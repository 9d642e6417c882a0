"""Attachments of a declaration (营业执照, 专利证书, 合同 … as scanned PDFs and images).

A file is copied into the managed folder ``<database folder>/attachments/<declaration id>/`` (a
shared database: the shared folder named for it, see :mod:`.attachment_folder`) under a
name that cannot clash, its SHA-256 and size are recorded, and every listing re-checks the copy: a
missing or changed file is reported (never silently replaced). Removing an attachment retires it;
the row and the file are kept, so a removal can be undone (:func:`restore_attachment`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.services import attachment_folder
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.uow import reading, unit_of_work
from lzcenter_desktop.storage.models import Declaration, DeclarationAttachment

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # 20 MB
ALLOWED_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"})
STATE_LABELS = {"ok": "正常", "missing": "文件缺失", "changed": "文件已被改动"}
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class AttachmentView:
    id: int
    declaration_id: int
    title: str
    file_name: str  # the name the file had when it was added
    size_bytes: int
    sha256: str
    path: Path  # the managed copy
    state: str  # ok / missing / changed
    message: str  # Chinese, empty when ok

    @property
    def is_image(self) -> bool:
        return self.path.suffix.lower() in IMAGE_SUFFIXES


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def attachments_root(ctx: AppContext) -> Path:
    """``<folder of the database file>/attachments``, or the shared folder named for the database
    (:mod:`lzcenter_desktop.services.attachment_folder`)."""
    return attachment_folder.attachments_root(ctx)


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n, 1) // 1024 or 1} KB"


def _too_large(src: Path, size: int) -> str:
    return f"附件“{src.name}”大小为 {_size_text(size)}，超过 20 MB 的上限，请压缩或分拆后再添加"


def _copy_bounded(src: Path, dest: Path) -> None:
    """Copy the regular file ``src`` to ``dest``, reading at most the size limit (a file that grows
    past it meanwhile is refused, and ``dest`` removed)."""
    copied = 0
    with inbound.open_regular(src, max_bytes=MAX_ATTACHMENT_BYTES) as fh, dest.open("wb") as out:
        while chunk := fh.read(_CHUNK):
            copied += len(chunk)
            if copied > MAX_ATTACHMENT_BYTES:
                out.close()
                dest.unlink(missing_ok=True)
                raise inbound.RefusedFile(
                    f"在复制时超过 {inbound.size_text(MAX_ATTACHMENT_BYTES)} 的上限", "too_large"
                )
            out.write(chunk)


def add_attachment(ctx: AppContext, *, declaration_id: int, source: Path, title: str) -> int:
    """Copy ``source`` into the managed folder and record it; returns the attachment id."""
    name = (title or "").strip()
    if not name:
        raise ServiceError("请填写附件名称（如 营业执照、专利证书、合同）", field="附件名称")
    if len(name) > 200:
        raise ServiceError("附件名称最多 200 个字", field="附件名称")
    src = Path(source)
    try:
        size = inbound.regular_size(src)  # a pipe or a device is refused here, never opened
    except inbound.RefusedFile as exc:
        if exc.kind == "missing":
            raise ServiceError(f"找不到文件“{src}”", field="附件文件") from None
        if exc.kind == "folder":
            raise ServiceError(f"“{src}”是一个文件夹，不是文件", field="附件文件") from None
        raise ServiceError(f"附件“{src.name}”{exc}", field="附件文件") from None
    if src.suffix.lower() not in ALLOWED_SUFFIXES:
        allowed = "、".join(sorted(s.lstrip(".").upper() for s in ALLOWED_SUFFIXES))
        raise ServiceError(f"附件“{src.name}”的类型不受支持，只能添加扫描件：{allowed}", field="附件文件")
    if size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_too_large(src, size), field="附件文件")
    if size == 0:
        raise ServiceError(f"附件“{src.name}”是空文件", field="附件文件")
    folder = attachments_root(ctx) / str(declaration_id)
    with unit_of_work(ctx, "attachments.add_attachment") as session:
        decl = session.get(Declaration, declaration_id)
        if decl is None:
            raise NotFound(f"找不到编号为 {declaration_id} 的申报书", field="申报书")
        if decl.status != "draft":
            raise ServiceError(f"第 {declaration_id} 号申报书已提交，不能再添加附件", field="附件")
        row = DeclarationAttachment.model_validate(
            {"declaration_id": declaration_id, "title": name, "file_name": src.name[:300]}
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        target = folder / f"{row.id:06d}{src.suffix.lower()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            _copy_bounded(src, tmp)
            digest = sha256_of(tmp)
            tmp.replace(target)
        except inbound.RefusedFile as exc:  # replaced by something else since it was looked at
            raise ServiceError(f"附件“{src.name}”{exc}", field="附件文件") from None
        except OSError as exc:
            raise ServiceError(f"无法复制附件“{src.name}”：{exc.strerror or exc}", field="附件文件") from exc
        row.sha256 = digest
        row.size_bytes = target.stat().st_size
        row.stored_path = str(target.relative_to(folder.parent))
        session.add(row)
        return row.id


def _view(root: Path, row: DeclarationAttachment) -> AttachmentView:
    assert row.id is not None
    path = root / (row.stored_path or "")
    state, message = "ok", ""
    if not row.stored_path or not path.is_file():
        state, message = "missing", f"附件“{row.title}”的文件已不在 {path}，请重新添加"
    elif path.stat().st_size != row.size_bytes or sha256_of(path) != row.sha256:
        state, message = "changed", f"附件“{row.title}”的文件在添加后被改动（SHA-256 不一致），请核实"
    return AttachmentView(
        id=row.id,
        declaration_id=row.declaration_id,
        title=row.title,
        file_name=row.file_name,
        size_bytes=row.size_bytes or 0,
        sha256=row.sha256 or "",
        path=path,
        state=state,
        message=message,
    )


def list_attachments(ctx: AppContext, *, declaration_id: int) -> list[AttachmentView]:
    """The active attachments, each re-checked against its recorded SHA-256."""
    with reading(ctx) as session:
        rows = list(
            session.execute(
                select(DeclarationAttachment)
                .where(
                    col(DeclarationAttachment.declaration_id) == declaration_id,
                    col(DeclarationAttachment.status) == "active",
                )
                .order_by(col(DeclarationAttachment.id))
            ).scalars()
        )
    if not rows:
        return []
    root = attachments_root(ctx)
    return [_view(root, r) for r in rows]


def retire_attachment(ctx: AppContext, *, attachment_id: int, on: date | None = None) -> None:
    """Take an attachment off the declaration (kept in the record and on disk)."""
    with unit_of_work(ctx, "attachments.retire_attachment") as session:
        row = session.get(DeclarationAttachment, attachment_id)
        if row is None:
            raise NotFound(f"找不到编号为 {attachment_id} 的附件", field="附件")
        if row.status != "active":
            raise ServiceError(f"附件“{row.title}”已移除", field="附件")
        decl = session.get(Declaration, row.declaration_id)
        if decl is None or decl.status != "draft":
            raise ServiceError(
                f"第 {row.declaration_id} 号申报书已提交，附件“{row.title}”不能再移除", field="附件"
            )
        row.status = "retired"
        row.retired_on = on or date.today()
        session.add(row)


def restore_attachment(ctx: AppContext, *, attachment_id: int) -> None:
    """Put a removed attachment back on its draft (the clerk undid the removal); audited like any
    change. Refused when it is not removed, or the declaration is no longer a draft."""
    with unit_of_work(ctx, "attachments.restore_attachment") as session:
        row = session.get(DeclarationAttachment, attachment_id)
        if row is None:
            raise NotFound(f"找不到编号为 {attachment_id} 的附件", field="附件")
        if row.status == "active":
            raise ServiceError(f"附件“{row.title}”没有被移除，无需恢复", field="附件")
        decl = session.get(Declaration, row.declaration_id)
        if decl is None or decl.status != "draft":
            raise ServiceError(
                f"第 {row.declaration_id} 号申报书已不是草稿，附件“{row.title}”不能再恢复", field="附件"
            )
        row.status = "active"
        row.retired_on = None
        session.add(row)
