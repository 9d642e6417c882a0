"""Bounded reads of files a user names (issue 10 item 2): only regular files are read, never more
than a limit; an applicant's workbook is checked against every limit (file size, number of parts,
declared sizes, compression ratio, rows, columns, cells, cell length, XML depth, no DTD) before it
is parsed; interchange JSON refuses duplicate keys, deep nesting, over-long strings and lone
surrogates with the JSON path. The zip bombs are made inside the tests: small on disk, over the
limits when inflated. Each limit is tested just below, at and just above it (lowered where the real
limit would make the test slow)."""

from __future__ import annotations

import io
import json
import os
import random
import string
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter
from workbooks import STAFF_PART, declare_size, rewrite, row_bomb, sheet

from lzcenter_desktop.documents import inbound
from lzcenter_desktop.documents.xlsx import guard
from lzcenter_desktop.documents.xlsx_declaration import ReadCancelled, read_workbook, write_template
from lzcenter_desktop.domain.formdef import FormDef, load_form_text
from lzcenter_desktop.paths import forms_dir

# ---------------------------------------------------------------- regular files only


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道.json"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_without_being_opened(fifo: Path) -> None:
    with pytest.raises(inbound.RefusedFile) as caught:
        inbound.read_regular(fifo, max_bytes=100)
    assert caught.value.kind == "not_regular"
    assert str(caught.value) == "不是普通文件（是命名管道（FIFO）），不能读取；请选择保存在磁盘上的文件"


def test_a_fifo_that_passed_the_first_look_is_refused_on_the_open_descriptor(
    fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path could be swapped between the look and the open: the open never waits for a writer
    (non-blocking) and the descriptor is checked again."""
    monkeypatch.setattr(inbound, "regular_size", lambda path: 0)
    with pytest.raises(inbound.RefusedFile, match="不是普通文件（是命名管道（FIFO）") as caught:
        inbound.read_regular(fifo, max_bytes=100)
    assert caught.value.kind == "not_regular"


def test_a_symbolic_link_to_a_fifo_is_refused(fifo: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(fifo)
    with pytest.raises(inbound.RefusedFile, match="命名管道"):
        inbound.read_regular(link, max_bytes=100)


def test_a_symbolic_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"{}")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert inbound.read_regular(tmp_path / "b.json", max_bytes=2) == b"{}"


@pytest.mark.parametrize(("device", "kind"), [("/dev/zero", "字符设备"), ("/dev/null", "字符设备")])
def test_a_device_is_refused(device: str, kind: str) -> None:
    with pytest.raises(inbound.RefusedFile, match=f"不是普通文件（是{kind}）") as caught:
        inbound.read_regular(Path(device), max_bytes=100)
    assert caught.value.kind == "not_regular"


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(inbound.RefusedFile, match="这是一个文件夹，不是文件"):
        inbound.read_regular(tmp_path, max_bytes=100)
    with pytest.raises(inbound.RefusedFile, match="文件不存在") as caught:
        inbound.read_regular(tmp_path / "没有.json", max_bytes=100)
    assert caught.value.kind == "missing"


@pytest.mark.parametrize(("size", "ok"), [(99, True), (100, True), (101, False)])
def test_read_regular_size_limit(tmp_path: Path, size: int, ok: bool) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * size)
    if ok:
        assert inbound.read_regular(path, max_bytes=100) == b"x" * size
    else:
        with pytest.raises(inbound.RefusedFile, match="文件有 101 字节，超过 100 字节 的上限") as caught:
            inbound.read_regular(path, max_bytes=100)
        assert caught.value.kind == "too_large"


def test_a_file_that_grows_after_the_look_is_cut_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 150)
    monkeypatch.setattr(inbound, "regular_size", lambda p: 10)  # it was small when looked at
    with pytest.raises(inbound.RefusedFile, match="文件超过 100 字节 的上限"):
        inbound.read_regular(path, max_bytes=100)


# ---------------------------------------------------------------- JSON


def test_duplicate_keys_are_refused_with_the_json_path() -> None:
    with pytest.raises(inbound.JsonRefused) as caught:
        inbound.loads_json('{"staff": [{"name": "甲"}, {"name": "乙", "degree": "博士", "name": "丙"}]}')
    assert caught.value.path == "staff[1]"
    assert str(caught.value) == "JSON 中“staff[1]”处键 “name” 重复出现，无法确定以哪个为准"


def test_duplicate_keys_at_the_top() -> None:
    with pytest.raises(inbound.JsonRefused, match="JSON 最外层对象的键 “format” 重复出现"):
        inbound.loads_json('{"format": "a", "format": "b"}')


def _nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "[]" + "}" * (depth - 1)


@pytest.mark.parametrize("depth", [inbound.MAX_JSON_DEPTH - 1, inbound.MAX_JSON_DEPTH])
def test_nesting_up_to_the_limit_is_read(depth: int) -> None:
    value: Any = inbound.loads_json(_nested(depth))
    for _ in range(depth - 1):
        value = value["a"]
    assert value == []


def test_nesting_beyond_the_limit_is_refused_with_its_path() -> None:
    with pytest.raises(inbound.JsonRefused, match=f"嵌套超过 {inbound.MAX_JSON_DEPTH} 层") as caught:
        inbound.loads_json(_nested(inbound.MAX_JSON_DEPTH + 1))
    assert caught.value.path == ".".join(["a"] * inbound.MAX_JSON_DEPTH)


def test_very_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(inbound.JsonRefused, match="嵌套超过"):
        inbound.loads_json("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(("extra", "ok"), [(-1, True), (0, True), (1, False)])
def test_string_length_limit(extra: int, ok: bool) -> None:
    text = json.dumps({"center": {"name_zh": "中" * (inbound.MAX_JSON_STRING + extra)}})
    if ok:
        assert len(inbound.loads_json(text)["center"]["name_zh"]) == inbound.MAX_JSON_STRING + extra
    else:
        with pytest.raises(inbound.JsonRefused, match="超过 100000 个字符的上限") as caught:
            inbound.loads_json(text)
        assert caught.value.path == "center.name_zh"


def test_an_over_long_key_is_refused() -> None:
    with pytest.raises(inbound.JsonRefused, match="键长 100001 个字符"):
        inbound.loads_json(json.dumps({"k" * (inbound.MAX_JSON_STRING + 1): 1}))


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d"])
def test_a_lone_surrogate_is_refused_with_its_path(escape: str) -> None:
    with pytest.raises(inbound.JsonRefused, match="不成对的代理字符") as caught:
        inbound.loads_json('{"staff": [{"name": "张' + escape + '三"}]}')
    assert caught.value.path == "staff[0].name"


def test_a_lone_surrogate_in_a_key_is_refused() -> None:
    with pytest.raises(inbound.JsonRefused, match="键含有不成对的代理字符"):
        inbound.loads_json('{"a\\udc00": 1}')


def test_a_surrogate_pair_is_a_character() -> None:
    assert inbound.loads_json('{"name": "\\ud83d\\ude00"}') == {"name": "😀"}


@pytest.mark.parametrize(("count", "ok"), [(9, True), (10, True), (11, False)])
def test_objects_and_arrays_limit(monkeypatch: pytest.MonkeyPatch, count: int, ok: bool) -> None:
    monkeypatch.setattr(inbound, "MAX_JSON_CONTAINERS", 10)
    text = "[" + ",".join(["{}"] * (count - 1)) + "]"
    if ok:
        assert len(inbound.loads_json(text)) == count - 1
    else:
        with pytest.raises(inbound.JsonRefused, match="对象和数组过多（超过 10 个）"):
            inbound.loads_json(text)


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON 中不允许 NaN"):
        inbound.loads_json('{"a": NaN}')


def test_bad_syntax_stays_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        inbound.loads_json('{"a": }')


# ---------------------------------------------------------------- workbooks: the limits, one by one


@pytest.fixture(scope="module")
def form() -> FormDef:
    return load_form_text((forms_dir() / "declaration-2026.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, form: FormDef) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx", form)


def staff_sheet(
    tmp_path: Path, template: Path, rows: Iterable[str], name: str = "表.xlsx", level: int = 9
) -> Path:
    return rewrite(template, tmp_path / name, STAFF_PART, sheet(rows), level=level)


def scan(path: Path) -> guard.WorkbookScan:
    return guard.scan_workbook(path.read_bytes(), path.name)


def refusal(path: Path) -> str:
    with pytest.raises(guard.WorkbookRefused) as caught:
        scan(path)
    return str(caught.value)


def noise(n: int, seed: int = 7) -> str:
    """Text that deflate cannot shrink much (so the ratio limit stays out of the way)."""
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_letters) for _ in range(n))


def test_the_template_itself_passes(template: Path) -> None:
    result = scan(template)
    assert result.formulas == {}
    assert result.sheet_names[STAFF_PART] == "研发人员"


@pytest.mark.parametrize(("delta", "ok"), [(1, True), (0, True), (-1, False)])
def test_file_size_limit(
    template: Path, form: FormDef, monkeypatch: pytest.MonkeyPatch, delta: int, ok: bool
) -> None:
    size = template.stat().st_size
    monkeypatch.setattr(guard, "MAX_FILE_BYTES", size + delta)
    result = read_workbook(template, form)
    texts = [str(p) for p in result.problems]
    if ok:
        assert not any("上限" in t for t in texts) and result.draft
    else:
        assert texts == [
            f"“模板.xlsx”有 {inbound.size_text(size)}，超过 Excel 导入文件 "
            f"{inbound.size_text(size - 1)} 的上限（填写好的申报书模板通常只有几十 KB）"
        ]


def test_a_fifo_named_xlsx_is_refused(tmp_path: Path, form: FormDef) -> None:
    path = tmp_path / "申报书.xlsx"
    os.mkfifo(path)
    (problem,) = read_workbook(path, form).problems
    assert (
        str(problem) == "“申报书.xlsx”不是普通文件（是命名管道（FIFO）），不能读取；请选择保存在磁盘上的文件"
    )


@pytest.mark.parametrize(("delta", "ok"), [(1, True), (0, True), (-1, False)])
def test_number_of_parts_limit(template: Path, monkeypatch: pytest.MonkeyPatch, delta: int, ok: bool) -> None:
    with zipfile.ZipFile(template) as z:
        parts = len(z.infolist())
    monkeypatch.setattr(guard, "MAX_PARTS", parts + delta)
    if ok:
        scan(template)
    else:
        assert refusal(template).startswith(f"“模板.xlsx”内含 {parts} 个部件，超过 {parts - 1} 个的上限")


def test_too_many_parts_are_refused_before_the_directory_is_read(
    template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_PARTS", 3)

    def no_directory(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the archive's directory was read")

    monkeypatch.setattr(guard.zipfile, "ZipFile", no_directory)
    assert "个部件，超过 3 个的上限" in refusal(template)


@pytest.mark.parametrize(("delta", "ok"), [(1, True), (0, True), (-1, False)])
def test_declared_part_size_limit(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta: int, ok: bool
) -> None:
    cells = "".join(
        f'<c r="{letter}2" t="inlineStr"><is><t>{noise(10_000, seed=n)}</t></is></c>'
        for n, letter in enumerate("ABC")
    )
    book = staff_sheet(tmp_path, template, [f'<row r="2">{cells}</row>'])
    with zipfile.ZipFile(book) as z:  # the staff sheet is now the biggest part
        size = z.getinfo(STAFF_PART).file_size
        assert size == max(i.file_size for i in z.infolist())
    monkeypatch.setattr(guard, "MAX_PART_BYTES", size + delta)
    if ok:
        scan(book)
    else:
        assert refusal(book).startswith(
            f"“表.xlsx”中的“{STAFF_PART}”解压后有 {inbound.size_text(size)}，超过单个部件 "
            f"{inbound.size_text(size - 1)} 的上限"
        )


def test_parts_parsed_in_one_piece_have_a_lower_limit(
    template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme (10 KB) is refused under a 9 KB limit for parts parsed in one piece, while a bigger
    sheet (the 17 KB hidden mark sheet), which is streamed, passes."""
    with zipfile.ZipFile(template) as z:
        sizes = {i.filename: i.file_size for i in z.infolist()}
    theme, meta = sizes["xl/theme/theme1.xml"], sizes["xl/worksheets/sheet12.xml"]
    assert meta > theme == max(size for name, size in sizes.items() if not name.startswith("xl/worksheets/"))
    monkeypatch.setattr(guard, "MAX_WHOLE_PART_BYTES", theme)
    scan(template)
    monkeypatch.setattr(guard, "MAX_WHOLE_PART_BYTES", theme - 1)
    assert "中的“xl/theme/theme1.xml”解压后有" in refusal(template)


def test_a_declared_size_of_a_gigabyte_is_refused_without_inflating(template: Path, tmp_path: Path) -> None:
    book = staff_sheet(tmp_path, template, [])
    declare_size(book, STAFF_PART, 1 << 30)
    assert "解压后有 1024 MB，超过单个部件 20 MB 的上限" in refusal(book)


def test_total_size_limit(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with zipfile.ZipFile(template) as z:
        total = sum(i.file_size for i in z.infolist())
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", total)
    scan(template)
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", total - 1)
    assert f"解压后超过 {inbound.size_text(total - 1)} 的上限" in refusal(template)


ALIKE_ROWS = ["<row><c><v>1</v></c></row>"] * 3000  # 78 KB of XML that deflates about 300 times


def _ratio(path: Path) -> float:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(STAFF_PART)
    return info.file_size / info.compress_size


@pytest.mark.parametrize(("delta", "ok"), [(0.5, True), (0.0, True), (-0.5, False)])
def test_compression_ratio_limit(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta: float, ok: bool
) -> None:
    book = staff_sheet(tmp_path, template, ALIKE_ROWS)
    ratio = _ratio(book)
    assert ratio > 100
    monkeypatch.setattr(guard, "RATIO_FLOOR", 0)
    monkeypatch.setattr(guard, "MAX_RATIO", ratio + delta)
    if ok:
        scan(book)
    else:
        assert f"压缩比为 {ratio:.0f} 倍" in refusal(book)


def test_the_ratio_of_a_small_part_does_no_harm(template: Path, tmp_path: Path) -> None:
    """Below RATIO_FLOOR a part cannot inflate to anything harmful, whatever its ratio."""
    book = staff_sheet(tmp_path, template, ALIKE_ROWS)
    assert _ratio(book) > guard.MAX_RATIO
    scan(book)


def test_a_bomb_of_alike_rows_is_refused_by_its_ratio(template: Path, tmp_path: Path) -> None:
    book = row_bomb(template, tmp_path / "比.xlsx", 500_000)
    assert book.stat().st_size < 100 * 1024
    message = refusal(book)
    assert "压缩比为" in message and f"超过 {guard.MAX_RATIO} 倍的上限" in message


def _numbered(first: int, last: int) -> list[str]:
    return [f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(first, last + 1)]


@pytest.mark.parametrize(("last", "ok"), [(99, True), (100, True), (101, False)])
def test_row_limit(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: int, ok: bool
) -> None:
    monkeypatch.setattr(guard, "MAX_ROWS", 100)  # the 说明 sheet has about 40 rows
    book = staff_sheet(tmp_path, template, _numbered(2, last))
    if ok:
        scan(book)
    else:
        assert refusal(book).startswith("“表.xlsx”的工作表“研发人员”超过 100 行的上限（第 101 行有内容）")


def test_rows_without_numbers_are_counted(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "MAX_ROWS", 100)
    rows = ["<row><c><v>1</v></c></row>"] * 101  # numbered 1, 2, … 101
    assert "超过 100 行的上限（第 101 行有内容）" in refusal(staff_sheet(tmp_path, template, rows))


def test_one_row_far_down_is_refused(template: Path, tmp_path: Path) -> None:
    """openpyxl would hand over every empty row before it: a single cell in row 1,048,576 is refused."""
    book = staff_sheet(tmp_path, template, ['<row r="1048576"><c r="A1048576"><v>1</v></c></row>'])
    assert f"超过 {guard.MAX_ROWS} 行的上限（第 1048576 行有内容）" in refusal(book)


@pytest.mark.parametrize(
    ("column", "ok"),
    [(guard.MAX_COLUMNS - 1, True), (guard.MAX_COLUMNS, True), (guard.MAX_COLUMNS + 1, False)],
)
def test_column_limit(template: Path, tmp_path: Path, column: int, ok: bool) -> None:
    letter = get_column_letter(column)
    book = staff_sheet(tmp_path, template, [f'<row r="2"><c r="{letter}2"><v>1</v></c></row>'])
    if ok:
        scan(book)
    else:
        assert refusal(book).startswith(
            f"“表.xlsx”的工作表“研发人员”第 2 行超过 {guard.MAX_COLUMNS} 列的上限"
        )


def test_cells_without_references_are_counted_for_the_column_limit(template: Path, tmp_path: Path) -> None:
    cells = "<c><v>1</v></c>" * (guard.MAX_COLUMNS + 1)
    assert "列的上限" in refusal(staff_sheet(tmp_path, template, [f'<row r="2">{cells}</row>']))


@pytest.mark.parametrize(("count", "ok"), [(29, True), (30, True), (31, False)])
def test_cell_count_limit(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, ok: bool
) -> None:
    with zipfile.ZipFile(template) as z:  # the cells of the other sheets count too
        others = sum(
            z.read(i).count(b"<c ")
            for i in z.infolist()
            if i.filename.startswith("xl/worksheets/") and i.filename != STAFF_PART
        )
    monkeypatch.setattr(guard, "MAX_CELLS", others + 30)
    book = staff_sheet(tmp_path, template, _numbered(2, count + 1))
    if ok:
        scan(book)
    else:
        assert f"的单元格超过 {others + 30} 个的上限" in refusal(book)


@pytest.mark.parametrize(
    ("length", "ok"),
    [(guard.MAX_CELL_CHARS - 1, True), (guard.MAX_CELL_CHARS, True), (guard.MAX_CELL_CHARS + 1, False)],
)
def test_cell_length_limit(template: Path, tmp_path: Path, length: int, ok: bool) -> None:
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{noise(length)}</t></is></c></row>'
    book = staff_sheet(tmp_path, template, [row])
    if ok:
        scan(book)
    else:
        assert "的工作表“研发人员”第 2 行有一个单元格超过 32767 个字符（Excel 单元格的上限）" in refusal(book)


def test_shared_string_length_limit(template: Path, tmp_path: Path) -> None:
    head = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ok = rewrite(
        template,
        tmp_path / "ok.xlsx",
        "xl/sharedStrings.xml",
        [head, f"<si><t>{noise(guard.MAX_CELL_CHARS)}</t></si></sst>"],
    )
    scan(ok)
    # the characters of one shared string count together, over all its runs
    runs = "".join(f"<r><t>{noise(guard.MAX_CELL_CHARS // 2 + 1, seed=i)}</t></r>" for i in range(2))
    bad = rewrite(template, tmp_path / "bad.xlsx", "xl/sharedStrings.xml", [head, f"<si>{runs}</si></sst>"])
    assert "的共享文字表有一个单元格超过 32767 个字符" in refusal(bad)


@pytest.mark.parametrize(
    ("depth", "ok"),
    [(guard.MAX_XML_DEPTH - 1, True), (guard.MAX_XML_DEPTH, True), (guard.MAX_XML_DEPTH + 1, False)],
)
def test_xml_depth_limit(template: Path, tmp_path: Path, depth: int, ok: bool) -> None:
    # worksheet (1) / extLst (2) / x … : depth counts every level
    inner = "<x>" * (depth - 2) + "</x>" * (depth - 2)
    parts = [guard_sheet_head(), f"<sheetData/><extLst>{inner}</extLst></worksheet>"]
    book = rewrite(template, tmp_path / "深.xlsx", STAFF_PART, parts)
    if ok:
        scan(book)
    else:
        assert f"嵌套超过 {guard.MAX_XML_DEPTH} 层" in refusal(book)


def guard_sheet_head() -> str:
    return (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )


def test_a_dtd_is_refused_so_entities_never_expand(template: Path, tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    book = rewrite(template, tmp_path / "lol.xlsx", STAFF_PART, [laughs])
    assert f"中的“{STAFF_PART}”含有 DTD 声明" in refusal(book)


def test_too_many_elements_in_a_row(template: Path, tmp_path: Path) -> None:
    junk = "<x/>" * (guard.MAX_ROW_ELEMENTS + 1)
    book = staff_sheet(tmp_path, template, [f'<row r="2"><c r="A2"><v>1</v>{junk}</c></row>'])
    assert "第 2 行内容过多" in refusal(book)


def test_a_chartsheet_is_refused(template: Path, tmp_path: Path) -> None:
    chart = (
        '<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    book = rewrite(template, tmp_path / "图.xlsx", STAFF_PART, [chart])
    assert "含有图表工作表" in refusal(book)


def test_formula_cells_are_found(template: Path, tmp_path: Path) -> None:
    rows = [
        '<row r="2"><c r="A2"><v>1</v></c><c r="C2"><f>1+1</f><v>2</v></c></row>',
        '<row r="3"><c r="D3" t="str"><f>"中"&amp;"级"</f></c></row>',
    ]
    assert scan(staff_sheet(tmp_path, template, rows)).formulas == {STAFF_PART: {(2, 3), (3, 4)}}


def test_malformed_xml_is_damage(template: Path, tmp_path: Path, form: FormDef) -> None:
    book = rewrite(template, tmp_path / "坏.xlsx", STAFF_PART, [guard_sheet_head(), "<sheetData><row>"])
    assert "不是有效的 XML" in refusal(book)
    (problem,) = read_workbook(book, form).problems
    assert "不是有效的 XML" in str(problem)


# ---------------------------------------------------------------- the real bomb, end to end


def test_the_million_row_bomb_is_refused_by_the_reader(template: Path, tmp_path: Path, form: FormDef) -> None:
    bomb = row_bomb(template, tmp_path / "bomb.xlsx", 1_000_000)
    assert bomb.stat().st_size < 200 * 1024
    result = read_workbook(bomb, form)
    (problem,) = result.problems
    assert "解压后有 24.8 MB，超过单个部件 20 MB 的上限" in str(problem)
    assert result.draft == {}


def test_a_deflate_stream_that_is_garbage_is_damage(template: Path, tmp_path: Path, form: FormDef) -> None:
    content = bytearray(template.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as z:
        info = z.getinfo(STAFF_PART)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    content[start : start + 40] = b"\xff" * 40
    broken = tmp_path / "乱.xlsx"
    broken.write_bytes(bytes(content))
    (problem,) = read_workbook(broken, form).problems
    assert "文件可能已损坏" in str(problem)


def test_stop_is_looked_at_while_scanning(template: Path) -> None:
    with pytest.raises(guard.ReadCancelled):
        guard.scan_workbook(template.read_bytes(), "模板.xlsx", stop=lambda: True)


def test_stop_while_reading_the_rows_is_not_taken_for_damage(
    template: Path, tmp_path: Path, form: FormDef, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = staff_sheet(tmp_path, template, _numbered(2, 2000))
    scanned = {"done": False}
    real_scan = guard.scan_workbook

    def scan_then_mark(*args: Any, **kwargs: Any) -> guard.WorkbookScan:
        result = real_scan(*args, **kwargs)
        scanned["done"] = True
        return result

    monkeypatch.setattr(guard, "scan_workbook", scan_then_mark)
    with pytest.raises(ReadCancelled):  # false while scanning, true once the rows are being read
        read_workbook(book, form, stop=lambda: scanned["done"])
