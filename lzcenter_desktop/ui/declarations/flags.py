"""Where a violation is shown: the field, the table cell or the table its ``path`` belongs to.

Pure Python (no Qt), so it is tested on its own; the form definition decides everything.

A new declaration does not open as a wall of red: :func:`place` takes a ``shown`` test that says,
for the field or table a violation lands on, whether it is shown yet (the wizard shows a
required-field error once the clerk has visited its field, on the 检查与提交 page, or on 提交);
the others are counted per section in :attr:`Placement.hidden`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lzcenter_desktop.domain.draft_checks import path_label as path_label  # the clerk's name of a place
from lzcenter_desktop.domain.formdef import FormDef
from lzcenter_desktop.domain.violations import Violation

_ROW = re.compile(r"^\[(\d+)\](?:\.(\w+))?")


@dataclass
class Placement:
    """Violations sorted onto the form: by field key, by table key (table-level) and by table cell."""

    fields: dict[str, list[Violation]] = field(default_factory=lambda: defaultdict(list))
    tables: dict[str, list[Violation]] = field(default_factory=lambda: defaultdict(list))
    cells: dict[str, dict[tuple[int, int], list[Violation]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    sections: dict[str, list[Violation]] = field(default_factory=lambda: defaultdict(list))
    unplaced: list[Violation] = field(default_factory=list)
    # per section, the violations not shown yet (see ``shown`` of :func:`place`)
    hidden: dict[str, list[Violation]] = field(default_factory=lambda: defaultdict(list))


Shown = Callable[[str, Violation], bool]  # (field or table key, violation) → shown now?


def place(form: FormDef, violations: Iterable[Violation], shown: Shown | None = None) -> Placement:
    """Sort ``violations`` onto the form; with ``shown``, one whose field or table is not shown yet
    goes to :attr:`Placement.hidden` of its section instead."""
    out = Placement()
    for v in violations:
        if not _place_one(form, v, out, shown or (lambda _key, _v: True)):
            out.unplaced.append(v)
    return out


def _place_one(form: FormDef, v: Violation, out: Placement, shown: Shown) -> bool:
    path = v.path
    for section in form.sections:
        for table in section.tables:
            if path == table.key:
                if not shown(table.key, v):
                    out.hidden[section.id].append(v)
                    return True
                out.tables[table.key].append(v)
                out.sections[section.id].append(v)
                return True
            if path.startswith(table.key + "["):
                m = _ROW.match(path[len(table.key) :])
                if m is None:
                    continue
                if not shown(table.key, v):
                    out.hidden[section.id].append(v)
                    return True
                row = int(m.group(1))
                keys = [c.key for c in table.columns]
                # a whole row (e.g. the same unit twice): flag every cell of it
                cols = [keys.index(m.group(2))] if m.group(2) in keys else list(range(len(keys)))
                for c in cols:
                    out.cells[table.key].setdefault((row, c), []).append(v)
                out.sections[section.id].append(v)
                return True
    for section in form.sections:
        for fd in section.fields:
            if path == fd.key or path.startswith(fd.key + "[") or path.startswith(fd.key + "."):
                if not shown(fd.key, v):
                    out.hidden[section.id].append(v)
                    return True
                out.fields[fd.key].append(v)
                out.sections[section.id].append(v)
                return True
    for section in form.sections:  # a path above the fields, e.g. ``host.cto`` or ``signature``
        below = [fd.key for fd in section.fields if fd.key.startswith(path + ".")]
        if below:
            visible = [key for key in below if shown(key, v)]
            if not visible:
                out.hidden[section.id].append(v)
                return True
            out.fields[visible[0]].append(v)
            out.sections[section.id].append(v)
            return True
    return False
