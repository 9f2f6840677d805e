"""Benchmark: importing paper responses from CSV versus a plain Core bulk insert of the same rows.

On PostgreSQL (``--database-url``, else ``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL``; its
public schema is dropped and recreated) builds a survey of 10 questions
(single and multiple choice, scale, yes/no, number, free text and postcode), writes a CSV of N
rows (default 100,000) and times, each in a fresh child process so that peak memory (maximum
resident set size) belongs to one run only:

- consult's import (``consult.surveys.imports.import_responses``: every row checked by the
  online form's rules, streamed, inserted in chunks, one transaction), and
- the baseline: the CSV read into memory, options looked up by label, and every response and
  answer row inserted with one SQLAlchemy Core executemany each, no checks.

It then imports a file a tenth the size, to show the import's memory does not grow with the
file. Goal: the import within 2x the baseline's time.
Run: ``.venv/bin/python bench/import_responses.py [--rows 100000] [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from consult import create_app  # noqa: E402
from consult.core.csv_files import detect_encoding  # noqa: E402
from consult.core.time import utcnow  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.models import Answer, Neighbourhood, Response, Survey  # noqa: E402
from consult.surveys.building import add_question, add_section  # noqa: E402
from consult.surveys.imports import import_responses  # noqa: E402
from consult.surveys.imports_columns import survey_columns, template_csv  # noqa: E402
from consult.surveys.models import QuestionKind  # noqa: E402

POSTCODES = ["LS9 7AB", "LS8 1AA", "LS9 6QX", "LS7 3HB"]
SENTENCE = "the park needs more benches better lights at night and a cafe for everyone"


def make_app(url: str, instance: Path) -> Any:
    return create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "CELERY": {}},
    )


def build_survey(url: str, instance: Path) -> int:
    app = make_app(url, instance)
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
        area = Neighbourhood(slug="bench", name="Bench")
        db.session.add(area)
        db.session.flush()
        survey = Survey(neighbourhood_id=area.id, title="Bench", status="open", opens_at=utcnow())
        db.session.add(survey)
        part = add_section(survey, "Questions")
        often = ["Daily", "Weekly", "Monthly", "Never"]
        add_question(part, QuestionKind.SINGLE_CHOICE, "How often?", often, required=True)
        add_question(part, QuestionKind.SINGLE_CHOICE, "Which park?", ["North", "South"])
        add_question(
            part, QuestionKind.MULTIPLE_CHOICE, "What would help?", ["Seats", "Lights", "Cafe"]
        )
        add_question(part, QuestionKind.MULTIPLE_CHOICE, "Who comes?", ["Kids", "Dogs", "Nobody"])
        agree = ["Agree", "Neither", "Disagree"]
        add_question(part, QuestionKind.SCALE, "I feel safe.", agree, dont_know=True)
        add_question(part, QuestionKind.SCALE, "It is clean.", agree)
        add_question(part, QuestionKind.YES_NO, "Do you drive?")
        add_question(part, QuestionKind.NUMBER, "How many visits?", min_value=0, max_value=99)
        add_question(part, QuestionKind.FREE_TEXT, "Anything else?", max_length=500)
        add_question(part, QuestionKind.POSTCODE, "Your postcode?")
        db.session.commit()
        return int(survey.id)


def write_csv(url: str, instance: Path, survey_id: int, rows: int, path: Path) -> None:
    app = make_app(url, instance)
    rng = random.Random(7)
    with app.app_context():
        survey = db.session.get_one(Survey, survey_id)
        columns = survey_columns(survey)
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(template_csv(survey))
            writer = csv.writer(out, lineterminator="\r\n")
            for _ in range(rows):
                writer.writerow([fake_cell(column, rng) for column in columns] + ["paper", ""])


def fake_cell(column: Any, rng: random.Random) -> str:
    question = column.question
    kind = question.question_kind
    if column.option is not None:
        return "x" if rng.random() < 0.4 else ""
    if kind is QuestionKind.NUMBER:
        return str(rng.randint(0, 99))
    if kind is QuestionKind.FREE_TEXT:
        return " ".join(rng.sample(SENTENCE.split(), 6)) if rng.random() < 0.5 else ""
    if kind is QuestionKind.POSTCODE:
        return rng.choice(POSTCODES)
    return rng.choice(question.options).label


def run_import(app: Any, survey_id: int, path: Path) -> int:
    survey = db.session.get_one(Survey, survey_id)
    with path.open("rb") as stream:
        outcome = import_responses(survey, stream, detect_encoding(stream), None)
    assert outcome.problem_count == 0, outcome.problems[:3]
    db.session.commit()
    return outcome.imported


def run_baseline(app: Any, survey_id: int, path: Path) -> int:
    """Everything in memory, no checks: options by label, then two Core executemany calls."""
    survey = db.session.get_one(Survey, survey_id)
    columns = survey_columns(survey)
    ids = {(q.id, o.label.casefold()): o.id for q in survey.questions for o in q.options}
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))[1:]
    now = utcnow()
    table = Response.__table__
    response_ids = db.session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [
            {"survey_id": survey_id, "reference": f"B{n:09d}", "channel": "paper",
             "event_name": None, "keyed_by_id": None, "submitted_at": now}
            for n in range(len(rows))
        ],
    ).scalars().all()  # fmt: skip
    answers = []
    for response_id, cells in zip(response_ids, rows, strict=True):
        for column, cell in zip(columns, cells, strict=False):
            if not cell:
                continue
            row: dict[str, Any] = dict.fromkeys(["option_id", "text", "number", "rank"])
            row.update(response_id=response_id, question_id=column.question.id)
            if column.option is not None:
                row["option_id"] = column.option.id
            elif column.choices:
                row["option_id"] = ids[(column.question.id, cell.casefold())]
            elif column.question.question_kind is QuestionKind.NUMBER:
                row["number"] = int(cell)
            else:
                row["text"] = cell
            answers.append(row)
    db.session.execute(insert(Answer.__table__), answers)
    db.session.commit()
    return len(response_ids)


def child(args: argparse.Namespace) -> None:
    """One measured run, in its own process: prints seconds, peak RSS and rows as JSON."""
    app = make_app(args.database_url, Path(args.instance))
    with app.app_context():
        db.session.execute(text("TRUNCATE response CASCADE"))
        db.session.commit()
        work = run_import if args.child == "import" else run_baseline
        start = time.perf_counter()
        stored = work(app, args.survey_id, Path(args.csv))
        seconds = time.perf_counter() - start
        assert db.session.scalar(select(db.func.count(Response.id))) == stored
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "rows": stored}))


def measure(kind: str, args: argparse.Namespace, survey_id: int, path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--survey-id", str(survey_id),
               "--csv", str(path), "--database-url", args.database_url,
               "--instance", args.instance]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the {kind} run failed:\n{result.stderr}")
    figures = dict(json.loads(result.stdout.strip().splitlines()[-1]))
    print(f"  ({kind} of {path.name}: {figures['seconds']:.1f} s)", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
    )
    parser.add_argument("--child", choices=["import", "baseline"])
    parser.add_argument("--survey-id", type=int)
    parser.add_argument("--csv")
    parser.add_argument("--instance", default=tempfile.gettempdir())
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        # ``make bench`` runs every script: without PostgreSQL there is nothing to measure.
        print("import_responses: skipped (give a PostgreSQL URL with --database-url, ")
        print("  BENCH_DATABASE_URL or TEST_DATABASE_URL; its public schema is recreated)")
        return
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        args.instance = tmp
        survey_id = build_survey(args.database_url, Path(tmp))
        small, large = Path(tmp) / "small.csv", Path(tmp) / "large.csv"
        write_csv(args.database_url, Path(tmp), survey_id, args.rows // 10, small)
        write_csv(args.database_url, Path(tmp), survey_id, args.rows, large)
        ours = measure("import", args, survey_id, large)
        base = measure("baseline", args, survey_id, large)
        tenth = measure("import", args, survey_id, small)
        size = large.stat().st_size
    print(f"PostgreSQL: a survey of 10 questions, {args.rows} rows ({size / 2**20:.1f} MiB)")
    for label, figures in [
        (f"import, {args.rows} rows", ours),
        (f"baseline Core insert, {args.rows} rows", base),
        (f"import, {args.rows // 10} rows", tenth),
    ]:
        print(f"  {label:<36} {figures['seconds']:7.1f} s  peak RSS {figures['peak_mib']:7.1f} MiB")
    print(f"  import time / baseline time: {ours['seconds'] / base['seconds']:.2f} (goal <= 2)")
    print(
        f"  import peak RSS, {args.rows} vs {args.rows // 10} rows: "
        f"{ours['peak_mib']:.1f} vs {tenth['peak_mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
