"""The committee record as the 比较 table of a stale save shows it (ui/dialogs/stale.py): one line
per director, the management committee and each term of the expert committee, by name."""

from __future__ import annotations

from lzcenter_desktop.domain.model import Committees


def _names(c: Committees, ids: tuple[str, ...]) -> str:
    out: list[str] = []
    for pid in ids:
        try:
            out.append(c.person(pid).name)
        except KeyError:
            out.append(pid)
    return "、".join(out) if out else "（无）"


def roster_fields(c: Committees) -> dict[str, str]:
    """Field label → text of a centre's committee record (same labels for mine and theirs)."""
    fields: dict[str, str] = {}
    for n, d in enumerate(c.directors, start=1):
        filed = f"，备案 {d.filed.isoformat()}" if d.filed else ""
        fields[f"中心主任（第{n}任）"] = f"{_names(c, (d.person,))}，任命 {d.appointed.isoformat()}{filed}"
    mc = c.management_committee
    if mc is not None:
        fields["管理委员会成员"] = _names(c, mc.members)
        fields["管理委员会会议"] = "、".join(m.date.isoformat() for m in mc.meetings) or "（无）"
    for n, t in enumerate(c.expert_committee_terms, start=1):
        fields[f"专家指导委员会第{n}届"] = (
            f"{t.start.isoformat()} 至 {t.end.isoformat()}，主任：{_names(c, (t.chair,))}"
        )
        fields[f"专家指导委员会第{n}届委员"] = _names(c, t.members)
        fields[f"专家指导委员会第{n}届会议"] = "、".join(m.date.isoformat() for m in t.meetings) or "（无）"
    return fields
