"""The stored codes of the audit trail's values in Chinese (``recognised`` → 已认定).

The audit viewer and its export show an entry's fields by their Chinese names
(:mod:`lzcenter_desktop.domain.audit_labels`); this module does the same for the *values* of the
fields that hold a code — a centre's state, a declaration's status, a user's role, a round's
status… — from the label tables the services themselves show, so the trail says what the pages
say. A value without a label (free text, a number, a code added later) is shown as stored.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

#: ``recognition.status`` (storage/models/review.py): the title as the certificate's check reads it
RECOGNITION_STATUS: Mapping[str, str] = {"valid": "有效", "revoked": "已撤销", "forfeited": "视为自动放弃"}


@functools.cache
def value_labels() -> Mapping[tuple[str, str], Mapping[str, str]]:
    """(table, column) → {stored code: Chinese label}. Built on first use (the services' modules
    are imported then, not when the audit viewer's module is)."""
    from lzcenter_desktop.domain.evaluation import Outcome
    from lzcenter_desktop.domain.lifecycle import STATE_LABELS
    from lzcenter_desktop.domain.model import ORG_KIND_LABELS
    from lzcenter_desktop.domain.roles import ROLE_LABELS
    from lzcenter_desktop.services import approvals
    from lzcenter_desktop.services.annual.reports import ASSESSMENT_LABELS
    from lzcenter_desktop.services.annual.reports import STATUS_LABELS as REPORT_STATUS
    from lzcenter_desktop.services.declarations.base import STATUS_LABELS as DECLARATION_STATUS
    from lzcenter_desktop.services.evaluation.experts import HOW_LABELS as EVALUATION_HOW
    from lzcenter_desktop.services.evaluation.experts import STATUS_LABELS as ASSIGNMENT_STATUS
    from lzcenter_desktop.services.evaluation.rectification import OUTCOME_LABELS as RECTIFICATION
    from lzcenter_desktop.services.evaluation.rounds import ROUND_STATUS_LABELS
    from lzcenter_desktop.services.review.calls import CALL_STATUS_LABELS
    from lzcenter_desktop.services.review.experts import EXPERT_STATUS_LABELS
    from lzcenter_desktop.services.review.formal import DECISION_LABELS
    from lzcenter_desktop.services.review.lookup import SESSION_STATUS_LABELS
    from lzcenter_desktop.services.review.notice import (
        FORM_LABELS,
        NOTICE_STATUS_LABELS,
        SUBMITTER_KIND_LABELS,
    )
    from lzcenter_desktop.services.review.notice import OUTCOME_LABELS as OBJECTION_OUTCOME
    from lzcenter_desktop.services.review.panels import HOW_LABELS as PANEL_HOW
    from lzcenter_desktop.services.review.results import OUTCOME_LABELS as RESULT_OUTCOME

    def plain(table: Mapping[Any, str]) -> Mapping[str, str]:
        return {str(code): label for code, label in table.items()}

    states = plain(STATE_LABELS)
    return {
        ("center", "state"): states,
        ("center_state_change", "from_state"): states,
        ("center_state_change", "to_state"): states,
        ("declaration", "status"): plain(DECLARATION_STATUS),
        ("organization", "kind"): plain(ORG_KIND_LABELS),
        ("app_user", "role"): plain(ROLE_LABELS),
        ("approval_request", "status"): plain(approvals.STATUS_LABELS),
        ("approval_request", "kind"): {kind: spec[0] for kind, spec in approvals.KINDS.items()},
        ("annual_report", "status"): plain(REPORT_STATUS),
        ("annual_report", "host_assessment"): plain(ASSESSMENT_LABELS),
        ("evaluation_round", "status"): plain(ROUND_STATUS_LABELS),
        ("evaluation", "outcome"): {o.value: o.label for o in Outcome},
        ("evaluation_assignment", "status"): plain(ASSIGNMENT_STATUS),
        ("evaluation_assignment", "how"): plain(EVALUATION_HOW),
        ("rectification", "outcome"): plain(RECTIFICATION),
        ("expert", "status"): plain(EXPERT_STATUS_LABELS),
        ("formal_check", "decision"): plain(DECISION_LABELS),
        ("review_session", "status"): plain(SESSION_STATUS_LABELS),
        ("review_panel_member", "how"): plain(PANEL_HOW),
        ("review_result", "outcome"): plain(RESULT_OUTCOME),
        ("public_notice", "status"): plain(NOTICE_STATUS_LABELS),
        ("objection", "outcome"): plain(OBJECTION_OUTCOME),
        ("objection", "submitter_kind"): plain(SUBMITTER_KIND_LABELS),
        ("objection", "form"): plain(FORM_LABELS),
        ("annual_call", "status"): plain(CALL_STATUS_LABELS),
        ("review_assignment", "how"): plain(PANEL_HOW),
        # codes no page shows by a table of its own
        ("recognition", "status"): RECOGNITION_STATUS,
        ("review_assignment", "status"): {"assigned": "待评分", "scored": "已评分", "recused": "已回避"},
        ("director_appointment", "status"): {"active": "在任", "ended": "已离任"},
    }


def value_label(entity: str, field: str, value: object) -> str | None:
    """The Chinese label of ``value`` stored in ``entity.field``; ``None`` when it has none."""
    if not isinstance(value, str):
        return None
    return value_labels().get((entity, field), {}).get(value)
