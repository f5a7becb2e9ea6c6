"""Server-rendered pages; views call services and never query case data themselves."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

# Browser libraries installed from the npm registry (package.json); only these are served.
VENDOR_FILES = {
    "socket.io/socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "redoc/redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
    "axe/axe.min.js": "axe-core/axe.min.js",
}


def _vendor(path: str) -> Response:
    target = VENDOR_FILES.get(path)
    if target is None:
        abort(404)
    # The application's root is the network package; node_modules sits beside it.
    folder = (Path(current_app.root_path).parent / "node_modules" / target).parent
    return send_from_directory(folder, Path(target).name, max_age=3600)


def register_web(app: Flask) -> None:
    from network.web import account, admin, auth, cases, directory, health, home

    for module in (home, health, auth, account, admin, directory, cases):
        app.register_blueprint(module.bp)
    from network.web import figures, library, notifications, technical_assistance

    for module in (notifications, figures, library, technical_assistance):
        app.register_blueprint(module.bp)
    from network.web import tables, tracking

    app.register_blueprint(tracking.bp)
    app.register_blueprint(tables.bp)
    from network.web.labels import register_labels
    from network.web.state_picker import register_state_picker

    register_labels(app)
    register_state_picker(app)
    app.add_url_rule("/vendor/<path:path>", "vendor", _vendor)
