"""Shared schemas: pagination, bounded integers, money, the error body, a record's integrity."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from network.core.i18n import N_
from network.core.types import INT_MAX
from network.sealing.integrity import INTEGRITY_STATES


class StoredInteger(fields.Integer):
    """An integer input a database column can hold: a larger one is a 422, never an overflow."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate.Range(min=-INT_MAX - 1, max=INT_MAX))


class Money(fields.Decimal):
    """An amount, written as a decimal string ("1250000.50") so that no float ever carries it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(as_string=True, **kwargs)


class PageArgs(Schema):
    """``?page=&per_page=`` on every list."""

    page = StoredInteger(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ErrorSchema(Schema):
    code = fields.Integer(
        required=True, metadata={"description": "The HTTP status.", "example": 409}
    )
    reason = fields.String(
        required=True,
        metadata={
            "description": "What went wrong, for programs to branch on; stable once published. "
            "By status: bad_request, malformed_body, csrf_token_invalid (400); "
            "authentication_required, authentication_failed, token_not_valid (401); "
            "forbidden (403); not_found "
            "or <object>_not_found such as case_not_found, channel_not_found, "
            "request_not_found, measure_not_found (404); method_not_allowed (405); conflict, "
            "transition_not_allowed, request_incomplete, measure_closed, measure_lapsed, "
            "expiry_moved, "
            "changed_meanwhile (409); "
            "stale_edit (412); "
            "too_large, attachment_too_large (413); unsupported_media_type (415); "
            "invalid_input (422); rate_limited (429); internal_error (500); "
            "service_unavailable (503); storage_full (507).",
            "example": "transition_not_allowed",
        },
    )
    message = fields.String(
        required=True,
        metadata={
            "description": "The same in words, in the caller's language.",
            "example": "This request is already sent; it cannot be sent again.",
        },
    )
    errors = fields.Dict(
        required=True,
        metadata={
            "description": "Lists of messages by field. A 409 on a record with a lifecycle "
            "also says where the record stands: `current` (its status now, read after any "
            "concurrent change) and `allowed` (the steps the caller may take from it).",
            "example": {"current": ["sent"], "allowed": ["withdrawn"]},
        },
    )


def integrity_field() -> fields.String:
    """``integrity`` of a record with sealed fields, the same in every schema that has one."""
    return fields.String(
        validate=validate.OneOf(INTEGRITY_STATES),
        metadata={
            "description": "ok, or failed when a sealed field of this record did not pass its "
            "integrity check: those fields are then null (lists and objects empty), the rest "
            "is served as usual."
        },
    )


# marshmallow's own messages, as it writes them ({name} filled in), beside the same words
# marked for translation (%(name)s), so an edge shows every input error in the user's language.
BUILT_IN_MESSAGES: tuple[tuple[str, str], ...] = (
    ("Missing data for required field.", N_("Missing data for required field.")),
    ("Field may not be null.", N_("Field may not be null.")),
    ("Invalid value.", N_("Invalid value.")),
    ("Invalid input.", N_("Invalid input.")),
    ("Invalid input type.", N_("Invalid input type.")),
    ("Invalid type.", N_("Invalid type.")),
    ("Unknown field.", N_("Unknown field.")),
    ("Not a valid string.", N_("Not a valid string.")),
    ("Not a valid utf-8 string.", N_("Not a valid utf-8 string.")),
    ("Not a valid integer.", N_("Not a valid integer.")),
    ("Not a valid number.", N_("Not a valid number.")),
    ("Number too large.", N_("Number too large.")),
    ("Not a valid boolean.", N_("Not a valid boolean.")),
    ("Not a valid date.", N_("Not a valid date.")),
    ("Not a valid datetime.", N_("Not a valid datetime.")),
    ("Not a valid email address.", N_("Not a valid email address.")),
    ("Not a valid URL.", N_("Not a valid URL.")),
    ("Not a valid list.", N_("Not a valid list.")),
    ("Not a valid mapping type.", N_("Not a valid mapping type.")),
    (
        "Special numeric values (nan or infinity) are not permitted.",
        N_("Special numeric values (nan or infinity) are not permitted."),
    ),
    ("String does not match expected pattern.", N_("String does not match expected pattern.")),
    ("Shorter than minimum length {min}.", N_("Shorter than minimum length %(min)s.")),
    ("Longer than maximum length {max}.", N_("Longer than maximum length %(max)s.")),
    ("Length must be between {min} and {max}.", N_("Length must be between %(min)s and %(max)s.")),
    ("Length must be {equal}.", N_("Length must be %(equal)s.")),
    ("Must be greater than or equal to {min}.", N_("Must be greater than or equal to %(min)s.")),
    ("Must be greater than {min}.", N_("Must be greater than %(min)s.")),
    ("Must be less than or equal to {max}.", N_("Must be less than or equal to %(max)s.")),
    ("Must be less than {max}.", N_("Must be less than %(max)s.")),
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    ),
    ("Must be one of: {choices}.", N_("Must be one of: %(choices)s.")),
    ("Must be equal to {other}.", N_("Must be equal to %(other)s.")),
    (
        "One or more of the choices you made was not in: {choices}.",
        N_("One or more of the choices you made was not in: %(choices)s."),
    ),
)
