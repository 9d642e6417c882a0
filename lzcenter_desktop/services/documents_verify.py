"""Checking a certificate's verification code against the register: genuine, forged, unknown,
not registered, or genuine but of a centre that no longer holds the title.  Never writes (but
may move an older database's key into the key store, once).
Part of :mod:`lzcenter_desktop.services.documents`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session, col, select

from lzcenter_desktop.documents.verify import VerifyResult, check_code, parse_code, serial_of
from lzcenter_desktop.services.context import AppContext
from lzcenter_desktop.services.documents_key import (
    IMPORT_HINT,
    SigningKey,
    missing_key_ids,
    verification_keys,
)
from lzcenter_desktop.services.documents_register import (
    ENDED_CODES,
    Ending,
    chinese_date,
    ending_of,
    ending_rows,
    registered_certificate,
)
from lzcenter_desktop.services.uow import reading
from lzcenter_desktop.storage.models import Center, Recognition


def _ended_since(session: Session, center: Center, since: date, rec: Recognition | None) -> Ending | None:
    """The first step of ``center`` into 已撤销, 自动放弃 or 已撤回 on or after ``since`` (the date on
    its certificate); without one on record, its current state if that is such a state entered
    since then, or the recognition's own status; else ``None`` (the certificate still stands)."""
    assert center.id is not None
    rows = [r for r in ending_rows(session, center.id).get(center.id, []) if r.changed_on >= since]
    if rows:
        return ending_of(rows[0])
    if center.state in ENDED_CODES and center.state_since >= since:
        return Ending(center.state, center.state_since, None)
    if rec is not None and rec.status in ENDED_CODES:
        return Ending(rec.status, None, None)
    return None


def registered_name(ctx: AppContext, certificate_no: str) -> str | None:
    """The centre name the register records for a certificate number, ``None`` if unknown."""
    with reading(ctx) as session:
        rec = (
            session.execute(select(Recognition).where(col(Recognition.certificate_no) == certificate_no))
            .scalars()
            .first()
        )
        if rec is not None:
            center = session.get(Center, rec.center_id)
            return center.name_zh if center is not None else None
        center = (
            session.execute(select(Center).where(col(Center.certificate_no) == certificate_no))
            .scalars()
            .first()
        )
        return center.name_zh if center is not None else None


def certificate_candidates(ctx: AppContext, serial: str, on: date) -> list[tuple[str, str]]:
    """The registered certificates a version-2 code of ``serial`` and date ``on`` may belong to:
    (full certificate number, registered centre name), by number.

    A certificate carries the date of its centre's latest recognition and the centre's current
    name (see :func:`certificate_spec`), so the candidates are the recognitions of date ``on``
    with a certificate number, and the centres recognised on ``on`` whose own record holds a
    number, whose number's digits (:func:`~lzcenter_desktop.documents.verify.serial_of`) are
    ``serial``.  Two queries on the date (a date has few recognitions); the digits are compared in
    Python, since a number's digits are not stored.
    """
    found: dict[str, str] = {}
    with reading(ctx) as session:
        recs = session.execute(
            select(Recognition, col(Center.name_zh))
            .join(Center, col(Center.id) == col(Recognition.center_id))
            .where(col(Recognition.recognized_on) == on, col(Recognition.certificate_no).is_not(None))
            .order_by(col(Recognition.id))
        ).all()
        for rec, name in recs:
            if rec.certificate_no and serial_of(rec.certificate_no) == serial:
                found.setdefault(rec.certificate_no, str(name))
        centers = session.execute(
            select(Center)
            .where(col(Center.recognized_on) == on, col(Center.certificate_no).is_not(None))
            .order_by(col(Center.id))
        ).scalars()
        for center in centers:
            if center.certificate_no and serial_of(center.certificate_no) == serial:
                found.setdefault(center.certificate_no, center.name_zh)
    return sorted(found.items())


def verify_certificate(
    ctx: AppContext, code: str, *, name: str | None = None, number: str | None = None
) -> VerifyResult:
    """Whether ``code`` (version 2 ``LZ2-…`` or version 1 ``LZETRC1.…``) is the code of a genuine
    certificate of this bureau.

    Version 2: the code's serial and date find the registered certificates
    (:func:`certificate_candidates`); the check code is recomputed over each one's full number and
    registered name — or ``name`` when given (typed from the certificate) — genuine if one matches.
    Version 1: the name is ``name`` when given, otherwise the one the register records for the
    code's certificate number (:func:`registered_name`).  With ``number`` and ``name`` typed from
    the certificate, a version-2 code of a certificate that is not in the register (made with
    ``document certificate --name … --number …``) can be checked too: it is ``unregistered``, not
    genuine.  A genuine code of a centre that has since been revoked, has forfeited its title or
    was withdrawn is ``revoked`` (“证书真实，但该中心已于 …… 被撤销（文号）”), not genuine.

    The code is checked against every certificate key of this database held in the key store,
    newest first (:func:`~lzcenter_desktop.services.documents_key.verification_keys`); a matching
    key is named (``key_id`` and the message).  Writes nothing — except, once, moving a key an
    older database still holds into the key store.
    """
    if name is not None and not name.strip():
        name = None
    if number is not None and not number.strip():
        number = None
    try:
        parsed = parse_code(code)
    except ValueError as exc:
        return VerifyResult(False, f"无法核验：{exc}", None, None, "malformed")
    keys = verification_keys(ctx)
    if keys is None:
        # No certificate was ever issued from this database: nothing to check against (and no
        # key is made by checking).
        return VerifyResult(
            False,
            "无法核验：本数据库还没有签发过任何证书（没有证书验证密钥），请在签发证书的系统中核验，"
            "或向市科技局核实。",
            parsed.number,
            parsed.date,
            "unknown",
            serial=parsed.serial,
            version=parsed.version,
        )
    if not keys:
        return VerifyResult(
            False,
            "无法核验：本机的证书密钥库中没有本数据库的证书密钥（密钥不随数据库文件复制）。" + IMPORT_HINT,
            parsed.number,
            parsed.date,
            "unknown",
            serial=parsed.serial,
            version=parsed.version,
        )
    result = _check_with_keys(ctx, code, keys, name=name, number=number)
    if result.status == "forged":
        missing = missing_key_ids(ctx)
        if missing:
            result = replace(
                result,
                message=f"{result.message}注意：本机没有本数据库的证书密钥 {'、'.join(missing)}，"
                f"由它签发的证书在本机无法核验，{IMPORT_HINT}",
            )
    if not result.genuine or result.number is None or result.date is None:
        return result
    when = chinese_date(result.date)
    with reading(ctx) as session:
        found = registered_certificate(session, result.number, result.date if result.version >= 2 else None)
        if found is None:  # a version-1 code with a typed name, of a number the register lacks
            return replace(
                result,
                genuine=False,
                status="unregistered",
                message=f"未登记：验证码与编号 {result.number}、“{result.name}”、认定日期 {when} 相符"
                "（由本系统的密钥生成），但本系统没有登记这份证书——它不是依据本系统的认定记录生成的，"
                "不能据此确认该中心已获认定，请向市科技局核实。",
            )
        center, rec = found
        ending = _ended_since(session, center, result.date, rec)
    if ending is None:
        return result
    return replace(
        result,
        genuine=False,
        status="revoked",
        message=f"证书真实，但该中心{ending.phrase()}：编号 {result.number}，{result.name}，"
        f"认定日期 {when}。该证书已不能证明其柳州市工程技术研究中心资格。{_signed_by(result.key_id)}",
    )


def _signed_by(key_id: str | None) -> str:
    return f"（由证书密钥 {key_id} 签发）" if key_id else ""


def _check_with_keys(
    ctx: AppContext, code: str, keys: list[SigningKey], *, name: str | None, number: str | None
) -> VerifyResult:
    """The check of ``code`` against each key, newest first: the first key that made it is named
    in the result (and its message); if none did, the answer for the newest key."""
    first: VerifyResult | None = None
    for signing in keys:
        result = check_code(
            code,
            signing.key,
            lookup=lambda number: registered_name(ctx, number),
            candidates=lambda serial, on: certificate_candidates(ctx, serial, on),
            name=name,
            number=number,
        )
        if result.status in ("genuine", "unregistered"):
            return replace(result, key_id=signing.key_id, message=result.message + _signed_by(signing.key_id))
        first = first or result
        if result.status not in ("forged",):  # unknown, unverifiable: the same for every key
            break
    assert first is not None
    return first
