"""Errors of bad input to a service: a Chinese message naming the field, shown as is to the clerk."""

from __future__ import annotations


class ServiceError(Exception):
    """Bad input or a request the rules do not allow; ``str(exc)`` is the Chinese message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the message belongs to, when there is one


class NotFound(ServiceError):
    """The record asked for does not exist."""
