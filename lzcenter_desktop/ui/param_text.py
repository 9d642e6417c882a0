"""Rule-set parameter values as a clerk reads and types them, and back.

``80%`` or ``1/3`` for ratios, ``5,000,000`` for amounts, ``是``/``否`` for switches,
``汽车、钢铁`` for lists, ``5000万元及以下：5%；20000万元及以下：4%；其余：3%`` for the R&D intensity
tiers.  Every parse error is a :class:`~lzcenter_desktop.domain.settings.SettingsError`, whose
Chinese message names the parameter.
"""

from __future__ import annotations

import re
from fractions import Fraction

from lzcenter_desktop.domain.settings import ParamInfo, SettingsError, Tier, format_fraction

YES = "是"
NO = "否"

_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
_TIER_SPLIT = re.compile(r"[;；\n]+")
_TIER_BOUND = re.compile(r"^(\d+(?:\.\d+)?)\s*(万元|元)?\s*(?:及以下|以下)?\s*[:：]\s*(.+)$")
_TIER_REST = re.compile(r"^(?:其余|其他|以上)\s*[:：]\s*(.+)$")


def format_value(info: ParamInfo, value: object) -> str:
    kind = info.kind
    if kind == "int":
        assert isinstance(value, int)
        return f"{value:,}"
    if kind == "fraction":
        assert isinstance(value, Fraction)
        return format_fraction(value)
    if kind == "bool":
        return YES if value else NO
    if kind == "strings":
        assert isinstance(value, tuple)
        return "、".join(value)
    if kind == "tiers":
        assert isinstance(value, tuple)
        return format_tiers(value)
    return str(value)


def format_tiers(tiers: tuple[Tier, ...]) -> str:
    parts = []
    for bound, ratio in tiers:
        if bound is None:
            parts.append(f"其余：{format_fraction(ratio)}")
        elif bound % 10_000 == 0:
            parts.append(f"{bound // 10_000}万元及以下：{format_fraction(ratio)}")
        else:
            parts.append(f"{bound}元及以下：{format_fraction(ratio)}")
    return "；".join(parts)


def _clean(text: str) -> str:
    return text.strip().replace("，", ",").replace("％", "%").replace("／", "/")


def parse_int(name: str, text: str) -> int:
    cleaned = _clean(text).replace(",", "").replace(" ", "")
    if not cleaned:
        raise SettingsError(name, "不能为空")
    if not _INT.match(cleaned):
        raise SettingsError(name, f"应为整数，实际输入“{text.strip()}”")
    return int(cleaned)


def parse_ratio(name: str, text: str) -> Fraction:
    """``80%``, ``80`` (percent), ``33.3%`` or ``1/3`` (a fraction)."""
    cleaned = _clean(text).replace(" ", "")
    if not cleaned:
        raise SettingsError(name, "不能为空")
    try:
        if "/" in cleaned:
            if cleaned.endswith("%"):
                raise ValueError(cleaned)
            numerator, _, denominator = cleaned.partition("/")
            if not (_INT.match(numerator) and _INT.match(denominator)):
                raise ValueError(cleaned)
            return Fraction(int(numerator), int(denominator))
        number = cleaned.removesuffix("%")
        if not _DECIMAL.match(number):
            raise ValueError(cleaned)
        return Fraction(number) / 100
    except (ValueError, ZeroDivisionError):
        raise SettingsError(
            name, f"应写成百分比（如 80%）或分数（如 1/3），实际输入“{text.strip()}”"
        ) from None


def parse_bool(name: str, text: str) -> bool:
    cleaned = text.strip()
    if cleaned == YES:
        return True
    if cleaned == NO:
        return False
    raise SettingsError(name, f"应为“{YES}”或“{NO}”，实际输入“{cleaned}”")


def parse_strings(name: str, text: str) -> tuple[str, ...]:
    items = [s for s in _LIST_SPLIT.split(text.strip()) if s]
    if not items:
        raise SettingsError(name, "至少应有一项（多项用顿号“、”分开）")
    return tuple(items)


def parse_tiers(name: str, text: str) -> tuple[Tier, ...]:
    parts = [p.strip() for p in _TIER_SPLIT.split(text.strip()) if p.strip()]
    if not parts:
        raise SettingsError(name, "不能为空")
    tiers: list[Tier] = []
    for part in parts:
        rest = _TIER_REST.match(part)
        if rest:
            tiers.append((None, parse_ratio(name, rest.group(1))))
            continue
        bounded = _TIER_BOUND.match(part)
        if not bounded:
            raise SettingsError(
                name,
                f"无法识别“{part}”；每一档写成“5000万元及以下：5%”，最后一档写成“其余：3%”，各档用分号隔开",
            )
        amount, unit, ratio = bounded.groups()
        scale = 1 if unit == "元" else 10_000
        yuan = Fraction(amount) * scale
        if yuan.denominator != 1:
            raise SettingsError(name, f"销售收入上限“{amount}{unit or '万元'}”换算成元后不是整数")
        tiers.append((int(yuan), parse_ratio(name, ratio)))
    return tuple(tiers)


def parse_value(info: ParamInfo, text: str) -> object:
    """The value of ``info`` typed as ``text``; the domain checks bounds when the settings are built."""
    kind = info.kind
    if kind == "int":
        return parse_int(info.name, text)
    if kind == "fraction":
        return parse_ratio(info.name, text)
    if kind == "bool":
        return parse_bool(info.name, text)
    if kind == "strings":
        return parse_strings(info.name, text)
    if kind == "tiers":
        return parse_tiers(info.name, text)
    cleaned = text.strip()
    if not cleaned:
        raise SettingsError(info.name, "不能为空")
    return cleaned


def input_hint(info: ParamInfo) -> str:
    """How to type a value of this kind (tooltip of the editor)."""
    return {
        "int": "整数，可带千位分隔符，如 5,000,000",
        "fraction": "百分比（如 80%）或分数（如 1/3）",
        "bool": "是 / 否",
        "strings": "多项用顿号“、”分开",
        "tiers": "如：5000万元及以下：5%；20000万元及以下：4%；其余：3%",
        "month_day": "月-日，如 12-31",
    }.get(info.kind, "")
