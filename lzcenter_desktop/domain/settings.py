"""Rule-set settings: every threshold of the Measures as data, versioned per annual call.

The defaults equal the Measures (柳州市工程技术研究中心管理办法); where the Measures give no number
(R&D intensity, public-notice period, evaluation grade bands) the default is the bureau's
practice and is marked so in :data:`PARAMETERS`.  A declaration is always checked against the
rule set of its call year; storing the versions is the storage layer's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any

Tier = tuple[int | None, Fraction]
"""One R&D-intensity tier: (sales revenue upper bound in yuan, inclusive; ``None`` = no bound), ratio."""

DEFAULT_KEY_INDUSTRIES: tuple[str, ...] = (
    "汽车",
    "钢铁",
    "机械",
    "化工",
    "日用消费品",
    "新材料",
    "电子信息",
    "生物医药",
    "节能环保",
    "现代农业",
)

DEFAULT_RD_INTENSITY_TIERS: tuple[Tier, ...] = (
    (50_000_000, Fraction(5, 100)),
    (200_000_000, Fraction(4, 100)),
    (None, Fraction(3, 100)),
)


class SettingsError(ValueError):
    """A rule-set parameter has a bad value; the message is Chinese and names the parameter."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        label = _LABELS.get(name)
        where = f"参数“{label}”" if label else f"参数 {name}"  # the clerk's words, never the code
        super().__init__(f"{where}：{message}")


@dataclass(frozen=True, slots=True)
class ParamInfo:
    """Description of one parameter for the settings editor (one row per parameter)."""

    name: str
    label: str
    unit: str
    article: str
    rules: tuple[str, ...]
    kind: str  # "int", "fraction", "bool", "tiers", "month_day", "strings"
    note: str = ""


PARAMETERS: tuple[ParamInfo, ...] = (
    ParamInfo("min_staff", "固定研究开发人员最少人数", "人", "第九条（三）", ("D9.3a",), "int"),
    ParamInfo(
        "min_bachelor_share", "大学本科及以上学历人员最低占比", "%", "第九条（三）", ("D9.3b",), "fraction"
    ),
    ParamInfo(
        "min_intermediate_title_share",
        "中级及以上职称人员最低占比",
        "%",
        "第九条（三）",
        ("D9.3c",),
        "fraction",
    ),
    ParamInfo(
        "recent_years", "“近三年”的年数", "年", "第九条（四）", ("D9.4a", "D9.4b", "D9.8c", "E23a"), "int"
    ),
    ParamInfo(
        "min_plan_projects", "近三年自治区级、市级科技计划项目最少数", "项", "第九条（四）", ("D9.4a",), "int"
    ),
    ParamInfo(
        "count_national_projects",
        "国家级科技计划项目计入第九条（四）项目数",
        "",
        "第九条（四）",
        ("D9.4a",),
        "bool",
        "办法只列自治区级、市级；按规则目录默认计入国家级项目",
    ),
    ParamInfo(
        "min_achievements",
        "近三年新技术新产品、标准、自治区科技奖励、发明专利合计最少数",
        "项",
        "第九条（四）",
        ("D9.4b",),
        "int",
    ),
    ParamInfo("min_floor_area_m2", "科研集中用房最小面积", "m²", "第九条（五）", ("D9.5a",), "int"),
    ParamInfo(
        "min_equipment_items", "科研仪器设备最少台（套）数", "台（套）", "第九条（五）", ("D9.5b",), "int"
    ),
    ParamInfo("min_operating_years", "研发机构已正常运行最短年限", "年", "第九条（六）", ("D9.6b",), "int"),
    ParamInfo("investment_years", "申报前连续投入的年数", "年", "第九条（六）", ("D9.6c", "D9.6d"), "int"),
    ParamInfo(
        "min_investment_yuan", "申报前三年建设运行经费累计最低额", "元", "第九条（六）", ("D9.6c",), "int"
    ),
    ParamInfo(
        "rd_intensity_tiers",
        "研发费用总额占销售收入总额最低比例（按最近一年销售收入分档）",
        "%",
        "第九条（七）",
        ("D9.7b",),
        "tiers",
        "办法未规定具体数值，默认参照高新技术企业认定标准",
    ),
    ParamInfo("rd_intensity_years", "计算研发强度的会计年度数", "年", "第九条（七）", ("D9.7b",), "int"),
    ParamInfo(
        "min_joint_enterprises",
        "高校、院所依托单位联合申报企业最少数",
        "家",
        "第九条（八）",
        ("D9.8b",),
        "int",
    ),
    ParamInfo(
        "key_industries",
        "柳州重点产业目录",
        "项",
        "第九条（二）",
        ("D9.2", "D9.8a"),
        "strings",
        "由管理员维护",
    ),
    ParamInfo("expert_score_weight", "专家评审得分权重", "%", "第十条（三）", ("R10.3a",), "fraction"),
    ParamInfo("site_score_weight", "现场考察得分权重", "%", "第十条（三）", ("R10.3a",), "fraction"),
    ParamInfo("pass_score", "拟认定最低总分", "分", "第十条（三）", ("R10.3b",), "int"),
    ParamInfo(
        "public_notice_days",
        "公示期",
        "天",
        "第十条（四）",
        ("R10.4",),
        "int",
        "办法未规定天数，由市科技局确定",
    ),
    ParamInfo(
        "public_notice_working_days",
        "公示期按工作日计算",
        "",
        "第十条（四）",
        ("R10.4",),
        "bool",
        "是：只计工作日（周末和法定节假日不计，调休上班日计入），常用5个工作日；否：按自然日计，常用7天",
    ),
    ParamInfo("director_max_age", "主任聘任时最高年龄", "周岁", "第十二条", ("M12a",), "int"),
    ParamInfo("director_min_months", "主任每年在中心工作最少月数", "月", "第十二条", ("M12b",), "int"),
    ParamInfo("director_term_years", "主任每届任期", "年", "第十二条", ("M12c",), "int"),
    ParamInfo("management_min_meetings", "管理委员会每年最少会议次数", "次", "第十三条", ("M13c",), "int"),
    ParamInfo("expert_committee_min_size", "专家指导委员会最少人数", "人", "第十四条", ("M14b",), "int"),
    ParamInfo("expert_committee_max_size", "专家指导委员会最多人数", "人", "第十四条", ("M14b",), "int"),
    ParamInfo("expert_committee_odd", "专家指导委员会人数应为单数", "", "第十四条", ("M14b",), "bool"),
    ParamInfo(
        "expert_max_own_share", "依托单位和共建单位人员最高占比", "%", "第十四条", ("M14c",), "fraction"
    ),
    ParamInfo("expert_term_years", "专家指导委员会每届任期", "年", "第十四条", ("M14e",), "int"),
    ParamInfo("expert_min_replacement_share", "每次换届最低更换比例", "%", "第十四条", ("M14f",), "fraction"),
    ParamInfo(
        "chair_max_consecutive_terms",
        "专家指导委员会主任最多连续任职届数",
        "届",
        "第十五条",
        ("M15b",),
        "int",
    ),
    ParamInfo("expert_min_meetings", "专家指导委员会每年最少会议次数", "次", "第十六条", ("M16a",), "int"),
    ParamInfo(
        "min_attendance_share", "专家指导委员会会议最低参会比例", "%", "第十六条", ("M16b",), "fraction"
    ),
    ParamInfo("annual_report_due", "工作年报报送截止日（月-日）", "", "第二十一条", ("E21a",), "month_day"),
    ParamInfo("evaluation_interval_years", "绩效评估周期", "年", "第二十二条", ("E22",), "int"),
    ParamInfo(
        "grade_excellent_min",
        "评估“优秀”最低分",
        "分",
        "第二十四条",
        ("E23b",),
        "int",
        "办法未规定分数段，由评估轮次确定",
    ),
    ParamInfo("grade_qualified_min", "评估“合格”最低分", "分", "第二十四条", ("E23b",), "int", "同上"),
    ParamInfo(
        "grade_rectify_min", "评估“整改”最低分（以下为不合格）", "分", "第二十四条", ("E23b",), "int", "同上"
    ),
    ParamInfo("rectification_months", "整改期限", "月", "第二十四条（三）", ("E24a",), "int"),
    ParamInfo(
        "revoke_after_consecutive_rectify",
        "连续评估为整改即撤销的次数",
        "次",
        "第二十四条（四）",
        ("E24b",),
        "int",
    ),
    ParamInfo("reapply_wait_years", "被撤销后重新申请的等待年限", "年", "第二十五条", ("D25", "E25"), "int"),
)

_LABELS = {p.name: p.label for p in PARAMETERS}
_KINDS = {p.name: p.kind for p in PARAMETERS}
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_POSITIVE = frozenset(
    {
        "recent_years",
        "investment_years",
        "rd_intensity_years",
        "director_term_years",
        "expert_term_years",
        "expert_committee_min_size",
        "expert_committee_max_size",
        "chair_max_consecutive_terms",
        "evaluation_interval_years",
        "rectification_months",
        "revoke_after_consecutive_rectify",
        "public_notice_days",
        # thresholds the Measures state as a positive number: 0 would switch the rule off
        "min_staff",
        "min_plan_projects",
        "min_achievements",
        "min_floor_area_m2",
        "min_equipment_items",
        "min_operating_years",
        "min_investment_yuan",
        "min_joint_enterprises",
        "pass_score",
        "director_max_age",
        "director_min_months",
        "management_min_meetings",
        "expert_min_meetings",
        "reapply_wait_years",
    }
)
# Upper bounds a value cannot pass and still mean something (months in a year, an age, a score).
_MAXIMUM: dict[str, tuple[int, str]] = {
    "director_min_months": (12, "一年只有12个月"),
    "director_max_age": (100, "应为合理的周岁年龄"),
    "pass_score": (100, "总分满分为100分"),
    "grade_excellent_min": (100, "总分满分为100分"),
    "rectification_months": (120, "整改期限不宜超过10年"),
}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def format_fraction(f: Fraction) -> str:
    """``4/5`` → ``80%``, ``1/3`` → ``1/3`` (a percentage only where it is exact and short)."""
    pct = f * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    if (pct * 10).denominator == 1:
        return f"{float(pct):.1f}%"
    return f"{f.numerator}/{f.denominator}"


@dataclass(frozen=True)
class RuleSettings:
    """All thresholds of one annual call; defaults equal the Measures."""

    min_staff: int = 8
    min_bachelor_share: Fraction = Fraction(4, 5)
    min_intermediate_title_share: Fraction = Fraction(2, 5)
    recent_years: int = 3
    min_plan_projects: int = 2
    count_national_projects: bool = True
    min_achievements: int = 5
    min_floor_area_m2: int = 300
    min_equipment_items: int = 1
    min_operating_years: int = 2
    investment_years: int = 3
    min_investment_yuan: int = 5_000_000
    rd_intensity_tiers: tuple[Tier, ...] = DEFAULT_RD_INTENSITY_TIERS
    rd_intensity_years: int = 3
    min_joint_enterprises: int = 1
    key_industries: tuple[str, ...] = field(default=DEFAULT_KEY_INDUSTRIES)
    expert_score_weight: Fraction = Fraction(1, 2)
    site_score_weight: Fraction = Fraction(1, 2)
    pass_score: int = 60
    public_notice_days: int = 7
    public_notice_working_days: bool = False
    director_max_age: int = 60
    director_min_months: int = 6
    director_term_years: int = 3
    management_min_meetings: int = 2
    expert_committee_min_size: int = 7
    expert_committee_max_size: int = 11
    expert_committee_odd: bool = True
    expert_max_own_share: Fraction = Fraction(1, 3)
    expert_term_years: int = 3
    expert_min_replacement_share: Fraction = Fraction(1, 3)
    chair_max_consecutive_terms: int = 2
    expert_min_meetings: int = 1
    min_attendance_share: Fraction = Fraction(2, 3)
    annual_report_due: str = "12-31"
    evaluation_interval_years: int = 3
    grade_excellent_min: int = 90
    grade_qualified_min: int = 70
    grade_rectify_min: int = 60
    rectification_months: int = 12
    revoke_after_consecutive_rectify: int = 2
    reapply_wait_years: int = 2

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_value(f.name, getattr(self, f.name))
        if self.expert_committee_min_size > self.expert_committee_max_size:
            raise SettingsError("expert_committee_min_size", "最少人数不能大于最多人数")
        lo, hi = self.expert_committee_min_size, self.expert_committee_max_size
        if self.expert_committee_odd and lo == hi and lo % 2 == 0:
            raise SettingsError("expert_committee_odd", "人数上下限相同且为双数，无法满足“应为单数”")
        if self.expert_score_weight + self.site_score_weight != 1:
            raise SettingsError("site_score_weight", "专家评审与现场考察权重之和应为100%")
        if not 100 >= self.grade_excellent_min > self.grade_qualified_min > self.grade_rectify_min:
            raise SettingsError("grade_qualified_min", "分数段应满足 100 ≥ 优秀 > 合格 > 整改")
        if self.pass_score > 100:
            raise SettingsError("pass_score", "不能超过100分")

    @property
    def annual_report_due_month_day(self) -> tuple[int, int]:
        month, day = self.annual_report_due.split("-")
        return int(month), int(day)

    def rd_intensity_required(self, revenue_yuan: int) -> Fraction:
        """The minimum R&D intensity for a given (most recent year's) sales revenue."""
        for bound, ratio in self.rd_intensity_tiers:
            if bound is None or revenue_yuan <= bound:
                return ratio
        return self.rd_intensity_tiers[-1][1]

    def to_json_dict(self) -> dict[str, object]:
        """JSON-safe dict: fractions as ``"a/b"`` strings, tiers as ``[[bound|null, "a/b"], …]``."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            kind = _KINDS[f.name]
            if kind == "fraction":
                out[f.name] = f"{value.numerator}/{value.denominator}"
            elif kind == "tiers":
                out[f.name] = [[b, f"{r.numerator}/{r.denominator}"] for b, r in value]
            elif kind == "strings":
                out[f.name] = list(value)
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_json_dict(cls, d: object) -> RuleSettings:
        """Inverse of :meth:`to_json_dict`; missing keys take the defaults, bad values raise."""
        if not isinstance(d, dict):
            raise SettingsError("(settings)", "规则参数应为 JSON 对象")
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, raw in d.items():
            if name not in known:
                raise SettingsError(str(name), "未知的参数")
            values[name] = _from_json(name, raw)
        return cls(**values)


def _from_json(name: str, raw: object) -> object:
    kind = _KINDS[name]
    if kind == "fraction":
        return _parse_fraction(name, raw)
    if kind == "tiers":
        if not isinstance(raw, list):
            raise SettingsError(name, '应为分档列表 [[销售收入上限或null, "比例"], …]')
        tiers: list[Tier] = []
        for item in raw:
            if not isinstance(item, list) or len(item) != 2:
                raise SettingsError(name, '每一档应为 [销售收入上限或null, "比例"]')
            bound, ratio = item
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise SettingsError(name, f"销售收入上限应为整数元或null，实际为 {bound!r}")
            tiers.append((bound, _parse_fraction(name, ratio)))
        return tuple(tiers)
    if kind == "strings":
        if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
            raise SettingsError(name, "应为文字列表")
        return tuple(raw)
    return raw  # int, bool, month_day: checked by _check_value


def _parse_fraction(name: str, raw: object) -> Fraction:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise SettingsError(name, f'比例应写成“分子/分母”字符串（如 "4/5"），实际为 {raw!r}')
    try:
        return Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise SettingsError(name, f'无法识别的比例 {raw!r}，应写成“分子/分母”（如 "4/5"）') from None


def _check_value(name: str, value: object) -> None:
    kind = _KINDS.get(name)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(name, f"应为整数，实际为 {value!r}")
        if value < 0:
            raise SettingsError(name, f"不能为负数，实际为 {value}")
        if value == 0 and name in _POSITIVE:
            raise SettingsError(name, "应大于0（为0时该项规则不再起作用，办法中没有这样的规定）")
        limit = _MAXIMUM.get(name)
        if limit is not None and value > limit[0]:
            raise SettingsError(name, f"不能大于{limit[0]}（{limit[1]}），实际为 {value}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise SettingsError(name, f"应为是/否（true/false），实际为 {value!r}")
    elif kind == "fraction":
        if not isinstance(value, Fraction):
            raise SettingsError(name, f"应为比例（Fraction），实际为 {value!r}")
        if not 0 <= value <= 1:
            raise SettingsError(name, f"比例应在0%到100%之间，实际为 {format_fraction(value)}")
    elif kind == "month_day":
        if not isinstance(value, str) or not _MONTH_DAY.match(value):
            raise SettingsError(name, f'应写成“月-日”（如 "12-31"），实际为 {value!r}')
        month, day = int(value[:2]), int(value[3:])
        if day > _DAYS_IN_MONTH[month - 1]:
            raise SettingsError(name, f"日期 {value} 不存在")
    elif kind == "tiers":
        _check_tiers(name, value)
    elif kind == "strings":
        if not isinstance(value, tuple) or not value:
            raise SettingsError(name, "至少应有一项")
        seen: set[str] = set()
        for s in value:
            if not isinstance(s, str) or not s.strip():
                raise SettingsError(name, "不能有空白项")
            if s in seen:
                raise SettingsError(name, f"“{s}”重复")
            seen.add(s)


def _check_tiers(name: str, value: object) -> None:
    if not isinstance(value, tuple) or not value:
        raise SettingsError(name, "至少应有一档")
    previous: int | None = None
    for i, tier in enumerate(value):
        if not isinstance(tier, tuple) or len(tier) != 2:
            raise SettingsError(name, "每一档应为（销售收入上限, 比例）")
        bound, ratio = tier
        last = i == len(value) - 1
        if last and bound is not None:
            raise SettingsError(name, "最后一档的销售收入上限应为空（不设上限）")
        if not last:
            if isinstance(bound, bool) or not isinstance(bound, int) or bound < 0:
                raise SettingsError(name, f"第{i + 1}档的销售收入上限应为非负整数元")
            if previous is not None and bound <= previous:
                raise SettingsError(name, "各档销售收入上限应逐档递增")
            previous = bound
        if not isinstance(ratio, Fraction) or not 0 <= ratio <= 1:
            raise SettingsError(name, f"第{i + 1}档的比例应在0%到100%之间")


DEFAULT_SETTINGS = RuleSettings()
