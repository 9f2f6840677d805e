"""Load: many residents answer a survey at once, on gunicorn, PostgreSQL and Redis.

Starts consult under gunicorn (production-like: PostgreSQL, Redis for the broker and rate-limit
counters), and a bare Flask + SQLAlchemy app doing one INSERT per request (``baseline_app.py``)
under the same gunicorn settings, in the same run. ``CONCURRENCY`` residents each answer the
demo survey page by page and send it from the check page (with CSRF tokens), again and again
for ``SECONDS`` (each finishes the response it is on), so every resident is at work for the
whole measured time: with a fixed number of rounds each, the residents on the busiest worker
finished last, alone, and the end of a run measured them rather than the server. Both servers
run side by side and take turns, ``ROUNDS`` turns each of ``SECONDS / ROUNDS``: this machine's
speed moves by a fifth within a minute, and measured one after the other the two servers met
different machines (each turn's share is printed, and the figures are those of all turns).
Prints throughput, p50/p95/p99 latency and errors for both, latency both of each request (what a
resident waits for after each press: GET and POST apart too) and of a whole submission (its
requests one after the other), and the CPU milliseconds a submission
cost in each part of the machine (the server, PostgreSQL, Redis, the load generator and the
rest, read from /proc), then checks that the number of responses stored equals the number of
successful submissions exactly. Each server is warmed up first (every worker booted and
serving), then the workload itself runs for ``PRACTICE_SECONDS`` unmeasured: a worker compiles
each template and SQL statement on its first use of it, which a long-lived worker pays once,
so neither its boot nor those first uses are counted.

Two consult workloads, each reported on its own line:

- ``demo``: the demo survey as seeded (start page, 4 sections, the last "About you", check
  page: 11 requests; before the demo had "About you", 3 sections and 9 requests);
- ``one-section``: a copy of its first section alone, entered at the section page and sent
  from it (the survey is set to send from its last page): GET and POST, 2 requests, as the
  baseline. (Before that setting existed it went on to the check page: 4 requests.)

``BENCH_WORKLOADS`` picks them (default both). Gunicorn, for consult and the baseline alike:
the most workers, up to ``2 x cores + 1``, that share the residents evenly (``BENCH_WORKERS``:
4 for 32 residents on 2 cores), each taking exactly its share of the residents' keep-alive
connections (``BENCH_WORKER_CONNECTIONS``; its share plus one when they do not divide), and
running two requests at a time (``BENCH_THREADS``). Left to itself, the worker that wakes first
takes most connections (19 of 32 seen): its residents queued behind one interpreter lock while
other workers idled, which set the p95 (576 ms, p50 127 ms). The operating system shares the
cores between workers, not residents, so uneven shares (5 workers: 8, 8, 6, 5, 5) still left
some residents waiting longer than others: 4 workers of 8 each gave both servers a tighter
p95 (p95 / mean 1.45-1.5 rather than 1.6-2.0) and more throughput. Two threads let a worker go
on while a request waits on the database, without several threads taking turns at the lock.

The residents are always at work (no pause between submissions), so by Little's law their
mean wait is their number over the throughput: 32 residents at 200 submissions/s wait 160 ms
on average, whatever the server. The report says what throughput the p95 goal needs at this
run's spread of latencies (p95 / mean).

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/load_submit.py

Goal (issue 6): at 32 concurrent, ≥ 40 % of the baseline's throughput, p95 ≤ 150 ms, no errors,
nothing lost. Rate limits are raised for the run: every simulated resident shares 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "40"))  # for each server, all rounds together
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))
# Off: each request on a new connection, as a proxy in front of gunicorn sends them (nginx
# does not keep connections to its upstream unless told to). On: each resident keeps one
# connection to one gunicorn worker for the whole run, however busy that worker is.
KEEP_ALIVE = os.environ.get("BENCH_KEEP_ALIVE", "1") == "1"
WORKLOADS = os.environ.get("BENCH_WORKLOADS", "demo,one-section").split(",")
PROCESSES = 4
WARM_SECONDS = 5.0
P95_GOAL_MS = 150
PRACTICE_SECONDS = float(os.environ.get("BENCH_PRACTICE_SECONDS", "4"))


def even_workers(residents: int, most: int) -> int:
    """The most workers, up to ``most``, that share ``residents`` evenly (see the docstring)."""
    return max(n for n in range(1, most + 1) if residents % n == 0)


WORKERS = int(
    os.environ.get("BENCH_WORKERS", even_workers(CONCURRENCY, 2 * (os.cpu_count() or 1) + 1))
)
# Connections beyond the threads wait in the worker's poller for a thread (see the docstring).
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
SHARE = CONCURRENCY // WORKERS if CONCURRENCY % WORKERS == 0 else -(-CONCURRENCY // WORKERS) + 1
CONNECTIONS = int(os.environ.get("BENCH_WORKER_CONNECTIONS", SHARE))
GUNICORN = ["--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", WORKER_CLASS,
            "--worker-connections", str(CONNECTIONS), "--log-level", "warning"]  # fmt: skip
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RADIO = re.compile(r'name="(q\d+)"\s+type="radio"\s+value="(\d+)"')


@dataclass
class Tally:
    ok: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # whole submissions
    # Each request on its own, by method: what a resident waits for after each press.
    waits_ms: dict[str, list[float]] = field(default_factory=lambda: {"GET": [], "POST": []})
    client_cpu: float = 0.0  # the load generator's own CPU seconds

    def add(self, other: Tally) -> None:
        self.ok += other.ok
        self.errors += other.errors
        self.latencies_ms += other.latencies_ms
        for method, waits in other.waits_ms.items():
            self.waits_ms[method] += waits
        self.client_cpu += other.client_cpu


class TimedConnection(http.client.HTTPConnection):
    """A connection that keeps how long each of its requests took, by method."""

    def __init__(self, port: int, tally: Tally) -> None:
        super().__init__("127.0.0.1", port, timeout=30)
        self.waits_ms = tally.waits_ms


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_session: int) -> dict[str, float]:
    """CPU seconds used so far by the server (every process of its session), PostgreSQL and
    Redis, from /proc: where a submission's CPU goes, beside the load generator's own."""
    used = {"server": 0.0, "PostgreSQL": 0.0, "Redis": 0.0}
    # The whole machine's busy time; what no listed part used (PostgreSQL backends that ended
    # before the second reading, the kernel's own work) shows as "rest".
    times = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    used["machine"] = (sum(times) - times[3] - times[4]) / TICK  # all but idle and iowait
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue  # ended since the listing
        values = fields.split()
        seconds = (int(values[11]) + int(values[12])) / TICK
        command = name.split("(", 1)[1]
        if int(values[3]) == server_session:
            used["server"] += seconds
        elif command == "postgres":
            used["PostgreSQL"] += seconds
        elif command == "redis-server":
            used["Redis"] += seconds
    return used


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database() -> None:
    url = make_url(DATABASE_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CONSULT_ENV="development",
        CONSULT_INSTANCE_PATH=str(ROOT / "instance" / "bench"),
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SUBMIT_RATE_LIMIT="100000 per minute",
        PYTHONPATH=str(ROOT),
    )
    return env


def serve(app_spec: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), *GUNICORN, "--bind", f"127.0.0.1:{port}", app_spec],
        env=env, cwd=cwd, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app_spec} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def request(
    conn: http.client.HTTPConnection, method: str, path: str, body: str = "", cookie: str = ""
) -> tuple[int, str, str, str]:
    """One request; returns status, body, the session cookie set (if any) and Location. On a
    ``TimedConnection``, the time from sending to the body read is kept with its method."""
    started = time.perf_counter()
    headers = {"Cookie": cookie} if cookie else {}
    if not KEEP_ALIVE:
        headers["Connection"] = "close"
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    data = response.read().decode()
    if isinstance(conn, TimedConnection):
        conn.waits_ms[method].append((time.perf_counter() - started) * 1000)
    session_cookie = next(
        (c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or []
         if c.startswith("session=")),
        "",
    )  # fmt: skip
    location = urllib.parse.urlsplit(response.getheader("Location") or "").path
    return response.status, data, session_cookie, location


def consult_resident(conn: http.client.HTTPConnection, path: str) -> bool:
    """Answer the survey as a resident: the start page, every section (first choice of each
    radio question), then the check page; True when the answers were stored (redirect to the
    thank-you page)."""
    status, _, cookie, _ = request(conn, "GET", path)
    return answer_sections(conn, path, cookie)


def section_resident(conn: http.client.HTTPConnection, path: str) -> bool:
    """The same, starting at the first section (the one-section workload)."""
    return answer_sections(conn, path, "")


def answer_sections(conn: http.client.HTTPConnection, path: str, cookie: str) -> bool:
    page_path = f"{path}/sections/1"
    for _ in range(10):
        status, page, new_cookie, _ = request(conn, "GET", page_path, cookie=cookie)
        cookie = new_cookie or cookie
        token = CSRF.search(page)
        if status != 200 or token is None:
            return False
        answers: dict[str, str] = {"csrf_token": token.group(1)}
        for name, value in RADIO.findall(page):
            answers.setdefault(name, value)
        body = urllib.parse.urlencode(answers)
        status, _, new_cookie, location = request(conn, "POST", page_path, body, cookie)
        cookie = new_cookie or cookie
        if status != 302:
            return False
        if location.endswith("/thank-you"):
            return True  # sent, from the check page or from a page that sends
        if page_path.endswith("/check"):
            return False
        page_path = location
    return False


def baseline_resident(conn: http.client.HTTPConnection, path: str) -> bool:
    status, *_ = request(conn, "GET", "/form")
    if status != 200:
        return False
    status, *_ = request(conn, "POST", "/submit", "answer=1")
    return status == 302


FLOWS: dict[str, Callable[[http.client.HTTPConnection, str], bool]] = {
    "consult": consult_resident,
    "one-section": section_resident,
    "baseline": baseline_resident,
}


def warm_up(port: int, path: str) -> None:
    """Wait until every gunicorn worker has booted and served: batches of concurrent GETs
    until two batches in a row all succeed, none slower than ``WARM_SECONDS``.

    Gunicorn opens the port before its workers have loaded the app; on a busy machine a
    worker's first request waited over 20 s for it, which the figures must not count.
    """

    def timed_get(_batch_index: int) -> float:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = time.perf_counter()
        try:
            status, *_ = request(conn, "GET", path)
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            conn.close()
        return time.perf_counter() - start if status == 200 else float("inf")

    good = 0
    deadline = time.monotonic() + 300
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        while good < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not settle within 5 minutes")
            slowest = max(pool.map(timed_get, range(CONCURRENCY)))
            good = good + 1 if slowest < WARM_SECONDS else 0


def one_resident(flow: str, port: int, path: str, until: float) -> Tally:
    """One resident answering again and again until ``until`` (``time.time()``)."""
    tally = Tally()
    conn = TimedConnection(port, tally)
    while time.time() < until:
        start = time.perf_counter()
        try:
            accepted = FLOWS[flow](conn, path)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = TimedConnection(port, tally)
            accepted = False
        tally.latencies_ms.append((time.perf_counter() - start) * 1000)
        tally.ok += accepted
        tally.errors += not accepted
    conn.close()
    return tally


def residents_in_process(flow: str, port: int, path: str, count: int, until: float) -> Tally:
    total = Tally()
    start = time.process_time()
    with ThreadPoolExecutor(count) as pool:
        for tally in pool.map(lambda _: one_resident(flow, port, path, until), range(count)):
            total.add(tally)
    total.client_cpu = time.process_time() - start
    return total


def load(
    flow: str, port: int, path: str, server: int, seconds: float
) -> tuple[Tally, float, dict[str, float]]:
    """Residents at work for ``seconds``; their tally, the seconds taken and the CPU seconds
    each part used (the server, whose session is ``server``, PostgreSQL, Redis, the load)."""
    before = cpu_seconds(server)
    per_process = [CONCURRENCY // PROCESSES + (i < CONCURRENCY % PROCESSES)
                   for i in range(PROCESSES)]  # fmt: skip
    start = time.perf_counter()
    until = time.time() + seconds
    total = Tally()
    with ProcessPoolExecutor(PROCESSES) as pool:
        futures = [pool.submit(residents_in_process, flow, port, path, n, until)
                   for n in per_process]  # fmt: skip
        for future in futures:
            total.add(future.result())
    seconds = time.perf_counter() - start
    after = cpu_seconds(server)
    used = {part: after[part] - before[part] for part in before}
    used["load generator"] = total.client_cpu
    used["rest"] = 2 * used["machine"] - sum(used.values())
    del used["machine"]
    return total, seconds, used


@dataclass
class Run:
    """One server's figures, added up over the rounds it was measured in."""

    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    # CPU seconds per part: server, PostgreSQL, Redis, load generator, rest
    cpu: dict[str, float] = field(default_factory=dict)
    stored: int = 0  # responses stored during the run (consult only)

    def add(self, tally: Tally, seconds: float, cpu: dict[str, float]) -> float:
        """Adds one round; returns that round's throughput."""
        self.tally.add(tally)
        self.seconds += seconds
        for part, used in cpu.items():
            self.cpu[part] = self.cpu.get(part, 0.0) + used
        return tally.ok / seconds


@dataclass
class Server:
    """A gunicorn serving one workload's flow."""

    process: subprocess.Popen[bytes]
    port: int
    flow: str
    path: str

    def load(self, seconds: float) -> tuple[Tally, float, dict[str, float]]:
        return load(self.flow, self.port, self.path, self.process.pid, seconds)


def percentile(values: list[float], p: float) -> float:
    """The ``p`` quantile (0-1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def spread(values: list[float]) -> str:
    """p50, p95, p99 and mean of a list of milliseconds."""
    p50, p95, p99 = (percentile(values, p) for p in (0.5, 0.95, 0.99))
    mean = statistics.fmean(values)
    return f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  mean {mean:6.1f} ms"


def report(label: str, run: Run) -> float:
    tally = run.tally
    throughput = tally.ok / run.seconds
    print(f"{label:<12} {throughput:8.1f} submissions/s  {spread(tally.latencies_ms)}  "
          f"ok {tally.ok}  errors {tally.errors}  (a whole submission)")  # fmt: skip
    every = tally.waits_ms["GET"] + tally.waits_ms["POST"]
    print(f"{'':<12} each request: {spread(every)}  ({len(every)} requests)")
    for method, waits in tally.waits_ms.items():
        print(f"{'':<12} {method + ':':<13} {spread(waits)}")
    done = max(1, tally.ok + tally.errors)
    parts = "  ".join(f"{part} {1000 * used / done:.2f}" for part, used in run.cpu.items())
    busy = sum(run.cpu.values()) / run.seconds / (os.cpu_count() or 1)
    print(f"{'':<12} CPU ms per submission: {parts}  (all cores {100 * busy:.0f} % busy)")
    return throughput


def cpu_per_submission(run: Run) -> float:
    return sum(run.cpu.values()) / max(1, run.tally.ok + run.tally.errors)


def count(sql: str) -> int:
    engine = create_engine(DATABASE_URL)
    with engine.connect() as connection:
        value = int(connection.execute(text(sql)).scalar_one())
    engine.dispose()
    return value


def prepare(env: dict[str, str]) -> dict[str, str]:
    """A fresh, seeded database; the path of each workload's survey."""
    fresh_database()
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "consult"), *command], env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
    demo = count("SELECT min(id) FROM survey")
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "one_section.py")], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True)  # fmt: skip
    one = int(made.stdout.split()[-1])
    return {"demo": f"/n/demo/surveys/{demo}", "one-section": f"/n/demo/surveys/{one}"}


def ready(server: Server, prepare_it: Callable[[], None]) -> Server:
    """``server`` once ``prepare_it`` has run; stopped (not left running) if that fails."""
    try:
        prepare_it()
    except BaseException:
        stop(server.process)
        raise
    return server


def start_consult(workload: str, path: str, env: dict[str, str]) -> Server:
    """consult on a fresh gunicorn, every worker booted, serving ``workload``."""
    port = free_port()
    server = Server(serve("consult:create_app()", port, env, ROOT), port,
                    "consult" if workload == "demo" else workload, path)  # fmt: skip
    return ready(server, lambda: warm_up(port, path))


def start_baseline(env: dict[str, str]) -> Server:
    port = free_port()
    server = Server(serve("baseline_app:create_app()", port, env, ROOT / "bench"), port,
                    "baseline", "/submit")  # fmt: skip

    def prepare_it() -> None:
        subprocess.run([sys.executable, "-c", "from baseline_app import create_app, db\n"
                        "app = create_app()\nwith app.app_context(): db.create_all()"],
                       env=env, cwd=ROOT / "bench", check=True)  # fmt: skip
        warm_up(port, "/form")

    return ready(server, prepare_it)


def compare(workload: str, ours: Server, theirs: Server) -> tuple[Run, Run]:
    """Both servers in turn, ``ROUNDS`` times, for ``SECONDS`` each in all: the machine's
    speed moves by a fifth within minutes here, and taking turns shares that between them.
    Returns consult's figures (with the responses stored) and the baseline's."""
    ours.load(PRACTICE_SECONDS)
    theirs.load(PRACTICE_SECONDS)
    consult, baseline = Run(), Run()
    before = count("SELECT count(*) FROM response")
    for turn in range(1, ROUNDS + 1):
        mine = consult.add(*ours.load(SECONDS / ROUNDS))
        base = baseline.add(*theirs.load(SECONDS / ROUNDS))
        print(f"  {workload} round {turn}: {mine:.1f} submissions/s, baseline {base:.1f}/s: "
              f"{100 * mine / base:.0f} %")  # fmt: skip
    consult.stored = count("SELECT count(*) FROM response") - before
    return consult, baseline


def main() -> int:
    env = environment()
    paths = prepare(env)
    print(f"{CONCURRENCY} concurrent residents answering for {SECONDS:.0f} s; gunicorn "
          f"{WORKERS} workers x {THREADS} threads, at most {CONNECTIONS} connections each, on "
          f"{os.cpu_count()} cores. A submission: "
          "demo = start page + 4 sections (GET, POST) + check page (GET, POST), 11 requests; "
          "one-section = 1 section sent from its page, 2 requests; baseline = GET form + POST, "
          "2 requests")  # fmt: skip
    healthy = True
    theirs_server = start_baseline(env)
    try:
        for workload in WORKLOADS:
            ours_server = start_consult(workload, paths[workload], env)
            try:
                run, baseline = compare(workload, ours_server, theirs_server)
            finally:
                stop(ours_server.process)
            healthy = judge(workload, run, baseline) and healthy
    finally:
        stop(theirs_server.process)
    return 0 if healthy else 1


def judge(workload: str, run: Run, baseline: Run) -> bool:
    """Prints a workload's figures beside the baseline's taken in turn with them; True if
    nothing failed and every successful submission was stored."""
    theirs = report("baseline", baseline)
    ours = report(workload, run)
    # The baseline's commits can wait on the disk, leaving cores idle and its throughput
    # low in some runs: the share of CPU a submission costs does not move with that.
    by_cpu = cpu_per_submission(baseline) / cpu_per_submission(run)
    print(
        f"  {workload}: a submission costs {100 * by_cpu:.0f} % of the CPU the "
        "baseline's does (all parts of the machine)"
    )
    tally, stored = run.tally, run.stored
    p95 = percentile(tally.latencies_ms, 0.95)
    p95_request = percentile(tally.waits_ms["GET"] + tally.waits_ms["POST"], 0.95)
    print(f"  {workload}: {100 * ours / theirs:.0f} % of the baseline's throughput "
          f"(goal >= 40 %); p95 of each request {p95_request:.0f} ms, of a whole "
          f"submission {p95:.0f} ms (goal <= {P95_GOAL_MS} ms); stored responses "
          f"{stored}, successful submissions {tally.ok}: "
          + ("none lost" if stored == tally.ok else "MISMATCH"))  # fmt: skip
    ratio = p95 / statistics.fmean(tally.latencies_ms)
    needed = CONCURRENCY * ratio / (P95_GOAL_MS / 1000)
    print(
        f"  {workload}: {CONCURRENCY} residents always at work wait "
        f"{1000 * CONCURRENCY / ours:.0f} ms a submission on average at this throughput "
        f"(Little's law); at this run's p95 / mean ({ratio:.2f}), a whole submission's "
        f"p95 <= {P95_GOAL_MS} ms needs {needed:.0f} submissions/s "
        f"({100 * needed / theirs:.0f} % of the baseline's)"
    )
    return stored == tally.ok and tally.errors == 0


if __name__ == "__main__":
    raise SystemExit(main())
