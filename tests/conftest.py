"""Shared fixtures: an app per test on SQLite (or PostgreSQL), clients, named users per State."""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from network import create_app
from network.auth.accounts import create_user
from network.auth.models import User
from network.auth.tokens import create_token
from network.core import clock, outages
from network.directory.affiliation import Affiliation
from network.directory.models import ObserverBody, State
from network.extensions import db

# Each run gets a PostgreSQL database and a Redis prefix of its own, made here and dropped
# at the end, so that two runs on one machine (a developer's and CI's) never collide.
RUN_ID = f"{os.getpid()}_{secrets.token_hex(3)}"
POSTGRES_SERVER_URL = os.environ.get(
    "ARNET_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_URL = (
    make_url(POSTGRES_SERVER_URL)
    .set(database=f"arnet_test_{RUN_ID}")
    .render_as_string(hide_password=False)
)
REDIS_URL = os.environ.get("ARNET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_PREFIX = f"arnet-test-{RUN_ID}"
# Every app this run builds, in this process or in a server it starts, uses the run's prefix.
os.environ["ARNET_REDIS_PREFIX"] = REDIS_PREFIX
PASSWORD = "Sturdy-Test-Passphrase-42"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip where a service is absent on a laptop; in CI a missing service is a failure."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: services must be available)")
    pytest.skip(reason)


_run_database: list[bool] = []


def postgres_available() -> bool:
    """Whether the server answers; creates the run's own database on the first call."""
    if _run_database:
        return _run_database[0]
    try:
        admin = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{make_url(POSTGRES_URL).database}"'))
        admin.dispose()
    except OperationalError:
        return False
    _run_database.append(True)
    return True


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the run's PostgreSQL database and Redis keys; nothing of the run outlives it."""
    if _run_database:
        admin = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = make_url(POSTGRES_URL).database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    if redis_available():
        forget_redis_keys()


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def forget_redis_keys() -> None:
    """Delete this run's keys (and only this run's) from the shared Redis."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=f"{REDIS_PREFIX}*"):
        connection.delete(key)
    connection.close()


@pytest.fixture
def redis_url() -> str:
    """The shared Redis with this run's keys emptied; skips (fails in CI) without Redis."""
    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    forget_redis_keys()
    return REDIS_URL


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite by default; data-layer suites parametrise this with PostgreSQL as well."""
    if request.param == "postgresql":
        if not postgres_available():
            skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'arnet.db'}"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its app."""
    return {}


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (and so its own ``g`` and database session).

    The fixtures keep an app context open for the test body; without this, Flask would reuse
    it for requests, and ``g`` (the signed-in user, the CSRF token) would leak between them.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        hidden = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(hidden)


@contextmanager
def built_app(database_url: str, directory: Path, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """An app with empty tables and its context open; the tables go when the block ends."""
    overrides = {
        "ENV_NAME": "testing",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(directory / "instance"),
        "KEYRING": str(directory / "instance" / "keyring.json"),
        "ATTACHMENT_DIR": str(directory / "instance" / "attachments"),
        **app_overrides,
    }
    application = create_app(overrides)
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def no_open_outage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outage episodes are tracked per process: each test starts with none open."""
    monkeypatch.setattr(outages, "_began", {})


def closed_port() -> int:
    """A local TCP port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database_unreachable(app: Flask) -> Iterator[None]:
    """Inside the block the app's database is away: PostgreSQL behind a closed port, or a
    SQLite file in a folder that does not exist. The test's own session lets go of its
    connection first (its objects are reloaded when next read, after the block)."""
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "postgresql":
        away = url.set(host="127.0.0.1", port=closed_port())
    else:
        away = url.set(database=str(Path(app.instance_path) / "gone" / "arnet.db"))
    engines = db._app_engines[app]  # Flask-SQLAlchemy's engine per app; every session asks it
    real, unreachable = engines[None], create_engine(away)
    db.session.rollback()
    engines[None] = unreachable
    try:
        yield
    finally:
        engines[None] = real
        db.session.rollback()
        unreachable.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    with built_app(database_url, tmp_path, app_overrides) as application:
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Cast:
    """The named people of the test stories."""

    amina: User  # practitioner, Côte d'Ivoire (the requesting State in most stories)
    yao: User  # national administrator, Côte d'Ivoire
    lea: User  # practitioner, Switzerland (a requested State)
    camille: User  # practitioner, France (another requested State)
    chen: User  # practitioner, China (uninvolved)
    olga: User  # national administrator, Russian Federation
    observer: User  # observer of a regional network
    secretariat: User  # network administrator


STATE_NAMES = {
    "CIV": {
        "en": "Côte d’Ivoire",
        "fr": "Côte d’Ivoire",
        "ru": "Кот-д’Ивуар",
        "zh": "科特迪瓦",
        "ar": "كوت ديفوار",
        "es": "Côte d’Ivoire",
    },
    "CHE": {"en": "Switzerland", "fr": "Suisse"},
    "FRA": {"en": "France", "fr": "France"},
    "CHN": {"en": "China", "zh": "中国"},
    "RUS": {"en": "Russia", "ru": "Россия"},
}


def make_user(
    email: str, name: str, role: str, state: str | None = None, body: int | None = None
) -> User:
    return create_user(
        None,
        email=email,
        name=name,
        role=role,
        affiliation=Affiliation(state, body_id=body),
        password=PASSWORD,
        now=clock.now(),
    )


@pytest.fixture
def cast(app: Flask) -> Cast:
    return make_cast()


def make_cast() -> Cast:
    """The States, the observer body and the named people, committed."""
    for code, names in STATE_NAMES.items():
        if db.session.get(State, code) is None:
            db.session.add(State(code=code, names=names, time_zone="UTC"))
    body = ObserverBody(acronym="ARIN-T", name="Test Regional Network")
    db.session.add(body)
    db.session.flush()
    people = Cast(
        amina=make_user("amina@civ.example", "Aminata Koné", "practitioner", "CIV"),
        yao=make_user("yao@civ.example", "Yao Kouassi", "national_admin", "CIV"),
        lea=make_user("lea@che.example", "Léa Müller", "practitioner", "CHE"),
        camille=make_user("camille@fra.example", "Camille Laurent", "practitioner", "FRA"),
        chen=make_user("chen@chn.example", "Chen Wei", "practitioner", "CHN"),
        olga=make_user("olga@rus.example", "Ольга Смирнова", "national_admin", "RUS"),
        observer=make_user("observer@arin.example", "Obi Server", "observer", body=body.id),
        secretariat=make_user("secretariat@arnet.example", "Secretariat", "network_admin"),
    )
    db.session.commit()
    return people


def token_for(user: User, days: int = 30) -> str:
    _token, raw = create_token(user, "tests", days, now=clock.now(), max_days=366)
    db.session.commit()
    return raw


class ApiClient:
    """A test client that speaks to /api/v1 with a bearer token, as programs do."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def _send(self, method: str, path: str, headers: dict[str, str] | None, **kwargs: Any) -> Any:
        """Send with the token and any headers of the call's own (If-Match ...)."""
        sent = {**self.headers, **(headers or {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=sent, **kwargs)

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._send("GET", path, headers, **kwargs)

    def post(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._send("POST", path, headers, **kwargs)

    def patch(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._send("PATCH", path, headers, **kwargs)

    def put(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._send("PUT", path, headers, **kwargs)

    def delete(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self._send("DELETE", path, headers, **kwargs)


@pytest.fixture
def api_as(app: Flask) -> Any:
    """``api_as(cast.amina).get("/me")``: a fresh client acting with that user's token."""

    def make(user: User) -> ApiClient:
        return ApiClient(app.test_client(), token_for(user))

    return make


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match is not None, "page has no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD) -> Any:
    """Sign in through the real pages (password only works for users without TOTP in tests)."""
    page = client.get("/auth/sign-in")
    return client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": password, "csrf_token": csrf_from(page.text)},
    )


@pytest.fixture
def browser_as(app: Flask) -> Any:
    """``browser_as(cast.amina)``: a test client signed in through the HTML pages."""

    def make(user: User) -> FlaskClient:
        browser = app.test_client()
        response = sign_in(browser, user)
        assert response.status_code == 302, response.text
        return browser

    return make
