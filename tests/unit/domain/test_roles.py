"""Roles and the permission table: the longest matching action prefix decides; 只读 and 评审专家
write nothing; the clerk does the daily work but not what needs a 审核人 or a 管理员; refusals are
Chinese and name the role needed."""

from __future__ import annotations

import re

import pytest

from lzcenter_desktop.domain.roles import (
    PERMISSIONS,
    Role,
    allowed_roles,
    may_write,
    refusal,
    role_from_text,
    roles_text,
)

# Every action name a service passes to unit_of_work today (grep `unit_of_work(ctx, "`), a few with
# the reason appended as the services do.
DAILY_WORK = [
    "annual.save_report",
    "attachments.add_attachment",
    "centers.change_state",
    "centers.create_center",
    "centers.update_center：改名",
    "committees.save_committees：换届",
    "declarations.import_declaration",
    "documents.make_certificate",
    "evaluation.create_round",
    "evaluation.request_acceptance",
    "organizations.create_organization",
    "people.register_person",
    "review.create_call",
    "review.publish_notice",
    "review.formal_pass",
]


@pytest.mark.parametrize("action", DAILY_WORK)
def test_the_daily_work_is_the_clerks_only(action: str) -> None:
    assert allowed_roles(action) == {Role.CLERK}
    for role in (Role.ADMIN, Role.APPROVER, Role.EXPERT, Role.READER):
        assert not may_write(role, action)


@pytest.mark.parametrize(
    ("action", "roles"),
    [
        ("rulesets.save_settings", {Role.APPROVER}),
        ("users.create_user", {Role.ADMIN}),
        ("users.deactivate", {Role.ADMIN}),
        ("backup.other", {Role.ADMIN}),
        ("documents.rotate_key", {Role.ADMIN}),
        ("documents.create_key", {Role.CLERK}),
        ("approvals.approve", {Role.APPROVER}),
        ("approvals.return", {Role.APPROVER}),
        ("approvals.propose", {Role.CLERK, Role.APPROVER}),
        ("review.recognise_notice", {Role.CLERK, Role.APPROVER}),
        ("centers.recognise", {Role.CLERK, Role.APPROVER}),
        ("evaluation.apply_consequence", {Role.CLERK, Role.APPROVER}),
        ("evaluation.record_acceptance", {Role.CLERK, Role.APPROVER}),
    ],
)
def test_special_actions(action: str, roles: set[Role]) -> None:
    assert allowed_roles(action) == roles


def test_longest_prefix_wins_and_a_prefix_must_match_from_the_start() -> None:
    assert allowed_roles("rulesets") == {Role.CLERK}  # "rulesets." needs the dot
    assert allowed_roles("xrulesets.save") == {Role.CLERK}
    assert allowed_roles("centers.recognise_all") == {Role.CLERK, Role.APPROVER}  # a prefix
    assert allowed_roles("centers.recognis") == {Role.CLERK}


def test_reader_and_expert_may_write_nothing() -> None:
    for prefix in PERMISSIONS:
        for role in (Role.READER, Role.EXPERT):
            assert not may_write(role, prefix + "x")


def test_open_actions_are_open_to_every_role() -> None:
    for role in Role:
        assert may_write(role, "users.sign_in")
        assert may_write(role, "users.add_first_admin")
    assert not may_write(Role.CLERK, "users.sign_in_as")  # exact names only


def test_refusals_are_chinese_and_name_the_role_needed() -> None:
    assert refusal(Role.CLERK, "centers.create_center") is None
    msg = refusal(Role.CLERK, "rulesets.save_settings")
    assert msg is not None and "“经办人”" in msg and "需要“审核人”角色" in msg
    msg = refusal(Role.READER, "centers.create_center")
    assert msg is not None and "只能查看" in msg and "需要“经办人”角色" in msg
    msg = refusal(Role.APPROVER, "users.create_user")
    assert msg is not None and "需要“管理员”角色" in msg
    msg = refusal(Role.EXPERT, "review.recognise_notice")
    assert msg is not None and "需要“经办人或审核人”角色" in msg
    for role in Role:
        for action in ("rulesets.save_settings", "users.create_user", "centers.create_center"):
            text = refusal(role, action)
            assert text is None or not re.search(r"[a-z_]{4,}", text)  # no internal code


def test_role_names() -> None:
    assert role_from_text("审核人") is Role.APPROVER
    assert role_from_text(" approver ") is Role.APPROVER
    assert role_from_text("局长") is None
    assert role_from_text("") is None
    assert [r.label for r in Role] == ["管理员", "经办人", "审核人", "评审专家", "只读"]
    assert roles_text(frozenset({Role.APPROVER, Role.CLERK})) == "经办人或审核人"
