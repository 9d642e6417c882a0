"""The certificate key store: the bureau's signing keys kept outside the database file.

A copy of the database alone must not allow minting certificate codes that verify, so the keys
live here, per user of this computer, never in the database (which records only each key's id
and fingerprint, see :mod:`lzcenter_desktop.services.documents_key`).

* Where: ``LZCENTER_KEYSTORE`` if set, else the folder ``keys`` in the user's data folder
  (:func:`lzcenter_desktop.paths.user_data_dir`); one file ``<ring>.json`` per database (the
  database's *key ring* id), folder 0700 and files 0600 — a file that others may read is refused.
* How each key is protected: on Windows by DPAPI (``CryptProtectData`` for the current user,
  through ctypes: only this Windows account on this computer can unprotect it); elsewhere the file
  mode is the protection; with ``LZCENTER_KEYSTORE_PASSWORD`` set, keys are sealed under that
  administrator's password (:mod:`.keystore_crypto`) and the password is needed to use them.
* Ids: ``K1``, ``K2``, … in order of creation (rotation adds the next one).

No Qt, no database.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from lzcenter_desktop import paths
from lzcenter_desktop.services.errors import ServiceError
from lzcenter_desktop.services.keystore_crypto import SealError, open_sealed, seal

STORE_ENV: Final = "LZCENTER_KEYSTORE"
PASSWORD_ENV: Final = "LZCENTER_KEYSTORE_PASSWORD"
FORMAT: Final = "lzcenter-certificate-keys"
_KEY_ID: Final = re.compile(r"^K([1-9][0-9]{0,5})$")
_RING_ID: Final = re.compile(r"^[0-9a-f]{32}$")
CRYPTPROTECT_UI_FORBIDDEN: Final = 0x1
DPAPI_ENTROPY: Final = b"lzcenter-certificate-keys"


class KeyStoreError(ServiceError):
    """The key store cannot be read or written; the message is Chinese and says what to do."""


def key_number(key_id: str) -> int:
    """``K7`` → 7; :class:`ValueError` for anything that is not a key id."""
    match = _KEY_ID.fullmatch(key_id)
    if match is None:
        raise ValueError(f"“{key_id}”不是证书密钥编号（应为 K1、K2 等）。")
    return int(match.group(1))


def key_id(number: int) -> str:
    return f"K{number}"


def check_ring(ring: str) -> str:
    if not _RING_ID.fullmatch(ring):
        raise KeyStoreError(f"密钥库编号“{ring}”无效：应为 32 位十六进制数字。")
    return ring


# --------------------------------------------------------------------------- protectors


class Protector(Protocol):
    """How a key is wrapped in its file: ``name`` is written beside it."""

    name: str

    def protect(self, data: bytes) -> bytes: ...

    def unprotect(self, data: bytes) -> bytes: ...


class FileProtector:
    """No wrapping: the key file's mode (0600, folder 0700) is the protection."""

    name = "file"

    def protect(self, data: bytes) -> bytes:
        return bytes(data)

    def unprotect(self, data: bytes) -> bytes:
        return bytes(data)


class PasswordProtector:
    """Sealed under an administrator's password (scrypt + HMAC-SHA256, :mod:`.keystore_crypto`)."""

    name = "password"

    def __init__(self, password: str) -> None:
        self._password = password

    def protect(self, data: bytes) -> bytes:
        try:
            return json.dumps(seal(self._password, data, b"keystore")).encode("ascii")
        except SealError as exc:
            raise KeyStoreError(str(exc)) from exc

    def unprotect(self, data: bytes) -> bytes:
        try:
            box = json.loads(data.decode("ascii"))
            if not isinstance(box, dict):
                raise ValueError
        except ValueError as exc:
            raise KeyStoreError("密钥库中的密钥已损坏，无法解密。请用密钥备份重新导入。") from exc
        try:
            return open_sealed(self._password, box, b"keystore")
        except SealError as exc:
            raise KeyStoreError(f"密钥库的密码不对：{exc}") from exc


class DATA_BLOB(ctypes.Structure):
    _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]


def _blob(data: bytes) -> tuple[DATA_BLOB, Any]:
    buffer = ctypes.create_string_buffer(data, len(data))
    return DATA_BLOB(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer


class DpapiProtector:
    """Windows DPAPI for the current user (``CryptProtectData`` / ``CryptUnprotectData`` of
    crypt32, output freed with kernel32's ``LocalFree``).  ``crypt32`` and ``kernel32`` may be
    given (a fake in the tests on Linux); by default they are Windows' own."""

    name = "dpapi"

    def __init__(self, crypt32: Any = None, kernel32: Any = None, entropy: bytes = DPAPI_ENTROPY) -> None:
        if crypt32 is None or kernel32 is None:  # pragma: no cover - Windows only
            windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
            crypt32, kernel32 = windll.crypt32, windll.kernel32
        self._crypt32, self._kernel32, self._entropy = crypt32, kernel32, entropy

    def _call(self, function: Callable[..., int], data: bytes, what: str) -> bytes:
        blob_in, keep_in = _blob(data)
        entropy, keep_entropy = _blob(self._entropy)
        out = DATA_BLOB()
        ok = function(
            ctypes.byref(blob_in),
            None,
            ctypes.byref(entropy),
            None,
            None,
            CRYPTPROTECT_UI_FORBIDDEN,
            ctypes.byref(out),
        )
        del keep_in, keep_entropy
        if not ok:
            raise KeyStoreError(
                f"Windows 数据保护（DPAPI）{what}证书密钥失败：密钥只能由保存它的 Windows 用户在本机使用。"
                "请用该用户登录，或用密钥备份（lzcenter-desktop key import）重新导入。"
            )
        try:
            return ctypes.string_at(out.pbData, out.cbData)
        finally:
            self._kernel32.LocalFree(out.pbData)

    def protect(self, data: bytes) -> bytes:
        return self._call(self._crypt32.CryptProtectData, data, "加密")

    def unprotect(self, data: bytes) -> bytes:
        return self._call(self._crypt32.CryptUnprotectData, data, "解密")


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    key: bytes
    created_at: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class KeyStore:
    """The key rings of one user: ``root/<ring>.json``.  ``protectors`` unwrap keys by the name
    recorded beside them; ``protector`` wraps new ones."""

    def __init__(self, root: Path, protector: Protector, *, unwrap: list[Protector] | None = None) -> None:
        self.root = root
        self.protector = protector
        self._unwrap = {p.name: p for p in [*(unwrap or []), protector]}

    def path(self, ring: str) -> Path:
        return self.root / f"{check_ring(ring)}.json"

    def _read(self, ring: str) -> dict[str, Any] | None:
        path = self.path(ring)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyStoreError(f"无法读取证书密钥文件 {path}：{exc.strerror or exc}。") from exc
        if sys.platform != "win32" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyStoreError(
                f"证书密钥文件 {path} 可被其他用户读取，已拒绝使用。请执行“chmod 600 {path}”，"
                "并考虑轮换密钥（lzcenter-desktop key rotate）。"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeyStoreError(
                f"证书密钥文件 {path} 无法读取或已损坏，请用密钥备份重新导入（lzcenter-desktop key import）。"
            ) from exc
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("keys"), list)
        ):
            raise KeyStoreError(f"证书密钥文件 {path} 不是本系统的密钥文件。")
        return data

    def keys(self, ring: str) -> list[StoredKey]:
        """The keys of ``ring`` by id (K1 first); empty when this computer has none."""
        data = self._read(ring)
        found: list[StoredKey] = []
        for entry in data["keys"] if data is not None else []:
            protector = self._unwrap.get(str(entry.get("protection")))
            if protector is None:
                raise KeyStoreError(
                    f"证书密钥 {entry.get('id')} 由“{entry.get('protection')}”方式保护，本机无法解开"
                    f"（若为密码保护，请设置环境变量 {PASSWORD_ENV}）。"
                )
            raw = protector.unprotect(base64.b64decode(str(entry["data"])))
            found.append(StoredKey(str(entry["id"]), raw, str(entry.get("created_at", ""))))
        return sorted(found, key=lambda k: key_number(k.key_id))

    def add(self, ring: str, new_id: str, key: bytes) -> None:
        """Keep ``key`` as ``new_id`` of ``ring``; a no-op if it is there already, refused if
        another key has that id."""
        key_number(new_id)
        for existing in self.keys(ring):
            if existing.key_id == new_id:
                if existing.key != key:
                    raise KeyStoreError(f"本机密钥库中已有另一把编号为 {new_id} 的证书密钥，未覆盖。")
                return
        data = self._read(ring) or {"format": FORMAT, "version": 1, "ring": ring, "keys": []}
        data["keys"].append(
            {
                "id": new_id,
                "created_at": _now(),
                "protection": self.protector.name,
                "data": base64.b64encode(self.protector.protect(key)).decode("ascii"),
            }
        )
        self._write(ring, data)

    def _write(self, ring: str, data: dict[str, Any]) -> None:
        path = self.path(ring)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            if sys.platform != "win32":
                os.chmod(self.root, 0o700)
            temp = path.with_suffix(".tmp")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            if sys.platform != "win32":
                os.chmod(temp, 0o600)
            os.replace(temp, path)
        except OSError as exc:
            raise KeyStoreError(f"无法写入证书密钥文件 {path}：{exc.strerror or exc}。") from exc


def default_root() -> Path:
    """``LZCENTER_KEYSTORE`` if set (non-blank), else ``<user data folder>/keys``."""
    configured = (os.environ.get(STORE_ENV) or "").strip()
    return Path(configured) if configured else paths.user_data_dir() / "keys"


def default_store() -> KeyStore:
    """The current user's store: DPAPI on Windows, the file's mode elsewhere; sealed under the
    administrator's password when ``LZCENTER_KEYSTORE_PASSWORD`` is set."""
    password = os.environ.get(PASSWORD_ENV) or ""
    unwrap: list[Protector] = [FileProtector()]
    platform: Protector = DpapiProtector() if sys.platform == "win32" else FileProtector()
    unwrap.append(platform)
    if password:
        return KeyStore(default_root(), PasswordProtector(password), unwrap=unwrap)
    return KeyStore(default_root(), platform, unwrap=unwrap)
