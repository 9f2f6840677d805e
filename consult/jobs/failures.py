"""Retrying a task after an error without putting the error's text in the worker's logs.

Celery logs the exception a task retries with ("Retry in 5s: ...") and, once retries run
out, its traceback, chained to the error being handled. A database error's text quotes the
values it was sent (what residents wrote, people's addresses) and an SMTP error's can quote a
recipient, so a task retries with the kind of error only, outside the ``except`` block that
caught it (inside it, Celery would chain the original error to the one it raises).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from consult.extensions import db
from consult.mail import error_kind

T = TypeVar("T")


class TaskFailed(Exception):  # noqa: N818 - named for what the logs say
    """A task's error as the logs may show it: its kind, e.g. ``TaskFailed('OperationalError')``."""


def run_or_retry(task: Any, work: Callable[[], T], countdown: int) -> T:
    """``work()`` then commit; on any error, roll back and retry ``task`` after ``countdown``
    seconds with the kind of error only (raised again as ``TaskFailed`` once retries run out)."""
    try:
        result = work()
        db.session.commit()
        return result
    except Exception as error:  # noqa: BLE001 - any error is retried; its kind is kept
        db.session.rollback()
        failure = TaskFailed(error_kind(error))
    raise task.retry(exc=failure, countdown=countdown)
