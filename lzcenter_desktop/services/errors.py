"""Errors a service raises, and the environment problems the UI and the command line show.

* :class:`ServiceError` — bad input to a service: a Chinese message naming the field, shown as is
  to the clerk;
* the environment problems (locked, read-only, full disk, damaged or newer database…) and
  :func:`classify`, which turns a low-level exception into one of them, re-exported from
  :mod:`lzcenter_desktop.storage.errors` so that ``ui`` and ``cli`` need not import ``storage``
  (that module is plain Python, light enough for start-up).
"""

from __future__ import annotations

from lzcenter_desktop.storage.errors import (
    EXIT_ENVIRONMENT,
    CannotOpenDatabase,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    EnvironmentProblem,
    NewerDatabase,
    NotOurDatabase,
    classify,
)

__all__ = [
    "EXIT_ENVIRONMENT",
    "CannotOpenDatabase",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseReadOnly",
    "DiskFull",
    "EnvironmentProblem",
    "NewerDatabase",
    "NotFound",
    "NotOurDatabase",
    "ProposalSubmitted",
    "ServiceError",
    "classify",
]


class ServiceError(Exception):
    """Bad input or a request the rules do not allow; ``str(exc)`` is the Chinese message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the message belongs to, when there is one


class NotFound(ServiceError):
    """The record asked for does not exist."""


class ProposalSubmitted(ServiceError):
    """A four-eyes step was recorded as a proposal waiting for a 审核人 (nothing failed; see
    :class:`lzcenter_desktop.services.permissions.ApprovalNeeded`); ``request_id`` is its number
    once recorded. Kept here so the GUI can tell it apart without importing the data layer."""

    request_id: int | None = None
