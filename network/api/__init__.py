"""The REST API under /api/v1: flask-smorest blueprints, one module per resource."""

from __future__ import annotations

from flask import Flask

from network.api.asyncapi import register_asyncapi
from network.api.examples import ExamplesPlugin, ParameterExamples
from network.api.responses import OperationIds, SharedErrorAnswers
from network.extensions import api
from network.http.security import relax_policy_for_docs
from network.schemas.common import ErrorSchema, Money

SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "Personal access token"},
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "arnet_session"},
}


def register_api(app: Flask) -> None:
    from network.api import (
        asks,
        assistance,
        authorities,
        cases,
        channels,
        deadlines,
        directory,
        disclosures,
        drafts,
        focal_points,
        library,
        me,
        notifications,
        recovery,
        returns,
        search,
        states,
        statistics,
        tokens,
        who_to_ask,
    )

    # Errors are documented as they are sent ({"code", "message", "errors"}), each status where it
    # occurs, and no catch-all "default" answer that would hide an undeclared one.
    api.ERROR_SCHEMA = ErrorSchema
    api.DEFAULT_ERROR_RESPONSE_NAME = None
    api.init_app(
        app,
        spec_kwargs={
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
            "marshmallow_plugin": ExamplesPlugin(),
            "extra_plugins": [SharedErrorAnswers(), OperationIds(), ParameterExamples()],
        },
    )
    api.register_field(Money, "string", "decimal")
    relax_policy_for_docs(app, "api-docs.openapi_redoc")
    register_asyncapi(app, app.config["API_VERSION"])
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    resources = (
        (me, tokens),
        (search, states, authorities, focal_points, directory, who_to_ask),
        (cases, channels),
        (assistance, recovery, returns, disclosures, asks),
        (notifications, deadlines, drafts, statistics),
        (library,),
    )
    for group in resources:
        for module in group:
            api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
