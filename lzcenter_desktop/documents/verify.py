"""Offline-verifiable certificate codes (证书验证码).

Version 2 (printed on every certificate)
----------------------------------------

A code reads ``LZ2-<YYYYMMDD>-<序号>-<校验码>``, for example
``LZ2-20191130-2019001-X3XM-ECSB-0N02-ASM1``, short enough to read aloud and type from paper:

* ``LZ2`` names the scheme and its version;
* the recognition date;
* the *serial* (序号): the decimal digits of the certificate number, in order, as ASCII
  (:func:`serial_of`; full-width digits count, Chinese numerals such as 二〇一九 do not):
  ``柳工程中心证〔2019〕001号`` → ``2019001``, ``LZGC-2026-001`` → ``2026001``.  A number without
  any digit has the serial ``N``.  The serial does not identify a certificate by itself (two
  numbers may have the same digits); with the date it finds the *candidates* in the register;
* the first :data:`MAC_CHARS` characters (80 bits) of the HMAC-SHA256, under the bureau's key, of
  the **full** certificate number, the centre's name and the date, in Crockford Base32 (digits and
  capital letters without I, L, O, U), printed in groups of four.

On input, whitespace and hyphens (also full-width ones) are ignored, letters may be lower case,
full-width characters are read as ASCII, and after ``LZ2`` the letters O, I and L are read as
0, 1 and 1 (Crockford) — a code can be typed as ``lz2 20191130 2019001 x3xmecsb0n02asm1``.  The
code is plain QR alphanumeric (upper-case letters, digits and ``-``), so the QR code holding it is
small and coarse.

Checking a version-2 code needs the key, the full number and the name.  With the register
(``candidates=``): the serial and the date find the registered certificates, the MAC is recomputed
over each candidate's full number and registered name (or the name typed from the certificate,
``name=``) and compared in constant time (:func:`hmac.compare_digest`) — genuine if one matches.
Without the register, a clerk may type the full number (``number=``) and name (``name=``) from the
certificate: a match then proves that the bureau's key signed exactly this number, name and date
(the certificate is not forged or altered), but *not* that it is still registered (a revoked
centre's certificate stays “genuine” this way).  With the register at hand (``candidates=``) a
typed number and name the register does not hold are reported as ``unregistered``, never as
genuine: such a certificate was made free-form, not from a recognition record.  Whether the
centre of a genuine certificate has since been revoked is the services' business (they read the
centre's history).  With only the name and no number nothing can be
concluded (the code holds only the number's digits): the result is ``unverifiable``.

Version 1 (still verifiable)
----------------------------

``LZETRC1.<编号>.<YYYYMMDD>.<校验码>``: the number percent-encoded, 20 RFC 4648 Base32 characters
(100 bits) of the HMAC over scheme, number, name and date.  :func:`check_code` accepts both; the
number in the code is looked up with ``lookup=`` (number → registered name).

The key is the bureau's secret (at least :data:`MIN_KEY_BYTES` bytes), made with :func:`new_key`
and kept outside the database (see :mod:`lzcenter_desktop.services.documents_key`).  Pure
standard library: no Qt, no database, no reportlab.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal
from urllib.parse import quote, unquote

#: The scheme of the codes printed now (version 2).
SCHEME: Final = "LZ2"
#: Characters of the version-2 check code: 16 × 5 = 80 bits of HMAC-SHA256.
MAC_CHARS: Final = 16
#: The check code is printed in groups of this many characters.
MAC_GROUP: Final = 4
#: The serial of a number without any digit.
NO_DIGITS_SERIAL: Final = "N"
#: Crockford's Base32 alphabet (no I, L, O, U).
CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

#: The version-1 scheme (``LZETRC1.…``), still accepted by :func:`check_code`.
SCHEME_V1: Final = "LZETRC1"
MAC_CHARS_V1: Final = 20  # 100 bits of HMAC-SHA256, RFC 4648 Base32

MIN_KEY_BYTES: Final = 16
MAX_NUMBER_CHARS: Final = 50  # as long as center.certificate_no may be

Status = Literal["genuine", "forged", "unknown", "malformed", "unverifiable", "unregistered", "revoked"]

#: (serial, date) → the registered certificates that may carry a code: (full number, registered name).
Candidates = Callable[[str, date], Sequence[tuple[str, str]]]

_B32: Final = re.compile(r"^[A-Z2-7]+$")
_CROCKFORD_INPUT: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DASHES: Final = re.compile(r"[\s\-‐‑‒–—―−－_]+")
_EXAMPLE: Final = "LZ2-20191130-2019001-X3XM-ECSB-0N02-ASM1"


@dataclass(frozen=True)
class VerifyResult:
    """The answer to “is this certificate genuine?”.

    ``status`` is ``genuine``; ``forged`` (the check code does not match); ``unknown`` (no
    certificate with that number — or, for a version-2 code, that serial and date — is registered);
    ``malformed`` (not a certificate code at all); ``unverifiable`` (not enough to check against
    was given); ``unregistered`` (the code matches the number and name typed from the certificate,
    so the bureau's key made it, but the register has no such certificate: made free-form, not
    from a recognition record); ``revoked`` (a genuine certificate of a centre that has since been
    revoked, has forfeited its title or was withdrawn — set by the services, which know the
    centre's history).  Only ``genuine`` has ``genuine=True``.  ``message`` says it in Chinese for
    the clerk.  ``number`` and ``date`` are what
    the code claims (``None`` if it could not be read; for a version-2 code ``number`` is the
    registered or typed full number checked, ``None`` if there were several or none), ``serial``
    the digits of the number (:func:`serial_of`) and ``version`` the code's version (0 if unread).
    """

    genuine: bool
    message: str
    number: str | None
    date: date | None
    status: Status = "malformed"
    name: str | None = None
    serial: str | None = None
    version: int = 0
    key_id: str | None = None  # the bureau's key that made the code (``K1``, …), set by the services


def new_key() -> bytes:
    """A fresh random key for the bureau (32 bytes)."""
    return secrets.token_bytes(32)


def _normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", name))


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"证书验证密钥无效：至少需要 {MIN_KEY_BYTES} 字节，请在“设置”中重新生成密钥。")


def _clean_number(number: str) -> str:
    """The certificate number as signed (stripped, NFC), or :class:`ValueError` naming the field."""
    number = unicodedata.normalize("NFC", (number or "").strip())
    if not number:
        raise ValueError("“证书编号”不能为空。")
    if len(number) > MAX_NUMBER_CHARS:
        raise ValueError(f"“证书编号”不能超过 {MAX_NUMBER_CHARS} 个字符，收到 {len(number)} 个。")
    if any(ch.isspace() for ch in number):
        raise ValueError("“证书编号”不能含有空格。")
    return number


def _check_fields(number: str, name: str, key: bytes) -> str:
    _check_key(key)
    number = _clean_number(number)
    if not _normalise_name(name or ""):
        raise ValueError("“中心名称”不能为空。")
    return number


def serial_of(number: str) -> str:
    """The serial of a certificate number: its decimal digits in order, as ASCII digits.

    ``柳工程中心证〔2019〕001号`` → ``2019001`` (leading zeros kept); full-width ``２０１９`` count
    as ``2019``; Chinese numerals (二〇一九) and letters do not count.  A number without any digit
    gives :data:`NO_DIGITS_SERIAL` (``N``): all such numbers of a date are then candidates, and the
    check code alone tells them apart.
    """
    digits = "".join(str(unicodedata.decimal(ch)) for ch in number if ch.isdecimal())
    return digits or NO_DIGITS_SERIAL


# --------------------------------------------------------------------------- version 2


def _crockford(data: bytes, chars: int) -> str:
    value = int.from_bytes(data, "big")
    bits = len(data) * 8
    return "".join(CROCKFORD[(value >> (bits - 5 * (i + 1))) & 31] for i in range(chars))


def _mac_v2(number: str, name: str, d: date, key: bytes) -> str:
    message = "\x1f".join((SCHEME, number, _normalise_name(name), d.isoformat())).encode("utf-8")
    digest = hmac.new(bytes(key), message, hashlib.sha256).digest()
    return _crockford(digest, MAC_CHARS)


def _group(mac: str) -> str:
    return "-".join(mac[i : i + MAC_GROUP] for i in range(0, len(mac), MAC_GROUP))


def make_code(number: str, name: str, d: date, key: bytes) -> str:
    """The version-2 verification code of certificate ``number`` for centre ``name`` recognised on
    ``d``: ``LZ2-YYYYMMDD-<serial>-XXXX-XXXX-XXXX-XXXX`` (upper-case ASCII, digits and hyphens).

    Raises :class:`ValueError` (Chinese, naming the field) for an empty, over-long or spaced
    number, an empty name or a too-short key.
    """
    number = _check_fields(number, name, key)
    return f"{SCHEME}-{d:%Y%m%d}-{serial_of(number)}-{_group(_mac_v2(number, name, d, key))}"


# --------------------------------------------------------------------------- version 1


def _mac_v1(number: str, name: str, d: date, key: bytes) -> str:
    message = "\x1f".join((SCHEME_V1, number, _normalise_name(name), d.isoformat())).encode("utf-8")
    digest = hmac.new(bytes(key), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:MAC_CHARS_V1]


def make_code_v1(number: str, name: str, d: date, key: bytes) -> str:
    """The version-1 code (``LZETRC1.<percent-encoded number>.<YYYYMMDD>.<20 Base32>``), no longer
    printed; kept so that such codes can be made in tests and are still checked."""
    number = _check_fields(number, name, key)
    return f"{SCHEME_V1}.{quote(number, safe='-_.~')}.{d:%Y%m%d}.{_mac_v1(number, name, d, key)}"


# --------------------------------------------------------------------------- reading codes


@dataclass(frozen=True)
class ParsedCode:
    """A code's parts.  ``number`` is the full number (version 1 only; ``None`` in version 2)."""

    version: int
    date: date
    mac: str
    serial: str
    number: str | None = None


def _parse_date(raw: str) -> date:
    if not re.fullmatch(r"\d{8}", raw):
        raise ValueError(f"证书验证码中的日期“{raw}”应为 8 位数字（年月日）。")
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError as exc:
        raise ValueError(f"证书验证码中的日期“{raw}”不是有效日期。") from exc


def _parse_v1(text: str) -> ParsedCode:
    _, _, rest = text.partition(".")
    parts = rest.rsplit(".", 2)
    if len(parts) != 3 or not parts[0]:
        raise ValueError("证书验证码不完整：旧版验证码应为“LZETRC1.证书编号.日期.校验码”四段。")
    raw_number, raw_date, mac = parts
    try:
        number = unquote(raw_number, errors="strict")
    except UnicodeDecodeError as exc:
        raise ValueError("证书验证码中的证书编号无法识别。") from exc
    d = _parse_date(raw_date)
    mac = mac.upper()
    if not _B32.fullmatch(mac):
        raise ValueError("旧版证书验证码中的校验码只能由字母 A–Z 和数字 2–7 组成。")
    return ParsedCode(version=1, date=d, mac=mac, serial=serial_of(number), number=number)


def _parse_v2(text: str) -> ParsedCode:
    rest = _DASHES.sub("", text)[len(SCHEME) :].upper().translate(_CROCKFORD_INPUT)
    if len(rest) < 8 + 1 + MAC_CHARS:
        raise ValueError(
            f"证书验证码不完整：应为“{SCHEME}-日期-序号-校验码”，日期 8 位、校验码 {MAC_CHARS} 位，"
            f"例如 {_EXAMPLE}。"
        )
    raw_date, serial, mac = rest[:8], rest[8:-MAC_CHARS], rest[-MAC_CHARS:]
    d = _parse_date(raw_date)
    if serial != NO_DIGITS_SERIAL and not re.fullmatch(r"[0-9]+", serial):
        raise ValueError(
            f"证书验证码中的序号“{serial}”应全为数字（证书编号中的数字），或校验码位数不对"
            f"（应为 {MAC_CHARS} 位）。"
        )
    bad = sorted({ch for ch in mac if ch not in CROCKFORD})
    if bad:
        raise ValueError(
            f"证书验证码中的校验码含有无效字符“{''.join(bad)}”：只能是数字 0–9 和字母（不含 I、L、O、U）。"
        )
    return ParsedCode(version=2, date=d, mac=mac, serial=serial)


def parse_code(code: str) -> ParsedCode:
    """Read a code's parts (version 2 or 1); :class:`ValueError` with a Chinese message if it is
    not a code.  Forgiving of what typing does: see the module's documentation."""
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", code or ""))
    if not text:
        raise ValueError("请输入证书验证码。")
    head = text.partition(".")[0].upper()
    if head == SCHEME_V1:
        return _parse_v1(text)
    if _DASHES.sub("", text)[: len(SCHEME)].upper() == SCHEME:
        return _parse_v2(text)
    raise ValueError(
        f"这不是本系统的证书验证码：验证码应以“{SCHEME}-”开头（如 {_EXAMPLE}），"
        f"旧版验证码以“{SCHEME_V1}.”开头。"
    )


# --------------------------------------------------------------------------- checking


def _when(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _malformed(exc: ValueError) -> VerifyResult:
    return VerifyResult(False, f"无法核验：{exc}", None, None, "malformed")


def _check_v1(
    parsed: ParsedCode, key: bytes, lookup: Callable[[str], str | None] | None, name: str | None
) -> VerifyResult:
    assert parsed.number is not None
    number, when = parsed.number, _when(parsed.date)
    if name is None and lookup is not None:
        name = lookup(number)
        if name is None:
            return VerifyResult(
                False,
                f"未登记：本系统没有编号为“{number}”的证书，证书可能是伪造的，请向市科技局核实。",
                number,
                parsed.date,
                "unknown",
                None,
                parsed.serial,
                1,
            )
    if name is None or not _normalise_name(name):
        return VerifyResult(
            False,
            "无法核验：需要证书上的中心名称（或在本系统登记的证书信息）才能核对验证码。",
            number,
            parsed.date,
            "unverifiable",
            None,
            parsed.serial,
            1,
        )
    expected = _mac_v1(number, name, parsed.date, key)
    if len(parsed.mac) == MAC_CHARS_V1 and hmac.compare_digest(parsed.mac, expected):
        return VerifyResult(
            True,
            f"证书真实有效（旧版验证码）：编号 {number}，{name}，认定日期 {when}。",
            number,
            parsed.date,
            "genuine",
            name,
            parsed.serial,
            1,
        )
    return VerifyResult(
        False,
        f"验证失败：验证码与编号 {number}、“{name}”、认定日期 {when} 不符。"
        "证书或验证码可能被改动或伪造，请向市科技局核实。",
        number,
        parsed.date,
        "forged",
        name,
        parsed.serial,
        1,
    )


def _check_v2(
    parsed: ParsedCode, key: bytes, candidates: Candidates | None, name: str | None, number: str | None
) -> VerifyResult:
    when, serial, d = _when(parsed.date), parsed.serial, parsed.date

    def result(
        genuine: bool, message: str, status: Status, num: str | None = None, nm: str | None = None
    ) -> VerifyResult:
        return VerifyResult(genuine, message, num, d, status, nm, serial, 2)

    if number is not None:
        try:
            number = _clean_number(number)
        except ValueError as exc:
            return result(False, f"无法核验：{exc}", "unverifiable")
        if serial_of(number) != serial:
            return result(
                False,
                f"验证失败：证书编号“{number}”中的数字（{serial_of(number)}）与验证码中的序号 {serial} 不符。"
                "证书或验证码可能被改动或伪造，请向市科技局核实。",
                "forged",
                number,
                name,
            )
    typed_only = False
    registered = (
        [(n, nm) for n, nm in candidates(serial, d) if number is None or n == number]
        if candidates is not None
        else []
    )
    if registered:
        pairs = [(n, nm if name is None else name) for n, nm in registered]
    elif number is not None and name is not None:
        # Typed from the certificate: the key's signature over exactly this number, name and date
        # can be checked even where the register does not list the certificate.
        pairs = [(number, name)]
        typed_only = candidates is not None
    elif candidates is not None:
        what = f"编号为“{number}”、" if number is not None else f"编号数字为 {serial}、"
        return result(
            False,
            f"未登记：本系统没有{what}认定日期为 {when} 的证书，证书可能是伪造的，请向市科技局核实。",
            "unknown",
            number,
        )
    else:
        return result(
            False,
            f"无法核验：验证码只含证书编号中的数字（{serial}），不含完整编号；需要证书上的完整证书编号和"
            "中心名称（或在本系统登记的证书信息）才能核对验证码。",
            "unverifiable",
        )
    if any(not _normalise_name(nm or "") for _, nm in pairs):
        return result(False, "无法核验：需要证书上的中心名称才能核对验证码。", "unverifiable", number)
    matched: tuple[str, str] | None = None
    for n, nm in pairs:  # every candidate is compared, in constant time each
        if hmac.compare_digest(parsed.mac, _mac_v2(n, nm, d, key)) and matched is None:
            matched = (n, nm)
    if matched is not None:
        n, nm = matched
        if typed_only:
            return result(
                False,
                f"未登记：验证码与证书上的编号 {n}、“{nm}”、认定日期 {when} 相符（由本系统的密钥生成），"
                "但本系统没有登记这份证书——它不是依据本系统的认定记录生成的，不能据此确认该中心已获认定，"
                "请向市科技局核实。",
                "unregistered",
                n,
                nm,
            )
        return result(True, f"证书真实有效：编号 {n}，{nm}，认定日期 {when}。", "genuine", n, nm)
    if len(pairs) == 1:
        n, nm = pairs[0]
        return result(
            False,
            f"验证失败：验证码与编号 {n}、“{nm}”、认定日期 {when} 不符。"
            "证书或验证码可能被改动或伪造，请向市科技局核实。",
            "forged",
            n,
            nm,
        )
    listed = "、".join(f"{n}（{nm}）" for n, nm in pairs)
    return result(
        False,
        f"验证失败：验证码与认定日期为 {when}、编号数字为 {serial} 的 {len(pairs)} 份登记证书"
        f"（{listed}）都不符。证书或验证码可能被改动或伪造，请向市科技局核实。",
        "forged",
        None,
        name,
    )


def check_code(
    code: str,
    key: bytes,
    *,
    lookup: Callable[[str], str | None] | None = None,
    name: str | None = None,
    candidates: Candidates | None = None,
    number: str | None = None,
) -> VerifyResult:
    """Whether ``code`` (version 2 or 1) belongs to a genuine certificate.

    Version 2: the certificates to check against are ``candidates(serial, date)`` (the register:
    full number and registered name) — narrowed to ``number`` if that is given — else the
    ``number`` and ``name`` typed from the certificate; a typed ``name`` replaces the registered
    names.  Without ``candidates`` and ``number`` the result is ``unverifiable``.

    Version 1: the name is ``name`` if given, else ``lookup(number)`` (``None``: not registered);
    ``candidates`` and ``number`` are not used.

    Never raises for a bad code: the result says what is wrong, in Chinese.  Raises
    :class:`ValueError` only for a too-short key.
    """
    _check_key(key)
    try:
        parsed = parse_code(code)
    except ValueError as exc:
        return _malformed(exc)
    if name is not None and not name.strip():
        name = None
    if parsed.version == 1:
        return _check_v1(parsed, key, lookup, name)
    return _check_v2(parsed, key, candidates, name, number)
