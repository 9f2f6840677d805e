"""Text a signed-out resident typed, kept server-side until they have signed in.

The session holds one random token per purpose; the text is in ``idea_kept_draft``, stored
under the token's hash. Kept drafts live for a day; each new one clears the expired.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import session
from sqlalchemy import delete, select

from consult.core.security import token_digest
from consult.core.time import utcnow
from consult.extensions import db
from consult.ideas.models import KeptDraft

KEEP_FOR = timedelta(days=1)
SESSION_KEY = "kept_drafts"


def keep(purpose: str, fields: dict[str, str]) -> None:
    """Keep ``fields`` for this browser under ``purpose``, replacing any kept before. Flushes."""
    forget(purpose)
    db.session.execute(delete(KeptDraft).where(KeptDraft.created_at < utcnow() - KEEP_FOR))
    token = secrets.token_urlsafe(32)
    db.session.add(KeptDraft(token_hash=token_digest(token), purpose=purpose, fields=fields))
    db.session.flush()
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), purpose: token}


def _find(purpose: str) -> KeptDraft | None:
    token = session.get(SESSION_KEY, {}).get(purpose)
    if not isinstance(token, str):
        return None
    return db.session.scalar(
        select(KeptDraft).where(
            KeptDraft.token_hash == token_digest(token),
            KeptDraft.purpose == purpose,
            KeptDraft.created_at >= utcnow() - KEEP_FOR,
        )
    )


def recall(purpose: str) -> dict[str, str] | None:
    """What this browser kept under ``purpose``, if it is still there."""
    draft = _find(purpose)
    return dict(draft.fields) if draft is not None else None


def forget(purpose: str) -> None:
    """Drop what this browser kept under ``purpose``. Flushes."""
    draft = _find(purpose)
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()
    kept = dict(session.get(SESSION_KEY, {}))
    if kept.pop(purpose, None) is not None:
        session[SESSION_KEY] = kept


def idea_purpose(slug: str) -> str:
    return f"idea:{slug}"


def comment_purpose(idea_id: int) -> str:
    return f"comment:{idea_id}"
