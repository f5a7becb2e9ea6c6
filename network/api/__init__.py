"""The REST API under /api/v1: flask-smorest blueprints, one module per resource."""

from __future__ import annotations

from flask import Flask

from network.extensions import api

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "Personal access token"},
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "arnet_session"},
}


def register_api(app: Flask) -> None:
    from network.api import me, tokens

    api.init_app(app, spec_kwargs={"security": [{"bearerAuth": []}, {"cookieAuth": []}]})
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    for module in (me, tokens):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
