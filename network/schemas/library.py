"""Shapes of the library, technical-assistance needs and offers, and "who do I ask"."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.core.i18n import N_
from network.schemas.assistance import PersonRefSchema
from network.schemas.common import PageArgs
from network.schemas.library_vocabularies import (
    ASSISTANCE_AREAS,
    ASSISTANCE_DIRECTIONS,
    ASSISTANCE_STATUSES,
    DOCUMENT_KINDS,
    LIBRARY_LANGUAGES,
    WHO_TO_ASK,
)

_STATE = validate.Regexp(r"^[A-Z]{3}$", error=N_("A State's ISO 3166 alpha-3 code, such as CHE."))

# --- the library ----------------------------------------------------------------------------------


class LibraryArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(validate=validate.OneOf(list(DOCUMENT_KINDS)))
    state = fields.String(validate=_STATE)
    language = fields.String(validate=validate.OneOf(LIBRARY_LANGUAGES))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class LibraryVersionSchema(Schema):
    language = fields.String(required=True, validate=validate.OneOf(LIBRARY_LANGUAGES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    summary = fields.String(load_default="", validate=validate.Length(max=1000))
    body = fields.String(load_default="", validate=validate.Length(max=100_000))
    dated_on = fields.Date(required=True, metadata={"description": "The version's own date"})


class LibraryDocumentSchema(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(list(DOCUMENT_KINDS)))
    state = fields.String(attribute="state_code", allow_none=True)
    title = fields.String(metadata={"description": "In the caller's language where there is one"})
    languages = fields.List(fields.String(), metadata={"description": "Its language versions"})
    matched_language = fields.String(
        allow_none=True,
        metadata={"description": "The language version a search matched, if any"},
    )
    versions = fields.List(fields.Nested(LibraryVersionSchema))
    published_by = fields.Nested(PersonRefSchema, allow_none=True)
    published_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer(metadata={"description": "Send it back in If-Match to edit"})
    may_edit = fields.Boolean(metadata={"description": "Whether the caller keeps this document"})


class LibraryListSchema(Schema):
    items = fields.List(fields.Nested(LibraryDocumentSchema))
    total = fields.Integer()
    page = fields.Integer()


class LibraryDocumentInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(DOCUMENT_KINDS)))
    state = fields.String(
        load_default=None,
        allow_none=True,
        validate=_STATE,
        metadata={"description": "The State a how-to-cooperate note or a State's form belongs to"},
    )
    versions = fields.List(
        fields.Nested(LibraryVersionSchema),
        required=True,
        validate=validate.Length(min=1, max=6),
    )


class LibraryDocumentPatch(Schema):
    kind = fields.String(validate=validate.OneOf(list(DOCUMENT_KINDS)))
    state = fields.String(allow_none=True, validate=_STATE)
    versions = fields.List(
        fields.Nested(LibraryVersionSchema),
        validate=validate.Length(min=1, max=6),
        metadata={"description": "Replaces every version"},
    )


# --- technical assistance -------------------------------------------------------------------------


class AssistanceNeedSchema(Schema):
    id = fields.Integer()
    state = fields.String(attribute="state_code")
    direction = fields.String(validate=validate.OneOf(list(ASSISTANCE_DIRECTIONS)))
    area = fields.String(validate=validate.OneOf(list(ASSISTANCE_AREAS)))
    description = fields.String()
    status = fields.String(validate=validate.OneOf(list(ASSISTANCE_STATUSES)))
    recorded_by = fields.Nested(PersonRefSchema, allow_none=True)
    recorded_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()


class AreaFiguresSchema(Schema):
    area = fields.String(validate=validate.OneOf(list(ASSISTANCE_AREAS)))
    needs = fields.Integer(
        allow_none=True,
        metadata={"description": "States with an open need; null when fewer than three"},
    )
    offers = fields.Integer(
        allow_none=True,
        metadata={"description": "States with an open offer; null when fewer than three"},
    )


class TechnicalAssistanceArgs(PageArgs):
    state = fields.String(
        validate=_STATE,
        metadata={"description": "Network administrator only: one State's entries"},
    )


class TechnicalAssistanceSchema(Schema):
    figures = fields.List(
        fields.Nested(AreaFiguresSchema), metadata={"description": "Across the network"}
    )
    items = fields.List(
        fields.Nested(AssistanceNeedSchema),
        metadata={"description": "State by State for the network administrator; else one's own"},
    )
    total = fields.Integer()
    page = fields.Integer()


class AssistanceNeedInput(Schema):
    direction = fields.String(required=True, validate=validate.OneOf(list(ASSISTANCE_DIRECTIONS)))
    area = fields.String(required=True, validate=validate.OneOf(list(ASSISTANCE_AREAS)))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    status = fields.String(load_default="open", validate=validate.OneOf(list(ASSISTANCE_STATUSES)))


class AssistanceNeedPatch(Schema):
    direction = fields.String(validate=validate.OneOf(list(ASSISTANCE_DIRECTIONS)))
    area = fields.String(validate=validate.OneOf(list(ASSISTANCE_AREAS)))
    description = fields.String(validate=validate.Length(max=2000))
    status = fields.String(validate=validate.OneOf(list(ASSISTANCE_STATUSES)))


# --- who do I ask ---------------------------------------------------------------------------------


class WhoToAskArgs(Schema):
    assistance = fields.String(required=True, validate=validate.OneOf(list(WHO_TO_ASK)))
    asset_state = fields.String(
        required=True, validate=_STATE, metadata={"description": "Where the asset is"}
    )


class ProposedAuthoritySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    email = fields.String()
    phone = fields.String()


class ProposedFocalPointSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String()
    authority = fields.Integer(attribute="authority_id")
    email = fields.String()
    expertise = fields.List(fields.String())


class ProfileNoteSchema(Schema):
    label = fields.String()
    value = fields.String()


class NoteRefSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    languages = fields.List(fields.String(validate=validate.OneOf(LIBRARY_LANGUAGES)))


class WhoToAskSchema(Schema):
    state = fields.String()
    assistance = fields.String(validate=validate.OneOf(list(WHO_TO_ASK)))
    authorities = fields.List(fields.Nested(ProposedAuthoritySchema))
    focal_points = fields.List(fields.Nested(ProposedFocalPointSchema))
    profile_notes = fields.List(fields.Nested(ProfileNoteSchema))
    cooperation_notes = fields.List(
        fields.Nested(NoteRefSchema),
        metadata={"description": "The State's how-to-cooperate notes in the library"},
    )
