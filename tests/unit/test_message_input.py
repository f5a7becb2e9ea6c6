"""Specifications for a message's shape, checked once by its schema for REST and Socket.IO."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from network.schemas.messages import MessageInput, SendSchema


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"body": "   "}, "body"),
        ({"handling_code": "H9"}, "handling_code"),
        ({"handling_code": ""}, "handling_code"),
        ({"client_id": ""}, "client_id"),
        ({"client_id": "has space"}, "client_id"),
    ],
)
def test_a_message_of_the_wrong_shape_is_refused_by_its_schema(
    values: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {"client_id": "c-1", "body": "Fine", "handling_code": "H0"}

    with pytest.raises(ValidationError) as refused:
        MessageInput().load({**arguments, **values})
    with pytest.raises(ValidationError) as sent:
        SendSchema().load({"channel": 1, **arguments, **values})

    assert field in refused.value.messages
    assert field in sent.value.messages
