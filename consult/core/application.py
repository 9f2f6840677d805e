"""The Flask class consult runs as: its own template environment, session cookies and log of
errors."""

from __future__ import annotations

from types import TracebackType

from flask import Flask

from consult.core.errors import log_unhandled
from consult.core.sessions import ConsultSessionInterface
from consult.core.templating import ConsultEnvironment


class ConsultFlask(Flask):
    jinja_environment = ConsultEnvironment
    session_interface = ConsultSessionInterface()

    def log_exception(
        self,
        exc_info: tuple[type[BaseException], BaseException, TracebackType]
        | tuple[None, None, None],
    ) -> None:
        """Without the error's text or the page's address: see ``log_unhandled``."""
        log_unhandled(self, exc_info)
