"""The REST API under /api/v1: flask-smorest blueprints, one module per resource."""

from __future__ import annotations

from flask import Flask

from network.extensions import api
from network.security import relax_policy_for_docs

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "Personal access token"},
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "arnet_session"},
}


def register_api(app: Flask) -> None:
    from network.api import (
        authorities,
        cases,
        channels,
        deadlines,
        directory,
        drafts,
        focal_points,
        me,
        notifications,
        search,
        states,
        tokens,
    )

    api.init_app(app, spec_kwargs={"security": [{"bearerAuth": []}, {"cookieAuth": []}]})
    relax_policy_for_docs(app, "api-docs.openapi_redoc")
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    directory_modules = (search, states, authorities, focal_points, directory)
    for module in (me, tokens, cases, channels, *directory_modules):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
    for module in (notifications, deadlines, drafts):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
    from network.api import assistance, disclosures, recovery

    for module in (assistance, recovery, disclosures):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
