"""Users and sign-in (issue 15): accounts with a role and an argon2 password hash, the sign-in
switch, and :func:`sign_in`, which gives a context whose operator is the user.

* Sign-in is off on a single-user SQLite file until the first 管理员 is created
  (``lzcenter-desktop user add --role 管理员``, :func:`create_user`), which switches it on; it is
  always on for a shared (non-SQLite) database. Once on, only a 管理员 manages users.
* Five wrong passwords in a row lock the account for 15 minutes (:data:`MAX_FAILURES`,
  :data:`LOCK_MINUTES`): the fifth failure locks it, attempts during the lock are refused without
  checking the password, and the lock ends at ``locked_until`` (from that minute on the account
  may sign in again). A good sign-in, or a new password set by the 管理员, clears the count.
* A user is never deleted: :func:`deactivate` keeps the row (the audit trail names it).
* A 管理员 may switch sign-in off again on a SQLite file (:func:`set_sign_in`, audited; a shared
  database always asks for it) and on again while an active 管理员 exists.
* Every successful sign-in writes an audit entry (entity :data:`SIGN_IN_ENTITY`, operation
  ``sign_in``: login, name, role — never password material).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from lzcenter_desktop.domain import roles
from lzcenter_desktop.domain.roles import Role, SignedInUser, role_from_text
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import NotFound, ServiceError
from lzcenter_desktop.services.permissions import (
    SIGN_IN_KEY,
    SIGN_IN_OFF,
    SIGN_IN_ON,
    PermissionRefused,
    current_role,
    sign_in_on,
    user_row,
)
from lzcenter_desktop.services.uow import reading, record_change, record_event, unit_of_work
from lzcenter_desktop.services.versioning import check_version
from lzcenter_desktop.storage.models import AppSetting, AppUser, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
PASSWORD_MIN = 8
PASSWORD_MAX = 128
LOGIN_MAX = 50
NAME_MAX = 100

_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class UserView:
    login: str
    display_name: str
    role: str  # the Chinese label
    active: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    version: int = 1  # the user's version when read: pass it back as ``expected_version``


def _view(row: AppUser) -> UserView:
    return UserView(
        row.login,
        row.display_name,
        Role(row.role).label,
        row.active,
        row.locked_until,
        row.failed_attempts,
        row.version,
    )


def sign_in_required(ctx: AppContext) -> bool:
    """Whether this database asks for sign-in (the setting; always for a non-SQLite database)."""
    with reading(ctx) as session:
        return sign_in_on(session)


def list_users(ctx: AppContext) -> list[UserView]:
    with reading(ctx) as session:
        rows = session.execute(select(AppUser).order_by(col(AppUser.login))).scalars()
        return [_view(r) for r in rows]


# --- checking input -------------------------------------------------------------------------------


def _login(value: str) -> str:
    login = (value or "").strip()
    if not login:
        raise ServiceError("请填写登录名", field="登录名")
    if len(login) > LOGIN_MAX:
        raise ServiceError(f"登录名过长（{len(login)} 个字），最多 {LOGIN_MAX} 个字", field="登录名")
    if any(c.isspace() for c in login):
        raise ServiceError("登录名不能含空格", field="登录名")
    return login


def _password(value: str) -> str:
    if len(value or "") < PASSWORD_MIN:
        raise ServiceError(f"密码至少 {PASSWORD_MIN} 个字符，请换一个更长的密码", field="密码")
    if len(value) > PASSWORD_MAX:
        raise ServiceError(f"密码最多 {PASSWORD_MAX} 个字符", field="密码")
    return value


def _role(value: str | Role) -> Role:
    role = value if isinstance(value, Role) else role_from_text(value)
    if role is None:
        raise ServiceError(
            f"角色“{value}”不存在，请选择 管理员、经办人、审核人、评审专家 或 只读", field="角色"
        )
    return role


def _get(session: Session, login: str) -> AppUser:
    row = user_row(session, login)
    if row is None:
        raise NotFound(f"找不到登录名为“{login}”的用户，请刷新后再试", field="登录名")
    return row


def _has_active_admin(session: Session) -> bool:
    rows = session.execute(
        select(AppUser.id).where(col(AppUser.role) == Role.ADMIN.value, col(AppUser.active).is_(True))
    ).first()
    return rows is not None


def _switch_on(session: Session) -> None:
    _switch(session, SIGN_IN_ON)


def _switch(session: Session, value: str) -> None:
    row = session.get(AppSetting, SIGN_IN_KEY)
    if row is None:
        session.add(AppSetting(key=SIGN_IN_KEY, value=value))
    elif row.value != value:
        row.value = value
        session.add(row)


SET_SIGN_IN_ACTION = "users.set_sign_in"


def set_sign_in(ctx: AppContext, *, on: bool) -> None:
    """Switch sign-in on or off (audited: the ``app_setting`` row's change).

    Off: only a signed-in 管理员, and only on a SQLite file (a shared database always asks for
    sign-in). On: while an active 管理员 exists (else no one could manage the users)."""
    with unit_of_work(ctx, SET_SIGN_IN_ACTION) as session:
        if roles.sign_in_always_on(session.get_bind().dialect.name):
            if on:
                raise ServiceError("共享数据库（服务器数据库）始终要求登录，无需再次启用。", field="登录")
            raise ServiceError("共享数据库（服务器数据库）始终要求登录，不能关闭登录。", field="登录")
        currently = sign_in_on(session)
        if on:
            if currently:
                raise ServiceError("本数据库已启用登录，无需再次启用。", field="登录")
            if not _has_active_admin(session):
                raise ServiceError(
                    "还没有可用的管理员：请先添加一位管理员（添加第一位管理员即启用登录）。", field="登录"
                )
            _switch(session, SIGN_IN_ON)
            return
        if not currently:
            raise ServiceError("本数据库未启用登录，无需关闭。", field="登录")
        role = current_role(session, ctx)  # refused when no one is signed in
        if role is not Role.ADMIN:
            raise PermissionRefused(
                f"当前账号的角色是“{role.label}”，不能关闭登录：需要“管理员”角色。请用管理员账号登录。",
                field="权限",
            )
        _switch(session, SIGN_IN_OFF)


# --- managing users -------------------------------------------------------------------------------


def create_user(ctx: AppContext, *, login: str, display_name: str, role: str | Role, password: str) -> None:
    """A new user. Once sign-in is on only a 管理员 may do this — except the first 管理员 of a
    database that has none. Creating a 管理员 switches sign-in on."""
    name = " ".join((display_name or "").split())
    if not name:
        raise ServiceError("请填写姓名", field="姓名")
    if len(name) > NAME_MAX:
        raise ServiceError(f"姓名过长，最多 {NAME_MAX} 个字", field="姓名")
    clean = _login(login)
    chosen = _role(role)
    digest = _hasher.hash(_password(password))
    with reading(ctx) as session:
        first_admin = chosen is Role.ADMIN and not _has_active_admin(session)
    action = "users.add_first_admin" if first_admin else "users.create_user"
    with unit_of_work(ctx, action) as session:
        if first_admin and _has_active_admin(session):  # another one came first
            raise ServiceError("已有管理员：请由管理员登录后添加用户", field="角色")
        if user_row(session, clean) is not None:
            raise ServiceError(f"登录名“{clean}”已被使用，请换一个", field="登录名")
        session.add(AppUser(login=clean, display_name=name, role=chosen.value, password_hash=digest))
        if chosen is Role.ADMIN:
            _switch_on(session)


def _get_checked(session: Session, login: str, expected_version: int | None) -> AppUser:
    """The user's row, refused with :class:`~lzcenter_desktop.services.versioning.StaleRecord`
    when it was saved since the list showed ``expected_version`` (``None``: no check)."""
    row = _get(session, _login(login))
    check_version(session, row, expected_version)
    return row


def set_password(ctx: AppContext, *, login: str, password: str, expected_version: int | None = None) -> None:
    """A new password (管理员 once sign-in is on); it also lifts a lock-out."""
    digest = _hasher.hash(_password(password))
    with unit_of_work(ctx, "users.set_password") as session:
        row = _get_checked(session, login, expected_version)
        row.password_hash = digest
        row.failed_attempts = 0
        row.locked_until = None
        session.add(row)


def set_role(ctx: AppContext, *, login: str, role: str | Role, expected_version: int | None = None) -> None:
    chosen = _role(role)
    with unit_of_work(ctx, "users.set_role") as session:
        row = _get_checked(session, login, expected_version)
        if row.role == Role.ADMIN.value and chosen is not Role.ADMIN:
            _keep_an_admin(session, row)
        row.role = chosen.value
        session.add(row)


def _keep_an_admin(session: Session, row: AppUser) -> None:
    others = session.execute(
        select(AppUser.id).where(
            col(AppUser.role) == Role.ADMIN.value, col(AppUser.active).is_(True), col(AppUser.id) != row.id
        )
    ).first()
    if others is None and sign_in_on(session):
        raise ServiceError(
            f"“{row.display_name}”是唯一的管理员：请先添加另一位管理员，否则没有人能管理用户", field="角色"
        )


def deactivate(ctx: AppContext, *, login: str, expected_version: int | None = None) -> None:
    """停用: the user can no longer sign in or write; the row stays (never deleted). Refused when
    the user was changed by someone else since the list showed ``expected_version``."""
    with unit_of_work(ctx, "users.deactivate") as session:
        row = _get_checked(session, login, expected_version)
        if not row.active:
            raise ServiceError(f"用户“{row.display_name}”已停用", field="登录名")
        if row.role == Role.ADMIN.value:
            _keep_an_admin(session, row)
        row.active = False
        session.add(row)


# --- signing in -----------------------------------------------------------------------------------

WRONG = "登录名或密码不正确，请重新输入"


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def sign_in(ctx: AppContext, login: str, password: str, *, now: dt.datetime | None = None) -> AppContext:
    """A context acting for the user ``login`` (its operator is the login), after checking the
    password. Refused (Chinese) for a wrong login or password, a deactivated account and a locked
    one; the fifth wrong password in a row locks the account for :data:`LOCK_MINUTES` minutes."""
    at = now or utcnow()
    clean = (login or "").strip()
    if not clean:
        raise ServiceError("请填写登录名", field="登录名")
    refusal: str | None = None
    user: SignedInUser | None = None
    with unit_of_work(replace(ctx, operator=clean[:100], user=None), "users.sign_in") as session:
        row = user_row(session, clean)
        if row is None:
            raise ServiceError(WRONG, field="密码")
        if not row.active:
            raise ServiceError(f"账号“{clean}”已停用，请联系管理员", field="登录名")
        if row.locked_until is not None and at < row.locked_until:
            raise ServiceError(
                f"账号“{clean}”因连续 {MAX_FAILURES} 次密码错误已锁定，请于 {_local(row.locked_until)} "
                "以后再试，或请管理员重设密码",
                field="密码",
            )
        try:
            good: bool = _hasher.verify(row.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            good = False
        failed, locked = row.failed_attempts, row.locked_until
        if good:
            failed, locked = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)  # a new hash is a change of the record
                session.add(row)
            user = SignedInUser(row.login, row.display_name, Role(row.role))
        else:
            failed, locked = (failed if locked is None else 0) + 1, None
            if failed >= MAX_FAILURES:
                locked = at + dt.timedelta(minutes=LOCK_MINUTES)
                refusal = (
                    f"密码错误，账号“{clean}”已连续 {MAX_FAILURES} 次输错，锁定 {LOCK_MINUTES} 分钟"
                    f"（至 {_local(locked)}）"
                )
            else:
                refusal = f"{WRONG}（再错 {MAX_FAILURES - failed} 次将锁定 {LOCK_MINUTES} 分钟）"
        _count_attempts(session, row, failed, locked)
        if user is not None:
            _record_sign_in(session, user)
    if refusal is not None:  # the count is kept (committed above), the sign-in refused
        raise ServiceError(refusal, field="密码")
    assert user is not None
    return replace(ctx, operator=user.login, user=user)


def _count_attempts(session: Session, row: AppUser, failed: int, locked: dt.datetime | None) -> None:
    """Keep the count of wrong passwords and the lock (audited) without raising the user's
    ``version``: they are sign-in bookkeeping, not an edit, so a 管理员 who has the user list open
    while someone mistypes a password can still save a change of role or name."""
    before = {"failed_attempts": row.failed_attempts, "locked_until": _iso(row.locked_until)}
    after = {"failed_attempts": failed, "locked_until": _iso(locked)}
    if before == after:
        return
    session.execute(
        update(AppUser).where(col(AppUser.id) == row.id).values(failed_attempts=failed, locked_until=locked),
        execution_options={"synchronize_session": False},
    )
    session.expire(row, ["failed_attempts", "locked_until"])
    record_change(session, entity="app_user", entity_id=str(row.id), before=before, after=after)


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


#: The audit trail's ``entity`` of a sign-in (operation :data:`SIGN_IN_OPERATION`).
SIGN_IN_ENTITY = "sign_in"
SIGN_IN_OPERATION = "sign_in"


def _record_sign_in(session: Session, user: SignedInUser) -> None:
    """The audit entry of a successful sign-in: who, with which role (no password material)."""
    details = {"login": user.login, "display_name": user.display_name, "role": user.role.label}
    record_event(
        session,
        operation=SIGN_IN_OPERATION,
        entity=SIGN_IN_ENTITY,
        entity_id=user.login,
        details=details,
        operator=user.login,
    )
