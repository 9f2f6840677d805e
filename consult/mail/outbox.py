"""An email backend that writes each message as an ``.eml`` file in the outbox folder.

The embedded default: nothing to install, and every email can be opened in a mail program.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

from consult.core.time import utcnow


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.folder = Path(current_app.config["MAIL_OUTBOX_PATH"])

    def send_messages(self, email_messages: list[Any]) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{utcnow():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
            partial = self.folder / (name + ".part")
            partial.write_bytes(message.message().as_bytes())
            # Renamed into place, so a reader never sees half a message.
            os.replace(partial, self.folder / name)
            sent += 1
        return sent
