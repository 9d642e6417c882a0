"""Work-around for a reference-count bug of PySide6 6.12.0 on Python 3.11.

Each call of a Qt method that returns ``None`` (``setText``, ``setObjectName``, ``setGeometry`` …)
takes one reference off ``None`` without adding one; methods returning ``bool`` do the same to
``True``/``False``. A long working session (or a long test run) makes CPython deallocate ``None``
and the process aborts ("Fatal Python error: none_dealloc"). Checked here: 1,000 ``setObjectName``
calls leave ``None`` with 1,000 fewer references; PySide6-Essentials 6.11.3 does not have the bug,
but PySide6-Pdf (the in-app PDF preview) exists only for 6.12. Python 3.12 makes these objects
immortal; on 3.11 :func:`guard_singletons` gives them a reserve of 2**40 references once at start-up,
so the leak can never bring them to zero in practice. Remove this when PySide6 is fixed.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 2**40
_guarded = False


def guard_singletons() -> bool:
    """Give None, True and False a huge reference reserve (once, CPython < 3.12 only); True if done."""
    global _guarded
    if _guarded or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += RESERVE  # ob_refcnt is the first field
    _guarded = True
    return True
