"""Users of every role on a test database, for the tests of sign-in, permissions and four eyes.

:func:`with_users` creates the first 管理员 (which switches sign-in on), then, signed in as that
管理员, one user per role (two 经办人 and two 审核人) and returns a signed-in context for each login.
Hashing uses cheap argon2 parameters (:func:`cheap_hashing`) so that the tests stay fast.
"""

from __future__ import annotations

from argon2 import PasswordHasher

from lzcenter_desktop.services import users
from lzcenter_desktop.services.context import AppContext

PASSWORD = "correct-horse-9"

#: login → role of the users :func:`with_users` creates (besides the 管理员 ``admin``).
LOGINS: dict[str, str] = {
    "clerk": "经办人",
    "clerk2": "经办人",
    "approver": "审核人",
    "approver2": "审核人",
    "expert": "评审专家",
    "reader": "只读",
}


def cheap_hashing() -> PasswordHasher:
    """A fast hasher for tests (the program's parameters are argon2-cffi's defaults)."""
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def with_users(ctx: AppContext) -> dict[str, AppContext]:
    users.create_user(ctx, login="admin", display_name="王管理", role="管理员", password=PASSWORD)
    admin = users.sign_in(ctx, "admin", PASSWORD)
    signed = {"admin": admin}
    for login, role in LOGINS.items():
        users.create_user(admin, login=login, display_name=f"用户{login}", role=role, password=PASSWORD)
        signed[login] = users.sign_in(ctx, login, PASSWORD)
    return signed
