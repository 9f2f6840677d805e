"""CPU cost of answering a survey, per request, measured in-process.

Builds consult as ``load_submit.py`` serves it (PostgreSQL, Redis for rate-limit counters, CSRF
on), seeds the demo survey, and walks ``RESIDENTS`` simulated residents through it with Flask's
test client: start page, every section (GET, then POST with the first choice of each question),
the check page (GET, POST). Each request's CPU time (``time.process_time``: this process only,
so robust to other load on a shared machine; the database's and Redis's own CPU is not in it)
is added to its step. A bare Flask app rendering a trivial template is measured in the same run.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/request_cost.py

``--profile STEP`` (e.g. ``--profile "GET section"``) prints where that step's time goes
(cProfile, cumulative, then added up by package).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, render_template  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from jinja2 import DictLoader  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from bench.load_submit import DATABASE_URL, REDIS_URL, fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "200"))
WARM_UP = 10
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RADIO = re.compile(r'name="(q\d+)"\s+type="radio"\s+value="(\d+)"')


class Costs:
    """CPU seconds, request count and SQL statements per step, plus an optional profiler."""

    def __init__(self, profile_step: str | None) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.requests: dict[str, int] = defaultdict(int)
        self.statements: dict[str, int] = defaultdict(int)
        self.profile_step = profile_step
        # CPU time, not wall time: waits on PostgreSQL and Redis are not this process's cost.
        self.profiler = cProfile.Profile(time.process_time)
        self.current = ""
        self.counting = False

    def on_statement(self, *_: Any) -> None:
        if self.counting:
            self.statements[self.current] += 1

    def time(self, step: str, call: Callable[[], Any]) -> Any:
        self.current, self.counting = step, True
        profiling = step == self.profile_step
        if profiling:
            self.profiler.enable()
        start = time.process_time()
        result = call()
        self.seconds[step] += time.process_time() - start
        if profiling:
            self.profiler.disable()
        self.counting = False
        self.requests[step] += 1
        return result


def consult_app(workload: str) -> tuple[Flask, str]:
    """consult on PostgreSQL and Redis, migrated and seeded; the workload's survey's path."""
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        CONSULT_INSTANCE_PATH=str(ROOT / "instance" / "bench"),
        SUBMIT_RATE_LIMIT="100000 per minute",
    )
    fresh_database()
    from flask_migrate import upgrade

    # Imported only now: config.py reads SUBMIT_RATE_LIMIT when first imported.
    from bench.one_section import add_one_section_survey
    from consult import create_app
    from consult.demo import seed_demo
    from consult.extensions import db
    from consult.surveys.models import Survey

    app = create_app("development")
    with app.app_context():
        upgrade()
        neighbourhood, _ = seed_demo()
        db.session.commit()
        survey_id = db.session.scalar(
            select(func.min(Survey.id)).where(Survey.neighbourhood_id == neighbourhood.id)
        )
        if workload == "one-section":
            survey_id = add_one_section_survey()
    return app, f"/n/demo/surveys/{survey_id}"


def answers_from(page: str) -> dict[str, str]:
    answers = {"csrf_token": CSRF.findall(page)[0]}
    for name, value in RADIO.findall(page):
        answers.setdefault(name, value)
    return answers


def one_resident(client: FlaskClient, path: str, costs: Costs, start: bool = True) -> None:
    """Answer the survey as load_submit.py's residents do; fail loudly if anything is off.
    The one-section workload starts at its section page (``start`` False)."""
    if start:
        costs.time("GET start", lambda: client.get(path))
    page_path = f"{path}/sections/1"
    while not page_path.endswith(("/check", "/thank-you")):
        page = costs.time("GET section", lambda url=page_path: client.get(url))
        assert page.status_code == 200, page.status_code  # noqa: S101
        answers = answers_from(page.get_data(as_text=True))
        sent = costs.time(
            "POST section", lambda url=page_path, data=answers: client.post(url, data=data)
        )
        assert sent.status_code == 302, sent.status_code  # noqa: S101
        page_path = sent.location
    if page_path.endswith("/thank-you"):
        return  # sent from its page
    page = costs.time("GET check", lambda: client.get(page_path))
    assert page.status_code == 200, page.status_code  # noqa: S101
    answers = answers_from(page.get_data(as_text=True))
    sent = costs.time("POST check", lambda: client.post(page_path, data=answers))
    assert sent.location.endswith("/thank-you"), sent.location  # noqa: S101


def bare_app() -> Flask:
    """Flask alone: one route rendering a small template that extends a layout."""
    app = Flask(__name__)
    app.jinja_loader = DictLoader(
        {
            "layout.html": "<!DOCTYPE html><html lang=en><title>{% block title %}{% endblock %}"
            "</title><main>{% block content %}{% endblock %}</main></html>",
            "page.html": "{% extends 'layout.html' %}{% block title %}{{ title }}{% endblock %}"
            "{% block content %}<h1>{{ title }}</h1>{% for o in options %}"
            "<label><input type=radio name=q value={{ loop.index }}> {{ o }}</label>"
            "{% endfor %}{% endblock %}",
        }
    )

    @app.get("/page")
    def page() -> str:
        return render_template("page.html", title="A page", options=["Yes", "No", "Not sure"])

    return app


def report(costs: Costs, label: str) -> None:
    for step in costs.seconds:
        n = costs.requests[step]
        per_request = 1000 * costs.seconds[step] / n
        queries = costs.statements[step] / n
        print(f"{label:<9} {step:<13} {per_request:6.2f} ms CPU/request  "
              f"{queries:5.1f} SQL statements/request  ({n} requests)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", metavar="STEP", help='e.g. "GET section"')
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument(
        "--workload", choices=["demo", "one-section"], default="demo",
        help="the demo survey, or load_submit.py's one-section survey (sent from its page)",
    )  # fmt: skip
    parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime")
    args = parser.parse_args()

    app, path = consult_app(args.workload)
    from consult.extensions import db

    costs = Costs(args.profile)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", costs.on_statement)
    start = args.workload == "demo"
    for _ in range(WARM_UP):
        one_resident(app.test_client(), path, Costs(None), start)
    for _ in range(RESIDENTS):
        one_resident(app.test_client(), path, costs, start)

    bare = bare_app()
    bare_costs = Costs(None)
    bare_client = bare.test_client()
    for _ in range(WARM_UP):
        bare_client.get("/page")
    for _ in range(RESIDENTS * 4):
        bare_costs.time("GET page", lambda: bare_client.get("/page"))

    print(f"{RESIDENTS} residents, each answering the {args.workload} survey "
          "(PostgreSQL, Redis, CSRF on)")  # fmt: skip
    report(costs, "consult")
    report(bare_costs, "bare")
    total = sum(costs.seconds.values()) / RESIDENTS
    print(f"consult: {1000 * total:.1f} ms CPU for one whole submission (every request)")
    if args.profile:
        stats = pstats.Stats(costs.profiler)
        stats.sort_stats(args.sort).print_stats(args.lines)
        by_package(stats, costs.requests[args.profile])


def by_package(stats: pstats.Stats, requests: int) -> None:
    """The profiled step's own time (tottime) added up by the package its functions are in."""
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for (filename, _, _), (_, primitive, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        match = re.search(r"site-packages/([^/]+)", filename) or re.search(
            r"/(consult|bench)/", filename
        )
        package = match.group(1) if match else ("builtins" if filename == "~" else "python")
        spent[package.removesuffix(".py")] += own
        calls[package.removesuffix(".py")] += primitive
    print(f"{'package':<20} {'ms/request':>10} {'calls/request':>14}")
    for package, own in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{package:<20} {1000 * own / requests:10.3f} {calls[package] / requests:14.0f}")


if __name__ == "__main__":
    main()
