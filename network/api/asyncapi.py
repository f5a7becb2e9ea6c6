"""The Socket.IO events as an AsyncAPI 3.0 document, served beside the OpenAPI one.

Built from the same marshmallow schemas that the socket handlers load and the delivery
dumps, so that the document cannot drift from the code; the realtime tests check that
every event a server handles or emits is described here.
"""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import OpenAPIConverter
from flask import Flask, Response, jsonify
from marshmallow import Schema, fields

from network.schemas.common import ErrorSchema
from network.schemas.messages import (
    JoinAnswerSchema,
    JoinSchema,
    MembershipEventSchema,
    MessageSchema,
    NotificationPushSchema,
    ReadAnswerSchema,
    ReadSchema,
    ReceiptSchema,
    RemovedSchema,
    SendAnswerSchema,
    SendSchema,
)

# What a client emits: (payload, acknowledgement, what it does).
CLIENT_EVENTS: dict[str, tuple[type[Schema], type[Schema], str]] = {
    "join": (
        JoinSchema,
        JoinAnswerSchema,
        "Enter a channel's room and read what came after `after_seq`; live `message` events "
        "follow. Join again from the last seq held after any reconnect or gap in seq.",
    ),
    "send": (
        SendSchema,
        SendAnswerSchema,
        "Send a message; acknowledged once committed. A retry with the same `client_id` is "
        "stored once.",
    ),
    "read": (ReadSchema, ReadAnswerSchema, "Mark the channel read up to `seq`."),
}
# What the server emits, to the rooms a socket is in.
SERVER_EVENTS: dict[str, tuple[type[Schema], str]] = {
    "message": (MessageSchema, "A message stored in a channel the socket joined."),
    "receipt": (ReceiptSchema, "A member read a channel the socket joined up to `seq`."),
    "notification": (NotificationPushSchema, "A new notice of the signed-in user."),
    "membership_started": (MembershipEventSchema, "The user was seated in a channel."),
    "membership_ended": (MembershipEventSchema, "The user's seat in a channel ended."),
    "removed": (RemovedSchema, "The socket no longer receives this channel."),
}


class _Refusal(Schema):
    error = fields.Nested(ErrorSchema)


def _json_schema(schema: type[Schema]) -> dict[str, Any]:
    """The JSON Schema of a marshmallow schema, nested schemas written in place."""
    converter = OpenAPIConverter(
        openapi_version="3.0.3",
        schema_name_resolver=lambda _schema: None,
        spec=None,  # type: ignore[arg-type]  # only needed to register named schemas
    )
    return converter.schema2jsonschema(schema())  # type: ignore[no-any-return]


def _message(name: str, schema: type[Schema], summary: str) -> dict[str, Any]:
    return {"name": name, "summary": summary, "payload": _json_schema(schema)}


def document(version: str) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of ARNet's Socket.IO namespace ``/``."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, (payload, answer, summary) in CLIENT_EVENTS.items():
        channels[name] = {
            "address": name,
            "messages": {
                name: _message(name, payload, summary),
                f"{name}_ack": _message(f"{name}_ack", answer, "The acknowledgement."),
                f"{name}_refused": _message(
                    f"{name}_refused",
                    _Refusal,
                    "The acknowledgement of a refusal: the REST error body under `error`.",
                ),
            },
        }
        operations[name] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
            "reply": {
                "channel": {"$ref": f"#/channels/{name}"},
                "messages": [
                    {"$ref": f"#/channels/{name}/messages/{name}_ack"},
                    {"$ref": f"#/channels/{name}/messages/{name}_refused"},
                ],
            },
        }
    for name, (payload, summary) in SERVER_EVENTS.items():
        channels[name] = {"address": name, "messages": {name: _message(name, payload, summary)}}
        operations[name] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "ARNet Socket.IO events",
            "version": version,
            "description": (
                "Socket.IO 5 on the path /socket.io/, namespace `/`. Connect with "
                '`auth: {"token": "<personal access token>"}` or a signed-in browser '
                "session; a refused connection says why in its error data."
            ),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
    }


def register_asyncapi(app: Flask, version: str) -> None:
    def serve() -> Response:
        return jsonify(document(version))

    app.add_url_rule("/api/v1/asyncapi.json", "asyncapi", serve)
