"""Site-wide pages: home, health checks."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select, text

from consult.extensions import db
from consult.neighbourhoods.models import Neighbourhood

bp = Blueprint("core", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    neighbourhoods = db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()
    return render_template("home.html", neighbourhoods=neighbourhoods)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """The database and the broker can be reached."""
    checks = {"database": _database_ready(), "broker": _broker_ready()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable"}
    body.update({name: "ok" if ok else "unreachable" for name, ok in checks.items()})
    return jsonify(body), 200 if ready else 503


def _database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        log.warning("readiness: database unreachable")
        db.session.rollback()
        return False
    return True


def _broker_ready() -> bool:
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        log.warning("readiness: broker unreachable")
        return False
    return True
