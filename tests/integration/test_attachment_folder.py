"""The attachments folder of a database (services/attachment_folder.py): beside a SQLite file by
default; a shared database on a server must be given a shared folder first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lzcenter_desktop.cli import main as cli_main
from lzcenter_desktop.services import attachment_folder as folder
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services import users
from lzcenter_desktop.services.audit import list_audit
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.permissions import PermissionRefused
from tests import db_backend

PASSWORD = "correct-horse-9"


@pytest.fixture
def shared_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """A database that is not a local file: the test server in the PostgreSQL run, an in-memory
    SQLite database (no folder of its own either) in the SQLite run."""
    target = str(tmp_path / "shared.sqlite") if db_backend.ON_POSTGRESQL else "sqlite://"
    ctx = open_app(target, operator="李科员")
    assert ctx.db.path is None
    yield ctx
    ctx.db.dispose()


def _pdf(tmp_path: Path) -> Path:
    src = tmp_path / "营业执照.pdf"
    src.write_bytes(b"%PDF-1.4 scan")
    return src


def test_a_shared_database_refuses_attachments_until_a_folder_is_named(
    shared_ctx: AppContext, tmp_path: Path
) -> None:
    did = d.create_draft(shared_ctx, call_year=2026)
    with pytest.raises(ServiceError, match="还没有指定这个文件夹") as info:
        att.add_attachment(shared_ctx, declaration_id=did, source=_pdf(tmp_path), title="营业执照")
    assert info.value.field == "附件文件夹"
    assert att.list_attachments(shared_ctx, declaration_id=did) == []
    shared = tmp_path / "共享 附件"
    shared.mkdir()
    assert folder.set_attachments_folder(shared_ctx, str(shared)) == shared
    aid = att.add_attachment(shared_ctx, declaration_id=did, source=_pdf(tmp_path), title="营业执照")
    (view,) = att.list_attachments(shared_ctx, declaration_id=did)
    assert view.id == aid and view.state == "ok"
    assert view.path == shared / str(did) / f"{aid:06d}.pdf"
    entries = list_audit(shared_ctx, entity="app_setting", entity_id="attachments_folder")
    assert [e.action for e in entries] == ["settings.attachments_folder"]


def test_the_folder_must_exist_be_a_folder_and_fit(shared_ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="找不到文件夹"):
        folder.set_attachments_folder(shared_ctx, str(tmp_path / "没有"))
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    with pytest.raises(ServiceError, match="不是文件夹"):
        folder.set_attachments_folder(shared_ctx, str(a_file))
    with pytest.raises(ServiceError, match="不能清空"):
        folder.set_attachments_folder(shared_ctx, "  ")
    base = str(tmp_path / "x")
    at_limit = base + "y" * (folder.MAX_FOLDER_CHARS - len(base))
    assert len(at_limit) == folder.MAX_FOLDER_CHARS
    with pytest.raises(ServiceError, match="找不到文件夹"):  # 200 characters: past the length check
        folder.set_attachments_folder(shared_ctx, at_limit)
    with pytest.raises(ServiceError, match="有 201 个字符，最多 200 个"):
        folder.set_attachments_folder(shared_ctx, at_limit + "z")
    assert folder.configured_folder(shared_ctx) is None


@pytest.mark.sqlite_only  # the default place is beside the database file
def test_a_sqlite_file_keeps_them_beside_itself_unless_a_folder_is_named(tmp_path: Path) -> None:
    ctx = open_app(str(tmp_path / "db" / "lz.sqlite"), operator="李科员")
    try:
        assert att.attachments_root(ctx) == tmp_path / "db" / "attachments"
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        folder.set_attachments_folder(ctx, str(elsewhere))
        assert att.attachments_root(ctx) == elsewhere
        folder.set_attachments_folder(ctx, "")  # back to the default
        assert att.attachments_root(ctx) == tmp_path / "db" / "attachments"
    finally:
        ctx.db.dispose()


def test_only_an_administrator_names_it_once_sign_in_is_on(tmp_path: Path) -> None:
    ctx = open_app(str(tmp_path / "roles.sqlite"), operator="李科员")
    try:
        users.create_user(ctx, login="admin", display_name="王管理", role="管理员", password=PASSWORD)
        admin = users.sign_in(ctx, "admin", PASSWORD)
        users.create_user(admin, login="clerk", display_name="李经办", role="经办人", password=PASSWORD)
        clerk = users.sign_in(ctx, "clerk", PASSWORD)
        shared = tmp_path / "共享"
        shared.mkdir()
        with pytest.raises(PermissionRefused, match="需要“管理员”角色"):
            folder.set_attachments_folder(clerk, str(shared))
        assert folder.configured_folder(ctx) is None
        folder.set_attachments_folder(admin, str(shared))
        assert folder.configured_folder(ctx) == shared
    finally:
        ctx.db.dispose()


def test_command_line_shows_and_names_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite")
    shared = tmp_path / "共享 附件"
    shared.mkdir()
    assert cli_main(["--db", db, "--operator", "李科员", "attachments-folder", str(shared)]) == 0
    assert f"已指定附件文件夹：{shared}" in capsys.readouterr().out
    assert cli_main(["--db", db, "--operator", "李科员", "attachments-folder"]) == 0
    assert f"附件文件夹：{shared}" in capsys.readouterr().out
    assert cli_main(["--db", db, "--operator", "李科员", "attachments-folder", str(tmp_path / "无")]) != 0
