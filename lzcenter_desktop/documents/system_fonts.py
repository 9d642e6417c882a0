"""The Windows fonts offered besides the bundled faces (宋体, 黑体, 楷体, 仿宋, TrueType only):
:func:`system_faces` finds them and makes them known to
:func:`~lzcenter_desktop.documents.font_faces.face_for`.

They are looked for where Windows installs fonts (:func:`windows_font_dirs`): the system folder
``%WINDIR%\\Fonts`` and, since Windows 10 1809, the per-user folder
``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` — where a clerk without administrator rights
installs a font; the system folder's copy wins when both have one.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from lzcenter_desktop.documents.font_faces import FontFace, FontRole, remember_system_faces

#: The Windows fonts offered besides the bundled ones: (file, reportlab name, role, Chinese label).
#: TrueType outlines only: reportlab cannot embed CFF (``OTTO``) fonts.
WINDOWS_FONTS: Final[tuple[tuple[str, str, FontRole, str], ...]] = (
    ("simsun.ttc", "SimSun", "serif", "宋体"),
    ("simhei.ttf", "SimHei", "sans", "黑体"),
    ("simkai.ttf", "KaiTi", "serif", "楷体"),
    ("simfang.ttf", "FangSong", "serif", "仿宋"),
)
_TRUETYPE_TAGS: Final = (b"\x00\x01\x00\x00", b"true")


def windows_fonts_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``%WINDIR%\\Fonts`` (``C:\\Windows\\Fonts`` when ``WINDIR`` is not set)."""
    env = os.environ if environ is None else environ
    return Path(env.get("WINDIR") or env.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"


def windows_font_dirs(environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Where Windows keeps installed fonts, system folder first: ``%WINDIR%\\Fonts`` and the
    per-user ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` (left out when ``LOCALAPPDATA`` is
    not set)."""
    env = os.environ if environ is None else environ
    folders = [windows_fonts_dir(env)]
    local = (env.get("LOCALAPPDATA") or "").strip()
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return tuple(folders)


def _is_truetype(path: Path) -> bool:
    """Whether ``path`` holds TrueType outlines (a ``.ttc`` is judged by its first font)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)  # a collection: tag, version, number of fonts, first font's offset
            if head[:4] == b"ttcf":
                if len(head) < 16:
                    return False
                (offset,) = struct.unpack(">I", head[12:16])
                handle.seek(offset)
                head = handle.read(4)
            return head[:4] in _TRUETYPE_TAGS
    except OSError:
        return False


def _files(folder: Path) -> dict[str, Path]:
    """The files of ``folder`` by case-folded name; none when it cannot be read."""
    try:
        return {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return {}


def system_faces(folder: Path | Sequence[Path] | None = None) -> tuple[FontFace, ...]:
    """The Windows fonts 宋体, 黑体, 楷体, 仿宋 installed in ``folder`` — one folder or several,
    looked at in order (default :func:`windows_font_dirs`: system, then per-user) — TrueType only,
    in that order; ``()`` where there are none (Linux).

    Each face found becomes known to :func:`~lzcenter_desktop.documents.font_faces.face_for` by its
    name (``SimHei``) and label (``黑体``).
    """
    if folder is None:
        folders: Sequence[Path] = windows_font_dirs()
    elif isinstance(folder, Path):
        folders = (folder,)
    else:
        folders = folder
    present = [_files(Path(f)) for f in folders]
    found: list[FontFace] = []
    for file_name, name, role, label in WINDOWS_FONTS:
        path = next(
            (files[file_name] for files in present if file_name in files and _is_truetype(files[file_name])),
            None,
        )
        if path is None:
            continue
        face = FontFace(name=name, path=path, role=role, bold=False, family=name, label=label)
        found.append(face)
    remember_system_faces(found)
    return tuple(found)
