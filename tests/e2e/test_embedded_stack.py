"""The embedded default, as ``make run`` starts it: web, worker and beat with no servers.

SQLite, Celery's filesystem broker and the ``.eml`` outbox, in real processes. A resident answers
the demo survey, the demo member presses "Send briefing now", and the officer's briefing lands
in the outbox counting that answer. Ctrl-C then stops every process.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEADLINE_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(instance: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "MAIL_"))
    }
    # The code under test is this checkout's, whichever checkout the virtualenv was built from.
    env.update(CONSULT_ENV="development", CONSULT_INSTANCE_PATH=str(instance), PYTHONPATH=str(ROOT))
    return env


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return str(response.read().decode())

    def submit_and_follow(self, path: str, data: dict[str, str]) -> tuple[str, str]:
        """POST a form; return the path it led to and that page."""
        token = CSRF.search(self.get(path))
        assert token, f"no CSRF token on {path}"
        body = urllib.parse.urlencode({"csrf_token": token.group(1), **data}).encode()
        with self.opener.open(self.base + path, body, timeout=10) as response:
            return urllib.parse.urlsplit(response.geturl()).path, str(response.read().decode())

    def submit(self, path: str, data: dict[str, str], form_path: str | None = None) -> str:
        token = CSRF.search(self.get(form_path or path))
        assert token, f"no CSRF token on {form_path or path}"
        body = urllib.parse.urlencode({"csrf_token": token.group(1), **data}).encode()
        with self.opener.open(self.base + path, body, timeout=10) as response:
            return str(response.read().decode())


def answer_every_page(resident: Browser, survey_path: str) -> str:
    """Answer each section with the first choice of every radio question, then send."""
    page = resident.get(survey_path)
    path = re.search(r'href="(' + re.escape(survey_path) + r'/sections/1)"', page)
    assert path, "no way into the survey from its start page"
    next_path = path.group(1)
    for _ in range(10):
        page = resident.get(next_path)
        choices: dict[str, str] = {}
        for name, value in re.findall(r'name="(q\d+)"\s+type="radio"\s+value="(\d+)"', page):
            choices.setdefault(name, value)
        landed, page = resident.submit_and_follow(next_path, choices)
        if landed.endswith("/check"):
            return resident.submit(landed, {})
        next_path = landed
    raise AssertionError("the survey never reached its check page")


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "consult dev exited while starting"
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("the web app did not start")


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    instance = tmp_path / "instance"
    env = _environment(instance)
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [str(BIN / "consult"), *command], env=env, cwd=ROOT, check=True, capture_output=True
        )
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "consult"), "dev", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, instance, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_answer_reaches_the_officers_outbox_then_ctrl_c_stops_all(
    stack: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    base, instance, process = stack
    resident = Browser(base)
    survey = resident.get("/n/demo/")
    survey_path = re.search(r'href="(/n/demo/surveys/\d+)"', survey).group(1)  # type: ignore[union-attr]
    done = answer_every_page(resident, survey_path)
    assert "Thank you, your answers have been sent" in done

    member = Browser(base)
    member.submit(
        "/sign-in", {"email": "member@demo.example.org", "password": "demo-member-password"}
    )
    outbox = instance / "outbox"
    member.submit("/n/demo/briefings/send", {}, form_path="/n/demo/briefings/")

    deadline = time.monotonic() + DEADLINE_SECONDS
    emails: list[Path] = []
    while time.monotonic() < deadline and not emails:
        emails = sorted(outbox.glob("*.eml")) if outbox.exists() else []
        time.sleep(0.3)
    assert emails, f"no briefing in {outbox} after {DEADLINE_SECONDS} s"
    message = emails[0].read_text()
    assert "To: officer@demo.example.org" in message
    # 120 sample responses came with the demo; the resident's is the 121st.
    assert "121 in total" in message

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert process.wait(timeout=DEADLINE_SECONDS) is not None
    assert _session_processes(process.pid) == "", "processes still running after Ctrl-C"


def _session_processes(session: int) -> str:
    """What still runs in the session a moment after Ctrl-C (children may be finishing)."""
    deadline = time.monotonic() + 10
    while True:
        found = subprocess.run(
            ["pgrep", "-a", "-s", str(session)], capture_output=True, text=True, check=False
        ).stdout.strip()
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
