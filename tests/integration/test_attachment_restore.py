"""Undoing the removal of an attachment (issue 12 item 7): the record and the file were kept, so the
attachment comes back as it was, audited; only a removed attachment of a draft can come back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.storage.models import AuditEntry, DeclarationAttachment
from tests import db_backend


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "restore.sqlite"), operator="李科员")
    db_backend.attachments_ready(context, tmp_path / "共享附件")
    yield context
    context.db.dispose()


def scan(tmp_path: Path) -> Path:
    src = tmp_path / "营业执照.png"
    src.write_bytes(b"\x89PNG fake scan")
    return src


def test_a_removed_attachment_comes_back_as_it_was(ctx: AppContext, tmp_path: Path) -> None:
    did = d.create_draft(ctx, call_year=2026)
    aid = att.add_attachment(ctx, declaration_id=did, source=scan(tmp_path), title="营业执照")
    (before,) = att.list_attachments(ctx, declaration_id=did)
    att.retire_attachment(ctx, attachment_id=aid)
    assert att.list_attachments(ctx, declaration_id=did) == []
    assert before.path.is_file()  # the file was kept
    att.restore_attachment(ctx, attachment_id=aid)
    assert att.list_attachments(ctx, declaration_id=did) == [before]
    with ctx.db.session() as s:
        row = s.get(DeclarationAttachment, aid)
        assert row is not None and row.status == "active" and row.retired_on is None
        actions = [
            e.action
            for e in s.execute(
                select(AuditEntry).where(col(AuditEntry.entity) == "declaration_attachment")
            ).scalars()
        ]
    # added (the row, then its hash and stored path), removed, restored: each change audited
    assert actions == [
        "attachments.add_attachment",
        "attachments.add_attachment",
        "attachments.retire_attachment",
        "attachments.restore_attachment",
    ]
    # removed again and restored again: as often as the clerk likes
    att.retire_attachment(ctx, attachment_id=aid)
    att.restore_attachment(ctx, attachment_id=aid)
    assert len(att.list_attachments(ctx, declaration_id=did)) == 1


def test_only_a_removed_attachment_of_a_draft_comes_back(
    ctx: AppContext, tmp_path: Path, examples_dir: Path
) -> None:
    did = d.create_draft(ctx, call_year=2026)
    aid = att.add_attachment(ctx, declaration_id=did, source=scan(tmp_path), title="营业执照")
    with pytest.raises(ServiceError, match="没有被移除，无需恢复"):
        att.restore_attachment(ctx, attachment_id=aid)
    with pytest.raises(NotFound, match="找不到编号为 999 的附件"):
        att.restore_attachment(ctx, attachment_id=999)
    example: dict[str, Any] = json.loads(
        (examples_dir / "declaration-enterprise.json").read_text(encoding="utf-8")
    )
    submitted = d.import_declaration_data(ctx, data=example).declaration_id
    kept = att.add_attachment(ctx, declaration_id=submitted, source=scan(tmp_path), title="合同")
    att.retire_attachment(ctx, attachment_id=kept)
    d.submit_declaration(ctx, declaration_id=submitted, acknowledgements={})
    with pytest.raises(ServiceError, match="已不是草稿，附件“合同”不能再恢复"):
        att.restore_attachment(ctx, attachment_id=kept)
    assert att.list_attachments(ctx, declaration_id=submitted) == []
