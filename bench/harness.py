"""Real ARNet servers on loopback for the benchmarks: a site (database, keys), servers, people.

Everything started here runs in its own process group and is stopped by ``stop()`` or by
``Site.close()``; the caller wraps its use in try/finally. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent
START_TIMEOUT = 60.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
POSTGRES_ADMIN_URL = os.environ.get(
    "ARNET_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BENCH_PASSWORD = "Bench-Only-Passphrase-2026!"

# Sockets one worker may hold at once: the idle-socket row holds 10,000 (gevent's default of
# 1,000 would refuse the rest; gthread stops accepting at it).
WORKER_CONNECTIONS = 12_000

# The modes a server can run in; each is a command line for the bench app or the echo app.
MODES = ("gthread", "gevent", "werkzeug")


def raise_file_limit() -> int:
    """Lift this process's descriptor limit to its hard limit; children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


# --- /proc readings ----------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(each) for each in (task / "children").read_text().split()]
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (all its threads), from /proc/<pid>/stat."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kib(pid: int, name: str) -> int:
    """A ``kB`` line of /proc/<pid>/status: VmRSS (now) or VmHWM (peak since the last reset)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def reset_peak_rss(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux ``clear_refs`` 5); False where not permitted."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


# --- statistics --------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; ``share`` in 0..1."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    return percentile(values, 0.5)


# --- a site: one database, one keyring, one attachment directory ------------------------------


@dataclass
class Person:
    """A user made through the CLI or the loader, with a personal access token."""

    user_id: int
    email: str
    token: str
    state: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Site:
    """What every process of one deployment shares; ``engine`` is ``sqlite`` or ``postgresql``."""

    engine: str
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="arnet-bench-")))
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    database_name: str = ""
    notes: list[str] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.engine == "postgresql":
            self.database_name = f"arnet_bench_{secrets.token_hex(3)}"
            _postgres_admin(f'CREATE DATABASE "{self.database_name}"')
            # The planner setting README recommends for a database on SSD or in memory.
            _postgres_admin(f'ALTER DATABASE "{self.database_name}" SET random_page_cost = 1.1')
            self.database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.database_name
        else:
            self.database_url = f"sqlite:///{self.workdir / 'arnet.db'}"

    def env(self, port: int = 5000, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("ARNET_") and key not in {"FLASK_APP", "FLASK_DEBUG"}
        }
        env.update(
            {
                "ARNET_ENV": "development",
                "ARNET_DATABASE_URL": self.database_url,
                "ARNET_KEYRING": str(self.workdir / "keyring.json"),
                "ARNET_AUDIT_CHECKPOINT": str(self.workdir / "audit-checkpoint.json"),
                "ARNET_SECRET_KEY": self.secret_key,
                "ARNET_ATTACHMENT_DIR": str(self.workdir / "attachments"),
                "ARNET_ATTACHMENT_MAX_BYTES": str(2 * 1024**3),
                "ARNET_HOST": "127.0.0.1",
                "ARNET_PORT": str(port),
                "ARNET_BASE_URL": f"http://127.0.0.1:{port}",
                "ARNET_ALLOWED_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
                # The per-user send throttle (120 a minute, REST and Socket.IO together)
                # guards against a misbehaving client; the bench drives thousands of messages
                # a second from a handful of synthetic users. It is still checked on every send.
                "ARNET_MESSAGE_SEND_LIMIT": "1000000/minute",
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": str(REPO),
            }
        )
        env.update(extra or {})
        return env

    def run(
        self, args: Sequence[str], stdin: str | None = None, timeout: float = 300,
        extra_env: dict[str, str] | None = None,
    ) -> str:
        """A command with the site's settings, in its own process group; returns stdout."""
        process = subprocess.Popen(
            list(args), cwd=REPO, env=self.env(extra=extra_env), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            out, err = process.communicate(stdin, timeout=timeout)
        finally:
            _stop_group(process)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:4])} failed ({process.returncode}): {err[-2000:]}")
        return out

    def flask(self, *args: str, stdin: str | None = None) -> str:
        return self.run([PYTHON, "-m", "flask", "--app", "wsgi", *args], stdin=stdin)

    def loader(self, *steps: Sequence[Any], timeout: float = 600) -> dict[str, Any]:
        """bench/loader.py: several steps in one process; it prints one JSON document.

        Bench users never sign in with a password, so the loader hashes theirs with the
        cheapest Argon2id profile rather than spend half a second on each.
        """
        out = self.run(
            [PYTHON, str(BENCH / "loader.py"), json.dumps([list(each) for each in steps])],
            timeout=timeout, extra_env={"ARNET_PASSWORD_PROFILE": "CHEAPEST"},
        )
        return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def prepare(self, *steps: Sequence[Any]) -> dict[str, Any]:
        """``flask db upgrade``, then the States and ``steps`` through the loader."""
        self.flask("db", "upgrade")
        made = self.loader(["states"], *steps)
        (self.workdir / "attachments").mkdir(exist_ok=True)
        return made

    def cli_person(self, email: str, name: str, role: str, state: str) -> Person:
        """A user and a token through the documented CLI (``create-user``, ``create-token``)."""
        out = self.flask(
            "network", "create-user", email, "--name", name, "--role", role, "--state", state,
            "--password-stdin", stdin=BENCH_PASSWORD + "\n",
        )
        user_id = int(out.split()[2])
        token = self.flask("network", "create-token", email, "--name", "bench").strip()
        return Person(user_id, email, token.splitlines()[-1], state)

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        if self.engine == "postgresql" and self.database_name:
            with contextlib.suppress(Exception):
                _postgres_admin(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)


def _postgres_admin(statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def postgres_available() -> bool:
    try:
        _postgres_admin("SELECT 1")
    except Exception:
        return False
    return True


def _stop_group(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after ``grace`` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Leftover members of the group (a gunicorn worker whose master died first).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# --- servers -----------------------------------------------------------------------------------


def server_command(mode: str, app: str, port: int, threads: int) -> list[str]:
    """The production server for ``mode``: one gunicorn worker (gthread or gevent) or werkzeug."""
    bind = f"127.0.0.1:{port}"
    gunicorn = [str(VENV_BIN / "gunicorn"), "--chdir", str(REPO), "-w", "1", "-b", bind,
                "--worker-connections", str(WORKER_CONNECTIONS), "--timeout", "120",
                "--graceful-timeout", "5", "--log-level", "warning"]
    if mode == "gthread":
        return [*gunicorn, "-k", "gthread", "--threads", str(threads), app]
    if mode == "gevent":
        return [*gunicorn, "-k", "gevent", app]
    if mode == "werkzeug":
        return [PYTHON, str(BENCH / "serve_werkzeug.py"), app, str(port)]
    raise ValueError(mode)


class Server:
    """One server process group on a free port; the measured process is the one serving."""

    def __init__(
        self, site: Site, name: str, *, mode: str = "gthread", app: str = "wsgi:app",
        threads: int = 64, extra_env: dict[str, str] | None = None,
    ) -> None:
        self.site = site
        self.name = name
        self.mode = mode
        self.app = app
        self.threads = threads
        self.port = free_port()
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = site.workdir / f"{name}.log"
        site.servers.append(self)

    @property
    def async_mode(self) -> str:
        return "gevent" if self.mode == "gevent" else "threading"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                server_command(self.mode, self.app, self.port, self.threads),
                cwd=REPO,
                env=self.site.env(self.port, {"ARNET_ASYNC_MODE": self.async_mode,
                                               **self.extra_env}),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, START_TIMEOUT, f"server {self.name} on {self.port}", step=0.1)
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"server {self.name} exited:\n{self.log()[-3000:]}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    @property
    def pid(self) -> int:
        """The serving process: gunicorn's single worker, or the server itself."""
        assert self.process is not None
        if self.mode in {"gthread", "gevent"}:
            kids = children_of(self.process.pid)
            if kids:
                return kids[0]
        return self.process.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def rss_kib(self) -> int:
        return status_kib(self.pid, "VmRSS")

    def peak_kib(self) -> int:
        return status_kib(self.pid, "VmHWM")

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
