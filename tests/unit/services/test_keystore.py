"""services/keystore.py: the certificate key store — each protection (a 0600 file, Windows DPAPI
through a fake crypt32 on Linux, an administrator's password), the file modes and the ids."""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lzcenter_desktop.services import keystore
from lzcenter_desktop.services.keystore import (
    CRYPTPROTECT_UI_FORBIDDEN,
    DpapiProtector,
    FileProtector,
    KeyStore,
    KeyStoreError,
    PasswordProtector,
    Protector,
)

RING = "0123456789abcdef0123456789abcdef"


class FakeWindows:
    """crypt32 and kernel32 of a pretend Windows user: a blob is a tag and the data XORed with a
    stream of the user's secret; another user (or other entropy) fails, as DPAPI does."""

    def __init__(self, user: str) -> None:
        self.secret = hashlib.sha256(user.encode()).digest()
        self.buffers: dict[int, Any] = {}
        self.freed: list[int] = []

    def _stream(self, n: int) -> bytes:
        return (self.secret * (n // 32 + 1))[:n]

    @staticmethod
    def _read(blob_ref: Any) -> bytes:
        blob = blob_ref._obj
        return ctypes.string_at(blob.pbData, blob.cbData)

    def _answer(self, out_ref: Any, data: bytes) -> int:
        buffer = ctypes.create_string_buffer(data, len(data))
        self.buffers[ctypes.addressof(buffer)] = buffer
        out_ref._obj.cbData = len(data)
        out_ref._obj.pbData = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))
        return 1

    def CryptProtectData(self, data_in, describe, entropy, reserved, prompt, flags, data_out):
        assert describe is None and reserved is None and prompt is None
        assert flags == CRYPTPROTECT_UI_FORBIDDEN  # never a dialog
        data = self._read(data_in)
        tag = hmac.new(self.secret, self._read(entropy) + data, hashlib.sha256).digest()[:8]
        return self._answer(
            data_out, tag + bytes(a ^ b for a, b in zip(data, self._stream(len(data)), strict=True))
        )

    def CryptUnprotectData(self, data_in, describe, entropy, reserved, prompt, flags, data_out):
        blob = self._read(data_in)
        data = bytes(a ^ b for a, b in zip(blob[8:], self._stream(len(blob) - 8), strict=True))
        tag = hmac.new(self.secret, self._read(entropy) + data, hashlib.sha256).digest()[:8]
        if not hmac.compare_digest(tag, blob[:8]):
            return 0
        return self._answer(data_out, data)

    def LocalFree(self, pointer: Any) -> None:
        self.freed.append(ctypes.cast(pointer, ctypes.c_void_p).value or 0)


def _dpapi(user: str = "张三") -> DpapiProtector:
    fake = FakeWindows(user)
    return DpapiProtector(crypt32=fake, kernel32=fake)


PROTECTORS: dict[str, Callable[[], Protector]] = {
    "file": FileProtector,
    "dpapi": _dpapi,
    "password": lambda: PasswordProtector("管理员的长密码 2026"),
}


@pytest.fixture(params=sorted(PROTECTORS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys", PROTECTORS[request.param]())


def test_keys_round_trip_under_each_protection(store: KeyStore) -> None:
    assert store.keys(RING) == []
    store.add(RING, "K2", b"b" * 32)
    store.add(RING, "K1", b"a" * 32)
    store.add(RING, "K10", b"c" * 32)
    assert [(k.key_id, k.key) for k in store.keys(RING)] == [
        ("K1", b"a" * 32),
        ("K2", b"b" * 32),
        ("K10", b"c" * 32),
    ]
    text = store.path(RING).read_text(encoding="utf-8")
    assert json.loads(text)["keys"][0]["protection"] == store.protector.name
    if store.protector.name != "file":
        assert (b"a" * 32).hex() not in text and "YWFh" not in text  # neither hex nor base64 of it


def test_adding_the_same_key_twice_is_a_no_op_and_another_key_under_its_id_is_refused(
    store: KeyStore,
) -> None:
    store.add(RING, "K1", b"a" * 32)
    store.add(RING, "K1", b"a" * 32)
    assert len(store.keys(RING)) == 1
    with pytest.raises(KeyStoreError, match="已有另一把编号为 K1"):
        store.add(RING, "K1", b"z" * 32)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_key_file_is_the_users_only(store: KeyStore) -> None:
    store.add(RING, "K1", b"a" * 32)
    assert stat.S_IMODE(store.path(RING).stat().st_mode) == 0o600
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert not list(store.root.glob("*.tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize(("mode", "refused"), [(0o600, False), (0o400, False), (0o640, True), (0o604, True)])
def test_a_key_file_others_may_read_is_refused(tmp_path: Path, mode: int, refused: bool) -> None:
    store = KeyStore(tmp_path / "keys", FileProtector())
    store.add(RING, "K1", b"a" * 32)
    store.path(RING).chmod(mode)
    if refused:
        with pytest.raises(KeyStoreError, match=r"可被其他用户读取.*chmod 600"):
            store.keys(RING)
    else:
        assert store.keys(RING)[0].key == b"a" * 32


def test_dpapi_keys_of_another_windows_user_cannot_be_used(tmp_path: Path) -> None:
    mine = KeyStore(tmp_path / "keys", _dpapi("张三"))
    mine.add(RING, "K1", b"a" * 32)
    theirs = KeyStore(tmp_path / "keys", _dpapi("李四"))
    with pytest.raises(KeyStoreError, match="Windows 数据保护（DPAPI）解密证书密钥失败"):
        theirs.keys(RING)


def test_dpapi_frees_every_buffer_windows_hands_back() -> None:
    fake = FakeWindows("张三")
    protector = DpapiProtector(crypt32=fake, kernel32=fake)
    blob = protector.protect(b"k" * 32)
    assert blob != b"k" * 32 and protector.unprotect(blob) == b"k" * 32
    assert len(fake.freed) == 2 and set(fake.freed) <= set(fake.buffers)


def test_a_password_store_needs_the_right_password(tmp_path: Path) -> None:
    KeyStore(tmp_path / "keys", PasswordProtector("管理员的长密码 2026")).add(RING, "K1", b"a" * 32)
    with pytest.raises(KeyStoreError, match="密码不对"):
        KeyStore(tmp_path / "keys", PasswordProtector("管理员的长密码 2027")).keys(RING)
    with pytest.raises(KeyStoreError, match="LZCENTER_KEYSTORE_PASSWORD"):
        KeyStore(tmp_path / "keys", FileProtector()).keys(RING)


@pytest.mark.parametrize(
    "bad", ["", "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF", "0" * 31, "0" * 33]
)
def test_a_ring_id_must_be_32_lower_case_hex_digits(tmp_path: Path, bad: str) -> None:
    with pytest.raises(KeyStoreError, match="密钥库编号"):
        KeyStore(tmp_path, FileProtector()).path(bad)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("K1", 1),
        ("K9", 9),
        ("K10", 10),
        ("K999999", 999999),
        ("K0", None),
        ("K01", None),
        ("k1", None),
        ("K1000000", None),
    ],
)
def test_key_ids(text: str, number: int | None) -> None:
    if number is None:
        with pytest.raises(ValueError, match="证书密钥编号"):
            keystore.key_number(text)
    else:
        assert keystore.key_number(text) == number and keystore.key_id(number) == text


def test_the_store_is_in_the_users_data_folder_unless_configured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(keystore.STORE_ENV, raising=False)
    monkeypatch.delenv(keystore.PASSWORD_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "data"))
    assert keystore.default_root() == tmp_path / "data" / "lzcenter" / "keys"
    monkeypatch.setenv(keystore.STORE_ENV, "  ")
    assert keystore.default_root() == tmp_path / "data" / "lzcenter" / "keys"
    monkeypatch.setenv(keystore.STORE_ENV, str(tmp_path / "elsewhere"))
    assert keystore.default_root() == tmp_path / "elsewhere"
    assert keystore.default_store().protector.name == ("dpapi" if sys.platform == "win32" else "file")
    monkeypatch.setenv(keystore.PASSWORD_ENV, "管理员的长密码 2026")
    assert keystore.default_store().protector.name == "password"
