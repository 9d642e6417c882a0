"""Every place a user names a file reads only a regular file, and only so much (issue 10 item 2):
``check FILE``, ``import FILE.json`` and adding an attachment refuse a FIFO, ``/dev/zero`` or a
folder at once, and interchange JSON with duplicate keys, deep nesting, over-long strings or lone
surrogates is refused with the JSON path."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.domain.interchange import FormatError
from lzcenter_desktop.services import attachments as att
from lzcenter_desktop.services import checking
from lzcenter_desktop.services import declarations as d
from lzcenter_desktop.services.checking import run_check
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.errors import ServiceError
from tests import db_backend


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "files.sqlite"), operator="李科员")
    db_backend.attachments_ready(context, tmp_path / "共享附件")
    yield context
    context.db.dispose()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道.json"
    os.mkfifo(path)
    return path


# ---------------------------------------------------------------- check FILE


def test_check_refuses_a_fifo_at_once(fifo: Path) -> None:
    out = run_check(fifo)
    assert out.exit_code == 2 and out.stdout == ""
    assert out.stderr == f"{fifo}：不是普通文件（是命名管道（FIFO）），不能读取；请选择保存在磁盘上的文件\n"


def test_check_refuses_dev_zero() -> None:
    out = run_check(Path("/dev/zero"))
    assert out.exit_code == 2 and "不是普通文件（是字符设备）" in out.stderr


def test_check_names_the_duplicate_key(tmp_path: Path, example: dict[str, Any]) -> None:
    text = json.dumps(example, ensure_ascii=False)
    text = text.replace('"name_zh": ', '"name_zh": "重复的名字", "name_zh": ', 1)
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    out = run_check(path)
    assert out.exit_code == 2
    assert out.stderr == f"{path}：JSON 中“center”处键 “name_zh” 重复出现，无法确定以哪个为准\n"


def test_check_refuses_a_lone_surrogate_with_its_path(tmp_path: Path, example: dict[str, Any]) -> None:
    text = json.dumps(example, ensure_ascii=True).replace('"\\u7814\\u53d1\\u4eba\\u545801"', '"\\ud800"', 1)
    assert "\\ud800" in text
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="utf-8")
    out = run_check(path)
    assert out.exit_code == 2 and "JSON 中“staff[0].name”处文字含有不成对的代理字符 \\ud800" in out.stderr


@pytest.mark.parametrize(("delta", "ok"), [(-1, True), (0, True), (1, False)])
def test_check_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta: int, ok: bool) -> None:
    monkeypatch.setattr(checking, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b" " * (98 + delta) + b"]")
    out = run_check(path)
    assert out.exit_code == 2  # a list is not the format either way
    assert ("文件有 101 字节，超过 100 字节 的上限，不是交换格式文件" in out.stderr) is (not ok)


# ---------------------------------------------------------------- import FILE.json


def test_import_refuses_a_fifo_at_once(ctx: AppContext, fifo: Path) -> None:
    with pytest.raises(d.ImportFileError, match="不是普通文件（是命名管道（FIFO）") as caught:
        d.import_declaration_file(ctx, path=fifo)
    assert str(caught.value).startswith(f"{fifo}：")
    assert d.list_declarations(ctx) == []


def test_import_refuses_a_folder(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(d.ImportFileError, match="这是一个文件夹，不是文件"):
        d.read_interchange_file(tmp_path)


def test_import_refuses_duplicate_keys_with_the_json_path(
    ctx: AppContext, tmp_path: Path, example: dict[str, Any]
) -> None:
    text = json.dumps(example, ensure_ascii=False).replace(
        '"degree": "博士"', '"degree": "博士", "degree": "本科"', 1
    )
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        d.import_declaration_file(ctx, path=path)
    assert caught.value.path == "staff[0]"
    assert "键 “degree” 重复出现" in caught.value.detail
    assert d.list_declarations(ctx) == []


def test_import_refuses_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * 40 + "1" + "}" * 40, encoding="utf-8")
    with pytest.raises(FormatError, match="嵌套超过 32 层"):
        d.read_interchange_file(path)


@pytest.mark.parametrize(("delta", "ok"), [(-1, True), (0, True), (1, False)])
def test_import_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta: int, ok: bool) -> None:
    monkeypatch.setattr(d.exchange, "MAX_IMPORT_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b" " * (98 + delta) + b"]")
    if ok:
        assert d.read_interchange_file(path) == []
    else:
        with pytest.raises(FormatError, match="文件有 101 字节，超过 100 字节 的上限，不是交换格式文件"):
            d.read_interchange_file(path)


# ---------------------------------------------------------------- attachments


def test_an_attachment_that_is_a_fifo_is_refused_at_once(
    ctx: AppContext, tmp_path: Path, example: Any
) -> None:
    did = d.create_draft(ctx, call_year=2026, data=example)
    fifo = tmp_path / "扫描件.pdf"
    os.mkfifo(fifo)
    with pytest.raises(ServiceError, match=r"附件“扫描件\.pdf”不是普通文件（是命名管道（FIFO）") as caught:
        att.add_attachment(ctx, declaration_id=did, source=fifo, title="营业执照")
    assert caught.value.field == "附件文件"
    assert att.list_attachments(ctx, declaration_id=did) == []


def test_dev_zero_as_an_attachment_is_refused(ctx: AppContext, example: Any) -> None:
    did = d.create_draft(ctx, call_year=2026, data=example)
    with pytest.raises(ServiceError, match="附件“zero”不是普通文件（是字符设备）"):
        att.add_attachment(ctx, declaration_id=did, source=Path("/dev/zero"), title="营业执照")


def test_a_folder_as_an_attachment_is_refused(ctx: AppContext, tmp_path: Path, example: Any) -> None:
    did = d.create_draft(ctx, call_year=2026, data=example)
    folder = tmp_path / "扫描件.pdf"
    folder.mkdir()
    with pytest.raises(ServiceError, match="是一个文件夹，不是文件"):
        att.add_attachment(ctx, declaration_id=did, source=folder, title="营业执照")


def test_an_attachment_that_grew_past_the_limit_while_copying_is_refused(
    ctx: AppContext, tmp_path: Path, example: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    did = d.create_draft(ctx, call_year=2026, data=example)
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"x" * 200)
    monkeypatch.setattr(att, "MAX_ATTACHMENT_BYTES", 100)
    monkeypatch.setattr(att.inbound, "regular_size", lambda path: 50)  # it was small when looked at
    with pytest.raises(ServiceError, match=r"附件“扫描件\.pdf”在复制时超过 100 字节 的上限"):
        att.add_attachment(ctx, declaration_id=did, source=scan, title="营业执照")
    assert att.list_attachments(ctx, declaration_id=did) == []
    folder = att.attachments_root(ctx) / str(did)
    assert not folder.exists() or list(folder.iterdir()) == []  # no copy, no half copy left behind
