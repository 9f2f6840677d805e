"""Import records: the outcome of every import, and large files waiting for a worker.

A file of more than ``SURVEY_IMPORT_BACKGROUND_ROWS`` rows is stored in pieces and imported by
the ``surveys.import_responses`` task, which streams the pieces back, so neither the web
request nor the worker holds the whole file. The pieces are deleted in the transaction that
records the outcome, so a worker that dies mid-import leaves them for the retry.
"""

from __future__ import annotations

import io
import logging
from typing import IO

from flask import current_app
from sqlalchemy import delete, insert, select

from consult.core.csv_files import Problem, UploadRefusedError
from consult.core.time import utcnow
from consult.extensions import db
from consult.jobs.outbox import enqueue
from consult.surveys.imports import ImportOutcome, import_responses
from consult.surveys.imports_models import ImportStatus, SurveyImport, SurveyImportChunk
from consult.surveys.models import Survey

log = logging.getLogger(__name__)

CHUNK_BYTES = 256 * 1024
BACKGROUND_ROWS = 500
TASK_NAME = "surveys.import_responses"


def background_rows() -> int:
    """Files with more rows than this are imported by a worker."""
    return int(current_app.config.get("SURVEY_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))


def new_import(survey: Survey, user_id: int | None, filename: str, encoding: str) -> SurveyImport:
    record = SurveyImport(
        survey_id=survey.id,
        imported_by_id=user_id,
        filename=filename[:200],
        encoding=encoding,
        status=ImportStatus.RUNNING.value,
        problems=[],
        created_at=utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    return record


def refused(message: str) -> ImportOutcome:
    """The outcome of a file refused as a whole (row 0 in the report: the whole file)."""
    outcome = ImportOutcome()
    outcome.add([Problem(0, "", message)])
    return outcome


def finish(record: SurveyImport, outcome: ImportOutcome) -> None:
    """Record how an import ended: imported, or refused with its problems; the file's pieces
    are deleted. Flushes."""
    count = outcome.problem_count
    record.status = (ImportStatus.REFUSED if count else ImportStatus.IMPORTED).value
    record.problem_count = count
    record.problems = [p.as_dict() for p in outcome.problems]
    record.rows_imported = 0 if count else outcome.imported
    record.finished_at = utcnow()
    db.session.execute(delete(SurveyImportChunk).where(SurveyImportChunk.import_id == record.id))
    db.session.flush()


def queue_import(
    survey: Survey,
    user_id: int | None,
    filename: str,
    encoding: str,
    stream: IO[bytes],
    piece_size: int = CHUNK_BYTES,
) -> SurveyImport:
    """Keep the file in pieces and queue its import for after the commit. Flushes."""
    record = new_import(survey, user_id, filename, encoding)
    record.status = ImportStatus.WAITING.value
    stream.seek(0)
    position = 0
    while piece := stream.read(piece_size):
        position += 1
        # Core, not ORM objects: the session would otherwise hold every piece until commit.
        db.session.execute(
            insert(SurveyImportChunk),
            [{"import_id": record.id, "position": position, "content": piece}],
        )
    enqueue(TASK_NAME, import_id=record.id)
    return record


class StoredFile(io.RawIOBase):
    """An uploaded file read back from its pieces, one piece in memory at a time."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self._position = 0
        self._piece = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if offset != 0 or whence != io.SEEK_SET:
            raise io.UnsupportedOperation("a stored file can only go back to its start")
        self._position, self._piece = 0, b""
        return 0

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._piece:
            self._position += 1
            self._piece = (
                db.session.scalar(
                    select(SurveyImportChunk.content).where(
                        SurveyImportChunk.import_id == self.import_id,
                        SurveyImportChunk.position == self._position,
                    )
                )
                or b""
            )
        size = min(len(buffer), len(self._piece))
        buffer[:size] = self._piece[:size]
        self._piece = self._piece[size:]
        return size


def run_queued_import(import_id: int) -> str:
    """Import a queued file: all its rows in one transaction, or none. Commits.

    Safe to run again: a finished import is left alone, and an interrupted one starts over
    (nothing of it was committed).
    """
    record = db.session.get(SurveyImport, import_id)
    if record is None:
        return "missing"
    if record.import_status.finished:
        return record.status
    record.status = ImportStatus.RUNNING.value
    db.session.commit()
    survey = db.session.get_one(Survey, record.survey_id)
    stream = io.BufferedReader(StoredFile(import_id), buffer_size=CHUNK_BYTES)
    try:
        outcome = import_responses(survey, stream, record.encoding, record.imported_by_id)
    except UploadRefusedError as error:
        outcome = refused(str(error))
    if outcome.problem_count:
        db.session.rollback()
        record = db.session.get_one(SurveyImport, import_id)
    finish(record, outcome)
    db.session.commit()
    log.info("survey import %s: %s", import_id, record.status)
    return record.status


def mark_failed(import_id: int) -> None:
    """The import broke down for good (not the file's fault): say so, drop the file. Flushes."""
    record = db.session.get(SurveyImport, import_id)
    if record is None or record.import_status.finished:
        return
    record.status = ImportStatus.FAILED.value
    record.finished_at = utcnow()
    db.session.execute(delete(SurveyImportChunk).where(SurveyImportChunk.import_id == import_id))
    db.session.flush()
