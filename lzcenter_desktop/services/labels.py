"""Chinese labels of the short English codes stored in the database."""

from __future__ import annotations

from collections.abc import Mapping

ORG_KIND_LABELS: Mapping[str, str] = {
    "enterprise": "企业",
    "university": "高等院校",
    "institute": "科研院所",
    "other": "其他",
}

PARTY_ROLE_LABELS: Mapping[str, str] = {"co_builder": "共建单位", "joint_applicant": "联合申报单位"}

GRADE_LABELS: Mapping[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "rectify": "整改",
    "fail": "不合格",
    "absent": "未参加评估",
}

HOST_ASSESSMENT_LABELS: Mapping[str, str] = {
    "excellent": "优秀",
    "qualified": "合格",
    "basic": "基本合格",
    "fail": "不合格",
}

INDICATOR_GROUP_LABELS: Mapping[str, str] = {
    "research": "研究水平与创新成果",
    "talent": "队伍建设与人才培养",
    "openness": "开放交流与运行管理",
    "support": "依托单位条件保障与组织管理",
}

COMMITTEE_LABELS: Mapping[str, str] = {"management": "管理委员会", "expert": "专家指导委员会"}

MEMBER_CATEGORY_LABELS: Mapping[str, str] = {
    "university": "高等院校",
    "institute": "科研院所",
    "association": "行业协会",
    "enterprise_upstream": "上游企业",
    "enterprise_downstream": "下游企业",
    "center_leader": "中心负责人",
    "host": "依托单位",
    "co_builder": "共建单位",
    "other": "其他",
}

RECORD_STATUS_LABELS: Mapping[str, str] = {"active": "有效", "retired": "已停用"}


def label_of(mapping: Mapping[str, str], code: str | None) -> str:
    """The label of ``code``, or the code itself when the mapping does not know it."""
    if code is None:
        return ""
    return mapping.get(code, code)
