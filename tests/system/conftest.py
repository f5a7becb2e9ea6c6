"""Fixtures that start real processes; every one of them is stopped by a finalizer."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import (
    POSTGRES_URL,
    REDIS_URL,
    forget_redis_keys,
    postgres_available,
    skip_or_fail,
)
from tests.system.harness import PREPARE, RedisProcess, ServerProcess, Site


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 6379)
    try:
        with socket.create_connection(address, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def postgres_site(tmp_path: Path) -> Iterator[Site]:
    """A PostgreSQL database of the test's own, with the schema and a few States."""
    if not postgres_available():
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    name = f"arnet_system_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    site = Site(workdir=tmp_path, database_url=url)
    try:
        site.python(PREPARE)
        yield site
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Site:
    site = Site(workdir=tmp_path, database_url=f"sqlite:///{tmp_path / 'arnet.db'}")
    site.python(PREPARE)
    return site


@pytest.fixture
def shared_redis_url() -> str:
    """The machine's Redis with this run's keys emptied first."""
    if not redis_reachable(REDIS_URL):
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    forget_redis_keys()
    return REDIS_URL


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    """A Redis process this test may stop and start again."""
    import shutil

    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    server = RedisProcess(redis_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """``start_server(site, "one")``: a running ``python wsgi.py``; all are stopped at the end."""
    started: list[ServerProcess] = []

    def start(site: Site, name: str, redis_url: str | None = None) -> ServerProcess:
        server = ServerProcess(site, name, redis_url)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
