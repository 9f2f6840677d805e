"""Email: the local outbox backend and messages other than briefings."""

from __future__ import annotations


def error_kind(error: BaseException) -> str:
    """What kind of error stopped an email, for logs and stored records: the class name only.

    An SMTP error's text can quote a recipient's address (a refused recipient, a bounce), so
    neither the text nor a traceback carrying it is logged or stored.
    """
    return type(error).__name__
