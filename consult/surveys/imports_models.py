"""Imports of paper responses from CSV: one row per uploaded file, and its content until read.

A large file is imported by a worker: the upload waits in ``survey_import_chunk`` rows (a few
hundred KB each, so the worker can stream it) and is deleted once the import has finished,
whatever its outcome. What stays is the outcome and, for a refused file, its row report.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.time import UTCDateTime, utcnow
from consult.extensions import db


class ImportStatus(enum.StrEnum):
    WAITING = "waiting"  # stored, waiting for a worker
    RUNNING = "running"
    IMPORTED = "imported"  # every row stored
    REFUSED = "refused"  # problems in the file: nothing stored, see the report
    FAILED = "failed"  # the import broke down (not the file's fault): nothing stored

    @property
    def finished(self) -> bool:
        return self not in (ImportStatus.WAITING, ImportStatus.RUNNING)


_STATUSES = ", ".join(f"'{s.value}'" for s in ImportStatus)


class SurveyImport(db.Model):  # type: ignore[name-defined]
    __tablename__ = "survey_import"
    __table_args__ = (CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    # The encoding the file was read in ("utf-8", "utf-8-sig" or "cp1252").
    encoding: Mapped[str] = mapped_column(String(20), default="utf-8")
    status: Mapped[str] = mapped_column(String(20), default=ImportStatus.WAITING.value)
    rows_imported: Mapped[int] = mapped_column(default=0)
    problem_count: Mapped[int] = mapped_column(default=0)
    # The first problems found: [{"row": 7, "column": "...", "message": "..."}].
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def import_status(self) -> ImportStatus:
        return ImportStatus(self.status)


class SurveyImportChunk(db.Model):  # type: ignore[name-defined]
    """A piece of an uploaded file waiting for a worker, in order."""

    __tablename__ = "survey_import_chunk"
    __table_args__ = (UniqueConstraint("import_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("survey_import.id", ondelete="CASCADE"))
    position: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
