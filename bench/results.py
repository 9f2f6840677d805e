"""Benchmark: the results page's numbers and the response export on a survey of N responses.

Builds the demo survey with N responses (default 20,000; every response answers the first
three questions, a third write a comment, a quarter came on paper) on SQLite, and on
PostgreSQL too when BENCH_DATABASE_URL is set, then prints, each with its peak Python memory:

- ``survey_results`` with the breakdown by channel (what the results page and API compute),
- the baseline in the same run: fetching every answer row and counting in Python,
- the streamed CSV export, for N / 10 and N responses: its peak memory should not grow with N.

Run: ``.venv/bin/python bench/results.py``.
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
from consult.core.time import utcnow  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Answer, Neighbourhood, Response, Survey  # noqa: E402
from consult.surveys.export import export_csv  # noqa: E402
from consult.surveys.results import survey_results  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "20000"))


def build(url: str, instance: Path, n: int) -> tuple[Any, int]:
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "CELERY": {}},
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
        db.session.execute(
            insert(Response),
            [
                {
                    "survey_id": survey.id,
                    "reference": f"B{i:09d}",
                    "submitted_at": now,
                    "channel": "paper" if rng.random() < 0.25 else "online",
                }
                for i in range(n)
            ],
        )
        ids = db.session.scalars(select(Response.id).order_by(Response.id)).all()
        often, better, safe = survey.questions[:3]
        comment = next(q for q in survey.questions if q.kind == "free_text")
        rows: list[dict[str, Any]] = []
        for response_id in ids:
            rows.append(
                {
                    "response_id": response_id,
                    "question_id": often.id,
                    "option_id": rng.choice(often.options).id,
                }
            )
            rows += [
                {"response_id": response_id, "question_id": better.id, "option_id": o.id}
                for o in rng.sample(better.options, 2)
            ]
            rows.append(
                {
                    "response_id": response_id,
                    "question_id": safe.id,
                    "option_id": rng.choice(safe.options).id,
                }
            )
            if rng.random() < 0.33:
                rows.append(
                    {
                        "response_id": response_id,
                        "question_id": comment.id,
                        "text": "Lights by the gate, call 07700 900123",
                    }
                )
        db.session.execute(insert(Answer), rows)  # fmt: skip
        db.session.commit()
        return app, survey.id


def in_python(survey_id: int) -> Counter[tuple[int, int | None, str]]:
    """The baseline: every answer row into Python, counted there."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.option_id, Response.channel)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey_id)
    ).all()
    return Counter((q, o, c) for q, o, c in rows)


def measure(fn: Callable[[], Any], repeats: int = 3) -> tuple[float, float]:
    """Median milliseconds and peak MiB of Python memory."""
    times, peak = [], 0
    for _ in range(repeats):
        db.session.expire_all()
        tracemalloc.start()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def drain_export(survey_id: int) -> None:
    for _ in export_csv(db.session.get(Survey, survey_id)):
        pass


def run(label: str, url: str) -> None:
    for n in (RESPONSES // 10, RESPONSES):
        with tempfile.TemporaryDirectory() as tmp:
            target = f"sqlite:///{tmp}/bench.db" if url == "sqlite" else url
            app, survey_id = build(target, Path(tmp), n)
            with app.app_context():
                survey = db.session.get(Survey, survey_id)
                ours = measure(lambda s=survey: survey_results(s, by_channel=True))
                base = measure(lambda i=survey_id: in_python(i))
                export = measure(lambda i=survey_id: drain_export(i), repeats=1)
                db.session.remove()
                db.engine.dispose()
        print(f"{label}: {n} responses")
        print(f"  survey_results (GROUP BY)   {ours[0]:8.1f} ms  peak {ours[1]:6.2f} MiB")
        print(f"  baseline: rows into Python  {base[0]:8.1f} ms  peak {base[1]:6.2f} MiB")
        print(f"  export CSV (streamed)       {export[0]:8.1f} ms  peak {export[1]:6.2f} MiB")


if __name__ == "__main__":
    run("SQLite", "sqlite")
    if os.environ.get("BENCH_DATABASE_URL"):
        run("PostgreSQL", os.environ["BENCH_DATABASE_URL"])
