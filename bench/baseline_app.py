"""The baseline for bench/load_submit.py: bare Flask + Flask-SQLAlchemy, one INSERT a request.

No templates, no forms library, no CSRF, no rate limits: the least any web app does to store
a submission. Served by gunicorn exactly like consult, in the same run.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Submission(db.Model):  # type: ignore[name-defined]
    __tablename__ = "baseline_submission"
    id: Mapped[int] = mapped_column(primary_key=True)
    answer: Mapped[str] = mapped_column(Text)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)

    @app.get("/form")
    def form() -> str:
        return '<form method="post" action="/submit"><input name="answer" value="1"></form>'

    @app.post("/submit")
    def submit() -> object:
        db.session.add(Submission(answer=request.form.get("answer", "")))
        db.session.commit()
        return redirect("/thank-you")

    return app
