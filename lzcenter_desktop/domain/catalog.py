"""The rule catalog (rules.md) as data: one :class:`RuleInfo` per rule ID, in catalog order.

``source`` is the sentence of the Measures the rule comes from, copied from the seed text.

Where rules.md and the Measures text disagree, the text wins; the points are listed in
:data:`NOTES` (and reported to the lead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .violations import Severity, Violation


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    article: str
    chapter: str
    title: str
    source: str
    severity: str  # "error", "warning", "error/warning" or "info"
    params: tuple[str, ...] = ()


CH3 = "第三章 申报与认定"
CH4 = "第四章 运行管理"
CH5 = "第五章 绩效评估"

_S9_1 = "在柳州市依法从事经营活动，符合国家科技创新政策要求的各类创新主体均可申报。"
_S9_3 = (
    "具有专门的研究开发机构，固定研究开发人员一般不少于8人，其中具有大学本科学历人员占比不低于80%，"
    "中级职称以上专业技术人员不低于40%。"
)
_S9_6 = (
    "依托一级法人单位，且已正常运行二年以上。"
    "依托单位及其业务主管部门在申报前三年连续投入建设运行经费累计不少于500万元。"
)
_S9_8 = (
    "依托单位是高等院校和科研院所的，其专业方向须与柳州重点产业紧密结合，须与1家以上企业联合申报。"
    "近三年来有对外产学研合作项目，或与企业签有开展产学研合作相关协议。"
)
_S10_3 = (
    "市科技局根据申请单位提交的工程技术中心申请材料，"
    "组织专家或委托第三方专业机构进行评审打分和进行现场考察打分，"
    "专家评审及现场考察各占50%，原则上总分60分及以上的拟认定为市级工程技术研究中心。"
)
_S12 = (
    "工程技术中心主任应是本领域高水平的学科带头人、具有较强的组织协调和管理能力，聘任时年龄不超过60周岁，"
    "每年在工程中心工作时间不少于6个月，每届任期3年。"
)
_S13a = (
    "工程技术中心原则上应成立管理委员会，主要由依托单位、共建单位的人员组成"
    "（无共建单位的由依托单位相关人员组成）。"
)
_S14a = (
    "工程技术中心原则上应设立专家指导委员会，主要由高等院校、科研院所、行业协会、上下游企业的技术经济专家和"
    "工程技术中心负责人员组成，人数一般为7—11人（应为单数），其中依托单位和共建单位的人员不超过三分之一。"
)
_S15 = "专家指导委员会主任应由非依托单位、共建单位的有影响的专家担任，连续任职不得超过2届。"
_S16 = "专家指导委员会每年至少召开1次会议，参会人员不少于三分之二。"
_S21 = (
    "工程技术中心应在每年12月底前按规定填报《柳州市工程技术研究中心工作年报》，"
    "经依托单位审核后随年度考核结果一并报市科技局备案。"
)
_S23 = (
    "评估主要对工程技术中心近三年整体运行状况进行综合评价，运行期内应满足本办法第九条基本条件，"
    "而且建设成效有显著提升和较大进步。"
)
_S25 = (
    "被撤销工程技术中心资格的，由依托单位在业务主管部门的指导下开展整改。两年后，"
    "如自评达到本办法第九条基本条件的，"
    "可以重新申请认定工程技术中心。"
)

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "D9.0",
        "第九条（一）",
        CH3,
        "同一单位不得在申报书中重复出现（依托单位、共建单位、联合申报单位）",
        "（规则目录补充说明，办法无对应原文）依托单位、"
        "共建单位和联合申报单位各有统一社会信用代码，同一单位不得在一份申报书中出现两次。",
        "error",
    ),
    RuleInfo(
        "D9.1a",
        "第九条（一）",
        CH3,
        "依托单位在柳州市依法经营：统一社会信用代码有效且登记地在柳州",
        _S9_1,
        "error/warning",
    ),
    RuleInfo(
        "D9.2",
        "第九条（二）",
        CH3,
        "有明确的研发方向，并选择至少一个柳州重点产业领域",
        "定位清晰，有明确的研发方向，符合柳州市经济、社会与科技发展需求和政策导向，区域优势特色明显，"
        "在柳州市及广西区内具有较强竞争力。",
        "error",
        ("key_industries",),
    ),
    RuleInfo("D9.3a", "第九条（三）", CH3, "固定研究开发人员不少于8人", _S9_3, "error", ("min_staff",)),
    RuleInfo(
        "D9.3b",
        "第九条（三）",
        CH3,
        "大学本科及以上学历人员占比不低于80%",
        _S9_3,
        "error",
        ("min_bachelor_share",),
    ),
    RuleInfo(
        "D9.3c",
        "第九条（三）",
        CH3,
        "中级及以上职称专业技术人员占比不低于40%",
        _S9_3,
        "error",
        ("min_intermediate_title_share",),
    ),
    RuleInfo(
        "D9.3d",
        "第九条（三）",
        CH3,
        "研发人员中明确技术带头人",
        "技术带头人应具有较强技术创新意识、市场意识和成果转化意识。",
        "error",
    ),
    RuleInfo(
        "D9.4a",
        "第九条（四）",
        CH3,
        "近三年主持或参与自治区级、市级科技计划项目2项以上",
        "近三年内主持或参与自治区级、市级科技计划项目2项以上。",
        "error",
        ("recent_years", "min_plan_projects", "count_national_projects"),
    ),
    RuleInfo(
        "D9.4b",
        "第九条（四）",
        CH3,
        "近三年新技术新产品、行业（地方）标准、自治区科技奖励、授权发明专利共计5项以上",
        "近三年内研发新技术新产品、主持制定行业（地方）标准、"
        "获得自治区科学技术奖励或授权发明专利（含已转让）等共计5项以上。",
        "error",
        ("recent_years", "min_achievements"),
    ),
    RuleInfo(
        "D9.5a",
        "第九条（五）",
        CH3,
        "科研集中用房面积300平方米以上",
        "科研集中用房面积达300平方米以上。",
        "error",
        ("min_floor_area_m2",),
    ),
    RuleInfo(
        "D9.5b",
        "第九条（五）",
        CH3,
        "列明科研仪器设备或试验设施",
        "拥有承担工程技术试验任务和服务任务的能力和必需的科研仪器设备",
        "warning",
        ("min_equipment_items",),
    ),
    RuleInfo("D9.6a", "第九条（六）", CH3, "依托一级法人单位", "依托一级法人单位", "error"),
    RuleInfo(
        "D9.6b",
        "第九条（六）",
        CH3,
        "研发机构已正常运行二年以上",
        "且已正常运行二年以上。",
        "error",
        ("min_operating_years",),
    ),
    RuleInfo(
        "D9.6c",
        "第九条（六）",
        CH3,
        "申报前三年投入建设运行经费累计不少于500万元",
        _S9_6,
        "error",
        ("investment_years", "min_investment_yuan"),
    ),
    RuleInfo(
        "D9.6d",
        "第九条（六）",
        CH3,
        "申报前三年连续投入（每年均有投入）",
        _S9_6,
        "error",
        ("investment_years",),
    ),
    RuleInfo(
        "D9.7a",
        "第九条（七）",
        CH3,
        "企业依托单位已设立首席技术官并在市科技局备案",
        "依托单位为企业的，应已设立首席技术官并按规定在市科技局备案。",
        "error",
    ),
    RuleInfo(
        "D9.7b",
        "第九条（七）",
        CH3,
        "企业近三个会计年度研发费用占销售收入有一定强度",
        "同时，企业近三个会计年度研究开发费用总额占同期销售收入总额有一定强度。",
        "warning",
        ("rd_intensity_tiers", "rd_intensity_years"),
    ),
    RuleInfo(
        "D9.8a",
        "第九条（八）",
        CH3,
        "高校、院所依托单位专业方向与柳州重点产业紧密结合",
        _S9_8,
        "error",
        ("key_industries",),
    ),
    RuleInfo(
        "D9.8b",
        "第九条（八）",
        CH3,
        "高校、院所依托单位与1家以上企业联合申报",
        _S9_8,
        "error",
        ("min_joint_enterprises",),
    ),
    RuleInfo(
        "D9.8c",
        "第九条（八）",
        CH3,
        "高校、院所依托单位近三年有产学研合作项目或与企业签有合作协议",
        _S9_8,
        "error",
        ("recent_years",),
    ),
    RuleInfo(
        "D10.2",
        "第十条（二）",
        CH3,
        "企业申请书由已备案的首席技术官审核签字",
        "依托单位为企业的，需本企业所聘任并向柳州市科技局完成备案的企业首席技术官审核签字。",
        "error",
    ),
    RuleInfo(
        "D25",
        "第二十五条",
        CH3,
        "被撤销资格的依托单位两年后方可重新申请认定",
        _S25,
        "error",
        ("reapply_wait_years",),
    ),
    RuleInfo(
        "D26",
        "第二十六条",
        CH3,
        "中心中英文名称符合统一命名格式",
        "工程技术中心统一命名为“柳州××工程技术研究中心（依托单位名称或共建单位名称）”，"
        "英文名称为“Liuzhou×× Research Center of Engineering Technology（依托单位或共建单位名称英文名称）”。",
        "error/warning",
    ),
    RuleInfo(
        "R10.3a",
        "第十条（三）",
        CH3,
        "总分 = 专家评审50% + 现场考察50%，各项得分在0—100分之间",
        _S10_3,
        "error",
        ("expert_score_weight", "site_score_weight"),
    ),
    RuleInfo(
        "R10.3b",
        "第十条（三）",
        CH3,
        "总分60分及以上拟认定，低于60分不予认定",
        _S10_3,
        "info",
        ("pass_score",),
    ),
    RuleInfo(
        "R10.3c",
        "第十条（三）",
        CH3,
        "与申报单位、共建单位、联合申报单位同单位的专家应回避评分",
        "组织专家或委托第三方专业机构进行评审打分和进行现场考察打分",
        "error",
    ),
    RuleInfo(
        "R10.4",
        "第十条（四）",
        CH3,
        "公示期满且异议均已处理方可发文认定",
        "拟认定工程技术中心名单在柳州市科技局网站进行公示，公示无异议的由市科技局发文认定。",
        "error",
        ("public_notice_days", "public_notice_working_days"),
    ),
    RuleInfo(
        "R10.5",
        "第十条（五）",
        CH3,
        "授予“柳州市××工程技术研究中心”称号，制作统一牌匾",
        "市科技局对认定的工程技术中心授予“柳州市××工程技术研究中心”称号，制作统一牌匾。",
        "info",
    ),
    RuleInfo(
        "M11",
        "第十一条",
        CH4,
        "中心主任由依托单位任命或聘任并报市科技局备案",
        "工程技术中心主任由依托单位任命或聘任，报市科技局备案。",
        "warning",
    ),
    RuleInfo("M12a", "第十二条", CH4, "主任聘任时年龄不超过60周岁", _S12, "error", ("director_max_age",)),
    RuleInfo(
        "M12b", "第十二条", CH4, "主任每年在中心工作不少于6个月", _S12, "error", ("director_min_months",)
    ),
    RuleInfo(
        "M12c",
        "第十二条",
        CH4,
        "主任每届任期3年，任期届满应续聘或调整",
        _S12,
        "warning",
        ("director_term_years",),
    ),
    RuleInfo("M13a", "第十三条", CH4, "原则上应成立管理委员会", _S13a, "warning"),
    RuleInfo("M13b", "第十三条", CH4, "管理委员会主要由依托单位、共建单位人员组成", _S13a, "error"),
    RuleInfo(
        "M13c",
        "第十三条",
        CH4,
        "管理委员会每年至少召开2次会议",
        "管理委员会每年至少召开2次会议，研究审定工程技术中心的发展计划、"
        "重大项目、经费预决算、主任聘用等重大事项。",
        "error",
        ("management_min_meetings",),
    ),
    RuleInfo("M14a", "第十四条", CH4, "原则上应设立专家指导委员会", _S14a, "warning"),
    RuleInfo(
        "M14b",
        "第十四条",
        CH4,
        "专家指导委员会人数为7—11人且为单数",
        _S14a,
        "error",
        ("expert_committee_min_size", "expert_committee_max_size", "expert_committee_odd"),
    ),
    RuleInfo(
        "M14c",
        "第十四条",
        CH4,
        "依托单位和共建单位人员不超过三分之一",
        _S14a,
        "error",
        ("expert_max_own_share",),
    ),
    RuleInfo(
        "M14d",
        "第十四条",
        CH4,
        "委员主要来自高校、院所、行业协会、上下游企业和中心负责人员",
        _S14a,
        "warning",
    ),
    RuleInfo(
        "M14e",
        "第十四条",
        CH4,
        "专家指导委员每届任期3年，可以连任；任期届满应换届",
        "专家指导委员每届任期3年，可以连任。",
        "warning",
        ("expert_term_years",),
    ),
    RuleInfo(
        "M14f",
        "第十四条",
        CH4,
        "每次换届更换三分之一以上",
        "每次换届应更换三分之一以上。",
        "error",
        ("expert_min_replacement_share",),
    ),
    RuleInfo("M15a", "第十五条", CH4, "专家指导委员会主任由非依托单位、共建单位的专家担任", _S15, "error"),
    RuleInfo(
        "M15b",
        "第十五条",
        CH4,
        "专家指导委员会主任连续任职不超过2届",
        _S15,
        "error",
        ("chair_max_consecutive_terms",),
    ),
    RuleInfo(
        "M15c",
        "第十五条",
        CH4,
        "专家指导委员会主任和委员经推荐、审核后聘任并报市科技局备案",
        "由依托单位推荐、业务主管部门审核后聘任，并报市科技局备案。",
        "warning",
    ),
    RuleInfo(
        "M16a", "第十六条", CH4, "专家指导委员会每年至少召开1次会议", _S16, "error", ("expert_min_meetings",)
    ),
    RuleInfo(
        "M16b",
        "第十六条",
        CH4,
        "专家指导委员会会议参会人员不少于三分之二",
        _S16,
        "error",
        ("min_attendance_share",),
    ),
    RuleInfo("E21a", "第二十一条", CH5, "每年12月底前填报工作年报", _S21, "error", ("annual_report_due",)),
    RuleInfo("E21b", "第二十一条", CH5, "工作年报随依托单位年度考核结果一并报送", _S21, "error"),
    RuleInfo(
        "E21c",
        "第二十一条",
        CH5,
        "市科技局对部分中心的年度考核结果进行现场核查（记录抽取方式）",
        "市科技局将组织专家或委托第三方专业机构对部分工程技术中心的年度考核结果进行现场核查。",
        "info",
    ),
    RuleInfo(
        "E22",
        "第二十二条",
        CH5,
        "每三年开展一次绩效评估，逾期未评估的予以提示",
        "市科技局对工程技术中心实行绩效管理，"
        "组织专家或委托第三方专业机构每三年开展一次绩效评估，评估结果向社会公布。",
        "warning",
        ("evaluation_interval_years",),
    ),
    RuleInfo(
        "E23a", "第二十三条", CH5, "评估时运行期内应满足第九条基本条件", _S23, "error", ("recent_years",)
    ),
    RuleInfo(
        "E23b",
        "第二十三条",
        CH5,
        "绩效指标分组、权重和等级分数段为评估轮次的设置",
        "主要绩效指标包括研究水平与创新成果、队伍建设与人才培养、"
        "开放交流与运行管理、依托单位条件保障与组织管理情况等。",
        "info",
        ("grade_excellent_min", "grade_qualified_min", "grade_rectify_min"),
    ),
    RuleInfo(
        "E24a",
        "第二十四条（三）",
        CH5,
        "评估为整改的给予一年整改期限，整改期间没有明显进步的取消称号",
        "评估结果为整改的，予以通报并给予一年的整改期限。",
        "info",
        ("rectification_months",),
    ),
    RuleInfo(
        "E24b",
        "第二十四条（四）",
        CH5,
        "评估不合格或连续二次整改的取消称号",
        "评估结果为不合格的或连续二次评估结果为整改的，取消工程技术中心称号。",
        "info",
        ("revoke_after_consecutive_rectify",),
    ),
    RuleInfo(
        "E24c",
        "第二十四条（五）",
        CH5,
        "不参加或中途退出评估的视为自动放弃资格",
        "不参加评估或中途退出评估的，视为自动放弃工程技术中心资格。",
        "info",
    ),
    RuleInfo(
        "E25", "第二十五条", CH5, "被撤销资格的两年后方可重新申请", _S25, "info", ("reapply_wait_years",)
    ),
)

_INDEX = {info.id: i for i, info in enumerate(RULES)}


def rule_info(rule_id: str) -> RuleInfo:
    """The catalog entry of ``rule_id``; ``KeyError`` for an unknown ID."""
    return RULES[_INDEX[rule_id]]


def catalog_position(rule_id: str) -> int:
    """Position of ``rule_id`` in catalog order (unknown IDs sort last)."""
    return _INDEX.get(rule_id, len(RULES))


NOTES: tuple[str, ...] = (
    "D26：办法第二十六条的统一命名“柳州××工程技术研究中心（"
    "依托单位名称或共建单位名称）”中括号部分是名称的一部分，"
    "早期规则目录写作“可选”（现已与原文一致）；按原文，中文名称须以（"
    "依托单位或共建单位名称）结尾且括号内须为依托单位或某一共建单位的名称，"
    "英文名称须以括号中的单位英文名称结尾。第十条（五）称号写作“柳州市××”，故“柳州市”开头亦视为符合。",
    "M13b：办法写“主要由依托单位、共建单位的人员组成”，早期规则目录写作全部来自依托单位或共建单位；"
    "按原文，来自依托单位、共建单位的委员须过半数（否则为错误），个别外单位委员不构成违规。",
    "D9.4a：办法只列“自治区级、市级科技计划项目”，规则目录另计国家级项目；"
    "该点做成参数 count_national_projects"
    "（默认计入，与规则目录一致），管理员可按原文改为不计入。",
    "D9.3a、M14b：原文分别为“一般不少于8人”“人数一般为7—11人”，"
    "“一般”语气弱于硬性条件；仍按规则目录作为错误处理，"
    "请主管确认是否改为警告。",
    "D9.8c：原文“近三年来”只限定合作项目；与企业签订的合作协议不受三年期限限制（签订日不晚于参照日即可）。",
    "D9.7b：按规则目录参照高新技术企业分档，"
    "分档所用销售收入取近三个会计年度中最近一年的销售收入（高企认定口径）。",
    "D9.0：规则目录中“同一单位不得在一份申报书中出现两次”一段没有编号，本实现使用补充编号 D9.0。",
    "R10.3b：原文为“原则上总分60分及以上的拟认定”，故只作结果判定（—），不作为阻断性错误。",
    "M12c、M14e：三年任期自起始日起算，至3年后对应日的前一日止（2023-01-01 起的任期至 2025-12-31），"
    "多一日即提示；D25、E25 的“两年后”自撤销日2年后的对应日起（2024-02-29 撤销 → 2026-02-28 起），"
    "按民法典第二百零二条，申报资格、状态变更与绩效评估共用同一日期函数。",
    "D9.2：第九条（二）原文只要求研发方向“符合柳州市经济、社会与科技发展需求”，未限定只能选重点产业；"
    "按规则目录，至少选择1个重点产业领域（否则为错误），另选的目录外领域不算违规。",
    "D9.3b：原文为“具有大学本科学历人员占比不低于80%”，规则目录为“本科及以上”；"
    "按“本科及以上”（博士、硕士、本科）计算，研究生学历者亦具有本科学历。",
    "D9.3、D9.4a、D9.4b 重复项：规则目录要求人员按身份证号、项目按项目编号识别，但交换格式没有这两个字段；"
    "人员按姓名＋出生日期、项目按名称＋级别、成果按编号（无编号时按名称）识别（名称经 NFKC 规范化、"
    "去空白、不区分大小写）。重复的行只计一次，并作为同一规则的错误单独列出（目录未写严重程度）。",
    "D9.4a：原文“近三年内主持或参与”；规则目录为近三年内任何时候在执行的项目都计入。"
    "交换格式增加可选的 projects[].end_date（验收或执行期满日期，仍在执行的填计划结束日期）："
    "立项日不晚于参照日且结束日不早于近三年起始日即计入；未填结束日期时只按立项日期判断（与旧文件含义一致）。",
    "D9.4b：原文为“主持制定行业（地方）标准”，团体标准、企业标准不在其列；"
    "系统无法从数据判断标准类别，按申报人所选类别（standard）计入，公开示例中的“（团体标准）”一项请审核时留意。",
    "D10.2：原文为“向柳州市科技局完成备案的企业首席技术官审核签字”，规则目录只比对签字人姓名；"
    "按原文另查首席技术官备案日期不得晚于签字日期（晚于即错误；未填备案日期由 D9.7a 报告）。",
    "D26：规则目录写“半角括号视为笔误，提醒并按全角保存”；按此仅一对半角括号“()”时给出提醒并按全角保存，"
    "半角全角混用或括号嵌套仍为错误。注意：单位名称本身带括号（如“柳州某某（集团）有限公司”）时，"
    "中心名称会形成嵌套括号而被判为错误，请主管确认是否放宽。",
    "D25：第二十五条的撤销记录以市科技局数据库为准：依托单位（同一信用代码，或同名登记的同一单位）"
    "名下任一中心的撤销日期即使申报书未填也计入；撤销日期晚于申报日的不计（该申报书提交时并无此限制）。",
    "M15a：主任委员的工作单位名称仅以依托单位或共建单位名称开头（如其下属研究院）而未经确认时，"
    "按“可能属于”作错误处理并提示确认；经办人确认“不属于”后不再报错。",
    "M16b：出席人数按会议当日在任委员计算；届中增补的委员自其任职起始日起计入，"
    "未记录起始日的委员按届初计入。",
)


def violation(
    rule_id: str,
    path: str,
    message: str,
    actual: str,
    required: str,
    severity: Severity | None = None,
) -> Violation:
    """A :class:`Violation` of ``rule_id`` with the article from the catalog.

    ``severity`` defaults to the catalog's; rules listed as "error/warning" must pass it.
    """
    info = rule_info(rule_id)
    if severity is None:
        if info.severity not in ("error", "warning"):
            raise ValueError(f"rule {rule_id} needs an explicit severity")
        severity = Severity(info.severity)
    return Violation(info.id, info.article, severity, path, message, actual, required)


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    """Catalog order; violations of the same rule keep their order (the order of the fields)."""
    return sorted(violations, key=lambda v: catalog_position(v.rule))
