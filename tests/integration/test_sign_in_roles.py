"""Sign-in and roles (issue 15 item 1–2), through the services: off by default on a SQLite file and
switched on by the first 管理员; then every write needs a signed-in user whose role allows it (the
operator of each audit entry is that user; a name typed with --operator is refused); five wrong
passwords in a row lock the account for 15 minutes (4 / 5 / 6 failures, the minute before and at
the end of the lock); users are deactivated, never deleted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlmodel import col, select

from lzcenter_desktop.domain.settings import DEFAULT_SETTINGS
from lzcenter_desktop.services import organizations, rulesets, users
from lzcenter_desktop.services.context import AppContext, open_app, use_credentials
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.permissions import PermissionRefused, sign_in_on
from lzcenter_desktop.storage.models import AppUser, AuditEntry
from tests.signin_records import PASSWORD, cheap_hashing, with_users

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", cheap_hashing())


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(str(tmp_path / "u.sqlite"), operator="李科员")
    yield context
    context.db.dispose()


def _org(c: AppContext, name: str) -> int:
    return organizations.create_organization(c, name=name, kind="enterprise")


def _audit_operators(ctx: AppContext, entity: str) -> list[str]:
    with ctx.db.session() as session:
        rows = session.execute(
            select(col(AuditEntry.operator))
            .where(col(AuditEntry.entity) == entity)
            .order_by(col(AuditEntry.id))
        ).scalars()
        return list(rows)


# ---------------------------------------------------------------- the switch


def test_sign_in_is_off_until_the_first_administrator(ctx: AppContext) -> None:
    assert not users.sign_in_required(ctx)
    users.create_user(ctx, login="clerk", display_name="李经办", role="经办人", password=PASSWORD)
    assert not users.sign_in_required(ctx)  # a clerk alone does not switch it on
    _org(ctx, "柳州甲有限公司")  # still the single-user install: written as the OS user
    users.create_user(ctx, login="admin", display_name="王管理", role="管理员", password=PASSWORD)
    assert users.sign_in_required(ctx)
    with pytest.raises(PermissionRefused, match="请先用本人的账号登录"):
        _org(ctx, "柳州乙有限公司")
    with pytest.raises(PermissionRefused, match="请先用本人的账号登录"):
        users.create_user(ctx, login="x", display_name="某人", role="管理员", password=PASSWORD)


@pytest.mark.server_sign_in
def test_a_shared_database_always_asks_for_sign_in() -> None:
    def session(dialect: str) -> Any:
        return SimpleNamespace(get_bind=lambda: SimpleNamespace(dialect=SimpleNamespace(name=dialect)))

    assert sign_in_on(cast(Any, session("postgresql")))


def test_operator_typed_by_hand_is_refused_once_sign_in_is_on(tmp_path: Path) -> None:
    path = str(tmp_path / "p.sqlite")
    first = open_app(path, operator="张局长（伪）")  # sign-in off: recorded as given
    users.create_user(first, login="admin", display_name="王管理", role="管理员", password=PASSWORD)
    first.db.dispose()
    with pytest.raises(PermissionRefused, match="不能用 --operator 指定操作人"):
        open_app(path, operator="张局长（伪）")
    use_credentials("admin", PASSWORD)
    try:
        signed = open_app(path)
    finally:
        use_credentials(None, None)
    assert signed.operator == "admin" and signed.user is not None
    signed.db.dispose()
    use_credentials("admin", "wrong-password")
    try:
        with pytest.raises(ServiceError, match="登录名或密码不正确"):
            open_app(path)
    finally:
        use_credentials(None, None)


def test_every_audit_entry_names_the_signed_in_user(ctx: AppContext) -> None:
    signed = with_users(ctx)
    clerk = signed["clerk"]
    _org(clerk, "柳州丙有限公司")
    assert _audit_operators(ctx, "organization") == ["clerk"]
    entries = _audit_operators(ctx, "app_user")
    assert entries[0] == "李科员"  # the first administrator, made before sign-in was on
    assert set(entries[1:]) == {"admin"}
    with ctx.db.session() as session:
        after = (
            session.execute(select(col(AuditEntry.after)).where(col(AuditEntry.entity) == "app_user"))
            .scalars()
            .first()
        )
    assert after is not None and "argon2" not in after and '"password_hash": "sha256:' in after


# ---------------------------------------------------------------- permissions, by role


@pytest.mark.parametrize(
    ("login", "org", "rules", "user_admin"),
    [
        ("admin", False, False, True),
        ("clerk", True, False, False),
        ("approver", False, True, False),
        ("expert", False, False, False),
        ("reader", False, False, False),
    ],
)
def test_each_role_writes_only_what_it_may(
    ctx: AppContext, login: str, org: bool, rules: bool, user_admin: bool
) -> None:
    c = with_users(ctx)[login]
    attempts = {
        "org": (lambda: _org(c, f"柳州{login}有限公司"), org, "需要“经办人”角色"),
        "rules": (
            lambda: rulesets.save_settings(c, year=2026, settings=DEFAULT_SETTINGS, note="年度参数"),
            rules,
            "需要“审核人”角色",
        ),
        "user": (
            lambda: users.create_user(
                c, login=f"n{login}", display_name="新人", role="只读", password=PASSWORD
            ),
            user_admin,
            "需要“管理员”角色",
        ),
    }
    for call, allowed, needed in attempts.values():
        if allowed:
            call()
        else:
            with pytest.raises(PermissionRefused, match=needed):
                call()
    assert len(_audit_operators(ctx, "organization")) == int(org)
    assert rulesets.call_years(ctx) == ([2026] if rules else [])


def test_a_deactivated_user_is_refused_at_once_and_kept(ctx: AppContext) -> None:
    signed = with_users(ctx)
    _org(signed["clerk"], "柳州丁有限公司")
    users.deactivate(signed["admin"], login="clerk")
    with pytest.raises(PermissionRefused, match="已停用"):
        _org(signed["clerk"], "柳州戊有限公司")  # the context signed in earlier is no good now
    with pytest.raises(ServiceError, match="已停用"):
        users.sign_in(ctx, "clerk", PASSWORD)
    views = {u.login: u for u in users.list_users(ctx)}
    assert not views["clerk"].active and views["clerk"].role == "经办人"  # kept, not deleted
    with pytest.raises(ServiceError, match="已停用"):
        users.deactivate(signed["admin"], login="clerk")


def test_a_role_change_applies_to_the_next_write(ctx: AppContext) -> None:
    signed = with_users(ctx)
    users.set_role(signed["admin"], login="clerk", role="只读")
    with pytest.raises(PermissionRefused, match="只能查看"):
        _org(signed["clerk"], "柳州己有限公司")


def test_the_last_administrator_stays(ctx: AppContext) -> None:
    signed = with_users(ctx)
    with pytest.raises(ServiceError, match="唯一的管理员"):
        users.deactivate(signed["admin"], login="admin")
    with pytest.raises(ServiceError, match="唯一的管理员"):
        users.set_role(signed["admin"], login="admin", role="经办人")


def test_user_input_is_checked(ctx: AppContext) -> None:
    with pytest.raises(ServiceError, match="至少 8 个字符"):
        users.create_user(ctx, login="a", display_name="甲", role="经办人", password="1234567")
    users.create_user(ctx, login="a", display_name="甲", role="经办人", password="12345678")
    with pytest.raises(ServiceError, match="已被使用"):
        users.create_user(ctx, login="a", display_name="乙", role="经办人", password="12345678")
    with pytest.raises(ServiceError, match="角色“局长”不存在"):
        users.create_user(ctx, login="b", display_name="乙", role="局长", password="12345678")
    with pytest.raises(ServiceError, match="不能含空格"):
        users.create_user(ctx, login="b c", display_name="乙", role="经办人", password="12345678")


# ---------------------------------------------------------------- lock-out


def _fail(ctx: AppContext, times: int, at: dt.datetime = T0) -> None:
    for _ in range(times):
        with pytest.raises(ServiceError):
            users.sign_in(ctx, "clerk", "wrong-password", now=at)


def _row(ctx: AppContext, login: str) -> AppUser:
    with ctx.db.session() as session:
        row = session.execute(select(AppUser).where(col(AppUser.login) == login)).scalar_one()
        return row


def test_four_failures_do_not_lock_and_a_good_password_clears_the_count(ctx: AppContext) -> None:
    with_users(ctx)
    _fail(ctx, 3)
    with pytest.raises(ServiceError, match="再错 1 次将锁定 15 分钟"):
        users.sign_in(ctx, "clerk", "wrong-password", now=T0)
    row = _row(ctx, "clerk")
    assert (row.failed_attempts, row.locked_until) == (4, None)
    signed = users.sign_in(ctx, "clerk", PASSWORD, now=T0)
    assert signed.operator == "clerk"
    assert _row(ctx, "clerk").failed_attempts == 0


def test_the_fifth_failure_locks_for_fifteen_minutes(ctx: AppContext) -> None:
    with_users(ctx)
    _fail(ctx, 4)
    with pytest.raises(ServiceError, match="已连续 5 次输错，锁定 15 分钟"):
        users.sign_in(ctx, "clerk", "wrong-password", now=T0)
    assert _row(ctx, "clerk").locked_until == T0 + dt.timedelta(minutes=15)
    with pytest.raises(ServiceError, match="已锁定"):  # the right password, during the lock
        users.sign_in(ctx, "clerk", PASSWORD, now=T0 + dt.timedelta(minutes=1))


def test_a_sixth_attempt_during_the_lock_neither_counts_nor_extends_it(ctx: AppContext) -> None:
    with_users(ctx)
    _fail(ctx, 5)
    with pytest.raises(ServiceError, match="已锁定"):
        users.sign_in(ctx, "clerk", "wrong-password", now=T0 + dt.timedelta(minutes=5))
    row = _row(ctx, "clerk")
    assert (row.failed_attempts, row.locked_until) == (5, T0 + dt.timedelta(minutes=15))


@pytest.mark.parametrize(("minutes", "ok"), [(14, False), (15, True), (16, True)])
def test_the_lock_ends_after_fifteen_minutes(ctx: AppContext, minutes: int, ok: bool) -> None:
    with_users(ctx)
    _fail(ctx, 5)
    at = T0 + dt.timedelta(minutes=minutes)
    if ok:
        assert users.sign_in(ctx, "clerk", PASSWORD, now=at).user is not None
        assert _row(ctx, "clerk").locked_until is None
    else:
        with pytest.raises(ServiceError, match="已锁定"):
            users.sign_in(ctx, "clerk", PASSWORD, now=at)


def test_after_a_lock_the_count_starts_again(ctx: AppContext) -> None:
    with_users(ctx)
    _fail(ctx, 5)
    later = T0 + dt.timedelta(minutes=16)
    _fail(ctx, 1, later)
    row = _row(ctx, "clerk")
    assert (row.failed_attempts, row.locked_until) == (1, None)


def test_a_new_password_from_the_administrator_lifts_the_lock(ctx: AppContext) -> None:
    signed = with_users(ctx)
    _fail(ctx, 5)
    users.set_password(signed["admin"], login="clerk", password="another-pass-1")
    assert users.sign_in(ctx, "clerk", "another-pass-1", now=T0 + dt.timedelta(minutes=1)).user is not None


def test_wrong_passwords_are_counted_and_audited_without_making_the_user_list_stale(ctx: AppContext) -> None:
    """The count and the lock are sign-in bookkeeping: a 管理员 who opened the user list before
    someone mistyped a password can still save the user (the version is unchanged)."""
    signed = with_users(ctx)
    version = _row(ctx, "clerk").version
    _fail(ctx, 5)
    row = _row(ctx, "clerk")
    assert (row.version, row.failed_attempts) == (version, 5)
    with ctx.db.session() as session:
        entries = session.execute(
            select(AuditEntry)
            .where(col(AuditEntry.entity) == "app_user", col(AuditEntry.entity_id) == str(row.id))
            .order_by(col(AuditEntry.id))
        ).scalars()
        afters = [json.loads(e.after or "") for e in entries if e.action == "users.sign_in"]
    counted = [after["failed_attempts"] for after in afters]
    assert counted == [1, 2, 3, 4, 5]
    users.set_role(signed["admin"], login="clerk", role="只读", expected_version=version)
    assert _row(ctx, "clerk").role == "reader"
    assert _row(ctx, "clerk").failed_attempts == 5  # the role change keeps the count


def test_an_unknown_login_gives_the_same_answer_as_a_wrong_password(ctx: AppContext) -> None:
    with_users(ctx)
    with pytest.raises(ServiceError, match=r"^登录名或密码不正确，请重新输入$"):
        users.sign_in(ctx, "nobody", PASSWORD)
