"""Optimistic locking of the registries (services/versioning.py): the expert pool's expert, the
人员库's merge, an organization and a user. Two clerks — two contexts on one database file: 甲
loads, 乙 saves, 甲 saves from the older version and is refused with StaleRecord; nothing of hers
is written and no audit entry added. The expected version is checked exactly: one below and one
above the stored version are refused, the stored one is saved (and raises the version by one);
``None`` skips the check (the command line, an import)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from lzcenter_desktop.services import organizations, people, users
from lzcenter_desktop.services.context import AppContext, open_app
from lzcenter_desktop.services.review import experts
from lzcenter_desktop.services.versioning import STALE_PREFIX, StaleRecord
from lzcenter_desktop.storage.models import AuditEntry, Organization

BOUNDARIES = [(-1, False), (0, True), (1, False)]  # expected = current + offset → saved?


@dataclass
class Clerks:
    a: AppContext  # 甲, who loads first and saves last
    b: AppContext  # 乙, who saves in between


@pytest.fixture
def clerks(tmp_path: Path) -> Iterator[Clerks]:
    path = str(tmp_path / "shared.sqlite")
    a = open_app(path, operator="甲科员")
    b = open_app(path, operator="乙科员")
    yield Clerks(a, b)
    a.db.dispose()
    b.db.dispose()


def _audit_count(ctx: AppContext) -> int:
    with ctx.db.session() as s:
        return int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _refused(ctx: AppContext, save: Callable[[], object], *, what: str) -> StaleRecord:
    before = _audit_count(ctx)
    with pytest.raises(StaleRecord) as caught:
        save()
    assert _audit_count(ctx) == before  # nothing written, not even an audit entry
    assert caught.value.message.startswith(STALE_PREFIX)
    assert f"这份{what}" in caught.value.message
    return caught.value


# ------------------------------------------------------------------ the expert pool (专家库)


def _expert(ctx: AppContext) -> int:
    return experts.create_expert(ctx, name="韦专家", unit="广西科技大学", specialty="机械")


def test_expert_a_loads_b_saves_a_is_refused(clerks: Clerks) -> None:
    eid = _expert(clerks.a)
    seen = experts.get_expert(clerks.a, eid)
    experts.update_expert(clerks.b, expert_id=eid, specialty="材料", expected_version=seen.version)
    stale = _refused(
        clerks.a,
        lambda: experts.update_expert(
            clerks.a, expert_id=eid, phone="0772-1234567", expected_version=seen.version
        ),
        what="专家信息",
    )
    assert stale.changed_by == "乙科员"
    assert (stale.expected, stale.current) == (seen.version, seen.version + 1)
    now = experts.get_expert(clerks.a, eid)
    assert (now.specialty, now.phone) == ("材料", None)  # 乙's save kept, 甲's not written
    experts.update_expert(clerks.a, expert_id=eid, phone="0772-1234567", expected_version=now.version)
    assert experts.get_expert(clerks.a, eid).phone == "0772-1234567"


@pytest.mark.parametrize(("offset", "saved"), BOUNDARIES)
def test_expert_expected_version_boundaries(clerks: Clerks, offset: int, saved: bool) -> None:
    eid = _expert(clerks.a)
    experts.update_expert(clerks.b, expert_id=eid, specialty="材料")  # now at version 2
    current = experts.get_expert(clerks.a, eid).version
    assert current == 2

    def save() -> None:
        experts.update_expert(clerks.a, expert_id=eid, title="教授", expected_version=current + offset)

    if saved:
        save()
        after = experts.get_expert(clerks.a, eid)
        assert (after.title, after.version) == ("教授", current + 1)
    else:
        _refused(clerks.a, save, what="专家信息")
        assert experts.get_expert(clerks.a, eid).title is None


def test_expert_a_change_of_the_name_only_raises_the_expert_version(clerks: Clerks) -> None:
    """The name is the person's: the expert's version still goes up, so another open form is stale."""
    eid = _expert(clerks.a)
    seen = experts.get_expert(clerks.a, eid)
    experts.update_expert(clerks.b, expert_id=eid, name="韦专家二", expected_version=seen.version)
    assert experts.get_expert(clerks.a, eid).version == seen.version + 1
    _refused(
        clerks.a,
        lambda: experts.update_expert(clerks.a, expert_id=eid, title="教授", expected_version=seen.version),
        what="专家信息",
    )


def test_expert_without_an_expected_version_is_not_checked(clerks: Clerks) -> None:
    eid = _expert(clerks.a)
    experts.update_expert(clerks.b, expert_id=eid, specialty="材料")
    experts.update_expert(clerks.a, expert_id=eid, title="教授")  # the command line: no check
    after = experts.get_expert(clerks.a, eid)
    assert (after.specialty, after.title, after.version) == ("材料", "教授", 3)


# ------------------------------------------------------------------ 人员库: merging two records


def _three(ctx: AppContext) -> tuple[int, int, int]:
    born = date(1970, 5, 1)
    ids = [
        people.register_person(ctx, name="黄某", birth_date=None, organization_name=f"单位{n}")
        for n in "一二"
    ]
    third = people.register_person(ctx, name="黄某", birth_date=born, organization_name="单位三")
    return ids[0], ids[1], third


def test_merge_a_loads_b_merges_into_the_same_record_a_is_refused(clerks: Clerks) -> None:
    keep, dup, other = _three(clerks.a)
    seen = {p.id: p.version for p in people.list_people(clerks.a, name_contains="黄某")}
    people.merge_people(
        clerks.b,
        keep_id=keep,
        merge_id=other,
        reason="同一人",
        keep_version=seen[keep],
        merge_version=seen[other],
    )
    stale = _refused(
        clerks.a,
        lambda: people.merge_people(
            clerks.a,
            keep_id=keep,
            merge_id=dup,
            reason="同一人",
            keep_version=seen[keep],
            merge_version=seen[dup],
        ),
        what="人员信息",
    )
    assert stale.entity_id == str(keep) and stale.changed_by == "乙科员"
    assert people.get_person(clerks.a, dup).status == "active"  # nothing moved
    fresh = people.get_person(clerks.a, keep)
    assert fresh.version == seen[keep] + 1
    people.merge_people(
        clerks.a,
        keep_id=keep,
        merge_id=dup,
        reason="同一人",
        keep_version=fresh.version,
        merge_version=seen[dup],
    )
    assert people.get_person(clerks.a, dup).status == "merged"


@pytest.mark.parametrize("which", ["keep", "merge"])
@pytest.mark.parametrize(("offset", "saved"), BOUNDARIES)
def test_merge_expected_version_boundaries(clerks: Clerks, which: str, offset: int, saved: bool) -> None:
    keep, dup, _other = _three(clerks.a)
    versions = {
        "keep": people.get_person(clerks.a, keep).version,
        "merge": people.get_person(clerks.a, dup).version,
    }
    assert versions == {"keep": 1, "merge": 1}
    versions[which] += offset

    def save() -> None:
        people.merge_people(
            clerks.a,
            keep_id=keep,
            merge_id=dup,
            reason="同一人",
            keep_version=versions["keep"],
            merge_version=versions["merge"],
        )

    if saved:
        save()
        assert people.get_person(clerks.a, dup).status == "merged"
        assert (people.get_person(clerks.a, keep).version, people.get_person(clerks.a, dup).version) == (2, 2)
    else:
        _refused(clerks.a, save, what="人员信息")
        assert people.get_person(clerks.a, dup).status == "active"


# ------------------------------------------------------------------ an organization


@pytest.mark.parametrize(("offset", "saved"), BOUNDARIES)
def test_organization_a_loads_b_saves_a_is_refused(clerks: Clerks, offset: int, saved: bool) -> None:
    oid = organizations.create_organization(clerks.a, name="柳州某某机械有限公司", kind="enterprise")
    organizations.update_organization(
        clerks.b, organization_id=oid, competent_department="市工信局", expected_version=1
    )

    def save() -> None:
        organizations.update_organization(
            clerks.a, organization_id=oid, competent_department="市科技局", expected_version=2 + offset
        )

    if saved:
        save()
    else:
        _refused(clerks.a, save, what="单位信息")
    with clerks.a.db.session() as s:
        org = s.get(Organization, oid)
        assert org is not None
        assert (org.competent_department, org.version) == (("市科技局", 3) if saved else ("市工信局", 2))


# ------------------------------------------------------------------ a user (文件 → 用户…)


def _user(ctx: AppContext, login: str = "clerk") -> users.UserView:
    users.create_user(ctx, login=login, display_name="覃经办", role="经办人", password="long-enough-1")
    return next(u for u in users.list_users(ctx) if u.login == login)


def test_user_a_loads_b_changes_the_role_a_deactivating_is_refused(clerks: Clerks) -> None:
    seen = _user(clerks.a)
    users.set_role(clerks.b, login="clerk", role="审核人", expected_version=seen.version)
    _refused(
        clerks.a,
        lambda: users.deactivate(clerks.a, login="clerk", expected_version=seen.version),
        what="用户信息",
    )
    now = next(u for u in users.list_users(clerks.a) if u.login == "clerk")
    assert (now.active, now.role, now.version) == (True, "审核人", seen.version + 1)
    users.deactivate(clerks.a, login="clerk", expected_version=now.version)
    assert not next(u for u in users.list_users(clerks.a) if u.login == "clerk").active


@pytest.mark.parametrize("step", ["set_role", "deactivate", "set_password"])
@pytest.mark.parametrize(("offset", "saved"), BOUNDARIES)
def test_user_expected_version_boundaries(clerks: Clerks, step: str, offset: int, saved: bool) -> None:
    current = _user(clerks.a).version
    expected = current + offset
    save: Callable[[], None] = {
        "set_role": lambda: users.set_role(clerks.a, login="clerk", role="只读", expected_version=expected),
        "deactivate": lambda: users.deactivate(clerks.a, login="clerk", expected_version=expected),
        "set_password": lambda: users.set_password(
            clerks.a, login="clerk", password="another-long-2", expected_version=expected
        ),
    }[step]
    if saved:
        save()
        assert next(u for u in users.list_users(clerks.a) if u.login == "clerk").version == current + 1
    else:
        _refused(clerks.a, save, what="用户信息")
        after = next(u for u in users.list_users(clerks.a) if u.login == "clerk")
        assert (after.version, after.active, after.role) == (current, True, "经办人")
