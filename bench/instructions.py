"""CPU a submission costs, counted in instructions: consult against the baseline, in one run.

This machine's speed moves by a fifth within a minute, so timings taken minutes apart (even in
turns, as ``load_submit.py`` takes them) compare two machines. Instructions do not move: valgrind's
callgrind counts the same for the same code and inputs whatever else the machine is doing. This
script starts itself under callgrind with counting off, builds consult as ``request_cost.py`` does
(PostgreSQL, Redis for rate-limit counters, CSRF on) and the baseline of ``load_submit.py``
(bare Flask + Flask-SQLAlchemy, one INSERT a request) on the same database, warms both up, then
counts ``RESIDENTS`` submissions of each with Flask's test client: for consult, the one-section
survey's page fetched and sent from it (GET, POST); for the baseline, its form fetched and sent
(GET, POST). Only the web process is counted: PostgreSQL's and Redis's own work is not (see
``load_submit.py`` for where the rest of the machine's CPU goes).

Under callgrind the process runs some fifty times slower than it does, so a page would be sent
more than a second after it was shown, and consult would not store it as shown (see
``consult.surveys.blank.RECENT_SECONDS``); that second is lengthened for the count, so the
submission takes the path it takes at full speed.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/instructions.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "40"))
WARM_UP = 15
INNER = "--counted"  # the run under callgrind


def main() -> int:
    if shutil.which("valgrind") is None:
        print("valgrind is needed (Debian's valgrind package)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             sys.executable, __file__, INNER],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        counted = {label: total(Path(folder), label) for label in ("consult", "baseline")}
    ours, theirs = counted["consult"] / RESIDENTS, counted["baseline"] / RESIDENTS
    print(f"{RESIDENTS} submissions each, in the web process (callgrind instructions)")
    print(f"consult one-section (GET + POST): {ours / 1e6:7.2f} M instructions a submission")
    print(f"baseline (GET + POST, one INSERT): {theirs / 1e6:7.2f} M instructions a submission")
    print(f"consult costs {ours / theirs:.1f} times the baseline's: "
          f"{100 * theirs / ours:.0f} % of its cost")  # fmt: skip
    return 0


def total(folder: Path, label: str) -> int:
    """The instructions counted in the dump named ``label`` (``callgrind_control --dump``)."""
    for dump in folder.glob("callgrind.out*"):
        text = dump.read_text(errors="replace")
        if re.search(rf"^desc: Trigger: dump {label}$", text, re.MULTILINE):
            found = re.search(r"^totals: (\d+)", text, re.MULTILINE)
            if found:
                return int(found.group(1))
    raise RuntimeError(f"no callgrind dump for {label}")


def control(*arguments: str) -> None:
    subprocess.run(["callgrind_control", *arguments, str(os.getpid())], check=True,
                   capture_output=True)  # fmt: skip


def counted(label: str, submit: Callable[[], None]) -> None:
    """``RESIDENTS`` submissions, counted, then dumped under ``label`` (which zeroes the count)."""
    control("--instr=on")
    for _ in range(RESIDENTS):
        submit()
    control("--instr=off")
    control(f"--dump={label}")


def inner() -> None:
    sys.path.insert(0, str(BENCH.parent))
    sys.path.insert(0, str(BENCH))
    from bench.request_cost import Costs, consult_app, one_resident

    app, path = consult_app("one-section")
    import consult.surveys.blank as blank

    blank.RECENT_SECONDS = 1e9  # see the docstring: as at full speed
    from baseline_app import create_app as baseline_app
    from baseline_app import db as baseline_db

    bare = baseline_app()
    with bare.app_context():
        baseline_db.create_all()
    bare_client = bare.test_client()

    def ours() -> None:
        one_resident(app.test_client(), path, Costs(None), start=False)

    def theirs() -> None:
        assert bare_client.get("/form").status_code == 200
        assert bare_client.post("/submit", data={"answer": "1"}).status_code == 302

    for _ in range(WARM_UP):
        ours()
        theirs()
    counted("consult", ours)
    counted("baseline", theirs)


if __name__ == "__main__":
    if INNER in sys.argv:
        inner()
    else:
        raise SystemExit(main())
