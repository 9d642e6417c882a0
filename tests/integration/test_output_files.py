"""Every file the clerk saves is complete or not there at all, with a message that names the file
and the reason (issue 10 items 5 and 6): a missing folder, a folder given as the file, a read-only
file or folder, a full disk; and user text in Excel stays text (never a live formula)."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lzcenter_desktop.domain.interchange import parse_committees
from lzcenter_desktop.services import committee_export, declaration_files, output
from lzcenter_desktop.services.errors import ServiceError


@pytest.fixture
def committees(examples_dir: Path) -> Any:
    return parse_committees(json.loads((examples_dir / "committees.json").read_text(encoding="utf-8")))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name or p.name.endswith(".tmp"))


# ---------------------------------------------------------------- the shared writer


def test_complete_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "名单.txt"
    target.write_text("旧内容", encoding="utf-8")
    output.write_bytes(target, "新内容".encode())
    assert target.read_text(encoding="utf-8") == "新内容"
    assert leftovers(tmp_path) == []


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(output.OutputError, match="不存在") as info:
        output.write_bytes(tmp_path / "没有" / "a.pdf", b"x")
    assert "没有" in str(info.value) and "数据库" not in str(info.value)


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "导出").mkdir()
    with pytest.raises(output.OutputError, match="这是一个文件夹"):
        output.write_bytes(tmp_path / "导出", b"x")


def test_blank_name_is_refused() -> None:
    with pytest.raises(output.OutputError, match="请指定要保存的文件名"):
        output.check_target(Path(""))


def test_read_only_file_is_named_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "只读.xlsx"
    target.write_bytes(b"old")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    with pytest.raises(output.OutputError, match="该文件是只读的"):
        output.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"


def test_read_only_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    with pytest.raises(output.OutputError, match=r"没有写入文件夹.*的权限（只读）") as info:
        output.write_bytes(tmp_path / "a.pdf", b"x")
    assert "数据库只读" not in str(info.value)


def test_full_disk_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "申请书.pdf"
    target.write_bytes(b"old")

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(output.OutputError, match="磁盘空间已满"), output.writing(target) as tmp:
        tmp.write_bytes(b"half")
        full()
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_an_error_while_drawing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "新.pdf"
    with pytest.raises(ValueError), output.writing(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("字形缺失")
    assert not target.exists() and leftovers(tmp_path) == []


# ---------------------------------------------------------------- formula-safe Excel


def test_roster_names_are_text_not_formulas(tmp_path: Path, committees: Any) -> None:
    sneaky = '=HYPERLINK("http://example.invalid","点我")'
    people = tuple(
        replace(p, name=sneaky) if p.id == "p1" else replace(p, organization="+1+2") if p.id == "p4" else p
        for p in committees.people
    )
    result = committee_export.write_roster_xlsx(
        replace(committees, people=people), tmp_path / "名单.xlsx", as_of=date(2026, 11, 26)
    )
    assert result.notes == ()
    wb = load_workbook(result.path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hyper = [c for c in cells if c.value == sneaky]
    assert hyper and all(c.data_type == "s" and c.quotePrefix for c in hyper)
    assert any(c.value == "+1+2" and c.quotePrefix for c in cells)


def test_control_characters_are_removed_and_reported(tmp_path: Path, committees: Any) -> None:
    people = tuple(replace(p, name="王\x07一") if p.id == "p1" else p for p in committees.people)
    result = committee_export.write_roster_xlsx(
        replace(committees, people=people), tmp_path / "名单.xlsx", as_of=date(2026, 11, 26)
    )
    assert result.notes and all("U+0007" in n for n in result.notes)
    assert "第2届!B" in result.notes[0] or "!B" in result.notes[0]
    wb = load_workbook(result.path)
    names = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "王一" in names and "王\x07一" not in names


def test_roster_export_to_a_missing_folder_says_so(tmp_path: Path, committees: Any) -> None:
    with pytest.raises(ServiceError, match="不存在"):
        committee_export.write_roster_pdf(committees, tmp_path / "无" / "名单.pdf")


# ---------------------------------------------------------------- one template function for CLI and GUI


def test_blank_template_is_complete_and_named_xlsx(tmp_path: Path) -> None:
    written = declaration_files.write_blank_template(None, call_year=2026, path=tmp_path / "模板")
    assert written.name == "模板.xlsx" and written.read_bytes()[:2] == b"PK"
    assert leftovers(tmp_path) == []


def test_roster_marks_an_unconfirmed_host_side_member(committees: Any) -> None:
    """A unit whose name only begins with the host's counts host-side, shown as 待确认 until confirmed."""
    host = committees.host.name
    people = tuple(
        replace(p, organization=f"{host}工程技术研究中心") if p.id == "p5" else p for p in committees.people
    )
    c = replace(committees, people=people)
    row = next(
        r for r in committee_export.roster_rows(c, 1) if r[1] == next(p.name for p in people if p.id == "p5")
    )
    assert row[-1] == "是（待确认）"
    assert committee_export.host_side_text(next(p for p in people if p.id == "p1"), c) == "否"


# ---------------------------------------------------------------- documents go through the same writer


def test_a_plaque_into_a_missing_folder_or_onto_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lzcenter_desktop.documents.plaque import PlaqueSpec
    from lzcenter_desktop.services import documents

    spec = PlaqueSpec(
        "柳州智能网联汽车工程技术研究中心（柳州某某汽车有限公司）",
        "Liuzhou Intelligent Connected Vehicle Research Center of Engineering Technology (Moumou Co., Ltd.)",
        date(2026, 11, 26),
    )
    with pytest.raises(output.OutputError, match="不存在"):
        documents.write_plaque(spec, tmp_path / "无此文件夹" / "牌匾.pdf")
    target = tmp_path / "牌匾.pdf"
    assert documents.write_plaque(spec, target) == target and target.read_bytes().startswith(b"%PDF")
    old = target.read_bytes()

    def full(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    with pytest.raises(output.OutputError, match="磁盘空间已满"):
        documents.write_plaque(spec, target)
    assert target.read_bytes() == old and leftovers(tmp_path) == []
