"""installer/elf_relink.py: a wheel's renamed copy of a library is replaced by the ordinary one only
when that one is there and defines every symbol version needed, and only copies nothing needs leave."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.installer.elf_samples import elf
from tests.unit.installer.installer_modules import INSTALLER, load

elf_relink = load("elf_relink")
bundle_filter = load("bundle_filter")

SSL_COPY = "libssl-6a9b88ec.so.3"
CRYPTO_COPY = "libcrypto-3a0647ea.so.3"
SHARED = ["libssl", "libcrypto", "libxcb"]


def test_needed_libraries_and_versions_are_read_in_order() -> None:
    data = elf({SSL_COPY: {"OPENSSL_3.0.0"}, "libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.14"}, "libz.so.1": set()})
    assert elf_relink.needed(data) == [SSL_COPY, "libc.so.6", "libz.so.1"]
    assert elf_relink.needed_versions(data) == {
        SSL_COPY: {"OPENSSL_3.0.0"},
        "libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.14"},
    }
    library = elf({"libc.so.6": set()}, ["libssl.so.3", "OPENSSL_3.0.0", "OPENSSL_3.0.3"])
    assert elf_relink.defined_versions(library) == {"libssl.so.3", "OPENSSL_3.0.0", "OPENSSL_3.0.3"}
    assert elf_relink.defined_versions(data) == set()


def test_renaming_rewrites_the_dependency_and_its_version_requirement_in_place() -> None:
    data = elf({SSL_COPY: {"OPENSSL_3.0.0"}, CRYPTO_COPY: {"OPENSSL_3.0.0"}, "libc.so.6": set()})
    result = elf_relink.renamed(data, {SSL_COPY: "libssl.so.3"})
    assert len(result) == len(data)
    assert elf_relink.needed(result) == ["libssl.so.3", CRYPTO_COPY, "libc.so.6"]
    assert elf_relink.needed_versions(result) == {
        "libssl.so.3": {"OPENSSL_3.0.0"},
        CRYPTO_COPY: {"OPENSSL_3.0.0"},
    }


def test_a_name_of_the_same_length_fits_and_a_longer_one_does_not() -> None:
    data = elf({"libab.so.1": set()})
    assert elf_relink.needed(elf_relink.renamed(data, {"libab.so.1": "libcd.so.1"})) == ["libcd.so.1"]
    with pytest.raises(ValueError, match="longer"):
        elf_relink.renamed(data, {"libab.so.1": "libabc.so.1"})
    with pytest.raises(ValueError, match="not in the string table"):
        elf_relink.renamed(data, {"libxy.so.1": "libx.so.1"})


def test_not_an_elf_file_is_refused() -> None:
    with pytest.raises(ValueError, match="ELF"):
        elf_relink.needed(b"MZ\x90\x00" + bytes(60))


@pytest.mark.parametrize(
    ("name", "ordinary"),
    [
        (SSL_COPY, "libssl.so.3"),
        (CRYPTO_COPY, "libcrypto.so.3"),
        ("libxcb-9065bb12.so.1.1.0", "libxcb.so.1"),
        ("libxcb.so.1", None),  # already the ordinary name
        ("libXau-154567c4.so.6.0.0", None),  # not a shared library of the list
        ("libxcb-9065bb1.so.1.1.0", None),  # seven hex digits: not auditwheel's renaming
        ("libxcb-9065bb12.so", None),  # no version
    ],
)
def test_the_ordinary_name_of_a_wheel_copy(name: str, ordinary: str | None) -> None:
    assert elf_relink.replacement(name, SHARED) == ordinary


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_a_bundled_or_host_library_is_available_only_with_every_version_needed(tmp_path: Path) -> None:
    ssl = _write(tmp_path, "libssl.so.3", elf({}, ["libssl.so.3", "OPENSSL_3.0.0", "OPENSSL_3.0.3"]))
    host = _write(tmp_path, "host/libxcb.so.1", elf({}))
    available = elf_relink.availability(
        [("libssl.so.3", ssl, "BINARY"), ("sub/libcrypto.so.3", ssl, "BINARY")],
        lambda name: name.startswith("libxcb"),
        lambda name: host if name == "libxcb.so.1" else None,
    )
    assert available("libssl.so.3", {"OPENSSL_3.0.0"})
    assert available("libssl.so.3", {"OPENSSL_3.0.0", "OPENSSL_3.0.3"})
    assert not available("libssl.so.3", {"OPENSSL_3.0.0", "OPENSSL_3.2.0"})  # a newer OpenSSL needed
    assert available("libxcb.so.1", set())  # the host's, found on the build machine
    assert not available("libxcb.so.2", set())  # a host name the build machine does not have
    assert not available("libcrypto.so.3", set())  # not at the top of the bundle, not a host library


def test_relink_uses_the_bundled_library_and_drops_the_copies_nothing_needs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    binaries = [
        ("libssl.so.3", _write(src, "libssl.so.3", elf({}, ["libssl.so.3", "OPENSSL_3.0.0"])), "BINARY"),
        ("mod/_ext.so", _write(src, "_ext.so", elf({"libpq-e9b5c9ac.so.5": set()})), "EXTENSION"),
        ("w.libs/libpq-e9b5c9ac.so.5", _write(src, "libpq.so", elf({SSL_COPY: {"OPENSSL_3.0.0"}})), "BINARY"),
        (f"w.libs/{SSL_COPY}", _write(src, "ssl-copy.so", elf({}, [SSL_COPY, "OPENSSL_3.5.0"])), "BINARY"),
        (SSL_COPY, f"w.libs/{SSL_COPY}", "SYMLINK"),
        ("libpq-e9b5c9ac.so.5", "w.libs/libpq-e9b5c9ac.so.5", "SYMLINK"),
        ("resources/readme.txt", _write(src, "readme.txt", b"text"), "DATA"),
    ]
    available = elf_relink.availability(binaries, lambda name: False, lambda name: None)
    result, dropped = elf_relink.relink(binaries, SHARED, available, tmp_path / "work")
    assert dropped == [f"w.libs/{SSL_COPY}"]
    assert [dest for dest, _source, _kind in result] == [
        "libssl.so.3",
        "mod/_ext.so",
        "w.libs/libpq-e9b5c9ac.so.5",
        "libpq-e9b5c9ac.so.5",
        "resources/readme.txt",
    ]
    libpq = dict((dest, source) for dest, source, _kind in result)["w.libs/libpq-e9b5c9ac.so.5"]
    assert Path(libpq) == tmp_path / "work" / "w.libs" / "libpq-e9b5c9ac.so.5"  # a renamed copy
    assert elf_relink.needed(Path(libpq).read_bytes()) == ["libssl.so.3"]


def test_relink_keeps_the_wheel_copy_when_the_bundled_one_is_too_old(tmp_path: Path) -> None:
    src = tmp_path / "src"
    binaries = [
        ("libssl.so.3", _write(src, "libssl.so.3", elf({}, ["libssl.so.3", "OPENSSL_3.0.0"])), "BINARY"),
        ("mod/_ext.so", _write(src, "_ext.so", elf({"libpq-e9b5c9ac.so.5": set()})), "EXTENSION"),
        ("w.libs/libpq-e9b5c9ac.so.5", _write(src, "libpq.so", elf({SSL_COPY: {"OPENSSL_3.2.0"}})), "BINARY"),
        (f"w.libs/{SSL_COPY}", _write(src, "ssl-copy.so", elf({}, [SSL_COPY, "OPENSSL_3.2.0"])), "BINARY"),
    ]
    available = elf_relink.availability(binaries, lambda name: False, lambda name: None)
    result, dropped = elf_relink.relink(binaries, SHARED, available, tmp_path / "work")
    assert dropped == []
    assert result == binaries  # nothing renamed, nothing left out


def test_every_shared_library_of_the_spec_is_python_s_own_or_a_host_library() -> None:
    build = load("build")
    lists = build.spec_lists((INSTALLER / "lzcenter.spec").read_text(encoding="utf-8"))
    pythons_own = {"libcrypto", "libssl", "liblzma"}  # _hashlib, _ssl and _lzma bring them
    host = lists["HOST_LIBRARIES"]
    for stem in lists["SHARED_LIBRARIES"]:
        assert stem in pythons_own or bundle_filter.host_library(f"{stem}.so.N", host, "linux"), stem
    assert not bundle_filter.host_library("libcrypto.so.3", lists["HOST_LIBRARIES"], "linux")
