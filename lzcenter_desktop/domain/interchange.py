"""Strict parsing of the interchange format (interchange.md) into domain objects, and back.

Every shape problem — unknown or missing keys, wrong types, values outside an enumeration,
impossible dates, unknown person ids — raises :class:`FormatError` naming the JSON path of the
first problem, e.g. ``staff[3].degree: 'college' is not one of 博士, 硕士, 本科, 大专, 其他``.
Values of the right shape that break a rule are left to the rules.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from .model import (
    COMMITTEES_FORMAT,
    DECLARATION_FORMAT,
    Achievement,
    AchievementKind,
    Center,
    CommitteeCenter,
    Committees,
    Cooperation,
    CooperationKind,
    Cto,
    Declaration,
    Degree,
    Director,
    Equipment,
    ExpertTerm,
    Finance,
    Host,
    Investment,
    ManagementCommittee,
    Meeting,
    Organization,
    OrgKind,
    Person,
    PersonCategory,
    Project,
    ProjectLevel,
    ProjectRole,
    Signature,
    SignatureRole,
    Staff,
    Title,
    Unit,
)

FORMATS = (DECLARATION_FORMAT, COMMITTEES_FORMAT)
MIN_YEAR = 1900
MAX_YEAR = 2100
# A call year the bureau can mean (the same bounds as the services and the Excel reader).
MIN_CALL_YEAR = 2000
MAX_CALL_YEAR = 2100
# Whole yuan: 15 digits, what an Excel number holds exactly and far inside SQLite's 64-bit integers.
MAX_AMOUNT_YUAN = 999_999_999_999_999
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # used with fullmatch: no trailing newline
_YEAR_KEY_RE = re.compile(r"[0-9]{4}")
# Characters no name or text of the format may hold: C0 controls but tab, line feed and carriage
# return; DEL and the C1 controls; lone surrogates (a JSON "\udfff" escape). They cannot be printed
# on a plaque, stored in an .xlsx file or shown in a message.
_FORBIDDEN_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with every forbidden character written as ``U+XXXX`` (safe to print anywhere)."""
    return _FORBIDDEN_CHAR.sub(lambda m: f"U+{ord(m.group()):04X}", text)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class FormatError(ValueError):
    """The document does not match the format; ``path`` is the JSON path of the first problem."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = visible(path) or "(根)"
        self.detail = visible(detail)
        super().__init__(f"{self.path}: {self.detail}")


# ------------------------------------------------------------------ primitives


def _show(value: object) -> str:
    if isinstance(value, str):
        text = f"'{value}'"
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


def _wrong(path: str, expected: str, value: object) -> FormatError:
    return FormatError(path, f"应为{expected}，实际为{_type_name(value)} {_show(value)}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _obj(
    value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(path, "JSON 对象", value)
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            names = "、".join((*required, *optional))
            raise FormatError(_join(path, str(key)), f"未知的键（允许的键：{names}）")
    for key in required:
        if key not in value:
            raise FormatError(_join(path, key), "缺少必填的键")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _wrong(path, "列表", value)
    return value


def _items(d: Mapping[str, Any], key: str, path: str, parse: Callable[[object, str], T]) -> tuple[T, ...]:
    p = _join(path, key)
    return tuple(parse(item, f"{p}[{i}]") for i, item in enumerate(_list(d[key], p)))


def check_text(value: str, path: str) -> str:
    """``value`` unless it holds a forbidden character (control character, lone surrogate):
    :class:`FormatError` naming the field, the character and its position."""
    bad = _FORBIDDEN_CHAR.search(value)
    if bad is not None:
        raise FormatError(
            path,
            f"第 {bad.start() + 1} 个字符是不可见的控制字符或无效字符 U+{ord(bad.group()):04X}，请删除后再试",
        )
    return value


def _str(d: Mapping[str, Any], key: str, path: str) -> str:
    value = d[key]
    if not isinstance(value, str):
        raise _wrong(_join(path, key), "字符串", value)
    return check_text(value, _join(path, key))


def _opt_str(d: Mapping[str, Any], key: str, path: str) -> str | None:
    return None if d.get(key) is None else _str(d, key, path)


def _bool(d: Mapping[str, Any], key: str, path: str) -> bool:
    value = d[key]
    if not isinstance(value, bool):
        raise _wrong(_join(path, key), "布尔值 true 或 false", value)
    return value


def _int(value: object, path: str, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(path, "整数", value)
    if low is not None and value < low:
        raise FormatError(path, f"应不小于 {low}，实际为 {value}")
    if high is not None and value > high:
        raise FormatError(path, f"应不大于 {high}，实际为 {value}")
    return value


def _money(d: Mapping[str, Any], key: str, path: str) -> int:
    return _int(d[key], _join(path, key), low=0, high=MAX_AMOUNT_YUAN)


def _year(value: object, path: str) -> int:
    return _int(value, path, low=MIN_YEAR, high=MAX_YEAR)


def _number(d: Mapping[str, Any], key: str, path: str) -> int | float:
    value = d[key]
    p = _join(path, key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong(p, "数字", value)
    if isinstance(value, float) and not math.isfinite(value):
        raise FormatError(p, f"应为有限的数字，实际为 {value}")
    if value < 0:
        raise FormatError(p, f"不能为负数，实际为 {value}")
    return value


def parse_date(value: object, path: str) -> date:
    """A ``YYYY-MM-DD`` date between 1900-01-01 and 2100-12-31."""
    if not isinstance(value, str):
        raise _wrong(path, "日期字符串（YYYY-MM-DD）", value)
    if not _DATE_RE.fullmatch(value):
        raise FormatError(path, f"{_show(value)} 不是 YYYY-MM-DD 格式的日期")
    try:
        result = date.fromisoformat(value)
    except ValueError:
        raise FormatError(path, f"{_show(value)} 不是有效日期（该日不存在）") from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise FormatError(path, f"{_show(value)} 超出允许的年份范围 {MIN_YEAR}—{MAX_YEAR}")
    return result


def _date(d: Mapping[str, Any], key: str, path: str) -> date:
    return parse_date(d[key], _join(path, key))


def _opt_date(d: Mapping[str, Any], key: str, path: str) -> date | None:
    return None if d.get(key) is None else _date(d, key, path)


def _enum(d: Mapping[str, Any], key: str, path: str, enum: type[E]) -> E:
    value = d[key]
    p = _join(path, key)
    if not isinstance(value, str):
        raise _wrong(p, "字符串", value)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise FormatError(p, f"{_show(value)} is not one of {allowed}") from None


def _no_duplicates(values: list[T] | tuple[T, ...], path: str, what: str, *, sub: str = "") -> None:
    seen: set[T] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise FormatError(f"{path}[{i}]{sub}", f"{what} {_show(v)} 重复")
        seen.add(v)


# ------------------------------------------------------------------ declaration


def _equipment(v: object, path: str) -> Equipment:
    d = _obj(v, path, ("name", "value_yuan"))
    return Equipment(_str(d, "name", path), _money(d, "value_yuan", path))


def _center(v: object, path: str) -> Center:
    d = _obj(
        v,
        path,
        (
            "name_zh",
            "name_en",
            "research_direction",
            "industry_fields",
            "rd_org_established",
            "floor_area_m2",
            "equipment",
        ),
    )
    fields_path = _join(path, "industry_fields")
    industries = _list(d["industry_fields"], fields_path)
    for i, item in enumerate(industries):
        if not isinstance(item, str):
            raise _wrong(f"{fields_path}[{i}]", "字符串", item)
        check_text(item, f"{fields_path}[{i}]")
    _no_duplicates(industries, fields_path, "产业领域")
    return Center(
        name_zh=_str(d, "name_zh", path),
        name_en=_str(d, "name_en", path),
        research_direction=_str(d, "research_direction", path),
        industry_fields=tuple(industries),
        rd_org_established=_date(d, "rd_org_established", path),
        floor_area_m2=_number(d, "floor_area_m2", path),
        equipment=_items(d, "equipment", path, _equipment),
    )


def _cto(v: object, path: str) -> Cto | None:
    if v is None:
        return None
    d = _obj(v, path, ("name", "filing_no", "filing_date"))
    return Cto(_str(d, "name", path), _opt_str(d, "filing_no", path), _opt_date(d, "filing_date", path))


def _host(v: object, path: str) -> Host:
    d = _obj(
        v, path, ("name", "credit_code", "kind", "first_level_legal_person", "competent_department"), ("cto",)
    )
    return Host(
        name=_str(d, "name", path),
        credit_code=_str(d, "credit_code", path),
        kind=_enum(d, "kind", path, OrgKind),
        first_level_legal_person=_bool(d, "first_level_legal_person", path),
        competent_department=_str(d, "competent_department", path),
        cto=_cto(d.get("cto"), _join(path, "cto")),
    )


def _organization(v: object, path: str) -> Organization:
    d = _obj(v, path, ("name", "credit_code", "kind"))
    return Organization(_str(d, "name", path), _str(d, "credit_code", path), _enum(d, "kind", path, OrgKind))


def _staff(v: object, path: str) -> Staff:
    d = _obj(v, path, ("name", "birth_date", "degree", "title", "tech_leader"))
    return Staff(
        name=_str(d, "name", path),
        birth_date=_date(d, "birth_date", path),
        degree=_enum(d, "degree", path, Degree),
        title=_enum(d, "title", path, Title),
        tech_leader=_bool(d, "tech_leader", path),
    )


def _project(v: object, path: str) -> Project:
    d = _obj(v, path, ("name", "level", "role", "approved_date"), ("end_date",))
    return Project(
        name=_str(d, "name", path),
        level=_enum(d, "level", path, ProjectLevel),
        role=_enum(d, "role", path, ProjectRole),
        approved_date=_date(d, "approved_date", path),
        end_date=_opt_date(d, "end_date", path),
    )


def _achievement(v: object, path: str) -> Achievement:
    d = _obj(v, path, ("kind", "title", "date"), ("number", "transferred"))
    kind = _enum(d, "kind", path, AchievementKind)
    number = _str(d, "number", path) if "number" in d else None
    transferred = _bool(d, "transferred", path) if "transferred" in d else None
    if transferred is not None and kind is not AchievementKind.INVENTION_PATENT:
        raise FormatError(_join(path, "transferred"), "只有发明专利（invention_patent）可以填写 transferred")
    return Achievement(kind, _str(d, "title", path), _date(d, "date", path), number, transferred)


def _investment(v: object, path: str) -> Investment:
    d = _obj(v, path, ("year", "amount_yuan"))
    return Investment(_year(d["year"], _join(path, "year")), _money(d, "amount_yuan", path))


def _finance(v: object, path: str) -> Finance:
    d = _obj(v, path, ("year", "rd_expense_yuan", "sales_revenue_yuan"))
    return Finance(
        _year(d["year"], _join(path, "year")),
        _money(d, "rd_expense_yuan", path),
        _money(d, "sales_revenue_yuan", path),
    )


def _cooperation(v: object, path: str) -> Cooperation:
    d = _obj(v, path, ("partner", "kind", "date", "title"))
    return Cooperation(
        _str(d, "partner", path),
        _enum(d, "kind", path, CooperationKind),
        _date(d, "date", path),
        _str(d, "title", path),
    )


def _signature(v: object, path: str) -> Signature:
    d = _obj(v, path, ("name", "role", "date"))
    return Signature(_str(d, "name", path), _enum(d, "role", path, SignatureRole), _date(d, "date", path))


_DECLARATION_KEYS = (
    "format",
    "call_year",
    "application_date",
    "center",
    "host",
    "co_builders",
    "joint_applicants",
    "staff",
    "projects",
    "achievements",
    "investments",
    "finances",
    "cooperation",
    "signature",
)


def _check_format(data: object, expected: str | None) -> str:
    if not isinstance(data, dict):
        raise _wrong("", "JSON 对象（交换格式文件）", data)
    if "format" not in data:
        raise FormatError("format", f"缺少必填的键（应为 {' 或 '.join(FORMATS)}）")
    fmt = data["format"]
    wanted = (expected,) if expected else FORMATS
    if fmt not in wanted:
        raise FormatError("format", f"{_show(fmt)} 不是支持的格式（应为 {' 或 '.join(wanted)}）")
    return str(fmt)


def parse_declaration(data: object) -> Declaration:
    """Parse a ``lzcenter.declaration/1`` document; raise :class:`FormatError` on the first problem."""
    _check_format(data, DECLARATION_FORMAT)
    d = _obj(data, "", _DECLARATION_KEYS, ("previous_revocation_date",))
    investments = _items(d, "investments", "", _investment)
    _no_duplicates([i.year for i in investments], "investments", "年份", sub=".year")
    finances = _items(d, "finances", "", _finance)
    _no_duplicates([f.year for f in finances], "finances", "年份", sub=".year")
    return Declaration(
        call_year=_int(d["call_year"], "call_year", low=MIN_CALL_YEAR, high=MAX_CALL_YEAR),
        application_date=_date(d, "application_date", ""),
        center=_center(d["center"], "center"),
        host=_host(d["host"], "host"),
        co_builders=_items(d, "co_builders", "", _organization),
        joint_applicants=_items(d, "joint_applicants", "", _organization),
        staff=_items(d, "staff", "", _staff),
        projects=_items(d, "projects", "", _project),
        achievements=_items(d, "achievements", "", _achievement),
        investments=investments,
        finances=finances,
        cooperation=_items(d, "cooperation", "", _cooperation),
        signature=_signature(d["signature"], "signature"),
        previous_revocation_date=_opt_date(d, "previous_revocation_date", ""),
    )


# ------------------------------------------------------------------ committees


def _unit(v: object, path: str) -> Unit:
    d = _obj(v, path, ("name", "credit_code"))
    return Unit(_str(d, "name", path), _opt_str(d, "credit_code", path))


def _person(v: object, path: str) -> Person:
    d = _obj(v, path, ("id", "name", "birth_date", "organization", "category"), ("organization_credit_code",))
    return Person(
        id=_str(d, "id", path),
        name=_str(d, "name", path),
        birth_date=_date(d, "birth_date", path),
        organization=_str(d, "organization", path),
        category=_enum(d, "category", path, PersonCategory),
        organization_credit_code=_str(d, "organization_credit_code", path)
        if "organization_credit_code" in d
        else None,
    )


class _People:
    def __init__(self, ids: set[str]) -> None:
        self.ids = ids

    def ref(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise _wrong(path, "人员编号（字符串）", value)
        if value not in self.ids:
            raise FormatError(path, f"未知的人员编号 {_show(value)}（people 中没有定义）")
        return value

    def refs(self, d: Mapping[str, Any], key: str, path: str, what: str) -> tuple[str, ...]:
        p = _join(path, key)
        result = tuple(self.ref(item, f"{p}[{i}]") for i, item in enumerate(_list(d[key], p)))
        _no_duplicates(result, p, what)
        return result

    def meeting(self, v: object, path: str) -> Meeting:
        d = _obj(v, path, ("date", "attendees"))
        return Meeting(_date(d, "date", path), self.refs(d, "attendees", path, "参会人员"))

    def director(self, v: object, path: str) -> Director:
        d = _obj(v, path, ("person", "appointed", "filed", "months_worked"))
        mpath = _join(path, "months_worked")
        raw = d["months_worked"]
        if not isinstance(raw, dict):
            raise _wrong(mpath, "JSON 对象（年份: 月数）", raw)
        months: list[tuple[int, int]] = []
        for key, value in raw.items():
            kp = f"{mpath}.{key}"
            if not _YEAR_KEY_RE.fullmatch(key) or not MIN_YEAR <= int(key) <= MAX_YEAR:
                raise FormatError(kp, f"键应为 {MIN_YEAR}—{MAX_YEAR} 之间的四位年份，实际为 {_show(key)}")
            months.append((int(key), _int(value, kp, low=0, high=12)))
        return Director(
            person=self.ref(d["person"], _join(path, "person")),
            appointed=_date(d, "appointed", path),
            filed=_opt_date(d, "filed", path),
            months_worked=tuple(months),
        )

    def management(self, v: object, path: str) -> ManagementCommittee | None:
        if v is None:
            return None
        d = _obj(v, path, ("members", "meetings"))
        return ManagementCommittee(
            self.refs(d, "members", path, "委员"), _items(d, "meetings", path, self.meeting)
        )

    def term(self, v: object, path: str) -> ExpertTerm:
        d = _obj(v, path, ("start", "end", "chair", "members", "filed", "meetings"))
        start = _date(d, "start", path)
        end = _date(d, "end", path)
        if end < start:
            raise FormatError(
                _join(path, "end"), f"任期结束日 {end.isoformat()} 早于开始日 {start.isoformat()}"
            )
        chair = self.ref(d["chair"], _join(path, "chair"))
        members = self.refs(d, "members", path, "委员")
        if chair not in members:
            raise FormatError(_join(path, "chair"), f"主任 {_show(chair)} 不在本届委员名单（members）中")
        return ExpertTerm(
            start=start,
            end=end,
            chair=chair,
            members=members,
            filed=_opt_date(d, "filed", path),
            meetings=_items(d, "meetings", path, self.meeting),
        )


def parse_committees(data: object) -> Committees:
    """Parse a ``lzcenter.committees/1`` document; raise :class:`FormatError` on the first problem."""
    _check_format(data, COMMITTEES_FORMAT)
    d = _obj(
        data,
        "",
        (
            "format",
            "center",
            "host",
            "co_builders",
            "people",
            "directors",
            "management_committee",
            "expert_committee_terms",
        ),
    )
    cd = _obj(d["center"], "center", ("name_zh", "recognized"))
    center = CommitteeCenter(_str(cd, "name_zh", "center"), _date(cd, "recognized", "center"))
    host = _unit(d["host"], "host")
    co_builders = _items(d, "co_builders", "", _unit)
    people = _items(d, "people", "", _person)
    _no_duplicates([p.id for p in people], "people", "人员编号", sub=".id")
    refs = _People({p.id for p in people})
    directors = _items(d, "directors", "", refs.director)
    management = refs.management(d["management_committee"], "management_committee")
    terms = _items(d, "expert_committee_terms", "", refs.term)
    for i in range(1, len(terms)):
        if terms[i].start <= terms[i - 1].start:
            raise FormatError(f"expert_committee_terms[{i}].start", "各届应按时间先后排列（早的在前）")
    return Committees(center, host, co_builders, people, directors, management, terms)


def parse_document(data: object) -> Declaration | Committees:
    """Parse either format, chosen by the document's ``format`` key."""
    fmt = _check_format(data, None)
    if fmt == DECLARATION_FORMAT:
        return parse_declaration(data)
    return parse_committees(data)


# ------------------------------------------------------------------ back to JSON


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _org_json(o: Organization) -> dict[str, object]:
    return {"name": o.name, "credit_code": o.credit_code, "kind": o.kind.value}


def _achievement_json(a: Achievement) -> dict[str, object]:
    out: dict[str, object] = {"kind": a.kind.value, "title": a.title, "date": a.date.isoformat()}
    if a.number is not None:
        out["number"] = a.number
    if a.transferred is not None:
        out["transferred"] = a.transferred
    return out


def _project_json(p: Project) -> dict[str, object]:
    out: dict[str, object] = {
        "name": p.name,
        "level": p.level.value,
        "role": p.role.value,
        "approved_date": p.approved_date.isoformat(),
    }
    if p.end_date is not None:
        out["end_date"] = p.end_date.isoformat()
    return out


def declaration_to_json(decl: Declaration) -> dict[str, object]:
    """The JSON document of ``decl``: inverse of :func:`parse_declaration`, key order as in the examples."""
    c = decl.center
    h = decl.host
    cto: dict[str, object] | None = None
    if h.cto is not None:
        cto = {"name": h.cto.name, "filing_no": h.cto.filing_no, "filing_date": _d(h.cto.filing_date)}
    return {
        "format": DECLARATION_FORMAT,
        "call_year": decl.call_year,
        "application_date": decl.application_date.isoformat(),
        "center": {
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "research_direction": c.research_direction,
            "industry_fields": list(c.industry_fields),
            "rd_org_established": c.rd_org_established.isoformat(),
            "floor_area_m2": c.floor_area_m2,
            "equipment": [{"name": e.name, "value_yuan": e.value_yuan} for e in c.equipment],
        },
        "host": {
            "name": h.name,
            "credit_code": h.credit_code,
            "kind": h.kind.value,
            "first_level_legal_person": h.first_level_legal_person,
            "competent_department": h.competent_department,
            "cto": cto,
        },
        "co_builders": [_org_json(o) for o in decl.co_builders],
        "joint_applicants": [_org_json(o) for o in decl.joint_applicants],
        "staff": [
            {
                "name": s.name,
                "birth_date": s.birth_date.isoformat(),
                "degree": s.degree.value,
                "title": s.title.value,
                "tech_leader": s.tech_leader,
            }
            for s in decl.staff
        ],
        "projects": [_project_json(p) for p in decl.projects],
        "achievements": [_achievement_json(a) for a in decl.achievements],
        "investments": [{"year": i.year, "amount_yuan": i.amount_yuan} for i in decl.investments],
        "finances": [
            {"year": f.year, "rd_expense_yuan": f.rd_expense_yuan, "sales_revenue_yuan": f.sales_revenue_yuan}
            for f in decl.finances
        ],
        "cooperation": [
            {"partner": k.partner, "kind": k.kind.value, "date": k.date.isoformat(), "title": k.title}
            for k in decl.cooperation
        ],
        "signature": {
            "name": decl.signature.name,
            "role": decl.signature.role.value,
            "date": decl.signature.date.isoformat(),
        },
        "previous_revocation_date": _d(decl.previous_revocation_date),
    }


def _meeting_json(m: Meeting) -> dict[str, object]:
    return {"date": m.date.isoformat(), "attendees": list(m.attendees)}


def _person_json(p: Person) -> dict[str, object]:
    out: dict[str, object] = {
        "id": p.id,
        "name": p.name,
        "birth_date": p.birth_date.isoformat(),
        "organization": p.organization,
        "category": p.category.value,
    }
    if p.organization_credit_code is not None:
        out["organization_credit_code"] = p.organization_credit_code
    return out


def committees_to_json(c: Committees) -> dict[str, object]:
    """The JSON document of ``c`` (inverse of :func:`parse_committees`, same key order as the examples)."""
    mc = c.management_committee
    return {
        "format": COMMITTEES_FORMAT,
        "center": {"name_zh": c.center.name_zh, "recognized": c.center.recognized.isoformat()},
        "host": {"name": c.host.name, "credit_code": c.host.credit_code},
        "co_builders": [{"name": u.name, "credit_code": u.credit_code} for u in c.co_builders],
        "people": [_person_json(p) for p in c.people],
        "directors": [
            {
                "person": d.person,
                "appointed": d.appointed.isoformat(),
                "filed": _d(d.filed),
                "months_worked": {str(y): m for y, m in d.months_worked},
            }
            for d in c.directors
        ],
        "management_committee": None
        if mc is None
        else {"members": list(mc.members), "meetings": [_meeting_json(m) for m in mc.meetings]},
        "expert_committee_terms": [
            {
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
                "chair": t.chair,
                "members": list(t.members),
                "filed": _d(t.filed),
                "meetings": [_meeting_json(m) for m in t.meetings],
            }
            for t in c.expert_committee_terms
        ],
    }
