"""The summary of a declaration an expert scores from (评审包): names and key figures.

Made from the interchange document of the declaration (``lzcenter.declaration/1``), tolerant of a
missing part. Only what scoring needs and nothing personal: counts of staff by degree and title,
never names, birth dates or ID numbers of people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from . import text
from .model import ACHIEVEMENT_KIND_LABELS, ORG_KIND_LABELS, PROJECT_LEVEL_LABELS
from .review_package import DeclarationSummary

_BACHELOR_OR_HIGHER = {"博士", "硕士", "本科"}
_INTERMEDIATE_OR_HIGHER = {"正高级", "副高级", "中级"}


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _rows(value: Any) -> Sequence[Mapping[str, Any]]:
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _names(rows: Sequence[Mapping[str, Any]]) -> str:
    names = [_s(r.get("name")) for r in rows if _s(r.get("name"))]
    return "、".join(names) if names else "无"


def _label(labels: Mapping[Any, str], value: Any) -> str:
    for key, label in labels.items():
        if key == value:
            return label
    return _s(value) or "其他"


def _staff(rows: Sequence[Mapping[str, Any]]) -> str:
    seen: set[tuple[str, Any]] = set()
    people = []
    for r in rows:
        key = (_s(r.get("name")), r.get("birth_date"))
        if key[0] and key in seen:
            continue
        seen.add(key)
        people.append(r)
    bachelor = sum(1 for r in people if r.get("degree") in _BACHELOR_OR_HIGHER)
    titled = sum(1 for r in people if r.get("title") in _INTERMEDIATE_OR_HIGHER)
    doctors = sum(1 for r in people if r.get("degree") == "博士")
    leaders = sum(1 for r in people if r.get("tech_leader") is True)
    return (
        f"{len(people)} 人，其中本科及以上 {bachelor} 人（博士 {doctors} 人），"
        f"中级及以上职称 {titled} 人，技术带头人 {leaders} 人"
    )


def _counted(rows: Sequence[Mapping[str, Any]], key: str, labels: Mapping[Any, str]) -> str:
    if not rows:
        return "无"
    counts = Counter(_label(labels, r.get(key)) for r in rows)
    order = list(labels.values())
    ranked = sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return "、".join(f"{label} {n} 项" for label, n in ranked)


def _finances(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for r in sorted(rows, key=lambda r: _int(r.get("year")) or 0):
        year, rd, sales = (
            _int(r.get("year")),
            _int(r.get("rd_expense_yuan")),
            _int(r.get("sales_revenue_yuan")),
        )
        if year is None or rd is None or sales is None:
            continue
        share = f"，占比 {text.percent(Fraction(rd, sales), 2)}" if sales > 0 else ""
        out.append((f"{year}年研发投入", f"研发费用 {text.yuan(rd)}，销售收入 {text.yuan(sales)}{share}"))
    return out


def _investments(rows: Sequence[Mapping[str, Any]]) -> str:
    items = []
    for r in sorted(rows, key=lambda r: _int(r.get("year")) or 0):
        year, amount = _int(r.get("year")), _int(r.get("amount_yuan"))
        if year is not None and amount is not None:
            items.append(f"{year}年 {text.yuan(amount)}")
    return "；".join(items) if items else "未填写"


def _equipment(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "未填写"
    total = sum(_int(r.get("value_yuan")) or 0 for r in rows)
    return f"{len(rows)} 台（套），原值合计 {text.yuan(total)}"


def summarize_declaration(
    declaration_id: int, document: Mapping[str, Any], *, recommended_by: str | None = None
) -> DeclarationSummary:
    """The summary of one declaration for the review package."""
    center = _dict(document.get("center"))
    host = _dict(document.get("host"))
    industries = tuple(_s(x) for x in center.get("industry_fields") or [] if _s(x))
    host_name = _s(host.get("name"))
    kind = _label(ORG_KIND_LABELS, host.get("kind")) if _s(host.get("kind")) else ""
    area = center.get("floor_area_m2")
    figures: list[tuple[str, str]] = [
        ("申报日期", _s(document.get("application_date")) or "未填写"),
        ("依托单位", f"{host_name}（{kind}）" if host_name and kind else host_name or "未填写"),
        ("共建单位", _names(_rows(document.get("co_builders")))),
        ("联合申报单位", _names(_rows(document.get("joint_applicants")))),
        ("主管部门", _s(host.get("competent_department")) or "未填写"),
        ("推荐单位", _s(recommended_by) or "未填写"),
        ("所属产业", "、".join(industries) or "未填写"),
        ("研究方向", _s(center.get("research_direction")) or "未填写"),
        ("研发机构成立日期", _s(center.get("rd_org_established")) or "未填写"),
        (
            "科研集中用房面积",
            text.area(area) if isinstance(area, int | float) and not isinstance(area, bool) else "未填写",
        ),
        ("仪器设备", _equipment(_rows(center.get("equipment")))),
        ("研发人员", _staff(_rows(document.get("staff")))),
        ("首席技术官", "已备案" if _dict(host.get("cto")).get("filing_no") else "未备案"),
        *_finances(_rows(document.get("finances"))),
        ("建设运行经费投入", _investments(_rows(document.get("investments")))),
        ("承担科技项目", _counted(_rows(document.get("projects")), "level", PROJECT_LEVEL_LABELS)),
        ("科技成果", _counted(_rows(document.get("achievements")), "kind", ACHIEVEMENT_KIND_LABELS)),
        ("产学研合作", f"{len(_rows(document.get('cooperation')))} 项"),
    ]
    return DeclarationSummary(
        declaration_id=declaration_id,
        name=_s(center.get("name_zh")) or f"申报书 {declaration_id}",
        host=host_name,
        industries=industries,
        figures=tuple(figures),
    )
