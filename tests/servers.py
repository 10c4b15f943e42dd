"""Real `userql` processes: the console script of this virtualenv, on free local ports.

A server is started with cheap argon2 and non-secure cookies (the tests speak plain
HTTP), waited for on `/health/live`, and stopped with SIGTERM (SIGKILL if it lingers)
together with any workers it started. Its output goes to a log file that a failed start
quotes.

Used by the end-to-end and browser suites.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

USERQL = Path(sys.executable).parent / "userql"
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
COMMAND_TIMEOUT_SECONDS = 60.0
WORKER_STARTED = "Application startup complete."

# What every server of these tests runs with; a test adds what it is about.
BASE_ENVIRONMENT = {
    "USERQL_COOKIE_SECURE": "false",
    "USERQL_ARGON2_MEMORY_KIB": "8",
    "USERQL_ARGON2_TIME_COST": "1",
    "USERQL_ARGON2_PARALLELISM": "1",
}


def server_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any USERQL_* setting, plus the base and `settings`
    (keys without the prefix: `database_url="..."` becomes USERQL_DATABASE_URL)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("USERQL_")}
    chosen = {f"USERQL_{key.upper()}": value for key, value in settings.items()}
    return {**inherited, **BASE_ENVIRONMENT, **chosen}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def run_userql(*args: str, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs a `userql` command to completion; fails the test if it does not succeed."""
    completed = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(USERQL), *args],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, (
        f"userql {' '.join(args)} exited {completed.returncode}\n{completed.stderr}"
    )
    return completed


@dataclass(frozen=True)
class Server:
    """A running `userql serve`."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def client(self, timeout: float = 10.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout)

    def async_client(self, timeout: float = 10.0) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_live(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with httpx.Client(base_url=server.base_url, timeout=1.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                pytest.fail(
                    f"userql serve exited {server.process.returncode} before it answered\n"
                    + server.output()
                )
            try:
                if client.get("/health/live").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    pytest.fail(
        f"userql serve did not answer /health/live in {START_TIMEOUT_SECONDS} s\n" + server.output()
    )


def _wait_for_workers(server: Server, workers: int) -> None:
    """Until every worker has started its app (uvicorn logs each one), so that any of them
    may answer the next connection."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while server.output().count(WORKER_STARTED) < workers:
        if time.monotonic() > deadline or server.process.poll() is not None:
            pytest.fail(f"{workers} workers did not all start\n" + server.output())
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (it and its workers), SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Workers that outlived their parent (they should not) die with the group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running_server(
    *args: str, cwd: Path, env: Mapping[str, str], workers: int = 1
) -> Iterator[Server]:
    """`userql serve --host 127.0.0.1 --port <free> --workers <workers> *args` in `cwd`,
    answering on every worker when the `with` block starts."""
    port = free_port()
    command = [str(USERQL), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), *args]
    # The log lives outside `cwd`, which a test may expect to hold only what userql made.
    with tempfile.TemporaryDirectory(prefix="userql-serve-") as logs:
        log = Path(logs) / "serve.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                command,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so workers are stopped too
            )
        server = Server(process=process, base_url=f"http://{HOST}:{port}", log=log)
        try:
            _wait_until_live(server)
            _wait_for_workers(server, workers)
            yield server
        finally:
            _stop(process)


def session_cookie(response: httpx.Response) -> str:
    """The `sid` a login response sets."""
    token = response.cookies.get("sid")
    assert token, f"no sid cookie in {response.headers.get_list('set-cookie')}"
    return token


def with_session(token: str) -> dict[str, str]:
    """Headers that carry a session to any server (cookie jars keep cookies per origin)."""
    return {"Cookie": f"sid={token}"}
