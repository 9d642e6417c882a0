"""One copy of each shared library in the Linux bundle (stdlib only; used by lzcenter.spec, tested).

The Pillow and psycopg wheels each carry their own copies of libraries the bundle already has or
the host provides (auditwheel renames them ``libcrypto-3a0647ea.so.3``, ``libxcb-9065bb12.so.1.1.0``
…): psycopg's OpenSSL 3.5 beside Python's OpenSSL 3.0, Pillow's libxcb, zstd and lzma, psycopg's
Kerberos.  This module renames such a dependency (``DT_NEEDED``, and the file name of its symbol
version requirements) in a copy of each binary that needs it to the ordinary name —
``libcrypto.so.3`` — and drops the wheel's copies that nothing needs any more.

The rename is done in place in the dynamic string table: the ordinary name is never longer than
auditwheel's (``name-<8 hex>.so.N…``), so nothing moves; a rename that would not fit is left out.
Only the version *names* a binary requires are checked by the loader (``OPENSSL_3.0.0``,
``XZ_5.0``, ``gssapi_krb5_2_MIT``): ``needed_versions`` lists them so the spec can keep a wheel's
copy when the replacement is too old.  Windows DLLs are not touched (PE files).
"""

from __future__ import annotations

import posixpath
import re
import struct
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

Entry = tuple[str, str, str]  # PyInstaller's TOC entry: destination, source, type code

_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_STRSZ = 0, 1, 5, 10
_DT_VERDEF, _DT_VERDEFNUM = 0x6FFFFFFC, 0x6FFFFFFD
_DT_VERNEED, _DT_VERNEEDNUM = 0x6FFFFFFE, 0x6FFFFFFF


class _Elf:
    """The dynamic section of a little-endian 64-bit ELF file (x86-64, aarch64)."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError("not a little-endian 64-bit ELF file")
        self.data = data
        phoff = struct.unpack_from("<Q", data, 0x20)[0]
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        self._loads: list[tuple[int, int, int]] = []
        dynamic: tuple[int, int] | None = None
        for index in range(phnum):
            p_type, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from(
                "<IIQQQQ", data, phoff + index * phentsize
            )
            if p_type == _PT_LOAD:
                self._loads.append((vaddr, offset, filesz))
            elif p_type == _PT_DYNAMIC:
                dynamic = (offset, filesz)
        self.entries: list[tuple[int, int]] = []
        if dynamic is not None:
            for offset in range(dynamic[0], dynamic[0] + dynamic[1], 16):
                tag, value = struct.unpack_from("<qQ", data, offset)
                if tag == _DT_NULL:
                    break
                self.entries.append((tag, value))
        tags = dict(self.entries)
        self.strtab = self._offset(tags[_DT_STRTAB]) if _DT_STRTAB in tags else 0
        self.strsz = tags.get(_DT_STRSZ, 0)
        self._verneed = (tags.get(_DT_VERNEED), tags.get(_DT_VERNEEDNUM, 0))
        self._verdef = (tags.get(_DT_VERDEF), tags.get(_DT_VERDEFNUM, 0))

    def _offset(self, address: int) -> int:
        for vaddr, offset, size in self._loads:
            if vaddr <= address < vaddr + size:
                return offset + address - vaddr
        raise ValueError(f"address {address:#x} outside the file")

    def string(self, index: int) -> str:
        start = self.strtab + index
        return self.data[start : self.data.index(b"\0", start)].decode("utf-8")

    def needed(self) -> list[str]:
        return [self.string(value) for tag, value in self.entries if tag == _DT_NEEDED]

    def needed_versions(self) -> dict[str, set[str]]:
        """The version names required from each needed library (``.gnu.version_r``)."""
        address, count = self._verneed
        versions: dict[str, set[str]] = {}
        if address is None:
            return versions
        offset = self._offset(address)
        for _ in range(count):
            _version, aux_count, file_name, aux, following = struct.unpack_from("<HHIII", self.data, offset)
            names = versions.setdefault(self.string(file_name), set())
            aux_offset = offset + aux
            for _ in range(aux_count):
                _hash, _flags, _other, name, aux_next = struct.unpack_from("<IHHII", self.data, aux_offset)
                names.add(self.string(name))
                aux_offset += aux_next
            offset += following
        return versions

    def defined_versions(self) -> set[str]:
        """The version names a library defines (``.gnu.version_d``), its own name included."""
        address, count = self._verdef
        names: set[str] = set()
        if address is None:
            return names
        offset = self._offset(address)
        for _ in range(count):
            _version, _flags, _index, _aux_count, _hash, aux, following = struct.unpack_from(
                "<HHHHIII", self.data, offset
            )
            names.add(self.string(struct.unpack_from("<I", self.data, offset + aux)[0]))
            offset += following
        return names


def needed(data: bytes) -> list[str]:
    """The libraries an ELF file names as dependencies (``DT_NEEDED``), in order."""
    return _Elf(data).needed()


def needed_versions(data: bytes) -> dict[str, set[str]]:
    """For each needed library, the symbol version names required of it."""
    return _Elf(data).needed_versions()


def defined_versions(data: bytes) -> set[str]:
    """The symbol version names a library defines (empty when it has no versioned symbols)."""
    return _Elf(data).defined_versions()


def renamed(data: bytes, renames: Mapping[str, str]) -> bytes:
    """A copy of an ELF file whose dependencies ``old`` are named ``renames[old]``.

    Every occurrence of the exact name in the dynamic string table is rewritten (the ``DT_NEEDED``
    entry and the file name of its version requirements share it); the new name must not be longer.
    """
    elf = _Elf(data)
    table = bytearray(data[elf.strtab : elf.strtab + elf.strsz])
    for old, new in renames.items():
        if len(new) > len(old):
            raise ValueError(f"{new} is longer than {old}")
        pattern = b"\0" + old.encode() + b"\0"
        replacement = b"\0" + new.encode() + b"\0" * (len(old) - len(new) + 1)
        if pattern not in table:
            raise ValueError(f"{old} is not in the string table")
        table = table.replace(pattern, replacement)
    return data[: elf.strtab] + bytes(table) + data[elf.strtab + elf.strsz :]


_WHEEL_COPY = re.compile(r"^(?P<stem>lib[\w+.]*?)-[0-9a-f]{8}\.so\.(?P<major>\d+)(?:\.[\d.]+)?$")


def replacement(name: str, shared: Iterable[str]) -> str | None:
    """The ordinary name of a wheel's copy of a ``shared`` library (``libssl-6a9b88ec.so.3`` →
    ``libssl.so.3``, ``libxcb-9065bb12.so.1.1.0`` → ``libxcb.so.1``); None for any other name."""
    match = _WHEEL_COPY.match(name)
    if match is None or match["stem"] not in set(shared):
        return None
    return f"{match['stem']}.so.{match['major']}"


def availability(
    binaries: Iterable[Entry], host: Callable[[str], bool], resolve: Callable[[str], str | None]
) -> Callable[[str, set[str]], bool]:
    """Whether a library ``name`` with the symbol ``versions`` a binary needs is there at run time:
    at the top of the bundle (its copy is checked), or a host library (``host(name)``; the build
    machine's copy, found by ``resolve``, is checked)."""
    bundled = {dest: source for dest, source, kind in binaries if kind != "SYMLINK" and "/" not in dest}

    def available(name: str, versions: set[str]) -> bool:
        source = bundled.get(name)
        if source is None and host(name):
            source = resolve(name)
        if source is None or not Path(source).is_file():
            return False
        return versions <= defined_versions(Path(source).read_bytes())

    return available


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"\x7fELF"
    except OSError:
        return False


def relink(
    binaries: Iterable[Entry],
    shared: Iterable[str],
    available: Callable[[str, set[str]], bool],
    workdir: Path,
) -> tuple[list[Entry], list[str]]:
    """The bundle's binaries with each wheel copy of a ``shared`` library (its name without the
    ``.so``: ``libcrypto``) replaced by the ordinary one.

    ``available(name, versions)`` says whether the ordinary library ``name`` (in the bundle or on the
    host) provides the symbol ``versions`` the binary requires; if not, that dependency stays.
    Renamed copies are written under ``workdir``.  Returns the new entries and the destinations of
    the wheel libraries (``*.libs/…``) left out because nothing needs them any more.
    """
    entries = list(binaries)
    result: list[Entry] = []
    for dest, source, kind in entries:
        path = Path(source)
        if kind == "SYMLINK" or not _is_elf(path):
            result.append((dest, source, kind))
            continue
        data = path.read_bytes()
        versions = needed_versions(data)
        renames = {}
        for name in needed(data):
            ordinary = replacement(name, shared)
            if ordinary is not None and available(ordinary, versions.get(name, set())):
                renames[name] = ordinary
        if renames:
            target = workdir / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(renamed(data, renames))
            target.chmod(path.stat().st_mode)
            source = str(target)
        result.append((dest, source, kind))
    return _without_unneeded(result)


def _wheel_library(dest: str) -> bool:
    folder = posixpath.dirname(dest.replace("\\", "/"))
    return folder.endswith(".libs") and "/" not in folder


def _without_unneeded(entries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """Drop wheel libraries (``pillow.libs/…``) that no kept binary needs, and symlinks to them."""
    needs = {
        dest: set(needed(Path(source).read_bytes()))
        for dest, source, kind in entries
        if kind != "SYMLINK" and _is_elf(Path(source))
    }
    dropped: set[str] = set()
    while True:
        wanted = {name for dest, names in needs.items() if dest not in dropped for name in names}
        unneeded = {
            dest
            for dest in needs
            if dest not in dropped and _wheel_library(dest) and posixpath.basename(dest) not in wanted
        }
        if not unneeded:
            break
        dropped |= unneeded
    kept: list[Entry] = []
    for dest, source, kind in entries:
        if kind == "SYMLINK":
            target = posixpath.normpath(posixpath.join(posixpath.dirname(dest), source))
            if target in dropped:
                continue
        elif dest in dropped:
            continue
        kept.append((dest, source, kind))
    return kept, sorted(dropped)
