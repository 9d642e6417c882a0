"""Importing experts from Excel (services/review/expert_import.py): cell-precise Chinese errors,
nothing written when any row is bad, re-import updates."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from lzcenter_desktop.services import organizations
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.review.expert_import import ExpertImportError, import_experts
from lzcenter_desktop.storage.models import Expert, Organization, Person
from tests.review_fixtures import credit_code, open_review_db

HEADER = ["姓名", "单位", "统一社会信用代码", "专业领域", "职称", "电话", "邮箱"]
CODE_A = credit_code(201, org_type="12")
CODE_B = credit_code(202)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_review_db(tmp_path)
    yield context
    context.db.dispose()


def workbook(tmp_path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "专家"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "专家名单.xlsx"
    wb.save(path)
    return path


def counts(ctx: AppContext) -> tuple[int, int, int]:
    with ctx.db.session() as s:
        return tuple(  # type: ignore[return-value]
            s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Expert, Person, Organization)
        )


GOOD = [
    ["张三", "广西测试研究院", CODE_A, "智能制造", "正高级工程师", "0772-3100001", "zhang@example.com"],
    ["李四", "柳州测试机械有限公司", CODE_B, "汽车", "高级工程师", 13877200001, None],
    ["王五", "广西测试研究院", None, "新材料", None, None, None],
]


def test_a_good_workbook_imports_every_row(ctx: AppContext, tmp_path: Path) -> None:
    result = import_experts(ctx, path=workbook(tmp_path, GOOD))
    assert (result.created, result.updated, result.rows) == (3, 0, 3)
    pool = {e.name: e for e in experts.list_experts(ctx)}
    assert set(pool) == {"张三", "李四", "王五"}
    assert pool["张三"].credit_code == CODE_A and pool["张三"].email == "zhang@example.com"
    assert pool["李四"].phone == "13877200001"  # a phone typed as a number
    assert pool["王五"].organization_id == pool["张三"].organization_id  # the same unit, linked by name
    assert counts(ctx) == (3, 3, 2)


def test_every_bad_cell_is_reported_and_nothing_is_written(ctx: AppContext, tmp_path: Path) -> None:
    bad_code = CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")
    rows = [
        GOOD[0],
        ["", "广西测试研究院", None, None, None, None, None],  # row 3: no name
        ["赵六", "柳州某公司", bad_code, None, None, "12345", "zhao@"],  # row 4: code, phone, email
        [None, None, None, None, None, None, None],  # row 5: empty, skipped
        ["张三", " 广西测试研究院", None, None, None, None, None],  # row 6: repeats row 2
        ["钱七", "", None, None, None, None, None],  # row 7: no unit
    ]
    with pytest.raises(ExpertImportError) as info:
        import_experts(ctx, path=workbook(tmp_path, rows))
    problems = info.value.problems
    assert problems[0] == "第3行 A列：请填写姓名"
    assert problems[1].startswith("第4行 C列：")
    assert problems[2].startswith("第4行 F列：电话“12345”格式不正确")
    assert problems[3].startswith("第4行 G列：邮箱“zhao@”格式不正确")
    assert problems[4] == "第6行 A列：与第2行重复（同一单位的同名专家）"
    assert problems[5] == "第7行 B列：请填写单位"
    assert len(problems) == 6
    assert "“专家名单.xlsx”有 6 处问题，未导入任何专家" in info.value.message
    assert isinstance(info.value, ServiceError) and info.value.field == "文件"
    assert counts(ctx) == (0, 0, 0)


def test_columns_are_found_by_their_header_in_any_order(ctx: AppContext, tmp_path: Path) -> None:
    path = workbook(
        tmp_path, [["13877200001", "张三", "其他", "广西测试研究院"]], header=["电话", "姓名", "备注", "单位"]
    )
    assert import_experts(ctx, path=path).created == 1
    with pytest.raises(ExpertImportError) as info:
        import_experts(ctx, path=workbook(tmp_path, [["张三"]], header=["姓名", "电话"]))
    assert info.value.problems == (
        "第1行：缺少“单位”列（第1行应为列标题：姓名、单位、统一社会信用代码、专业领域、职称、电话、邮箱）",
    )
    path = workbook(tmp_path, [["李四", "某单位", "x", "y"]], header=["姓名", "单位", "电话", "电话"])
    with pytest.raises(ExpertImportError, match="第1行 D列：列标题“电话”重复"):
        import_experts(ctx, path=path)


def test_a_file_without_rows_or_not_a_workbook(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ExpertImportError, match="没有专家数据"):
        import_experts(ctx, path=workbook(tmp_path, []))
    text = tmp_path / "专家.xlsx"
    text.write_text("姓名,单位\n", encoding="utf-8")
    with pytest.raises(ServiceError, match="不是 Excel 工作簿"):
        import_experts(ctx, path=text)
    with pytest.raises(ServiceError, match=r"找不到|无法读取"):
        import_experts(ctx, path=tmp_path / "没有这个文件.xlsx")


def test_an_old_xls_or_a_damaged_workbook_is_explained(ctx: AppContext, tmp_path: Path) -> None:
    """The expert list is opened by the same guard as a declaration workbook, with its messages."""
    old = tmp_path / "专家.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    refused = r"“专家\.xls”是旧版 Excel（\.xls）文件或设有打开密码的工作簿"
    with pytest.raises(ServiceError, match=refused) as info:
        import_experts(ctx, path=old)
    assert info.value.field == "文件"
    good = workbook(tmp_path, [])
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ServiceError, match=r"“截断\.xlsx”不是有效的 Excel 工作簿（\.xlsx），文件可能已损坏"):
        import_experts(ctx, path=cut)


def test_a_formula_cell_is_reported_not_imported(ctx: AppContext, tmp_path: Path) -> None:
    path = workbook(tmp_path, [["张三", "广西测试研究院", None, '="智能"&"制造"', None, None, None]])
    with pytest.raises(ExpertImportError) as info:
        import_experts(ctx, path=path)
    assert info.value.problems == ("第2行 D列：单元格是公式，请改为直接填写的值",)


def test_a_credit_code_registered_under_another_name(ctx: AppContext, tmp_path: Path) -> None:
    organizations.create_organization(ctx, name="柳州完全不同的公司", kind="enterprise", credit_code=CODE_B)
    with pytest.raises(ExpertImportError) as info:
        import_experts(ctx, path=workbook(tmp_path, [GOOD[1]]))
    assert info.value.problems == (
        f"第2行 C列：统一社会信用代码 {CODE_B} 已登记为“柳州完全不同的公司”，"
        "与单位“柳州测试机械有限公司”不一致，请核对",
    )
    assert counts(ctx)[0] == 0
    # a department of the registered unit (its name begins with the unit's) is accepted
    organizations.create_organization(ctx, name="广西测试研究院", kind="institute", credit_code=CODE_A)
    row = ["张三", "广西测试研究院材料所", CODE_A, None, None, None, None]
    assert import_experts(ctx, path=workbook(tmp_path, [row])).created == 1
    [view] = experts.list_experts(ctx)
    assert view.unit == "广西测试研究院"


def test_importing_again_updates_instead_of_duplicating(ctx: AppContext, tmp_path: Path) -> None:
    import_experts(ctx, path=workbook(tmp_path, GOOD))
    again = [
        ["张三", "广西测试研究院", CODE_A, "智能制造", "教授级高级工程师", None, None],
        ["孙八", "柳州新单位", None, None, None, None, None],
    ]
    result = import_experts(ctx, path=workbook(tmp_path, again))
    assert (result.created, result.updated) == (1, 1)
    pool = {e.name: e for e in experts.list_experts(ctx)}
    assert (
        pool["张三"].title == "教授级高级工程师" and pool["张三"].phone == "0772-3100001"
    )  # blank cells keep
    assert len(pool) == 4
