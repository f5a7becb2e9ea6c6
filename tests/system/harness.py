"""Real server processes on loopback for the system tests: start, kill, restart, drive the CLI."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import socketio

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
START_TIMEOUT = 30.0
CALL_TIMEOUT = 10.0
PASSWORD = "Sturdy-System-Passphrase-42"  # every person made by make_person


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05
) -> None:
    """Poll until ``condition`` holds; fail with ``what`` when ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Site:
    """What every process of one deployment shares: database, Redis, keyring, secret key."""

    workdir: Path
    database_url: str
    redis_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    settings: dict[str, str] = field(default_factory=dict)  # more ARNET_* for every process

    def env(self, port: int | None = None, redis_url: str | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("ARNET_") and key not in {"FLASK_APP", "FLASK_DEBUG"}
        }
        port = port or 5000
        env.update(
            {
                "ARNET_ENV": "development",
                "ARNET_DATABASE_URL": self.database_url,
                "ARNET_KEYRING": str(self.workdir / "keyring.json"),
                "ARNET_AUDIT_CHECKPOINT": str(self.workdir / "audit-checkpoint.json"),
                "ARNET_SECRET_KEY": self.secret_key,
                "ARNET_ATTACHMENT_DIR": str(self.workdir / "attachments"),
                "ARNET_HOST": "127.0.0.1",
                "ARNET_PORT": str(port),
                "ARNET_BASE_URL": f"http://127.0.0.1:{port}",
                "ARNET_ALLOWED_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
                "PYTHONUNBUFFERED": "1",
                "ARNET_REDIS_PREFIX": os.environ.get("ARNET_REDIS_PREFIX", "arnet"),
            }
        )
        env.update(self.settings)
        chosen = redis_url or self.redis_url
        if chosen:
            env["ARNET_REDIS_URL"] = chosen
        return env

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """``flask --app wsgi network ...`` against this site; returns standard output."""
        result = subprocess.run(
            [PYTHON, "-m", "flask", "--app", "wsgi", "network", *args],
            cwd=REPO,
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"network {args[0]} failed: {result.stderr}"
        return result.stdout

    def python(self, code: str) -> str:
        """Run a snippet with the site's settings (schema, directory data)."""
        result = subprocess.run(
            [PYTHON, "-c", code],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


PREPARE = """
from network import create_app
from network.directory.models import ObserverBody, State
from network.extensions import db
app = create_app()
with app.app_context():
    db.create_all()
    for code, name in (("CIV", "Côte d’Ivoire"), ("CHE", "Switzerland"), ("FRA", "France"),
                       ("CHN", "China")):
        if db.session.get(State, code) is None:
            db.session.add(State(code=code, names={"en": name}, time_zone="UTC"))
    db.session.commit()
"""


@dataclass
class Person:
    """A user made through the CLI, with a personal access token."""

    user_id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_person(site: Site, email: str, name: str, role: str, state: str) -> Person:
    out = site.cli(
        "create-user",
        email,
        "--name",
        name,
        "--role",
        role,
        "--state",
        state,
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    user_id = int(out.split()[2])
    token = site.cli("create-token", email, "--name", "system tests").strip().splitlines()[-1]
    return Person(user_id=user_id, email=email, token=token)


class ServerProcess:
    """``python wsgi.py`` on a free loopback port; always stopped by the fixture that made it."""

    def __init__(self, site: Site, name: str, redis_url: str | None = None) -> None:
        self.site = site
        self.name = name
        self.port = free_port()
        self.redis_url = redis_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = site.workdir / f"{name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [PYTHON, "wsgi.py"],
            cwd=REPO,
            env=self.site.env(self.port, self.redis_url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_until(self._ready, START_TIMEOUT, f"server {self.name} on port {self.port}", step=0.2)
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"server {self.name} exited:\n{self.log()}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye to clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class RedisProcess:
    """A Redis of our own on a free port, so a test can stop it without touching the shared one."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisProcess:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._ready, START_TIMEOUT, f"redis on port {self.port}", step=0.1)
        return self

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class ChannelClient:
    """A Socket.IO client that keeps a channel's messages the way the browser does.

    It holds messages in seq order, drops any seq it already has, and when a live
    message skips ahead it joins again from its last seq to fetch what it missed. When
    the connection drops it reconnects to the same server and joins again by itself.
    """

    def __init__(
        self,
        server_url: str,
        token: str,
        channel_id: int,
        *,
        transports: tuple[str, ...] = ("websocket",),
        headers: dict[str, str] | None = None,
        certificate: Path | None = None,
    ) -> None:
        self.server_url = server_url
        self.token = token
        self.channel_id = channel_id
        self.transports = list(transports)
        self.headers = headers or {}
        self.certificate = certificate  # a CA file to trust, for a test's own TLS
        self.held: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.live_received = 0
        self.reconnections = 0
        self.joined = False  # True once connect() has joined; reconnections join again
        self.websockets: list[Any] = []  # every one opened, each closed by close()
        self.sio = self._new_client()

    def _new_client(self) -> socketio.Client:
        session = requests.Session()
        if self.certificate is not None:
            session.trust_env = False  # else a CA bundle named in the environment wins
            session.verify = str(self.certificate)
        sio = socketio.Client(
            reconnection_delay=0.2, reconnection_delay_max=1, http_session=session
        )
        sio.on("message", self._on_message)
        sio.on("connect", self._on_connect)
        sio.on("disconnect", lambda reason=None: self._close_websocket(sio))
        sio.on("connect_error", lambda data=None: self._close_websocket(sio))
        return sio

    @property
    def last_seq(self) -> int:
        with self.lock:
            return self.held[-1]["seq"] if self.held else 0

    def connect(self, server_url: str | None = None) -> None:
        if server_url:
            self.server_url = server_url
        self.close()
        self.sio = self._new_client()
        self.sio.connect(
            self.server_url,
            auth={"token": self.token},
            headers=self.headers,
            transports=self.transports,
            wait_timeout=10,
        )
        self.catch_up()
        self.joined = True

    def catch_up(self) -> None:
        """``join`` from the last seq held; repeat while the server says there is more."""
        while True:
            request = {"channel": self.channel_id, "after_seq": self.last_seq}
            answer = self.sio.call("join", request, timeout=CALL_TIMEOUT)
            assert "error" not in answer, answer
            self._hold(answer["messages"])
            if not answer["more"]:
                return

    def _hold(self, messages: list[dict[str, Any]]) -> bool:
        """Keep the next ones in order; True when a gap shows that something was missed."""
        gap = False
        with self.lock:
            for message in sorted(messages, key=lambda m: m["seq"]):
                last = self.held[-1]["seq"] if self.held else 0
                if message["seq"] == last + 1:
                    self.held.append(message)
                elif message["seq"] > last + 1:
                    gap = True
        return gap

    def _on_message(self, message: dict[str, Any]) -> None:
        if message.get("channel") not in (None, self.channel_id):
            return
        self.live_received += 1
        if self._hold([message]):
            # Socket.IO handlers run on the client's own thread; fetch outside it.
            threading.Thread(target=self._safe_catch_up, daemon=True).start()

    def _on_connect(self) -> None:
        self.websockets.append(getattr(self.sio.eio, "ws", None))
        if self.joined:  # a reconnection: fetch what came meanwhile
            self.reconnections += 1
            threading.Thread(target=self._safe_catch_up, daemon=True).start()

    def _safe_catch_up(self) -> None:
        """Join again until it is answered, as the browser does (a database may be away)."""
        while self.joined:
            try:
                self.catch_up()
            except Exception:  # any failure is tried again, later
                time.sleep(0.5)
            else:
                return

    def send(self, client_id: str, body: str, handling_code: str = "H0") -> dict[str, Any]:
        return self.sio.call(  # type: ignore[no-any-return]
            "send",
            {
                "channel": self.channel_id,
                "client_id": client_id,
                "body": body,
                "handling_code": handling_code,
            },
            timeout=CALL_TIMEOUT,
        )

    def send_until_answered(self, client_id: str, body: str) -> dict[str, Any]:
        """Send, and while there is no answer (a dropped connection) send the same client_id.

        Answers the first acknowledgement or refusal, as the browser's outbox does.
        """
        while True:
            try:
                return self.send(client_id, body)
            except (socketio.exceptions.SocketIOError, OSError):
                time.sleep(0.2)

    def bodies(self) -> list[str]:
        with self.lock:
            return [m["body"] for m in self.held]

    def seqs(self) -> list[int]:
        with self.lock:
            return [m["seq"] for m in self.held]

    def close(self) -> None:
        """Disconnect, and after a crash close the WebSocket the dead server left open."""
        self.joined = False
        with contextlib.suppress(Exception):
            self.sio.shutdown()
        self._close_websocket(self.sio)
        for websocket in self.websockets:
            if websocket is not None:
                websocket.shutdown()
        self.websockets.clear()

    @staticmethod
    def _close_websocket(sio: socketio.Client) -> None:
        """python-engineio leaves a dropped WebSocket's socket open; close it for good."""
        websocket = getattr(sio.eio, "ws", None)
        if websocket is not None:
            with contextlib.suppress(Exception):
                websocket.close()
            websocket.shutdown()
