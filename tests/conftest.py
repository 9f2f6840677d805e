"""Shared fixtures: an app on SQLite or PostgreSQL, a clean database per test, signed-in clients.

``app`` is parametrised over both databases, so every web and service test runs on each.
The schema is built once per database by running the Alembic migrations, which tests them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import Engine, create_engine, literal, select, text, union_all

from consult import create_app
from consult.extensions import db
from tests.services import ensure_postgres_database, need, postgres_url

BACKENDS = ["sqlite", "postgresql"]
_migrated: set[str] = set()


def _reset_postgres(url: str) -> None:
    ensure_postgres_database(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        # Commits of the test database need not wait for the disk (about 10 ms each on a busy
        # machine): it is rebuilt every run, never recovered after a crash, and what a commit
        # shows to other sessions is the same. Sessions opened from now on take the setting.
        name = engine.url.database
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    engine.dispose()


def database_url(backend: str, tmp_root: Path) -> str:
    if backend == "postgresql":
        need("postgresql")
        return postgres_url()
    return f"sqlite:///{tmp_root / 'consult-test.db'}"


class SharedTemplateCache(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every app the test run makes.

    Each test makes a fresh app, whose Jinja environment would otherwise parse and compile
    every template it renders again (most of a web test's time). All test apps come from the
    same factory with the same Jinja settings, so the compiled code is the same; Jinja checks
    each entry against a checksum of the template's source before using it.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedTemplateCache()


def make_app(url: str, instance: Path, **overrides: Any) -> Flask:
    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": instance,
        "PUBLIC_URL": "https://consult.example",
        "CELERY": {
            "broker_url": "memory://",
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
        },
    }
    settings.update(overrides)
    app = create_app("testing", settings)
    app.test_client_class = FreshGlobalsClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    return app


def database_at(tmp_path: Path, revision: str) -> tuple[Flask, Engine]:
    """A SQLite database migrated up to ``revision`` and holding one neighbourhood (id 1): the
    rows written before a migration, for its test to add to, upgrade and read back."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    application = make_app(url, tmp_path / "instance")
    with application.app_context():
        upgrade(revision=revision)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO neighbourhood (id, slug, name, local_authority, description, "
                "disclosure_threshold, created_at) "
                "VALUES (1, 'a', 'A', 'B', '', 10, '2026-01-01 00:00:00')"
            )
        )
    return application, engine


def migrate_once(app: Flask, url: str) -> None:
    """Build the schema from the migrations, once per database per test run."""
    if url in _migrated:
        return
    from flask_migrate import upgrade

    if url.startswith("postgresql"):
        _reset_postgres(url)
    with app.app_context():
        # "heads": parallel feature branches of the migrations are all applied.
        upgrade(revision="heads")
    _migrated.add(url)


def clean_tables() -> None:
    """Empty every table between tests.

    Only the tables that hold rows are emptied, with DELETE, children before parents: a test
    touches a handful of the tables, and on PostgreSQL a DELETE of a few rows takes
    milliseconds where a TRUNCATE of every table took most of a second per test.

    The moderation log refuses DELETE (a trigger), as production needs. PostgreSQL empties it
    with TRUNCATE, which row triggers do not see; SQLite has no TRUNCATE, so its delete triggers
    are set aside for the cleaning and put back, from their own stored definitions, in the same
    transaction.
    """
    filled = _tables_with_rows()
    tables = [table for table in reversed(db.metadata.sorted_tables) if table.name in filled]
    if not tables:
        db.session.commit()
        return
    if db.engine.dialect.name == "postgresql":
        refusing = _postgres_tables_refusing_delete()
        for table in tables:
            if table.name in refusing:
                # CASCADE: tables that refer to it are being emptied anyway.
                db.session.execute(text(f'TRUNCATE "{table.name}" CASCADE'))
            else:
                db.session.execute(table.delete())
        db.session.commit()
        return
    triggers = db.session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%DELETE%'")
    ).all()
    for name, _ in triggers:
        db.session.execute(text(f'DROP TRIGGER "{name}"'))
    for table in tables:
        db.session.execute(table.delete())
    for _, sql in triggers:
        db.session.execute(text(sql))
    db.session.commit()


def _tables_with_rows() -> set[str]:
    """The names of the tables that hold at least one row, in one query."""
    probes = union_all(
        *(
            select(literal(table.name)).where(select(literal(1)).select_from(table).exists())
            for table in db.metadata.sorted_tables
        )
    )
    return set(db.session.scalars(probes))


def _postgres_tables_refusing_delete() -> set[str]:
    """Tables with a row trigger on DELETE (the append-only moderation log)."""
    # tgtype bit 3 (value 8) marks a DELETE trigger.
    return set(
        db.session.scalars(
            text(
                "SELECT tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgtype & 8 = 8"
            )
        )
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """The .mo files are build output (``make catalogues``); compile any that are stale.

    Done once, before any test, by the main pytest process: xdist workers (which have
    ``workerinput``) start after it and must not write the same files at the same time.
    """
    if hasattr(session.config, "workerinput"):
        return
    from consult.core.i18n import compile_catalogues

    compile_catalogues()


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    root = tmp_path_factory.getbasetemp()
    url = database_url(request.param, root)
    application = make_app(url, root / "instance")
    migrate_once(application, url)
    with application.app_context():
        clean_tables()
        yield application
        db.session.rollback()
        clean_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``app`` fixture holds one app context for the whole test and Flask reuses it for each
    request, so ``g`` would otherwise carry Flask-Login's loaded user and Flask-WTF's CSRF token
    from one request, or one client, to the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def submit(
    client: FlaskClient, url: str, data: dict[str, Any], form_url: str | None = None, **kwargs: Any
) -> Any:
    """POST a form the way a browser does: fetch the page first for its CSRF token."""
    page = client.get(form_url or url)
    payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, **kwargs)


class AuthActions:
    """Sign a test client in and out, as the flaskr tutorial's helper does."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, email: str, password: str = "correct horse battery staple") -> Any:
        return submit(self.client, "/sign-in", {"email": email, "password": password})

    def sign_out(self) -> Any:
        page = self.client.get("/account")
        return self.client.post(
            "/sign-out", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
        )


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
