"""``consult dev``: the web app, a Celery worker and beat together, stopped together.

Used by ``make run``. Ctrl-C (or SIGTERM) stops every process it started, whatever state each
is in, and it exits when any of them dies so a crash is never hidden.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

STOP_GRACE_SECONDS = 10


def commands(host: str, port: int, instance: Path) -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    return [
        [str(bin_dir / "celery"), "-A", "worker.celery_app", "worker", "--pool", "solo",
         "--beat", "--schedule", str(instance / "celerybeat-schedule"), "--loglevel", "INFO"],
        [str(bin_dir / "consult"), "run", "--host", host, "--port", str(port)],
    ]  # fmt: skip


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_all(host: str, port: int, instance: Path) -> int:
    """Start everything; return when Ctrl-C is pressed or a process exits."""
    instance.mkdir(parents=True, exist_ok=True)
    processes = [subprocess.Popen(command) for command in commands(host, port, instance)]  # noqa: S603

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(processes)
