"""The offline review package (评审包) and the expert's return file (评分回执): ``.lzreview``.

A ``.lzreview`` file is a zip archive (chosen over one JSON file because the manifest lists the
SHA-256 of every other entry — a zip holds several entries without any encoding of its own, the
readme inside is readable by anyone who unpacks it, and compression keeps a session of thirty
declarations small enough to e-mail) with:

* ``manifest.json`` — canonical JSON (sorted keys, no spaces, UTF-8): format
  ``lzcenter.review-package/1``, kind ``package`` or ``return``, the session, the expert(s), the
  deadline, the creation time, the score sheet, the declarations' summaries (no personal ID
  numbers), the assignments with the expert's own current scores and ``score_version``, and the
  SHA-256 of every other entry;
* ``signature`` — HMAC-SHA256 (hex) over the exact bytes of ``manifest.json``;
* ``说明.txt`` — what the file is and how to open it.

``purpose`` (in both manifests) says what the scores are for: ``review`` (认定评审, 第十条 — the
default: a manifest without it, written before the field existed, is a review one) or ``evaluation``
(绩效评估, 第二十三条: the "session" is then the evaluation round, each "declaration" one centre's
evaluation). The bureau's import of each process refuses the other's files (:class:`PackageError`
code ``purpose``); 评审模式 opens and scores both alike.

A package is signed with the session's key (``review_session.package_key``), which never leaves
the bureau. A return file is signed with the expert's *return key*, derived from the session key,
the session and the expert (:func:`return_key`); the package carries the return key of each expert
it is for, so the laptop can sign the expert's scores and the bureau can check them without the
session key ever leaving the office. Whoever holds a package can therefore sign returns for the
experts in it (a per-session package: all of them) — the package is handed to the experts only.
The laptop cannot check the package's own signature (it has no session key); it checks the format
and the SHA-256 of the entries, and the bureau checks the signature of everything that comes back.

Pure functions: bytes in, values out; errors are :class:`PackageError` with a Chinese reason.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .review_points import canonical_points, check_score_set
from .scoresheet import Indicator, ScoreSheet, decimal_text

PACKAGE_FORMAT = "lzcenter.review-package/1"
FORMAT_FAMILY = "lzcenter.review-package/"
KIND_PACKAGE = "package"
KIND_RETURN = "return"
SUFFIX = ".lzreview"
MANIFEST = "manifest.json"
SIGNATURE = "signature"
README = "说明.txt"
SCOPE_SESSION = "session"
SCOPE_EXPERT = "expert"
PURPOSE_REVIEW = "review"  # 认定评审 (第十条)
PURPOSE_EVALUATION = "evaluation"  # 绩效评估 (第二十三条)
PURPOSE_LABELS = {PURPOSE_REVIEW: "认定评审", PURPOSE_EVALUATION: "绩效评估"}
PURPOSE_PLACES = {PURPOSE_REVIEW: "评审管理", PURPOSE_EVALUATION: "绩效评估"}
MAX_ENTRY_BYTES = 20 * 1024 * 1024  # a package of a whole session is a few hundred KB
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed entry times: the same content gives the same bytes

PACKAGE_README = (
    "这是柳州市工程技术研究中心认定评审的离线评审包（.lzreview）。\n"
    "请用“柳州市工程技术研究中心管理系统”打开（双击文件，或运行 lzcenter-desktop review 文件名），\n"
    "在评审模式中选择本人姓名，逐项录入评分后保存评分回执（“…-回执.lzreview”），交回市科技局。\n"
    "请勿解压后修改其中的文件：文件带有校验值和签名，改动后将无法导入。\n"
)
RETURN_README = (
    "这是专家在评审模式中保存的评分回执（.lzreview），请交回市科技局，由工作人员在评审管理中导入。\n"
    "请勿解压后修改其中的文件：文件带有校验值和签名，改动后将无法导入。\n"
)


EVALUATION_PACKAGE_README = PACKAGE_README.replace("认定评审的离线评审包", "绩效评估的离线评审包（评估包）")
EVALUATION_RETURN_README = RETURN_README.replace("在评审管理中导入", "在绩效评估中导入")


class PackageError(ValueError):
    """A ``.lzreview`` file that cannot be used; ``str(exc)`` is the Chinese reason.

    ``code``: ``format`` (not a package of this format), ``kind`` (a package where a return file
    is expected or the reverse), ``tampered`` (SHA-256 or signature mismatch), ``session`` (a file
    of another review session), ``purpose`` (a file of the other process: review / evaluation)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackageExpert:
    """An expert a package is for, with the key their return file is signed with."""

    expert_id: int
    name: str
    unit: str
    return_key: str  # hex, see return_key()


@dataclass(frozen=True, slots=True)
class DeclarationSummary:
    """What an expert needs to see of a declaration: names and key figures, no personal data."""

    declaration_id: int
    name: str
    host: str
    industries: tuple[str, ...]
    figures: tuple[tuple[str, str], ...]  # (label, text), in the order shown


@dataclass(frozen=True, slots=True)
class ScoreSet:
    """One expert's points for one declaration: indicator key → decimal text."""

    points: Mapping[str, str]
    total: str | None = None  # exact decimal text of the sum, when every indicator is scored
    comment: str = ""


@dataclass(frozen=True, slots=True)
class PackageAssignment:
    assignment_id: int
    expert_id: int
    declaration_id: int
    score_version: int  # the version of the stored score set when the package was made
    current: ScoreSet | None = None  # the expert's own stored scores (never another expert's)


@dataclass(frozen=True, slots=True)
class ReviewPackage:
    session_id: int
    session_title: str
    held_on: date | None
    deadline: date | None
    created: datetime
    scope: str  # session (every expert of the session) / expert (one expert)
    experts: tuple[PackageExpert, ...]
    sheet: ScoreSheet
    declarations: tuple[DeclarationSummary, ...]
    assignments: tuple[PackageAssignment, ...]
    purpose: str = PURPOSE_REVIEW  # review / evaluation

    def expert(self, expert_id: int) -> PackageExpert:
        for e in self.experts:
            if e.expert_id == expert_id:
                return e
        raise KeyError(expert_id)

    def declaration(self, declaration_id: int) -> DeclarationSummary:
        for d in self.declarations:
            if d.declaration_id == declaration_id:
                return d
        raise KeyError(declaration_id)

    def assignments_of(self, expert_id: int) -> tuple[PackageAssignment, ...]:
        return tuple(a for a in self.assignments if a.expert_id == expert_id)


@dataclass(frozen=True, slots=True)
class OpenedPackage:
    """A package read from its bytes: the values, and the SHA-256 of its manifest (what a return
    file names as the package it was made from)."""

    package: ReviewPackage
    manifest_sha256: str
    file_sha256: str


@dataclass(frozen=True, slots=True)
class ReturnSet:
    """The expert's points for one assignment as saved on the laptop."""

    assignment_id: int
    declaration_id: int
    base_version: int  # the score_version the package carried: the version these points replace
    points: Mapping[str, str]
    comment: str = ""
    total: str | None = None
    complete: bool = False


@dataclass(frozen=True, slots=True)
class ReturnFile:
    session_id: int
    session_title: str
    expert_id: int
    expert_name: str
    package_sha256: str
    sheet_version: str
    deadline: date | None
    saved_at: datetime  # the laptop's clock, with its UTC offset
    sets: tuple[ReturnSet, ...] = field(default=())
    purpose: str = PURPOSE_REVIEW  # the package's: review / evaluation

    @property
    def saved_on(self) -> date:
        """The calendar day the file was saved, where it was saved."""
        return self.saved_at.date()


@dataclass(frozen=True, slots=True)
class OpenedReturn:
    ret: ReturnFile
    file_sha256: str


# --- hashing and signing -----------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """The one byte form of ``value`` that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key_bytes(key: str) -> bytes:
    try:
        raw = bytes.fromhex(key)
    except ValueError:
        raw = b""
    if len(raw) < 16:
        raise ValueError("评审会的签名密钥无效（应为至少 32 位十六进制字符）")
    return raw


def sign(manifest: bytes, key: str) -> str:
    """HMAC-SHA256 of the manifest bytes with ``key`` (hex), as hex."""
    return hmac.new(_key_bytes(key), manifest, hashlib.sha256).hexdigest()


def return_key(package_key: str, session_id: int, expert_id: int) -> str:
    """The key an expert's return file is signed with: derived from the session's key, so the
    bureau can recompute it and the session key itself never leaves the office."""
    message = f"{PACKAGE_FORMAT}|return|{session_id}|{expert_id}".encode()
    return hmac.new(_key_bytes(package_key), message, hashlib.sha256).hexdigest()


# --- the score sheet in the manifest ---------------------------------------------------------


def sheet_to_json(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "format": sheet.format,
        "version": sheet.version,
        "year": sheet.year,
        "title": sheet.title,
        "indicators": [
            {"key": i.key, "name": i.name, "max": decimal_text(i.max_points), "guidance": i.guidance}
            for i in sheet.indicators
        ],
    }


def sheet_from_json(data: Any) -> ScoreSheet:
    d = _obj(data, "评分表")
    indicators = []
    for n, item in enumerate(_list(d.get("indicators"), "评分表的指标"), start=1):
        i = _obj(item, f"评分表第 {n} 项指标")
        indicators.append(
            Indicator(
                key=_str(i.get("key"), f"评分表第 {n} 项指标的代码"),
                name=_str(i.get("name"), f"评分表第 {n} 项指标的名称"),
                max_points=_decimal(i.get("max"), f"评分表第 {n} 项指标的满分"),
                guidance=_str(i.get("guidance", ""), f"评分表第 {n} 项指标的评分说明"),
            )
        )
    if not indicators:
        raise _format_error("评分表没有任何评分指标")
    return ScoreSheet(
        format=_str(d.get("format"), "评分表格式"),
        version=_str(d.get("version"), "评分表版本"),
        year=_int(d.get("year"), "评分表年度"),
        title=_str(d.get("title"), "评分表标题"),
        indicators=tuple(indicators),
    )


# --- zip container -----------------------------------------------------------------------------


def _zip(manifest: bytes, signature: str, others: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in ((MANIFEST, manifest), (SIGNATURE, signature.encode("ascii")), *others.items()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


def _unzip(data: bytes) -> tuple[bytes, dict[str, Any], str, dict[str, bytes]]:
    """Manifest bytes, manifest value, signature and the other entries; format errors raised."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _format_error(
            "文件不是评审包或评分回执（无法按 .lzreview 格式读取），请确认选择的是本系统导出的 .lzreview 文件"
        ) from None
    entries: dict[str, bytes] = {}
    with z:
        for info in z.infolist():
            if info.file_size > MAX_ENTRY_BYTES or len(entries) > 50:
                raise _format_error("文件中的内容过大或过多，不是本系统导出的评审包或评分回执")
            try:
                entries[info.filename] = z.read(info)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError):
                raise PackageError(
                    f"文件已损坏：其中的“{info.filename}”无法读出（校验不通过）。请使用原始文件", "tampered"
                ) from None
    raw = entries.pop(MANIFEST, None)
    if raw is None:
        raise _format_error("文件中缺少清单（manifest.json），不是本系统导出的评审包或评分回执")
    signature = entries.pop(SIGNATURE, b"").decode("ascii", errors="replace").strip()
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _format_error("文件中的清单（manifest.json）无法读取，不是本系统导出的评审包或回执") from None
    if not isinstance(manifest, dict):
        raise _format_error("文件中的清单（manifest.json）格式不对，不是本系统导出的评审包或评分回执")
    return raw, manifest, signature, entries


def _check_format_and_kind(manifest: Mapping[str, Any], kind: str) -> None:
    fmt = manifest.get("format")
    if not isinstance(fmt, str) or not fmt.startswith(FORMAT_FAMILY):
        raise _format_error("文件不是评审包或评分回执（清单中没有本系统的格式标记）")
    if fmt != PACKAGE_FORMAT:
        raise _format_error(
            f"文件的格式为“{fmt}”，本程序只能读取“{PACKAGE_FORMAT}”：可能由更新版本的系统导出，请升级本程序"
        )
    found = manifest.get("kind")
    if found == kind:
        return
    if kind == KIND_PACKAGE and found == KIND_RETURN:
        raise PackageError(
            "这是专家保存的评分回执，不是评审包：回执应由市科技局工作人员在评审管理中导入，不能用评审模式打开",
            "kind",
        )
    if kind == KIND_RETURN and found == KIND_PACKAGE:
        raise PackageError(
            "这是发给专家的评审包，不是评分回执：请导入专家在评审模式中保存的“…-回执.lzreview”文件", "kind"
        )
    raise PackageError(f"文件的种类“{found}”无法识别，不是评审包也不是评分回执", "kind")


def _check_session(manifest: Mapping[str, Any], session_id: int | None) -> None:
    if session_id is None:
        return
    s = _obj(manifest.get("session"), "评审会")
    found = _int(s.get("id"), "评审会编号")
    if found != session_id:
        title = s.get("title") if isinstance(s.get("title"), str) else ""
        raise PackageError(
            f"文件属于另一场评审会“{title}”（编号 {found}），"
            f"不是本评审会（编号 {session_id}）的文件，不能使用",
            "session",
        )


def manifest_purpose(manifest: Mapping[str, Any]) -> str:
    """The ``purpose`` of a manifest: ``review`` when absent (files written before the field)."""
    found = manifest.get("purpose", PURPOSE_REVIEW)
    if found not in PURPOSE_LABELS:
        raise _format_error(
            f"文件的用途“{found}”无法识别（应为认定评审或绩效评估）：可能由更新版本的系统导出，请升级本程序"
        )
    return str(found)


def _check_purpose(manifest: Mapping[str, Any], purpose: str | None) -> None:
    if purpose is None:
        return
    found = manifest_purpose(manifest)
    if found != purpose:
        what = "评分回执" if manifest.get("kind") == KIND_RETURN else "评审包"
        raise PackageError(
            f"这是{PURPOSE_LABELS[found]}的{what}，不是{PURPOSE_LABELS[purpose]}的："
            f"请在“{PURPOSE_PLACES[found]}”中使用该文件",
            "purpose",
        )


def _check_entries(manifest: Mapping[str, Any], entries: Mapping[str, bytes]) -> None:
    listed = _obj(manifest.get("entries", {}), "清单中的文件列表")
    for name, data in entries.items():
        expected = listed.get(name)
        if expected is None:
            raise PackageError(
                f"文件被改动过：其中的“{name}”不在清单中（导出后被加入）。请使用原始文件", "tampered"
            )
        if not isinstance(expected, str) or not hmac.compare_digest(expected, sha256_hex(data)):
            raise PackageError(
                f"文件被改动过：其中的“{name}”与清单记录的 SHA-256 校验值不一致。请使用原始文件", "tampered"
            )
    for name in listed:
        if name not in entries:
            raise PackageError(f"文件不完整：清单中的“{name}”缺失。请使用原始文件", "tampered")


def _check_signature(raw: bytes, signature: str, key: str) -> None:
    if not signature or not hmac.compare_digest(sign(raw, key), signature):
        raise PackageError(
            "文件的签名校验不通过：清单在导出后被改动过，或不是由本评审会的系统导出。请使用原始文件",
            "tampered",
        )


# --- the package -------------------------------------------------------------------------------


def _score_set_json(s: ScoreSet | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"points": dict(s.points), "total": s.total, "comment": s.comment}


def package_manifest(package: ReviewPackage, entries: Mapping[str, bytes]) -> dict[str, Any]:
    """The manifest of a package; a per-expert one also names its expert under ``expert``."""
    expert = package.experts[0] if package.scope == SCOPE_EXPERT and len(package.experts) == 1 else None
    return {
        "expert": {"id": expert.expert_id, "name": expert.name} if expert is not None else None,
        "format": PACKAGE_FORMAT,
        "kind": KIND_PACKAGE,
        "purpose": package.purpose,
        "created": package.created.isoformat(),
        "session": {
            "id": package.session_id,
            "title": package.session_title,
            "held_on": package.held_on.isoformat() if package.held_on else None,
        },
        "deadline": package.deadline.isoformat() if package.deadline else None,
        "scope": package.scope,
        "experts": [
            {"id": e.expert_id, "name": e.name, "unit": e.unit, "return_key": e.return_key}
            for e in package.experts
        ],
        "score_sheet": sheet_to_json(package.sheet),
        "declarations": [
            {
                "id": d.declaration_id,
                "name": d.name,
                "host": d.host,
                "industries": list(d.industries),
                "figures": [list(f) for f in d.figures],
            }
            for d in package.declarations
        ],
        "assignments": [
            {
                "id": a.assignment_id,
                "expert_id": a.expert_id,
                "declaration_id": a.declaration_id,
                "score_version": a.score_version,
                "scores": _score_set_json(a.current),
            }
            for a in package.assignments
        ],
        "entries": {name: sha256_hex(data) for name, data in sorted(entries.items())},
    }


def package_bytes(package: ReviewPackage, *, key: str) -> bytes:
    """The ``.lzreview`` bytes of ``package`` signed with the session's ``key`` (hex)."""
    readme = EVALUATION_PACKAGE_README if package.purpose == PURPOSE_EVALUATION else PACKAGE_README
    others = {README: readme.encode("utf-8")}
    raw = canonical_json(package_manifest(package, others))
    return _zip(raw, sign(raw, key), others)


def _score_set(data: Any, what: str) -> ScoreSet | None:
    if data is None:
        return None
    d = _obj(data, what)
    points = _obj(d.get("points", {}), what)
    total = d.get("total")
    return ScoreSet(
        points={str(k): _str(v, what) for k, v in points.items()},
        total=_str(total, what) if total is not None else None,
        comment=_str(d.get("comment") or "", what),
    )


def _package_from(m: Mapping[str, Any]) -> ReviewPackage:
    s = _obj(m.get("session"), "评审会")
    experts = tuple(
        PackageExpert(
            expert_id=_int(e.get("id"), "专家编号"),
            name=_str(e.get("name"), "专家姓名"),
            unit=_str(e.get("unit") or "", "专家单位"),
            return_key=_str(e.get("return_key"), "专家回执密钥"),
        )
        for e in (_obj(x, "专家") for x in _list(m.get("experts"), "专家名单"))
    )
    declarations = tuple(
        DeclarationSummary(
            declaration_id=_int(d.get("id"), "申报书编号"),
            name=_str(d.get("name"), "申报书名称"),
            host=_str(d.get("host") or "", "依托单位"),
            industries=tuple(_str(x, "所属产业") for x in _list(d.get("industries", []), "所属产业")),
            figures=tuple(_figure(f) for f in _list(d.get("figures", []), "申报书概况")),
        )
        for d in (_obj(x, "申报书") for x in _list(m.get("declarations"), "申报书列表"))
    )
    assignments = tuple(
        PackageAssignment(
            assignment_id=_int(a.get("id"), "评审任务编号"),
            expert_id=_int(a.get("expert_id"), "评审任务的专家"),
            declaration_id=_int(a.get("declaration_id"), "评审任务的申报书"),
            score_version=_int(a.get("score_version"), "评分版本"),
            current=_score_set(a.get("scores"), "已有评分"),
        )
        for a in (_obj(x, "评审任务") for x in _list(m.get("assignments"), "评审任务列表"))
    )
    scope = m.get("scope")
    if scope not in (SCOPE_SESSION, SCOPE_EXPERT):
        raise _format_error("清单中的评审包范围无法识别")
    return ReviewPackage(
        session_id=_int(s.get("id"), "评审会编号"),
        session_title=_str(s.get("title"), "评审会名称"),
        held_on=_date(s.get("held_on"), "评审日期"),
        deadline=_date(m.get("deadline"), "评分截止日期"),
        created=_datetime(m.get("created"), "导出时间"),
        scope=str(scope),
        experts=experts,
        sheet=sheet_from_json(m.get("score_sheet")),
        declarations=declarations,
        assignments=assignments,
        purpose=manifest_purpose(m),
    )


def open_package(
    data: bytes, *, key: str | None = None, session_id: int | None = None, purpose: str | None = None
) -> OpenedPackage:
    """Read and check a package: format and kind, the purpose (when ``purpose`` is given: review /
    evaluation; ``None`` accepts both, as 评审模式 does), the session (when ``session_id`` is given), the
    SHA-256 of every entry, and the signature (when the session ``key`` is given — the bureau has
    it, a laptop does not). Raises :class:`PackageError` with the Chinese reason."""
    raw, manifest, signature, entries = _unzip(data)
    _check_format_and_kind(manifest, KIND_PACKAGE)
    _check_purpose(manifest, purpose)
    _check_session(manifest, session_id)
    _check_entries(manifest, entries)
    if key is not None:
        _check_signature(raw, signature, key)
    return OpenedPackage(_package_from(manifest), sha256_hex(raw), sha256_hex(data))


# --- the return file ---------------------------------------------------------------------------


def make_return(
    opened: OpenedPackage,
    expert_id: int,
    entries: Mapping[int, tuple[Mapping[str, str], str]],
    *,
    saved_at: datetime,
) -> ReturnFile:
    """The return file of ``expert_id``: one set per assignment of the expert in the package, with
    the points typed (``entries``: assignment id → (points by indicator key, comment)); a set whose
    points are not all valid is saved as it is, marked incomplete."""
    package = opened.package
    expert = package.expert(expert_id)
    sets = []
    for a in package.assignments_of(expert_id):
        typed, comment = entries.get(a.assignment_id, ({}, ""))
        points = canonical_points(package.sheet, typed)
        check = check_score_set(package.sheet, points)
        sets.append(
            ReturnSet(
                assignment_id=a.assignment_id,
                declaration_id=a.declaration_id,
                base_version=a.score_version,
                points=points,
                comment=comment.strip(),
                total=decimal_text(check.total) if check.total is not None else None,
                complete=check.complete,
            )
        )
    return ReturnFile(
        session_id=package.session_id,
        session_title=package.session_title,
        expert_id=expert.expert_id,
        expert_name=expert.name,
        package_sha256=opened.manifest_sha256,
        sheet_version=package.sheet.version,
        deadline=package.deadline,
        saved_at=saved_at,
        sets=tuple(sets),
        purpose=package.purpose,
    )


def return_manifest(ret: ReturnFile, entries: Mapping[str, bytes]) -> dict[str, Any]:
    return {
        "format": PACKAGE_FORMAT,
        "kind": KIND_RETURN,
        "purpose": ret.purpose,
        "created": ret.saved_at.isoformat(),
        "session": {"id": ret.session_id, "title": ret.session_title},
        "expert": {"id": ret.expert_id, "name": ret.expert_name},
        "package": {"sha256": ret.package_sha256},
        "sheet_version": ret.sheet_version,
        "deadline": ret.deadline.isoformat() if ret.deadline else None,
        "sets": [
            {
                "assignment_id": s.assignment_id,
                "declaration_id": s.declaration_id,
                "base_version": s.base_version,
                "points": dict(s.points),
                "comment": s.comment,
                "total": s.total,
                "complete": s.complete,
            }
            for s in ret.sets
        ],
        "entries": {name: sha256_hex(data) for name, data in sorted(entries.items())},
    }


def return_bytes(ret: ReturnFile, *, key: str) -> bytes:
    """The ``.lzreview`` bytes of the return file, signed with the expert's return ``key``."""
    readme = EVALUATION_RETURN_README if ret.purpose == PURPOSE_EVALUATION else RETURN_README
    others = {README: readme.encode("utf-8")}
    raw = canonical_json(return_manifest(ret, others))
    return _zip(raw, sign(raw, key), others)


def _return_from(m: Mapping[str, Any]) -> ReturnFile:
    s = _obj(m.get("session"), "评审会")
    e = _obj(m.get("expert"), "专家")
    p = _obj(m.get("package"), "评审包")
    sets = []
    for x in _list(m.get("sets"), "评分"):
        r = _obj(x, "评分")
        points = _obj(r.get("points", {}), "评分")
        total = r.get("total")
        complete = r.get("complete")
        if not isinstance(complete, bool):
            raise _format_error("清单中的评分缺少“是否评完”标记")
        sets.append(
            ReturnSet(
                assignment_id=_int(r.get("assignment_id"), "评审任务编号"),
                declaration_id=_int(r.get("declaration_id"), "申报书编号"),
                base_version=_int(r.get("base_version"), "评分版本"),
                points={str(k): _str(v, "得分") for k, v in points.items()},
                comment=_str(r.get("comment") or "", "评审意见"),
                total=_str(total, "总分") if total is not None else None,
                complete=complete,
            )
        )
    return ReturnFile(
        session_id=_int(s.get("id"), "评审会编号"),
        session_title=_str(s.get("title"), "评审会名称"),
        expert_id=_int(e.get("id"), "专家编号"),
        expert_name=_str(e.get("name"), "专家姓名"),
        package_sha256=_str(p.get("sha256"), "评审包校验值"),
        sheet_version=_str(m.get("sheet_version"), "评分表版本"),
        deadline=_date(m.get("deadline"), "评分截止日期"),
        saved_at=_datetime(m.get("created"), "保存时间"),
        sets=tuple(sets),
        purpose=manifest_purpose(m),
    )


def open_return(
    data: bytes,
    *,
    session_id: int | None = None,
    package_key: str | None = None,
    key: str | None = None,
    purpose: str | None = None,
) -> OpenedReturn:
    """Read and check a return file: format and kind, the purpose (when given; ``None`` accepts
    both), the session, the SHA-256 of every entry and
    the signature — with the expert's return key derived from the session's ``package_key`` (the
    bureau), or with the return ``key`` itself (the laptop, reopening its own file)."""
    raw, manifest, signature, entries = _unzip(data)
    _check_format_and_kind(manifest, KIND_RETURN)
    _check_purpose(manifest, purpose)
    _check_session(manifest, session_id)
    _check_entries(manifest, entries)
    ret = _return_from(manifest)
    if package_key is not None:
        key = return_key(package_key, ret.session_id, ret.expert_id)
    if key is not None:
        _check_signature(raw, signature, key)
    return OpenedReturn(ret, sha256_hex(data))


def return_file_name(package_stem: str, expert_name: str) -> str:
    """``<package name>-<expert>-回执.lzreview`` (the expert's name once, characters Windows
    refuses in file names replaced)."""
    stem = package_stem.removesuffix("-回执")
    if expert_name and expert_name not in stem:
        stem = f"{stem}-{expert_name}"
    return safe_file_name(f"{stem}-回执") + SUFFIX


def safe_file_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .") or "评审"


# --- reading JSON values -------------------------------------------------------------------------


def _format_error(message: str) -> PackageError:
    return PackageError(message, "format")


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _format_error(f"清单中的“{what}”格式不对，文件不是本系统导出的评审包或评分回执")
    return value


def _list(value: Any, what: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise _format_error(f"清单中的“{what}”格式不对，文件不是本系统导出的评审包或评分回执")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _format_error(f"清单中的“{what}”格式不对，文件不是本系统导出的评审包或评分回执")
    return value


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _format_error(f"清单中的“{what}”格式不对，文件不是本系统导出的评审包或评分回执")
    return value


def _decimal(value: Any, what: str) -> Decimal:
    try:
        return Decimal(_str(value, what))
    except InvalidOperation:
        raise _format_error(f"清单中的“{what}”不是数字") from None


def _date(value: Any, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(_str(value, what))
    except ValueError:
        raise _format_error(f"清单中的“{what}”不是日期") from None


def _datetime(value: Any, what: str) -> datetime:
    try:
        return datetime.fromisoformat(_str(value, what))
    except ValueError:
        raise _format_error(f"清单中的“{what}”不是时间") from None


def _figure(value: Any) -> tuple[str, str]:
    items = _list(value, "申报书概况")
    if len(items) != 2:
        raise _format_error("清单中的“申报书概况”格式不对")
    return _str(items[0], "申报书概况"), _str(items[1], "申报书概况")
