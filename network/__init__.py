"""ARNet, the asset-recovery focal point network: the application factory (wiring only)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` is an environment name or a dict of overrides."""
    name = config if isinstance(config, str) else None
    overrides = config if isinstance(config, dict) else None
    settings = load_config(overrides.get("ENV_NAME") if overrides else name, overrides)

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.logger.level == logging.NOTSET and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        # A server logs its start-up facts (such as where throttle counters live) at INFO; a
        # ``flask`` command keeps stderr to its one-line reason. A deployment's own logging
        # configuration, set before this, decides otherwise.
        app.logger.setLevel(logging.INFO)

    from network import extensions, models  # noqa: F401 - models registers every table
    from network.api import register_api
    from network.cli import network_cli
    from network.core import outages, sqlite
    from network.http.converters import register_converters
    from network.http.errors import register_error_handlers
    from network.http.locale import init_i18n
    from network.http.notices import init_notices
    from network.http.observability import init_observability
    from network.http.security import init_security, trust_proxies
    from network.realtime import init_realtime
    from network.web import register_web
    from network.wiring import init_services

    extensions.db.init_app(app)
    with app.app_context():
        sqlite.tune(extensions.db.engine)
        outages.watch_database(extensions.db.engine)
    extensions.migrate.init_app(
        app,
        extensions.db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    register_converters(app)
    init_observability(app)
    init_services(app)
    init_i18n(app)
    init_security(app)
    init_notices(app)
    register_api(app)
    register_web(app)
    init_realtime(app)
    register_error_handlers(app)
    app.cli.add_command(network_cli)
    trust_proxies(app)
    return app
