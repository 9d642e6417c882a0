"""Committee records as ``lzcenter.committees/1`` files: import into a centre (the same centre, host
and co-building units), export of the saved record with its people numbered p1, p2, …"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from lzcenter_desktop.domain import interchange
from lzcenter_desktop.domain.model import Committees, ManagementCommittee, Meeting
from lzcenter_desktop.services.committees.base import ImportSummary, _centre, _same_unit, _units
from lzcenter_desktop.services.committees.reading import load_committees
from lzcenter_desktop.services.committees.registry import _resolve_people
from lzcenter_desktop.services.committees.saving import _bump_roster, _write
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.uow import audit_context, unit_of_work
from lzcenter_desktop.storage.models import Center


def import_committees_json(ctx: AppContext, *, center_id: int, data: object) -> ImportSummary:
    """Import a ``lzcenter.committees/1`` document into the centre (it must be the same centre,
    host and co-building units); the centre's committee record becomes the file's, its people list
    included (people who hold no role too)."""
    try:
        c = interchange.parse_committees(data)
    except interchange.FormatError as exc:
        raise ServiceError(f"文件格式不正确：{exc.path}：{exc.detail}", field=exc.path) from exc
    with unit_of_work(ctx, "committees.import_committees_json") as session:
        center = _centre(session, center_id)
        _same_centre(session, center, c)
        written = audit_context(session).entries
        keys, created, matched = _resolve_people(session, c.people, trust_keys=False)
        _write(session, center, c, c.people, keys, today=date.today(), joined_on=None)
        if audit_context(session).entries > written:  # an editor open on the old roster is stale now
            _bump_roster(session, center_id)
        return ImportSummary(created, matched)


def _same_centre(session: Session, center: Center, c: Committees) -> None:
    if c.center.name_zh.strip() != center.name_zh:
        raise ServiceError(
            f"文件中的中心名称“{c.center.name_zh}”与所选中心“{center.name_zh}”不一致", field="center.name_zh"
        )
    if c.center.recognized != center.recognized_on:
        shown = center.recognized_on.isoformat() if center.recognized_on else "无"
        raise ServiceError(
            f"文件中的认定日期 {c.center.recognized.isoformat()} 与所选中心的认定日期 {shown} 不一致",
            field="center.recognized",
        )
    host, co_builders = _units(session, center)
    if not _same_unit(c.host.name, c.host.credit_code, host):
        raise ServiceError(
            f"文件中的依托单位“{c.host.name}”与所选中心的依托单位“{host.name}”不一致", field="host"
        )
    for i, unit in enumerate(c.co_builders):
        if not any(_same_unit(unit.name, unit.credit_code, u) for u in co_builders):
            raise ServiceError(
                f"文件中的共建单位“{unit.name}”不是所选中心的共建单位", field=f"co_builders[{i}]"
            )


def export_committees_json(ctx: AppContext, *, center_id: int) -> dict[str, object]:
    """The centre's record as a ``lzcenter.committees/1`` document (people numbered p1, p2, …)."""
    return interchange.committees_to_json(renumbered(load_committees(ctx, center_id=center_id)))


def renumbered(c: Committees) -> Committees:
    """``c`` with its people numbered ``p1``, ``p2``, … in order (for files)."""
    new = {p.id: f"p{n}" for n, p in enumerate(c.people, start=1)}

    def ids(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(new[v] for v in values)

    def meetings(ms: Iterable[Meeting]) -> tuple[Meeting, ...]:
        return tuple(Meeting(m.date, ids(m.attendees)) for m in ms)

    mc = c.management_committee
    return replace(
        c,
        people=tuple(replace(p, id=new[p.id]) for p in c.people),
        directors=tuple(replace(d, person=new[d.person]) for d in c.directors),
        management_committee=None
        if mc is None
        else ManagementCommittee(ids(mc.members), meetings(mc.meetings)),
        expert_committee_terms=tuple(
            replace(t, chair=new[t.chair], members=ids(t.members), meetings=meetings(t.meetings))
            for t in c.expert_committee_terms
        ),
    )


def export_json_text(ctx: AppContext, *, center_id: int) -> str:
    import json

    return json.dumps(export_committees_json(ctx, center_id=center_id), ensure_ascii=False, indent=2) + "\n"


def parse_json_text(text: str) -> Any:
    """JSON text of a file to import; a Chinese error for text that is not JSON."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(
            f"文件不是有效的 JSON：第{exc.lineno}行第{exc.colno}列：{exc.msg}", field="文件"
        ) from exc
