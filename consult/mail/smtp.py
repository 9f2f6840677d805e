"""SMTP, closing the connection when a message cannot be sent.

Flask-Mailman's SMTP backend opens a connection for each send and closes it only after every
message went: when the server refuses a recipient (or any SMTP error ends the send) the socket
stays open until the garbage collector finds it. This backend closes it there and then.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from flask_mailman.backends import smtp


class EmailBackend(smtp.EmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        opened_here = self.connection is None
        try:
            return int(super().send_messages(email_messages))
        except Exception:
            if opened_here:
                # The send's own error is what matters; one from saying goodbye is not.
                with suppress(smtplib.SMTPException, OSError):
                    self.close()
            raise
