#!/usr/bin/env python3
"""userql benchmark runner (issue 7): one command, every scenario, every baseline.

    python bench/run.py            # full run: 3 interleaved repetitions, medians
    python bench/run.py --quick    # seconds: proves the runner works end to end

Run it with the Python that has userql installed (the project's .venv). It needs `wrk`
and `taskset` (Debian: `apt-get install -y wrk`; taskset is in util-linux), builds two
virtualenvs of its own under bench/.venvs/ (fastapi-users; matplotlib + py-spy) from
bench/requirements-*.txt with pip, and starts every server itself on 127.0.0.1:

  * userql (`userql serve --no-migrate`, after `userql migrate`) on a fresh SQLite file,
    seeded through the public API (REST and GraphQL register + login) and then directly in
    the database up to the 10^3 size; a second userql on a 10^6 users+sessions file; two
    more on a fresh PostgreSQL database (--workers 1 and --workers 2);
  * the ceilings bench/baselines/starlette_me.py and fastapi_me.py on the same file,
    under the same uvicorn loop and HTTP implementation (uvloop, httptools);
  * fastapi-users (bench/baselines/fastapi_users_app.py) in its own venv, same file;
  * raw argon2-cffi verify throughput (bench/argon2_rate.py) with userql's parameters.

Servers run on --server-cpus (default core 0), wrk and the load scripts on --load-cpus
(default core 1), both through `taskset`. Every repetition runs every scenario, in a
rotated order; the figures are medians over repetitions. Results: a table on stdout,
OUT/results.json, OUT/chart.png (and, for full runs, bench/report/ for BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import seed  # noqa: E402

LUA = BENCH / "lua"
VENVS = BENCH / ".venvs"
REPORT = BENCH / "report"
API_PASSWORD = "bench-Api-Password-91c2"
GRAPHQL_ME = "{ me { ... on Viewer { userId } } }"
FU_COOKIE = "fastapiusersauth"
DEFAULT_WHATIF = (
    "graphql-caches,sqlite-read-autocommit,session-lookup-prebuilt,"
    "rest-me-without-depends,login-lean"
)

started_processes: list[Proc] = []


def log(message: str) -> None:
    print(message, flush=True)


# --- configuration ------------------------------------------------------------------------


@dataclass
class Config:
    quick: bool
    repeat: int
    duration: int
    warmup: int
    small: int
    large: int
    api_users: int
    me_connections: int
    login_connections: int
    server_cpus: str
    load_cpus: str
    out: Path
    work: Path
    postgres_url: str | None
    fastapi_users: bool
    profile: bool
    chart: bool
    publish: bool
    keep: bool
    only: set[str] | None
    whatif: list[str]

    @property
    def hash_concurrency(self) -> int:
        """userql's hashing pool: USERQL_HASH_CONCURRENCY, else the CPUs it may use."""
        configured = os.environ.get("USERQL_HASH_CONCURRENCY")
        return int(configured) if configured else len(cpu_list(self.server_cpus))


def cpu_list(spec: str) -> list[int]:
    cpus: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        cpus.extend(range(int(first), int(last or first) + 1))
    return cpus


def parse_args(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="seconds-long end-to-end check: small sizes, 1 repetition",
    )
    parser.add_argument("--repeat", type=int, help="interleaved repetitions (default 3)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10)")
    parser.add_argument("--small", type=int, help="users+sessions, small size (10^3)")
    parser.add_argument("--large", type=int, help="users+sessions, large size (10^6)")
    parser.add_argument("--me-connections", type=int, default=32)
    parser.add_argument("--login-connections", type=int, default=8)
    parser.add_argument("--server-cpus", default="0", help="taskset list for servers")
    parser.add_argument("--load-cpus", default="1", help="taskset list for wrk")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--postgres-url",
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        help="server to create a fresh database on (its database name is replaced by a new one)",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-fastapi-users", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile in --quick mode too")
    parser.add_argument("--no-chart", action="store_true")
    parser.add_argument(
        "--no-publish",
        action="store_true",
        help="full runs only: do not copy results to bench/report/",
    )
    parser.add_argument("--keep", action="store_true", help="keep databases and logs")
    parser.add_argument("--only", help="comma-separated scenario names (debugging)")
    parser.add_argument(
        "--whatif",
        default=DEFAULT_WHATIF,
        help="patches from bench/whatif/patches.py to serve as a second "
        "userql (whatif-* scenarios); '' for none",
    )
    args = parser.parse_args(argv)

    quick = args.quick
    out = args.out.resolve()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    postgres_url = None
    if not args.no_postgres:
        base = args.postgres_url.rpartition("/")[0]
        postgres_url = f"{base}/userql_bench_{stamp.lower()}_{os.getpid()}"
    return Config(
        quick=quick,
        repeat=args.repeat or (1 if quick else 3),
        duration=args.duration or (1 if quick else 10),
        warmup=0 if quick else 3,
        small=args.small or (100 if quick else 1_000),
        large=args.large or (10_000 if quick else 1_000_000),
        api_users=2 if quick else 8,
        me_connections=args.me_connections,
        login_connections=args.login_connections,
        server_cpus=args.server_cpus,
        load_cpus=args.load_cpus,
        out=out,
        work=out / f"work-{stamp}",
        postgres_url=postgres_url,
        fastapi_users=not args.no_fastapi_users,
        profile=args.profile or (not args.no_profile and not quick),
        chart=not args.no_chart,
        publish=not quick and not args.no_publish,
        keep=args.keep,
        only=set(args.only.split(",")) if args.only else None,
        whatif=[name for name in args.whatif.split(",") if name],
    )


# --- processes ----------------------------------------------------------------------------


@dataclass
class Proc:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=ROOT,
        )
        handle.close()
        started_processes.append(self)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.popen is not None
        # The process group is the one this process started (start_new_session): the
        # server and, with --workers 2, its worker children; nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


def stop_all() -> None:
    for proc in reversed(started_processes):
        proc.stop()


handed_out_ports: set[int] = set()


def free_port() -> int:
    """A port nothing listens on and that no other server of this run was given."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in handed_out_ports:
            handed_out_ports.add(port)
            return port


def run(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 600, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


# --- HTTP (seeding and sanity checks; the load itself is wrk's) --------------------------


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookie(self, name: str) -> str | None:
        for header in self.headers.get_all("set-cookie") or []:
            first = header.split(";", 1)[0]
            key, _, value = first.partition("=")
            if key.strip() == name and value:
                return value.strip().strip('"')
        return None


def http(
    method: str,
    url: str,
    *,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    cookie: str | None = None,
    timeout: float = 30,
) -> Reply:
    headers: dict[str, str] = {}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def wait_ready(proc: Proc, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(
                f"{proc.name} exited; see {proc.log_path}:\n"
                + proc.log_path.read_text(errors="replace")[-3000:]
            )
        try:
            http("GET", url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{proc.name} did not answer {url} within {timeout}s")


# --- servers ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    proc: Proc
    port: int
    cpus: str
    database: str  # "small", "large", "postgres"
    ready_path: str = "/health/live"
    ready: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self) -> Server:
        if not self.ready:
            wait_ready(self.proc, self.url + self.ready_path, timeout=120)
            time.sleep(0.2)
            if not self.proc.alive():  # e.g. its port was taken: someone else answered
                raise RuntimeError(f"{self.name} exited after answering; see {self.proc.log_path}")
            self.ready = True
        return self


def userql_command() -> list[str]:
    candidate = Path(sys.executable).parent / "userql"
    if candidate.exists():
        return [str(candidate)]
    found = shutil.which("userql")
    if not found:
        raise SystemExit(
            "userql is not installed in this Python; run with the project's "
            ".venv (pip install -e .)"
        )
    return [found]


def userql_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["USERQL_DATABASE_URL"] = database_url
    return env


def start_userql(
    cfg: Config,
    name: str,
    database_url: str,
    database: str,
    *,
    workers: int = 1,
    cpus: str | None = None,
) -> Server:
    port = free_port()
    cpus = cpus or cfg.server_cpus
    argv = [
        "taskset",
        "-c",
        cpus,
        *userql_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-migrate",
    ]
    proc = Proc(name, argv, userql_env(database_url), cfg.work / f"{name}.log")
    proc.start()
    return Server(name, proc, port, cpus, database)  # Server.wait() before use


def start_whatif(cfg: Config, database_url: str) -> Server:
    """`userql serve` with the proposed src changes applied in memory (bench/whatif)."""
    port = free_port()
    argv = [
        "taskset",
        "-c",
        cfg.server_cpus,
        sys.executable,
        str(BENCH / "whatif" / "serve.py"),
        "--patches",
        ",".join(cfg.whatif),
        "--",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-migrate",
    ]
    proc = Proc("userql-whatif", argv, userql_env(database_url), cfg.work / "userql-whatif.log")
    proc.start()
    return Server("userql-whatif", proc, port, cfg.server_cpus, "small")


def uvicorn_argv(python: str, app_dir: Path, app: str, port: int) -> list[str]:
    """The uvicorn options `userql serve` passes (cli.py), for the baselines."""
    return [
        python,
        "-m",
        "uvicorn",
        "--app-dir",
        str(app_dir),
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-proxy-headers",
        "--no-server-header",
        "--log-level",
        "info",
    ]


def start_baseline(cfg: Config, name: str, python: str, app: str, database_url: str) -> Server:
    port = free_port()
    env = dict(os.environ)
    env["BENCH_DATABASE_URL"] = database_url
    argv = ["taskset", "-c", cfg.server_cpus, *uvicorn_argv(python, BENCH / "baselines", app, port)]
    proc = Proc(name, argv, env, cfg.work / f"{name}.log")
    proc.start()
    return Server(name, proc, port, cfg.server_cpus, "small", ready_path="/me")


# --- virtual environments -----------------------------------------------------------------


def ensure_venv(name: str, requirements: Path) -> Path:
    """bench/.venvs/NAME from REQUIREMENTS; rebuilt only when the requirements change."""
    venv = VENVS / name
    python = venv / "bin" / "python"
    stamp = venv / ".requirements.sha256"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    started = time.monotonic()
    log(f"  building bench/.venvs/{name} from {requirements.name} (pip) ...")
    if venv.exists():
        shutil.rmtree(venv)
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements)], timeout=900)
    stamp.write_text(wanted + "\n")
    log(f"  built bench/.venvs/{name} in {time.monotonic() - started:.0f}s")
    return python


# --- wrk ------------------------------------------------------------------------------------


def wrk_argv(cfg: Config, url: str, script: str, connections: int, duration: int) -> list[str]:
    return [
        "taskset",
        "-c",
        cfg.load_cpus,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / script),
        url,
    ]


def wrk_env(env: dict[str, str]) -> dict[str, str]:
    full_env = dict(os.environ)
    full_env.update(env)
    full_env["BENCH_LUA_DIR"] = str(LUA)
    return full_env


def parse_wrk(text: str, connections: int) -> dict[str, Any]:
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line[len("BENCH_JSON ") :])
            break
    else:
        raise RuntimeError(f"wrk printed no result:\n{text}")
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["latency_max_us"] / 1000,
        "non_2xx": raw["errors_status"],
        "socket_errors": sum(
            raw[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
        ),
        "connections": connections,
        "seconds": seconds,
    }


# CPU time the server's threads consumed, from /proc: unlike throughput on a shared
# machine, CPU per request hardly depends on what else runs (it is what a dedicated core
# would divide by).
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(event-loop threads, all threads) CPU seconds of a server's processes. A process's
    own stat counts every thread it ever had (aiosqlite connection threads come and go);
    its main thread runs the event loop."""
    main = total = 0.0
    for process in process_tree(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            fields = (
                Path(f"/proc/{process}/task/{process}/stat").read_text().rsplit(")", 1)[1].split()
            )
            main += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return main, total


def with_cpu(
    result: dict[str, Any], server: Server, before: tuple[float, float], requests: int
) -> dict[str, Any]:
    after = cpu_seconds(server.proc.pid)
    main, total = after[0] - before[0], after[1] - before[1]
    other = total - main
    if requests:
        result["cpu_ms_per_request"] = 1000 * (main + other) / requests
        result["loop_cpu_ms_per_request"] = 1000 * main / requests
        result["other_cpu_ms_per_request"] = 1000 * other / requests
    return result


def wrk(
    cfg: Config,
    server: Server,
    script: str,
    env: dict[str, str],
    *,
    connections: int,
    duration: int,
) -> dict[str, Any]:
    before = cpu_seconds(server.proc.pid)
    result = run(
        wrk_argv(cfg, server.url, script, connections, duration),
        env=wrk_env(env),
        timeout=duration + 120,
    )
    parsed = parse_wrk(result.stdout + result.stderr, connections)
    return with_cpu(parsed, server, before, parsed["requests"])


def start_wrk(
    cfg: Config,
    url: str,
    script: str,
    env: dict[str, str],
    *,
    connections: int,
    duration: int,
    out: Path,
) -> subprocess.Popen[str]:
    handle = out.open("w")
    popen = subprocess.Popen(
        wrk_argv(cfg, url, script, connections, duration),
        env=wrk_env(env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    handle.close()
    return popen


def parse_wrk_file(path: Path, connections: int) -> dict[str, Any]:
    return parse_wrk(path.read_text(), connections)


# --- the world the scenarios run in ---------------------------------------------------------


@dataclass
class Dataset:
    name: str
    url: str
    tokens_file: Path
    users_file: Path | None
    seeded_session_max: int
    sqlite_path: Path | None = None
    refreshed_at: float = 0.0

    def refresh(self, within: float) -> None:
        """Sessions seen recently, so that lookups are measured, not activity writes."""
        if time.monotonic() - self.refreshed_at < within:
            return
        if self.sqlite_path is not None:
            seed.sqlite_refresh_sessions(self.sqlite_path)
        else:
            seed.pg_refresh_sessions(self.url)
        self.refreshed_at = time.monotonic()

    def forget_logins(self) -> None:
        """Drops the sessions a login scenario created, so sizes stay as seeded."""
        if self.sqlite_path is None:
            return
        db = sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("DELETE FROM sessions WHERE id > ?", (self.seeded_session_max,))
        finally:
            db.close()
        self.refreshed_at = 0.0


@dataclass
class World:
    cfg: Config
    servers: dict[str, Server] = field(default_factory=dict)
    data: dict[str, Dataset] = field(default_factory=dict)
    fu_python: str | None = None
    tools_python: str | None = None
    fu_tokens: Path | None = None
    fu_users: Path | None = None
    notes: list[str] = field(default_factory=list)
    seeding: dict[str, Any] = field(default_factory=dict)


def register_and_login_rest(url: str, index: int) -> str:
    email = f"api{index}@bench.example.com"
    body = {
        "email": email,
        "password": API_PASSWORD,
        "phone": f"+7999000{index:04d}",
        "username": f"Api User {index}",
    }
    reply = http("POST", url + "/users/register", json_body=body)
    if reply.status != 201:
        raise RuntimeError(f"register {email}: {reply.status} {reply.body[:300]!r}")
    reply = http("POST", url + "/auth/login", json_body={"email": email, "password": API_PASSWORD})
    token = reply.cookie("sid")
    if reply.status != 200 or not token:
        raise RuntimeError(f"login {email}: {reply.status} {reply.body[:300]!r}")
    return token


def register_and_login_graphql(url: str, index: int) -> str:
    email = f"gql{index}@bench.example.com"
    register = (
        'mutation { register(input: {email: "%s", password: "%s", phone: "+7999100%04d", '
        'username: "GraphQL User %d"}) { __typename } }' % (email, API_PASSWORD, index, index)
    )
    reply = http("POST", url + "/graphql", json_body={"query": register})
    if reply.status != 200 or reply.json()["data"]["register"]["__typename"] != "User":
        raise RuntimeError(f"GraphQL register: {reply.status} {reply.body[:300]!r}")
    login = 'mutation { login(input: {email: "%s", password: "%s"}) { __typename } }' % (
        email,
        API_PASSWORD,
    )
    reply = http("POST", url + "/graphql", json_body={"query": login})
    token = reply.cookie("sid")
    if reply.status != 200 or not token:
        raise RuntimeError(f"GraphQL login: {reply.status} {reply.body[:300]!r}")
    return token


def seed_through_api(url: str, count: int) -> list[str]:
    """count users registered and logged in through the public API (REST, one GraphQL)."""
    tokens = [register_and_login_rest(url, index) for index in range(max(count - 1, 0))]
    tokens.append(register_and_login_graphql(url, count))
    return tokens


def write_lines(path: Path, lines: Iterator[str] | list[str]) -> Path:
    with path.open("w") as handle:
        for line in lines:
            handle.write(line + "\n")
    return path


def migrate(database_url: str) -> None:
    run([*userql_command(), "migrate"], env=userql_env(database_url))


def sqlite_max(path: Path) -> int:
    return max(seed.sqlite_max_id(path, "users"), seed.sqlite_max_id(path, "sessions"))


def build_world(world: World, password_hash: str) -> None:
    """Databases, servers and seeds. Servers boot in parallel while the seeding runs."""
    cfg = world.cfg
    s = world.servers
    small_path, large_path = cfg.work / "small.db", cfg.work / "large.db"
    small_url = f"sqlite+aiosqlite:///{small_path}"
    large_url = f"sqlite+aiosqlite:///{large_path}"

    log(
        f"- databases: {small_path.name} ({cfg.small:,}), {large_path.name} ({cfg.large:,})"
        + (
            f", PostgreSQL {cfg.postgres_url.rpartition('/')[2]} ({cfg.small:,})"
            if cfg.postgres_url
            else ""
        )
    )
    migrate(small_url)
    migrate(large_url)
    if cfg.postgres_url:
        reason = seed.pg_reachable(cfg.postgres_url)
        if reason:
            note = f"PostgreSQL scenarios skipped: server not reachable ({reason})"
            world.notes.append(note)
            log(f"  {note}")
            cfg.postgres_url = None
        else:
            seed.pg_create_database(cfg.postgres_url)
            migrate(cfg.postgres_url)

    log("- servers (booting in parallel)")
    for server in (
        start_userql(cfg, "userql-small", small_url, "small"),
        start_baseline(cfg, "starlette-me", sys.executable, "starlette_me:app", small_url),
        start_baseline(cfg, "fastapi-me", sys.executable, "fastapi_me:app", small_url),
        start_userql(cfg, "userql-large", large_url, "large"),
    ):
        s[server.name] = server
    if cfg.whatif:
        s["userql-whatif"] = start_whatif(cfg, small_url)
    if cfg.postgres_url:
        both = ",".join(
            str(c) for c in sorted(set(cpu_list(cfg.server_cpus)) | set(cpu_list(cfg.load_cpus)))
        )
        for server in (
            start_userql(cfg, "userql-pg-w1", cfg.postgres_url, "postgres", workers=1),
            start_userql(cfg, "userql-pg-w2", cfg.postgres_url, "postgres", workers=2),
            start_userql(
                cfg, "userql-pg-w2-allcpus", cfg.postgres_url, "postgres", workers=2, cpus=both
            ),
        ):
            s[server.name] = server

    # the large file first: it is the slow one, and needs no server
    seed.sqlite_bulk(large_path, first=1, count=cfg.large, password_hash=password_hash, log=log)
    # every token: wrk picks among all of them at random, so lookups spread over the table
    world.data["large"] = Dataset(
        "large",
        large_url,
        write_lines(
            cfg.work / "tokens_large.txt", (seed.token_for(i) for i in range(1, cfg.large + 1))
        ),
        None,
        cfg.large,
        large_path,
    )
    world.seeding["large"] = {
        "bulk": cfg.large,
        "sessions": seed.sqlite_count(large_path, "sessions"),
    }

    # small: through the public API first (REST and GraphQL), then in bulk up to the size
    api_tokens = seed_through_api(s["userql-small"].wait().url, cfg.api_users)
    first = sqlite_max(small_path) + 1
    bulk = cfg.small - len(api_tokens)
    seed.sqlite_bulk(small_path, first=first, count=bulk, password_hash=password_hash, log=log)
    world.data["small"] = Dataset(
        "small",
        small_url,
        write_lines(
            cfg.work / "tokens_small.txt",
            api_tokens + [seed.token_for(i) for i in range(first, first + bulk)],
        ),
        write_lines(
            cfg.work / "users_small.txt", [seed.email_for(i) for i in range(first, first + bulk)]
        ),
        seed.sqlite_max_id(small_path, "sessions"),
        small_path,
    )
    world.seeding["small"] = {
        "api_users": len(api_tokens),
        "bulk": bulk,
        "sessions": seed.sqlite_count(small_path, "sessions"),
    }

    if cfg.fastapi_users:
        build_fastapi_users(world)

    if cfg.postgres_url:
        url = cfg.postgres_url
        api_tokens = seed_through_api(s["userql-pg-w1"].wait().url, cfg.api_users)
        first = max(seed.pg_max_id(url, "users"), seed.pg_max_id(url, "sessions")) + 1
        bulk = cfg.small - len(api_tokens)
        seed.pg_bulk(url, first=first, count=bulk, password_hash=password_hash)
        world.data["postgres"] = Dataset(
            "postgres",
            url,
            write_lines(
                cfg.work / "tokens_pg.txt",
                api_tokens + [seed.token_for(i) for i in range(first, first + bulk)],
            ),
            None,
            seed.pg_max_id(url, "sessions"),
        )
        world.seeding["postgres"] = {"api_users": len(api_tokens), "bulk": bulk}

    for server in s.values():
        server.wait()


def build_fastapi_users(world: World) -> None:
    cfg = world.cfg
    assert world.fu_python is not None
    url = world.data["small"].url
    log(f"- fastapi-users: {cfg.small:,} users and access tokens in the same file")
    env = dict(os.environ)
    env["BENCH_DATABASE_URL"] = url
    bulk = cfg.small - cfg.api_users
    run(
        [
            world.fu_python,
            str(BENCH / "baselines" / "fastapi_users_app.py"),
            "seed",
            "--users",
            str(bulk),
            "--tokens",
            str(bulk),
            "--password",
            seed.BULK_PASSWORD,
            "--out",
            str(cfg.work),
        ],
        env=env,
    )
    server = start_baseline(
        cfg, "fastapi-users", world.fu_python, "fastapi_users_app:app", url
    ).wait()
    world.servers[server.name] = server
    api_tokens = []
    for index in range(cfg.api_users):  # through its public API too
        email = f"fuapi{index}@bench.example.com"
        reply = http(
            "POST",
            server.url + "/auth/register",
            json_body={"email": email, "password": API_PASSWORD},
        )
        if reply.status != 201:
            raise RuntimeError(f"fastapi-users register: {reply.status} {reply.body[:300]!r}")
        reply = http(
            "POST",
            server.url + "/auth/cookie/login",
            form={"username": email, "password": API_PASSWORD},
        )
        token = reply.cookie(FU_COOKIE)
        if reply.status != 204 or not token:
            raise RuntimeError(f"fastapi-users login: {reply.status} {reply.body[:300]!r}")
        api_tokens.append(token)
    tokens = api_tokens + (cfg.work / "fu_tokens.txt").read_text().split()
    world.fu_tokens = write_lines(cfg.work / "fu_tokens_all.txt", tokens)
    world.fu_users = cfg.work / "fu_users.txt"


# --- sanity checks: every scenario's request must be the real, successful one ---------------


def first_token(path: Path) -> str:
    with path.open() as handle:
        return handle.readline().strip()


def check_me(server: Server, dataset: Dataset) -> None:
    reply = http("GET", server.url + "/me", cookie=f"sid={first_token(dataset.tokens_file)}")
    if reply.status != 200 or "user_id" not in reply.json():
        raise RuntimeError(f"{server.name} GET /me: {reply.status} {reply.body[:300]!r}")


def check_graphql(server: Server, dataset: Dataset) -> None:
    reply = http(
        "POST",
        server.url + "/graphql",
        json_body={"query": GRAPHQL_ME},
        cookie=f"sid={first_token(dataset.tokens_file)}",
    )
    if reply.status != 200 or not reply.json()["data"]["me"].get("userId"):
        raise RuntimeError(f"{server.name} GraphQL me: {reply.status} {reply.body[:300]!r}")


def check_fastapi_users(world: World) -> None:
    server = world.servers["fastapi-users"]
    assert world.fu_tokens is not None
    reply = http(
        "GET", server.url + "/users/me", cookie=f"{FU_COOKIE}={first_token(world.fu_tokens)}"
    )
    if reply.status != 200 or "email" not in reply.json():
        raise RuntimeError(f"fastapi-users GET /users/me: {reply.status} {reply.body[:300]!r}")


# --- scenarios ------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    title: str
    run: Callable[[], dict[str, Any]]
    group: str = "sqlite 10^3"


def scenarios(world: World) -> list[Scenario]:
    cfg = world.cfg
    fresh_for = max(5.0, 60 - 3 * cfg.duration - 10)  # touch interval 60 s, minus what follows
    small = world.data["small"]
    s = world.servers
    found: list[Scenario] = []

    def me_env(
        dataset: Dataset, path: str = "/me", cookie: str = "sid", tokens: Path | None = None
    ) -> dict[str, str]:
        return {
            "BENCH_PATH": path,
            "BENCH_COOKIE": cookie,
            "BENCH_TOKENS": str(tokens or dataset.tokens_file),
        }

    def login_env(dataset: Dataset) -> dict[str, str]:
        assert dataset.users_file is not None
        return {
            "BENCH_PATH": "/auth/login",
            "BENCH_USERS": str(dataset.users_file),
            "BENCH_PASSWORD": seed.BULK_PASSWORD,
            "BENCH_LOGIN_FORMAT": "json",
        }

    def me_scenario(
        name: str, title: str, server: Server, dataset: Dataset, refresh: bool, group: str
    ) -> Scenario:
        def go() -> dict[str, Any]:
            if refresh:
                dataset.refresh(fresh_for)
            check_me(server, dataset)
            return wrk(
                cfg,
                server,
                "me.lua",
                me_env(dataset),
                connections=cfg.me_connections,
                duration=cfg.duration,
            )

        return Scenario(name, title, go, group)

    def storm(
        server: Server, me: dict[str, str], login: dict[str, str], tag: str, dataset: Dataset | None
    ) -> dict[str, Any]:
        if dataset is not None:
            dataset.refresh(fresh_for)
        lead = 1
        storm_seconds = max(cfg.duration, 3)  # a blocked event loop must still answer some
        login_out = cfg.work / f"wrk-login-{tag}.txt"
        storm_proc = start_wrk(
            cfg,
            server.url,
            "login.lua",
            login,
            connections=cfg.login_connections,
            duration=storm_seconds + lead + 1,
            out=login_out,
        )
        try:
            time.sleep(lead)
            result = wrk(
                cfg, server, "me.lua", me, connections=cfg.me_connections, duration=storm_seconds
            )
        finally:
            storm_proc.wait(timeout=storm_seconds + 120)
        for key in ("cpu_ms_per_request", "loop_cpu_ms_per_request", "other_cpu_ms_per_request"):
            result.pop(key, None)  # the logins' CPU is in there too
        logins = parse_wrk_file(login_out, cfg.login_connections)
        result["login_rps"] = logins["rps"]
        result["login_non_2xx"] = logins["non_2xx"]
        result["login_p99_ms"] = logins["p99_ms"]
        return result

    def userql_set(prefix: str, server: Server, label: str) -> list[Scenario]:
        """REST me, GraphQL me, logins and me during logins against one userql server."""

        def graphql_me() -> dict[str, Any]:
            small.refresh(fresh_for)
            check_graphql(server, small)
            env = me_env(small, "/graphql")
            env["BENCH_QUERY"] = GRAPHQL_ME
            return wrk(
                cfg,
                server,
                "graphql.lua",
                env,
                connections=cfg.me_connections,
                duration=cfg.duration,
            )

        def login() -> dict[str, Any]:
            try:
                return wrk(
                    cfg,
                    server,
                    "login.lua",
                    login_env(small),
                    connections=cfg.login_connections,
                    duration=cfg.duration,
                )
            finally:
                small.forget_logins()

        def me_during_logins() -> dict[str, Any]:
            try:
                check_me(server, small)
                return storm(server, me_env(small), login_env(small), prefix, small)
            finally:
                small.forget_logins()

        return [
            me_scenario(
                f"{prefix}-rest-me", f"{label} REST GET /me", server, small, True, "sqlite 10^3"
            ),
            Scenario(f"{prefix}-graphql-me", f"{label} GraphQL {GRAPHQL_ME}", graphql_me),
            Scenario(f"{prefix}-login", f"{label} REST POST /auth/login (distinct users)", login),
            Scenario(
                f"{prefix}-me-during-logins",
                f"{label} GET /me while a login storm runs",
                me_during_logins,
            ),
        ]

    found.append(
        me_scenario(
            "starlette-me",
            "bare Starlette GET /me (ceiling)",
            s["starlette-me"],
            small,
            False,
            "sqlite 10^3",
        )
    )
    found.append(
        me_scenario(
            "fastapi-me",
            "plain FastAPI GET /me (ceiling)",
            s["fastapi-me"],
            small,
            False,
            "sqlite 10^3",
        )
    )
    found.extend(userql_set("userql", s["userql-small"], "userql"))

    def argon2_raw() -> dict[str, Any]:
        result = run(
            [
                "taskset",
                "-c",
                cfg.server_cpus,
                sys.executable,
                str(BENCH / "argon2_rate.py"),
                "--concurrency",
                str(cfg.hash_concurrency),
                "--seconds",
                str(cfg.duration),
            ]
        )
        raw = json.loads(result.stdout.strip().splitlines()[-1])
        return {
            "rps": raw["rate"],
            "requests": raw["verifies"],
            "seconds": raw["seconds"],
            "concurrency": raw["concurrency"],
            "parameters": raw["parameters"],
            "cpu_ms_per_request": raw["cpu_ms_per_verify"],
        }

    found.append(
        Scenario(
            "argon2-raw",
            f"raw argon2id verify, {cfg.hash_concurrency} thread(s), server CPUs",
            argon2_raw,
        )
    )

    if "fastapi-users" in s:
        assert world.fu_tokens is not None
        assert world.fu_users is not None
        fu_me_env = me_env(small, "/users/me", FU_COOKIE, world.fu_tokens)

        def fu_me() -> dict[str, Any]:
            check_fastapi_users(world)
            return wrk(
                cfg,
                s["fastapi-users"],
                "me.lua",
                fu_me_env,
                connections=cfg.me_connections,
                duration=cfg.duration,
            )

        found.append(Scenario("fastapi-users-me", "fastapi-users GET /users/me", fu_me))

        def fu_storm() -> dict[str, Any]:
            check_fastapi_users(world)
            login = {
                "BENCH_PATH": "/auth/cookie/login",
                "BENCH_USERS": str(world.fu_users),
                "BENCH_PASSWORD": seed.BULK_PASSWORD,
                "BENCH_LOGIN_FORMAT": "form",
            }
            return storm(s["fastapi-users"], fu_me_env, login, "fastapi-users", None)

        found.append(
            Scenario(
                "fastapi-users-me-during-logins",
                "fastapi-users GET /users/me while a login storm runs",
                fu_storm,
            )
        )

    if "large" in world.data:
        found.append(
            me_scenario(
                "userql-rest-me-large",
                f"userql REST GET /me, {cfg.large:,} users+sessions",
                s["userql-large"],
                world.data["large"],
                True,
                f"sqlite {cfg.large:,}",
            )
        )

    if "postgres" in world.data:
        pg = world.data["postgres"]
        for name, title in (
            ("userql-pg-w1", f"PostgreSQL, --workers 1, CPUs {cfg.server_cpus}"),
            ("userql-pg-w2", f"PostgreSQL, --workers 2, CPUs {cfg.server_cpus}"),
            (
                "userql-pg-w2-allcpus",
                f"PostgreSQL, --workers 2, CPUs {s['userql-pg-w2-allcpus'].cpus} (shared with wrk)",
            ),
        ):
            found.append(
                me_scenario(
                    name + "-me", "userql REST GET /me, " + title, s[name], pg, True, "postgres"
                )
            )

    if "userql-whatif" in s:
        found.extend(
            userql_set(
                "whatif", s["userql-whatif"], f"userql + proposed changes ({','.join(cfg.whatif)})"
            )
        )

    if cfg.only:
        found = [scenario for scenario in found if scenario.name in cfg.only]
    return found


def warm_up(world: World, chosen: list[Scenario]) -> None:
    """A short wrk run on every server before the first measured repetition."""
    cfg = world.cfg
    for scenario in chosen:
        if scenario.name == "argon2-raw" or "login" in scenario.name:
            continue
        duration, cfg.duration = cfg.duration, cfg.warmup
        try:
            scenario.run()
        finally:
            cfg.duration = duration


# --- profiling ------------------------------------------------------------------------------


def profile(world: World) -> dict[str, Any]:
    """py-spy on userql's process while wrk drives GET /me and GraphQL me."""
    cfg = world.cfg
    assert world.tools_python is not None
    py_spy = str(Path(world.tools_python).parent / "py-spy")
    server = world.servers["userql-small"]
    small = world.data["small"]
    found: dict[str, Any] = {}
    assert small.users_file is not None
    for name, script, path in (
        ("rest-me", "me.lua", "/me"),
        ("graphql-me", "graphql.lua", "/graphql"),
        ("login", "login.lua", "/auth/login"),
    ):
        small.refresh(0)
        raw = cfg.work / f"profile-{name}.txt"
        svg = cfg.out / f"profile-{name}.svg"
        env = {
            "BENCH_PATH": path,
            "BENCH_COOKIE": "sid",
            "BENCH_TOKENS": str(small.tokens_file),
            "BENCH_QUERY": GRAPHQL_ME,
            "BENCH_USERS": str(small.users_file),
            "BENCH_PASSWORD": seed.BULK_PASSWORD,
            "BENCH_LOGIN_FORMAT": "json",
        }
        connections = cfg.login_connections if name == "login" else cfg.me_connections
        # Two recordings under load: raw stacks for the top frames, and the flame graph.
        for kind, output_format, output in (("", "raw", raw), ("2", "flamegraph", svg)):
            load = start_wrk(
                cfg,
                server.url,
                script,
                env,
                connections=connections,
                duration=cfg.duration + 2,
                out=cfg.work / f"wrk-profile{kind}-{name}.txt",
            )
            time.sleep(1)
            run(
                [
                    py_spy,
                    "record",
                    "--pid",
                    str(server.proc.pid),
                    "--duration",
                    str(cfg.duration),
                    "--rate",
                    "250",
                    "--nonblocking",
                    "--format",
                    output_format,
                    "-o",
                    str(output),
                ],
                check=False,
            )
            load.wait(timeout=cfg.duration + 60)
        small.forget_logins()
        if raw.exists():
            found[name] = summarise_profile(raw)
            shown = svg.relative_to(ROOT) if svg.is_relative_to(ROOT) else svg
            found[name]["flamegraph"] = str(shown) if svg.exists() else None
    return found


def summarise_profile(raw: Path, top: int = 25) -> dict[str, Any]:
    """Self and inclusive shares of the event loop thread's samples (py-spy raw format)."""
    self_time: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    loop_samples = 0
    all_samples = 0
    threads = {"event loop": 0, "argon2 pool": 0, "aiosqlite": 0, "other": 0}
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        all_samples += count
        frames = stack.split(";")
        if not any("Runner.run (asyncio/runners.py" in frame for frame in frames):
            # worker threads: counted apart
            if any("passwords.py" in frame or "argon2" in frame for frame in frames):
                threads["argon2 pool"] += count
            elif any("aiosqlite" in frame for frame in frames):
                threads["aiosqlite"] += count
            else:
                threads["other"] += count
            continue
        threads["event loop"] += count
        loop_samples += count
        self_time[frames[-1]] = self_time.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count

    def share(table: dict[str, int], limit: int = top) -> list[tuple[str, float]]:
        ranked = sorted(table.items(), key=lambda item: -item[1])
        return [(frame, round(100 * n / max(loop_samples, 1), 1)) for frame, n in ranked[:limit]]

    interesting = {
        frame: n
        for frame, n in inclusive.items()
        if not any(
            skip in frame
            for skip in (
                "Runner.run",
                "asyncio_run",
                "Server.run",
                "<module>",
                "main (",
                "_serve (",
                "run (uvicorn",
            )
        )
    }
    focus = {
        frame: n
        for frame, n in inclusive.items()
        if any(part in frame for part in FOCUS) and "(asyncio/" not in frame
    }
    return {
        "samples": all_samples,
        "event_loop_samples": loop_samples,
        "threads": threads,
        "top_self": share(self_time),
        "top_inclusive": share(interesting),
        "top_focus": share(focus, 30),
    }


# frames worth reading in a profile: the app, the database stack, GraphQL, hashing, logging
FOCUS = (
    "userql/",
    "sqlalchemy/",
    "aiosqlite/",
    "asyncpg/",
    "graphql/",
    "strawberry/schema",
    "strawberry/extensions",
    "strawberry/http",
    "fastapi/dependencies",
    "email_validator/",
    "logging/",
    "uuid",
    "json/",
    "pydantic",
    "passwords.py",
)


# --- results --------------------------------------------------------------------------------


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


TARGETS = [
    # (id, description, numerator, denominator, metric, op, threshold)
    (
        "rest-vs-fastapi",
        "REST GET /me >= 0.9x plain FastAPI",
        "userql-rest-me",
        "fastapi-me",
        "rps",
        ">=",
        0.9,
    ),
    (
        "rest-vs-fastapi-users",
        "REST GET /me >= 8x fastapi-users GET /users/me",
        "userql-rest-me",
        "fastapi-users-me",
        "rps",
        ">=",
        8.0,
    ),
    (
        "graphql-vs-rest",
        "GraphQL me >= 0.5x REST GET /me",
        "userql-graphql-me",
        "userql-rest-me",
        "rps",
        ">=",
        0.5,
    ),
    (
        "login-vs-argon2",
        "login >= 0.9x raw argon2 verify (same concurrency, same CPUs)",
        "userql-login",
        "argon2-raw",
        "rps",
        ">=",
        0.9,
    ),
    (
        "storm-p99",
        "p99 GET /me during logins <= 3x idle p99",
        "userql-me-during-logins",
        "userql-rest-me",
        "p99_ms",
        "<=",
        3.0,
    ),
    (
        "large-vs-small",
        "GET /me at 10^6 >= 0.9x at 10^3",
        "userql-rest-me-large",
        "userql-rest-me",
        "rps",
        ">=",
        0.9,
    ),
]
CONFIRMATIONS = [
    (
        "fastapi-vs-starlette",
        "plain FastAPI / bare Starlette (issue: about 0.8x)",
        "fastapi-me",
        "starlette-me",
        "rps",
    ),
    (
        "fastapi-users-vs-starlette",
        "fastapi-users / bare Starlette (issue: about 0.07x)",
        "fastapi-users-me",
        "starlette-me",
        "rps",
    ),
    (
        "fastapi-users-storm-p99",
        "fastapi-users p99 during logins / idle (issue: about 5x)",
        "fastapi-users-me-during-logins",
        "fastapi-users-me",
        "p99_ms",
    ),
    ("rest-vs-starlette", "userql REST / bare Starlette", "userql-rest-me", "starlette-me", "rps"),
    (
        "pg-w2-vs-w1",
        "PostgreSQL --workers 2 / --workers 1 (same CPU)",
        "userql-pg-w2-me",
        "userql-pg-w1-me",
        "rps",
    ),
    (
        "pg-w2-allcpus-vs-w1",
        "PostgreSQL --workers 2 on both CPUs / --workers 1",
        "userql-pg-w2-allcpus-me",
        "userql-pg-w1-me",
        "rps",
    ),
]


def evaluate(results: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    med = {name: entry["median"] for name, entry in results.items()}

    def ratio(numerator: str, denominator: str, metric: str) -> float | None:
        top = (med.get(numerator) or {}).get(metric)
        bottom = (med.get(denominator) or {}).get(metric)
        if top is None or not bottom:
            return None
        return top / bottom

    def cpu_ratio(numerator: str, denominator: str) -> float | None:
        """The throughput ratio a dedicated core would give: CPU per request, inverted."""
        return ratio(denominator, numerator, "cpu_ms_per_request")

    def whatif(name: str) -> str:
        return name.replace("userql-", "whatif-", 1)

    targets = []
    for tid, text, numerator, denominator, metric, op, threshold in TARGETS:
        value = ratio(numerator, denominator, metric)
        met = None if value is None else (value >= threshold if op == ">=" else value <= threshold)
        entry: dict[str, Any] = {
            "id": tid,
            "target": text,
            "ratio": value,
            "op": op,
            "threshold": threshold,
            "met": met,
            "metric": metric,
            "numerator": numerator,
            "denominator": denominator,
            "cpu_ratio": cpu_ratio(numerator, denominator) if metric == "rps" else None,
        }
        w_num, w_den = whatif(numerator), whatif(denominator)
        if w_num in med and w_num != numerator:
            entry["whatif_ratio"] = ratio(w_num, w_den if w_den in med else denominator, metric)
            if metric == "rps":
                entry["whatif_cpu_ratio"] = cpu_ratio(w_num, w_den if w_den in med else denominator)
        targets.append(entry)
    confirmations = []
    for cid, text, numerator, denominator, metric in CONFIRMATIONS:
        confirmations.append(
            {
                "id": cid,
                "what": text,
                "ratio": ratio(numerator, denominator, metric),
                "metric": metric,
                "cpu_ratio": cpu_ratio(numerator, denominator) if metric == "rps" else None,
            }
        )
    return targets, confirmations


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(
    results: dict[str, Any], targets: list[dict[str, Any]], confirmations: list[dict[str, Any]]
) -> str:
    lines = [
        "| scenario | req/s (median) | min-max | p50 ms | p99 ms | server CPU ms/req "
        "(loop + other threads) | failed | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, entry in results.items():
        runs, m = entry["runs"], entry["median"]
        rates = [r["rps"] for r in runs]
        note = ""
        if m.get("login_rps") is not None:
            note = f"logins meanwhile: {m['login_rps']:.1f}/s"
        if entry.get("invalid"):
            note = (note + "; " if note else "") + "INVALID: " + entry["invalid"]
        cpu = fmt(m.get("cpu_ms_per_request"), 2)
        if m.get("loop_cpu_ms_per_request") is not None:
            cpu += (
                f" ({fmt(m['loop_cpu_ms_per_request'], 2)} + "
                f"{fmt(m['other_cpu_ms_per_request'], 2)})"
            )
        failed = int(sum(r.get("non_2xx", 0) + r.get("socket_errors", 0) for r in runs))
        lines.append(
            f"| {name} | {fmt(m.get('rps'))} | {fmt(min(rates))}-{fmt(max(rates))} | "
            f"{fmt(m.get('p50_ms'), 2)} | {fmt(m.get('p99_ms'), 2)} | {cpu} | {failed} | "
            f"{note} |"
        )
    lines += [
        "",
        "| target | measured ratio | wanted | met | CPU-per-request ratio | "
        "with proposed changes (ratio; CPU ratio) |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for t in targets:
        met = "n/a" if t["met"] is None else ("yes" if t["met"] else "**no**")
        whatif = "-"
        if t.get("whatif_ratio") is not None:
            whatif = f"{fmt(t['whatif_ratio'], 2)}x"
            if t.get("whatif_cpu_ratio") is not None:
                whatif += f"; {fmt(t['whatif_cpu_ratio'], 2)}x"
        cpu = "-" if t.get("cpu_ratio") is None else f"{fmt(t['cpu_ratio'], 2)}x"
        lines.append(
            f"| {t['target']} | {fmt(t['ratio'], 2)}x | {t['op']} {t['threshold']}x "
            f"| {met} | {cpu} | {whatif} |"
        )
    lines += ["", "| confirmation | measured ratio | CPU-per-request ratio |", "|---|---:|---:|"]
    for c in confirmations:
        cpu = "-" if c.get("cpu_ratio") is None else f"{fmt(c['cpu_ratio'], 3)}x"
        lines.append(f"| {c['what']} | {fmt(c['ratio'], 3)}x | {cpu} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    with contextlib.suppress(OSError, ValueError):
        info["os"] = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )["PRETTY_NAME"].strip('"')
    with contextlib.suppress(Exception):
        info["wrk"] = run(["wrk", "--version"], check=False).stdout.splitlines()[0]
    return info


def versions(python: str, packages: list[str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for p in sys.argv[1:]:\n"
        "    try: out[p] = m.version(p)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    result = run([python, "-c", code, *packages], check=False)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {}


def git_commit() -> str | None:
    result = run(["git", "rev-parse", "--short", "HEAD"], check=False)
    dirty = run(["git", "status", "--porcelain", "--", "src"], check=False).stdout.strip()
    return (result.stdout.strip() + ("+dirty-src" if dirty else "")) or None


# --- main -----------------------------------------------------------------------------------


def preflight(cfg: Config) -> None:
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install -y wrk util-linux")
    available = os.sched_getaffinity(0)
    for spec in (cfg.server_cpus, cfg.load_cpus):
        if not set(cpu_list(spec)) <= available:
            raise SystemExit(f"CPUs {spec} are not available here ({sorted(available)})")
    if set(cpu_list(cfg.server_cpus)) & set(cpu_list(cfg.load_cpus)):
        log("warning: server and load CPUs overlap")
    userql_command()


def main(argv: list[str] | None = None) -> int:
    began = time.monotonic()
    cfg = parse_args(argv)
    preflight(cfg)
    cfg.work.mkdir(parents=True, exist_ok=True)
    world = World(cfg)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    mode = "quick" if cfg.quick else "full"
    log(
        f"userql benchmark ({mode}): {cfg.repeat} repetition(s) x {cfg.duration}s, "
        f"servers on CPU {cfg.server_cpus}, wrk on CPU {cfg.load_cpus}, work dir {cfg.work}"
    )
    load_before = os.getloadavg()
    try:
        log("- virtualenvs")
        if cfg.fastapi_users:
            world.fu_python = str(
                ensure_venv("fastapi-users", BENCH / "requirements-fastapi-users.txt")
            )
        if cfg.chart or cfg.profile:
            world.tools_python = str(ensure_venv("tools", BENCH / "requirements-tools.txt"))
        password_hash = seed.argon2_hash()
        setup_began = time.monotonic()
        build_world(world, password_hash)
        if "userql-whatif" in world.servers:
            # which proposals the what-if server applied, and which src already has
            whatif_log = world.servers["userql-whatif"].proc.log_path.read_text(errors="replace")
            for line in whatif_log.splitlines():
                if line.startswith("whatif: "):
                    world.notes.append(line)
                    log(f"  {line}")
        log(f"  (setup {time.monotonic() - setup_began:.1f}s)")
        chosen = scenarios(world)
        if cfg.warmup:
            log(f"- warm-up ({cfg.warmup}s per server)")
            warm_up(world, chosen)

        runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in chosen}
        loads: list[tuple[float, float, float]] = []
        for rep in range(cfg.repeat):
            order = chosen[rep % len(chosen) :] + chosen[: rep % len(chosen)]
            log(f"- repetition {rep + 1}/{cfg.repeat} (load average {os.getloadavg()[0]:.2f})")
            for scenario in order:
                result = scenario.run()
                result["repetition"] = rep + 1
                result["loadavg_1m"] = os.getloadavg()[0]
                runs[scenario.name].append(result)
                extra = f", logins {result['login_rps']:.1f}/s" if "login_rps" in result else ""
                p99 = f", p99 {result['p99_ms']:.1f} ms" if "p99_ms" in result else ""
                log(f"    {scenario.name:32s} {result['rps']:9.1f}/s{p99}{extra}")
            loads.append(os.getloadavg())

        results: dict[str, Any] = {}
        for scenario in chosen:
            entry_runs = runs[scenario.name]
            medians = {
                key: median_of(entry_runs, key)
                for key in (
                    "rps",
                    "p50_ms",
                    "p90_ms",
                    "p99_ms",
                    "max_ms",
                    "login_rps",
                    "login_p99_ms",
                    "cpu_ms_per_request",
                    "loop_cpu_ms_per_request",
                    "other_cpu_ms_per_request",
                )
            }
            entry: dict[str, Any] = {
                "title": scenario.title,
                "group": scenario.group,
                "runs": entry_runs,
                "median": medians,
            }
            bad = sum(
                r.get("non_2xx", 0) + r.get("login_non_2xx", 0) + r.get("socket_errors", 0)
                for r in entry_runs
            )
            total = sum(r.get("requests", 0) for r in entry_runs)
            if total == 0 or bad > 0.01 * total:
                entry["invalid"] = f"{bad} failed of {total} requests"
            results[scenario.name] = entry
        targets, confirmations = evaluate(results)

        profile_found: dict[str, Any] = {}
        if cfg.profile:
            log("- profiling userql GET /me and GraphQL me with py-spy")
            profile_found = profile(world)

        document = {
            "mode": mode,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "userql_commit": git_commit(),
            "machine": machine(),
            "shared_machine_load": {"before": load_before, "after_each_repetition": loads},
            "settings": {
                "repeat": cfg.repeat,
                "duration_s": cfg.duration,
                "me_connections": cfg.me_connections,
                "login_connections": cfg.login_connections,
                "server_cpus": cfg.server_cpus,
                "load_cpus": cfg.load_cpus,
                "hash_concurrency": cfg.hash_concurrency,
                "small": cfg.small,
                "large": cfg.large,
                "whatif": cfg.whatif,
            },
            "versions": {
                "userql_env": versions(
                    sys.executable,
                    [
                        "fastapi",
                        "starlette",
                        "strawberry-graphql",
                        "graphql-core",
                        "sqlalchemy",
                        "aiosqlite",
                        "asyncpg",
                        "uvicorn",
                        "uvloop",
                        "httptools",
                        "argon2-cffi",
                    ],
                ),
                "fastapi_users_env": versions(
                    world.fu_python,
                    [
                        "fastapi-users",
                        "fastapi-users-db-sqlalchemy",
                        "fastapi",
                        "sqlalchemy",
                        "pwdlib",
                        "uvicorn",
                    ],
                )
                if world.fu_python
                else {},
            },
            "seeding": world.seeding,
            "notes": world.notes,
            "scenarios": results,
            "targets": targets,
            "confirmations": confirmations,
            "profile": profile_found,
        }
        cfg.out.mkdir(parents=True, exist_ok=True)
        results_path = cfg.out / "results.json"
        results_path.write_text(json.dumps(document, indent=2) + "\n")
        rendered = table(results, targets, confirmations)
        (cfg.out / "results.md").write_text(rendered + "\n")
        log("\n" + rendered + "\n")
        for note in world.notes:
            log(f"note: {note}")
        if profile_found:
            for name, summary in profile_found.items():
                log(
                    f"\nprofile {name}: samples by thread {summary['threads']}; "
                    "share of event-loop samples, inclusive, app and library frames:"
                )
                for frame, pct in summary["top_focus"][:20]:
                    log(f"  {pct:5.1f}%  {frame}")

        chart_path = cfg.out / "chart.png"
        if cfg.chart:
            assert world.tools_python is not None
            run([world.tools_python, str(BENCH / "chart.py"), str(results_path), str(chart_path)])
            log(f"chart: {chart_path}")
        if cfg.publish:
            REPORT.mkdir(exist_ok=True)
            shutil.copy(results_path, REPORT / "results.json")
            shutil.copy(cfg.out / "results.md", REPORT / "results.md")
            if chart_path.exists():
                shutil.copy(chart_path, REPORT / "chart.png")
            for svg in cfg.out.glob("profile-*.svg"):
                shutil.copy(svg, REPORT / svg.name)
            log(f"published to {REPORT.relative_to(ROOT)}/")
        log(f"results: {results_path}")
        invalid = [name for name, entry in results.items() if entry.get("invalid")]
        if invalid:
            log(f"INVALID scenarios (failed requests): {', '.join(invalid)}")
        log(f"done in {time.monotonic() - began:.0f}s")
        return 1 if invalid else 0
    finally:
        stop_all()
        if cfg.postgres_url:
            with contextlib.suppress(Exception):
                seed.pg_drop_database(cfg.postgres_url)
        if not cfg.keep:
            shutil.rmtree(cfg.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
