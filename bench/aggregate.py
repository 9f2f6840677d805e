"""Benchmark: counting a survey's answers in the database versus loading them into Python.

Builds a survey with N responses (default 20,000; four of the demo's questions answered, about
5 answer rows each) on SQLite, and on PostgreSQL too when BENCH_DATABASE_URL is set, then times:

- consult's counts as the results page and briefings take them (``SurveyAggregates``: two
  statements of GROUP BYs in the database), and
- the baseline: fetching every answer row and counting in Python,

and prints both with the peak Python memory each needed.
Run: ``make bench`` or ``.venv/bin/python bench/aggregate.py``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from consult import create_app  # noqa: E402
from consult.briefings.content import SurveyAggregates  # noqa: E402
from consult.core.time import utcnow  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Answer, Neighbourhood, Response  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "20000"))


def build(url: str, instance: Path) -> Any:
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": instance,
            "CELERY": {"broker_url": "memory://"},
        },
    )
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        from consult.demo import demo_survey

        area = Neighbourhood(slug="bench", name="Bench")
        db.session.add(area)
        db.session.flush()
        survey = demo_survey(area)
        db.session.commit()
        rng = random.Random(7)
        now = utcnow()
        responses = [
            {"survey_id": survey.id, "reference": f"B{i:09d}", "submitted_at": now}
            for i in range(RESPONSES)
        ]
        db.session.execute(insert(Response), responses)
        ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()

        # The first question of each kind the benchmark answers (the demo has 17 questions).
        def first(kind: str) -> Any:
            return next(q for q in survey.questions if q.kind == kind)

        single, multiple, scale, free = (
            first(kind) for kind in ("single_choice", "multiple_choice", "scale", "free_text")
        )
        rows: list[dict[str, Any]] = []
        for response_id in ids:
            rows.append(
                dict(
                    response_id=response_id,
                    question_id=single.id,
                    option_id=rng.choice(single.options).id,
                    text=None,
                )
            )
            for option in rng.sample(multiple.options, 2):
                rows.append(
                    dict(
                        response_id=response_id,
                        question_id=multiple.id,
                        option_id=option.id,
                        text=None,
                    )
                )
            rows.append(
                dict(
                    response_id=response_id,
                    question_id=scale.id,
                    option_id=rng.choice(scale.options).id,
                    text=None,
                )
            )
            if rng.random() < 0.3:
                rows.append(
                    dict(
                        response_id=response_id,
                        question_id=free.id,
                        option_id=None,
                        text="The park needs more benches and better lights at night.",
                    )
                )
        db.session.execute(insert(Answer), rows)
        db.session.commit()
        return app, survey.id, len(rows)


def in_python(survey_id: int) -> Counter[tuple[int, int | None]]:
    """The baseline: every answer row into Python, counted there."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.option_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey_id)
    ).all()
    return Counter((q, o) for q, o in rows)


def measure(fn: Callable[[], Any], repeats: int = 5) -> tuple[float, float]:
    """Median milliseconds and peak MiB of Python memory."""
    times = []
    peak = 0
    for _ in range(repeats):
        db.session.expire_all()
        tracemalloc.start()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def run(label: str, url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if url == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        app, survey_id, answer_rows = build(url, Path(tmp))
        with app.app_context():
            from consult.surveys.models import Survey

            survey = db.session.get(Survey, survey_id)
            now = utcnow()
            ours = measure(lambda: SurveyAggregates(survey, now, now))
            base = measure(lambda: in_python(survey_id))
            db.session.remove()
            db.engine.dispose()
    print(f"{label}: {RESPONSES} responses, {answer_rows} answer rows")
    print(f"  counts in the database       {ours[0]:8.1f} ms  peak {ours[1]:6.2f} MiB")
    print(f"  baseline: rows into Python   {base[0]:8.1f} ms  peak {base[1]:6.2f} MiB")
    print(f"  speed-up x{base[0] / ours[0]:.1f}, memory x{base[1] / max(ours[1], 1e-6):.1f}")


if __name__ == "__main__":
    run("SQLite", "sqlite")
    if os.environ.get("BENCH_DATABASE_URL"):
        run("PostgreSQL", os.environ["BENCH_DATABASE_URL"])
