"""Pooled PostgreSQL connections are checked without a round trip, and replaced when dead."""

from __future__ import annotations

import os
import resource
import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from consult.core import database
from consult.extensions import db
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.parametrize("app", ["postgresql"], indirect=True)


def backend_pid() -> int:
    return int(db.session.scalar(text("SELECT pg_backend_pid()")))


def test_a_connection_the_server_ended_is_replaced_before_a_page_uses_it(
    app: Flask,
) -> None:
    NeighbourhoodFactory(slug="hill")
    db.session.commit()
    pid = backend_pid()
    db.session.remove()  # back to the pool
    other = create_engine(db.engine.url)  # not the pool, which would hand back that connection
    with other.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # Ended once the server says so, as after a restart.
        while connection.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                {"pid": pid}):  # fmt: skip
            time.sleep(0.01)
    other.dispose()
    client = app.test_client()
    assert client.get("/n/hill/").status_code == 200  # no error: a new connection was opened
    assert backend_pid() != pid


def test_a_busy_connection_is_not_pinged(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    pings: list[object] = []
    real_ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    NeighbourhoodFactory(slug="hill")
    db.session.commit()
    db.session.remove()
    client = app.test_client()
    for _ in range(3):
        assert client.get("/n/hill/").status_code == 200
    assert pings == []


def test_a_connection_left_quiet_is_pinged_and_replaced_if_it_does_not_answer(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection dropped silently (by a firewall, say) gives nothing to read: only a ping
    finds it, so one quiet for longer than PING_AFTER_IDLE is pinged first."""
    NeighbourhoodFactory(slug="hill")
    db.session.commit()
    pid = backend_pid()
    db.session.remove()
    monkeypatch.setattr(database, "PING_AFTER_IDLE", -1.0)  # every connection counts as quiet
    pings: list[object] = []

    def no_answer(connection: object) -> bool:
        pings.append(connection)
        raise OSError("no answer")

    monkeypatch.setattr(db.engine.dialect, "do_ping", no_answer)
    assert backend_pid() != pid  # the connection that failed its ping was not used
    assert len(pings) == 1  # and the new one, just opened, was not pinged


def test_a_connection_on_a_high_descriptor_is_kept(app: Flask) -> None:
    """A busy process holds many files: a connection whose descriptor is above 1023 (which
    select() refuses) is still judged alive, not thrown away at every checkout."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(2048, hard), hard))
    db.session.remove()
    db.engine.dispose()
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # every low descriptor
    try:
        pid = backend_pid()
        connection = db.session.connection().connection.dbapi_connection
        assert connection.pgconn.socket > 1023
        db.session.remove()
        assert backend_pid() == pid  # the same connection, taken from the pool again
    finally:
        db.session.remove()
        db.engine.dispose()
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
