"""Database connection settings that SQLite needs to behave like a real database, and a
lean way to write a new row."""

from __future__ import annotations

import functools
import select
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import Executable, Table, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import make_transient_to_detached

from consult.extensions import db


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off in SQLite unless asked for; WAL lets the web app read while the
    # worker writes; the busy timeout makes writers wait for each other instead of failing.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# A pooled connection idle for longer than this is pinged before use: a firewall or a
# server-side timeout can drop a quiet connection without a word.
PING_AFTER_IDLE = 30.0


def _closed_by_server(dbapi_connection: Any) -> bool:
    """Whether the server has hung up or spoken first on this idle connection.

    Between statements a server says nothing unless it is ending the connection (a restart
    sends "terminating connection" and closes it), so anything to read means the connection
    is done for. A poll, not a round trip: checking every connection this way is free.
    """
    try:
        socket = dbapi_connection.pgconn.socket
    except (OSError, AttributeError, ValueError):
        return True  # no socket any more
    # poll, not select: select refuses descriptors above 1023, which a busy process reaches.
    waiting = select.poll()
    waiting.register(socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(waiting.poll(0))


def _check_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Refuse a pooled connection that is no longer usable; the pool then opens a new one.

    Instead of SQLAlchemy's ``pool_pre_ping``, which sends a statement every time a
    connection leaves the pool (a round trip on every request): the server closing the
    connection is seen without asking it, and only a connection left quiet for
    ``PING_AFTER_IDLE`` seconds is pinged.
    """
    if _closed_by_server(dbapi_connection):
        raise DisconnectionError("closed by the server")
    quiet_since = record.info.get("checked_in_at")
    if quiet_since is not None and time.monotonic() - quiet_since > PING_AFTER_IDLE:
        try:
            if db.engine.dialect.do_ping(dbapi_connection):
                return
        except Exception as error:  # noqa: BLE001 - any failure to ping means a dead connection
            raise DisconnectionError("no answer to a ping") from error
        raise DisconnectionError("no answer to a ping")


def _check_in(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def init_database(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "checkout", _check_out)
            event.listen(engine, "checkin", _check_in)


def insert_now(thing: Any, unless_taken: str | None = None) -> bool:
    """Write the new object ``thing`` at once, with one INSERT that returns the whole row,
    and put it in the session as if read from the database (nothing left to flush).

    For the busiest writes (a resident's response and draft): the session's unit of work
    (flush) costs several times the INSERT itself. ``thing`` must be transient, with no
    relationships to write. With ``unless_taken`` (a column with a unique constraint), a row
    whose value there is already taken is not written: False, and ``thing`` stays transient.
    Constraint failures other than that one raise ``IntegrityError`` as a flush would.
    """
    mapper = inspect(type(thing))
    values = {
        column.key: getattr(thing, attribute.key)
        for attribute in mapper.column_attrs
        for column in attribute.columns
        if attribute.key in thing.__dict__
    }
    dialect = db.session.get_bind().dialect.name
    row = db.session.execute(_insert_statement(mapper.local_table, dialect, unless_taken), values)
    found = row.first()
    if found is None:
        return False
    adopt(thing, {column.key: found._mapping[column] for column in mapper.local_table.c})
    return True


def adopt(thing: Any, row: Mapping[Any, Any], join_session: bool = True) -> None:
    """Make the new object ``thing`` the session's object for a row just written by a
    statement of our own: ``row`` holds every column's value (by column name), as returned by
    the INSERT. Nothing is left to flush and nothing is read again. Without ``join_session``
    it is left detached, as if from a session already closed: for a row nothing else in the
    request reads through the session (which would then have it to expire at the commit)."""
    for attribute in inspect(type(thing)).column_attrs:
        setattr(thing, attribute.key, row[attribute.columns[0].key])
    make_transient_to_detached(thing)
    if join_session:
        db.session.add(thing)


@functools.cache
def _insert_statement(table: Table, dialect: str, unless_taken: str | None) -> Executable:
    """One statement per table, kept: built afresh it cost more than sending it."""
    if unless_taken is None:
        return table.insert().returning(*table.c)
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=[unless_taken])
        .returning(*table.c)
    )
