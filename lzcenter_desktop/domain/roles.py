"""Roles and who may write what, once sign-in is on (issue 15).

Five roles: 管理员 (users and sign-in, backups), 经办人 (the clerk: every write of the daily work),
审核人 (approves recognitions and revocations — the second pair of eyes — and changes the rule
settings), 评审专家 and 只读 (read; they write nothing).

:data:`PERMISSIONS` maps the action names of the services' unit of work (``review.recognise_notice``,
``rulesets.save_settings`` …) by prefix to the roles allowed; the longest matching prefix wins and
an action no prefix names is the clerk's (so a new write is never open to everyone by mistake).
The services check it inside every unit of work; this module is pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    APPROVER = "approver"
    EXPERT = "expert"
    READER = "reader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "管理员",
    Role.CLERK: "经办人",
    Role.APPROVER: "审核人",
    Role.EXPERT: "评审专家",
    Role.READER: "只读",
}


def role_from_text(value: str) -> Role | None:
    """The role named by its code (``clerk``) or its Chinese label (``经办人``); None if neither."""
    text = (value or "").strip()
    for role in Role:
        if text in (role.value, role.label):
            return role
    return None


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """The user a context acts for once signed in."""

    login: str
    display_name: str
    role: Role


def sign_in_always_on(dialect_name: str) -> bool:
    """Whether a database of this kind asks for sign-in whatever its setting: a shared (server)
    database always does; a SQLite file only once an administrator switched sign-in on."""
    return dialect_name != "sqlite"


#: Actions anyone may run while sign-in is on, even before signing in: the sign-in itself (it
#: writes the count of failed attempts), the first administrator of a database without one (the
#: service refuses it once an active administrator exists) and the audit entry of a restore,
#: written into the restored copy (whose users may not be today's; see docs/operations.md), and
#: the entry recording a ``copy-database`` into a new database (its users are the source's).
OPEN_ACTIONS: frozenset[str] = frozenset(
    {"users.sign_in", "users.add_first_admin", "backup.restore", "database.copy"}
)

_CLERK = frozenset({Role.CLERK})
_CLERK_OR_APPROVER = frozenset({Role.CLERK, Role.APPROVER})

#: Action-name prefix → roles allowed. The four-eyes decisions (a recognition, a revocation) are
#: proposed by a clerk and approved by a 审核人 (services/approvals.py), so both may start them.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "": _CLERK,  # every other write: the clerk's daily work
    "users.": frozenset({Role.ADMIN}),
    "backup.": frozenset({Role.ADMIN}),
    "settings.attachments_folder": frozenset({Role.ADMIN}),
    "documents.rotate_key": frozenset({Role.ADMIN}),  # the certificate key (created by the first issue)
    "demo.": frozenset({Role.ADMIN, Role.CLERK}),
    "rulesets.": frozenset({Role.APPROVER}),
    "approvals.propose": _CLERK_OR_APPROVER,
    "approvals.approve": frozenset({Role.APPROVER}),
    "approvals.return": frozenset({Role.APPROVER}),
    "review.recognise_notice": _CLERK_OR_APPROVER,
    "centers.recognise": _CLERK_OR_APPROVER,
    "evaluation.apply_consequence": _CLERK_OR_APPROVER,
    "evaluation.record_acceptance": _CLERK_OR_APPROVER,
}


def allowed_roles(action: str) -> frozenset[Role]:
    """The roles that may run ``action`` (the longest prefix of :data:`PERMISSIONS` that matches)."""
    best = max((p for p in PERMISSIONS if action.startswith(p)), key=len)
    return PERMISSIONS[best]


def may_write(role: Role, action: str) -> bool:
    return action in OPEN_ACTIONS or role in allowed_roles(action)


def roles_text(roles: frozenset[Role]) -> str:
    """``经办人或审核人`` — the labels in the order of :class:`Role`."""
    return "或".join(r.label for r in Role if r in roles)


def refusal(role: Role, action: str) -> str | None:
    """The Chinese refusal for ``role`` running ``action``; None when allowed."""
    if may_write(role, action):
        return None
    if role in (Role.READER, Role.EXPERT):
        return (
            f"当前账号的角色是“{role.label}”，只能查看，不能修改数据。"
            f"此操作需要“{roles_text(allowed_roles(action))}”角色，请用有该角色的账号登录。"
        )
    return (
        f"当前账号的角色是“{role.label}”，无权进行此操作：需要“{roles_text(allowed_roles(action))}”角色。"
        "请用有该角色的账号登录，或请管理员调整角色。"
    )
