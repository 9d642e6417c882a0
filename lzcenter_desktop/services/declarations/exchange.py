"""The interchange format (``lzcenter.declaration/1``): reading a file, importing a document as a
draft, exporting a declaration, and comparing two declarations field by field.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from lzcenter_desktop.domain.interchange import FormatError, declaration_to_json, parse_declaration
from lzcenter_desktop.services import output
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.declarations.base import FieldDifference, ImportOutcome, diff_documents
from lzcenter_desktop.services.declarations.checking import check_declaration_draft
from lzcenter_desktop.services.declarations.drafts import add_draft, check_call_year, fullwidth_name
from lzcenter_desktop.services.declarations.queries import get_declaration
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import unit_of_work

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a declaration is about 10 KB; bounds the memory of parsing


class ImportFileError(ServiceError):
    """The file could not be read at all (missing, a folder, no permission); exit 2 in the CLI."""


def read_interchange_file(path: Path) -> Any:
    """The JSON value of ``path``. Raises :class:`ImportFileError` (unreadable: missing, a folder, a
    pipe or a device — never read —, no permission) or :class:`FormatError` (too large, not UTF-8
    JSON, or JSON refused by :func:`documents.inbound.loads_json`: duplicate keys, too deep, an
    over-long string, a lone surrogate — with the JSON path), both with Chinese messages."""
    from lzcenter_desktop.documents import inbound

    p = Path(path)
    try:
        raw = inbound.read_regular(p, max_bytes=MAX_IMPORT_BYTES)
    except inbound.RefusedFile as exc:
        if exc.kind == "too_large":
            raise FormatError("", f"{exc}，不是交换格式文件") from None
        raise ImportFileError(f"{p}：{exc}", field="文件") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError("", f"文件不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节有误）") from None
    try:
        return inbound.loads_json(content)
    except json.JSONDecodeError as exc:
        raise FormatError("", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except inbound.JsonRefused as exc:
        raise FormatError(exc.path, str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise FormatError("", f"不是有效的 JSON（{exc}）") from None


def import_declaration_data(ctx: AppContext, *, data: object) -> ImportOutcome:
    """Import one ``lzcenter.declaration/1`` document as a draft. Not the format → :class:`FormatError`;
    a document that breaks rules is imported all the same (a flagged draft) and its violations returned.
    A host with a valid credit code is linked at once (the registered organization, else a new one),
    with a centre in 草稿; otherwise both wait for the submission."""
    decl = parse_declaration(data)  # FormatError when not the format
    check_call_year(decl.call_year)
    assert isinstance(data, dict)
    document = copy.deepcopy(data)
    fullwidth_name(document)
    with unit_of_work(ctx, "declarations.import_declaration") as session:
        row = add_draft(session, document, reason="导入申报书（交换格式 JSON）")
        assert row.id is not None
        new_id = row.id
    return ImportOutcome(new_id, check_declaration_draft(ctx, declaration_id=new_id).violations)


def import_declaration_file(ctx: AppContext, *, path: Path) -> ImportOutcome:
    """Import a declaration file (CLI ``import FILE.json``). Raises :class:`FormatError` (exit 2) when
    the file is not the format, :class:`ImportFileError` when it cannot be read."""
    return import_declaration_data(ctx, data=read_interchange_file(Path(path)))


def export_declaration(ctx: AppContext, *, declaration_id: int) -> dict[str, Any]:
    """The declaration as a ``lzcenter.declaration/1`` dict (the same document that was imported).

    Raises :class:`ServiceError` naming the first incomplete field when a draft is not yet complete."""
    view = get_declaration(ctx, declaration_id)
    try:
        return declaration_to_json(parse_declaration(view.data))
    except FormatError as exc:
        raise ServiceError(
            f"第 {declaration_id} 号申报书尚未填写完整，不能导出为交换格式：{exc.path}：{exc.detail}",
            field=exc.path,
        ) from exc


def write_export(ctx: AppContext, *, declaration_id: int, path: Path) -> Path:
    """Write :func:`export_declaration` to ``path`` (UTF-8, indented like the examples, byte for byte)."""
    document = export_declaration(ctx, declaration_id=declaration_id)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return output.write_bytes(Path(path), text.encode("utf-8"))


def compare_declarations(ctx: AppContext, *, left_id: int, right_id: int) -> list[FieldDifference]:
    """What differs between two declarations or drafts, field by field."""
    return diff_documents(get_declaration(ctx, left_id).data, get_declaration(ctx, right_id).data)
