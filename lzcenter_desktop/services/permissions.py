"""Who may write: checked inside every unit of work (:mod:`.uow`), so no write escapes it.

Sign-in is a setting of the database (``app_setting`` ``sign_in`` = ``on``): off by default on a
single-user SQLite file, always on for a shared database (any non-SQLite URL). While it is off,
every write is allowed and recorded under the operator as today. While it is on, a write needs a
signed-in, active user whose role :func:`lzcenter_desktop.domain.roles.may_write` the action; the
role is read from the database at the time of the write (a user deactivated or given another role
meanwhile is refused at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import roles
from lzcenter_desktop.domain.roles import OPEN_ACTIONS, Role, refusal
from lzcenter_desktop.services.errors import ProposalSubmitted, ServiceError
from lzcenter_desktop.storage.models import ApprovalRequest, AppSetting, AppUser

if TYPE_CHECKING:
    from lzcenter_desktop.services.context import AppContext

SIGN_IN_KEY = "sign_in"
SIGN_IN_ON = "on"
SIGN_IN_OFF = "off"

NOT_SIGNED_IN = (
    "本数据库已启用登录：请先用本人的账号登录后再操作（命令行用 --user 账号 登录；"
    "已启用登录时不能用 --operator 指定操作人）。"
)


class PermissionRefused(ServiceError):
    """The signed-in user's role does not allow the write (or no one is signed in)."""


class ApprovalNeeded(ProposalSubmitted):
    """Raised at the point of a four-eyes decision by its proposer: the unit of work is rolled back
    (nothing changes) and the proposal :attr:`request` is recorded in a unit of work of its own
    (:func:`lzcenter_desktop.services.uow.unit_of_work`), then this is raised to the caller."""

    def __init__(self, message: str, request: ApprovalRequest) -> None:
        super().__init__(message, field="审批")
        self.request = request
        self.request_id: int | None = None


def sign_in_on(session: Session) -> bool:
    """Whether sign-in is on for the database of ``session`` (always for a non-SQLite database)."""
    if roles.sign_in_always_on(session.get_bind().dialect.name):
        return True
    try:
        row = session.execute(
            select(AppSetting).where(col(AppSetting.key) == SIGN_IN_KEY)
        ).scalar_one_or_none()
    except OperationalError as exc:  # a database before revision 0010 (migration tests)
        if "no such table" in str(exc):
            return False
        raise
    return row is not None and row.value == SIGN_IN_ON


def user_row(session: Session, login: str) -> AppUser | None:
    return session.execute(select(AppUser).where(col(AppUser.login) == login)).scalar_one_or_none()


def current_role(session: Session, ctx: AppContext) -> Role:
    """The role of the signed-in user of ``ctx`` as the database holds it now; refused (Chinese)
    when no one is signed in or the account was deactivated."""
    if ctx.user is None:
        raise PermissionRefused(NOT_SIGNED_IN, field="登录")
    row = user_row(session, ctx.user.login)
    if row is None or not row.active:
        raise PermissionRefused(
            f"账号“{ctx.user.login}”已停用或不存在，不能再修改数据。请联系管理员。", field="登录"
        )
    return Role(row.role)


def check_write(session: Session, ctx: AppContext, action: str) -> None:
    """Refuse ``action`` (Chinese, naming the role needed) when sign-in is on and the signed-in
    user's role does not allow it."""
    if not sign_in_on(session) or action in OPEN_ACTIONS:
        return
    message = refusal(current_role(session, ctx), action)
    if message is not None:
        raise PermissionRefused(message, field="权限")
