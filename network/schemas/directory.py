"""Marshmallow schemas of the directory resources: States, authorities, focal points, profiles."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.schemas.common import PageArgs, StoredInteger
from network.schemas.directory_vocabularies import (
    AUTHORITY_CHANNELS,
    AUTHORITY_KINDS,
    AUTHORITY_STATUSES,
    DUAL_CRIMINALITY,
    EXPERTISE,
    FOCAL_POINT_STATUSES,
    FOREIGN_ORDERS,
    MEMBERSHIP_STATUSES,
    NETWORKS,
    REGIONS,
    TRANSMISSION_MEANS,
    TREATY_OR_RECIPROCITY,
    UNCAC_STATUSES,
)


class StateSchema(Schema):
    code = fields.String()
    names = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"example": {"en": "Switzerland", "fr": "Suisse", "ar": "سويسرا"}},
    )
    uncac_status = fields.String()
    region = fields.String(allow_none=True)
    time_zone = fields.String()
    is_demo_data = fields.Boolean(
        metadata={"description": "UNCAC status and region are demo values."}
    )
    is_observer_state = fields.Boolean()


class StateListSchema(Schema):
    items = fields.List(fields.Nested(StateSchema))
    total = fields.Integer()
    page = fields.Integer()


class StateArgs(PageArgs):
    region = fields.String(validate=validate.OneOf(list(REGIONS)))


class StateInput(Schema):
    uncac_status = fields.String(validate=validate.OneOf(list(UNCAC_STATUSES)))
    region = fields.String(allow_none=True, validate=validate.OneOf([*REGIONS, ""]))
    time_zone = fields.String(validate=validate.Length(max=64))
    is_demo_data = fields.Boolean()


class MembershipSchema(Schema):
    network = fields.String(required=True, validate=validate.OneOf(list(NETWORKS)))
    status = fields.String(required=True, validate=validate.OneOf(list(MEMBERSHIP_STATUSES)))


class AuthorityInput(Schema):
    """Fields of an authority; the service checks e-mail, phones, time zone and ISO 639 codes."""

    key = fields.String(allow_none=True, validate=validate.Length(max=64))
    kind = fields.String(validate=validate.OneOf(list(AUTHORITY_KINDS)))
    name = fields.String(validate=validate.Length(min=1, max=300))
    name_en = fields.String(allow_none=True, validate=validate.Length(max=300))
    address = fields.String(validate=validate.Length(max=1000))
    phone = fields.String(validate=validate.Length(max=40))
    phone_24_7 = fields.String(validate=validate.Length(max=40))
    email = fields.String(validate=validate.Length(max=254))
    time_zone = fields.String(validate=validate.Length(max=64))
    office_days = fields.String(validate=validate.Length(max=7))
    opens_at = fields.String(validate=validate.Length(max=5))
    closes_at = fields.String(validate=validate.Length(max=5))
    languages = fields.List(fields.String(validate=validate.Length(max=3)))
    transmission_means = fields.List(
        fields.String(validate=validate.OneOf(list(TRANSMISSION_MEANS)))
    )
    encryption_required = fields.Boolean()
    e_signature_required = fields.Boolean()
    channels = fields.List(fields.String(validate=validate.OneOf(list(AUTHORITY_CHANNELS))))
    oral_urgent_requests = fields.Boolean()
    networks = fields.List(fields.Nested(MembershipSchema))
    source = fields.String(validate=validate.Length(max=300))
    status = fields.String(validate=validate.OneOf(list(AUTHORITY_STATUSES)))


class NewAuthorityInput(AuthorityInput):
    state = fields.String(required=True, validate=validate.Length(equal=3))
    kind = fields.String(required=True, validate=validate.OneOf(list(AUTHORITY_KINDS)))
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))


class AuthorityPageInput(AuthorityInput):
    """The authority page: the kind and name required, languages and networks typed as
    comma-separated text, which the service reads as it reads lists."""

    kind = fields.String(required=True, validate=validate.OneOf(list(AUTHORITY_KINDS)))
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    # The text's shape differs from the API's list: a narrower type by design.
    languages = fields.String(validate=validate.Length(max=200))  # type: ignore[assignment]
    networks = fields.String(validate=validate.Length(max=500))  # type: ignore[assignment]


class AuthoritySchema(Schema):
    id = fields.Integer()
    key = fields.String(allow_none=True)
    state = fields.String(attribute="state_code")
    kind = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    address = fields.String()
    phone = fields.String()
    phone_24_7 = fields.String()
    email = fields.String()
    time_zone = fields.String()
    office_days = fields.String(metadata={"description": "ISO weekdays open, e.g. 12345."})
    opens_at = fields.String()
    closes_at = fields.String()
    languages = fields.List(fields.String())
    transmission_means = fields.List(fields.String())
    encryption_required = fields.Boolean()
    e_signature_required = fields.Boolean()
    channels = fields.List(fields.String())
    oral_urgent_requests = fields.Boolean()
    networks = fields.List(fields.Nested(MembershipSchema))
    source = fields.String()
    status = fields.String()
    is_demo = fields.Boolean()
    last_confirmed_at = fields.DateTime(allow_none=True)
    stale = fields.Boolean(metadata={"description": "Not confirmed for 12 months."})
    office_open_now = fields.Boolean(dump_only=True)
    local_time_now = fields.DateTime(dump_only=True)


class AuthorityListSchema(Schema):
    items = fields.List(fields.Nested(AuthoritySchema))
    total = fields.Integer()
    page = fields.Integer()


class AuthorityArgs(PageArgs):
    # Loaded under the service's own name, so that the arguments pass to it as they are.
    state_code = fields.String(data_key="state", validate=validate.Length(equal=3))
    kind = fields.String(validate=validate.OneOf(list(AUTHORITY_KINDS)))


class FocalPointInput(Schema):
    key = fields.String(allow_none=True, validate=validate.Length(max=64))
    authority_id = StoredInteger()
    name = fields.String(validate=validate.Length(min=1, max=200))
    name_latin = fields.String(validate=validate.Length(max=200))
    title = fields.String(validate=validate.Length(max=200))
    email = fields.String(validate=validate.Length(max=254))
    phone = fields.String(validate=validate.Length(max=40))
    languages = fields.List(fields.String(validate=validate.Length(max=3)))
    expertise = fields.List(fields.String(validate=validate.OneOf(list(EXPERTISE))))
    networks = fields.List(fields.Nested(MembershipSchema))
    user_id = StoredInteger(allow_none=True)
    status = fields.String(validate=validate.OneOf(list(FOCAL_POINT_STATUSES)))


class NewFocalPointInput(FocalPointInput):
    authority_id = StoredInteger(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class FocalPointPageInput(NewFocalPointInput):
    """The focal-point page: languages and networks typed as comma-separated text, which the
    service reads as it reads lists."""

    # The text's shape differs from the API's list: a narrower type by design.
    languages = fields.String(validate=validate.Length(max=200))  # type: ignore[assignment]
    networks = fields.String(validate=validate.Length(max=500))  # type: ignore[assignment]


class FocalPointSchema(Schema):
    id = fields.Integer()
    key = fields.String(allow_none=True)
    state = fields.String(attribute="state_code")
    authority_id = fields.Integer()
    authority = fields.Function(lambda f: f.authority.name)
    name = fields.String()
    name_latin = fields.String()
    title = fields.String()
    email = fields.String()
    phone = fields.String()
    languages = fields.List(fields.String())
    expertise = fields.List(fields.String())
    networks = fields.List(fields.Nested(MembershipSchema))
    user_id = fields.Integer(allow_none=True)
    status = fields.String()
    is_demo = fields.Boolean()
    last_confirmed_at = fields.DateTime(allow_none=True)
    last_confirmed_by = fields.Function(
        lambda f: f.last_confirmed_by.name if f.last_confirmed_by else None, allow_none=True
    )
    stale = fields.Boolean()


class FocalPointListSchema(Schema):
    items = fields.List(fields.Nested(FocalPointSchema))
    total = fields.Integer()
    page = fields.Integer()


class FocalPointArgs(PageArgs):
    # Loaded under the service's own name, so that the arguments pass to it as they are.
    state_code = fields.String(data_key="state", validate=validate.Length(equal=3))
    authority_id = StoredInteger()


class ProfileInput(Schema):
    """A new version: fields left out keep their current value."""

    uncac_basis_mla = fields.Boolean(allow_none=True)
    uncac_basis_extradition = fields.Boolean(allow_none=True)
    uncac_basis_confiscation = fields.Boolean(allow_none=True)
    treaty_or_reciprocity = fields.String(validate=validate.OneOf(list(TREATY_OR_RECIPROCITY)))
    dual_criminality = fields.String(validate=validate.OneOf(list(DUAL_CRIMINALITY)))
    persons_notified = fields.Boolean(allow_none=True)
    appeal_possible = fields.Boolean(allow_none=True)
    evidence_use_limits = fields.String(validate=validate.Length(max=4000))
    foreign_freezing_orders = fields.String(validate=validate.OneOf(list(FOREIGN_ORDERS)))
    foreign_confiscation_orders = fields.String(validate=validate.OneOf(list(FOREIGN_ORDERS)))
    ncb_forfeiture = fields.Boolean(allow_none=True)
    foreign_ncb_enforceable = fields.Boolean(allow_none=True)
    longest_freeze = fields.String(validate=validate.Length(max=300))
    freeze_extension = fields.String(validate=validate.Length(max=4000))
    urgent_procedure = fields.String(validate=validate.Length(max=4000))
    languages = fields.List(fields.String(validate=validate.Length(max=3)))
    translation_needs = fields.String(validate=validate.Length(max=4000))
    typical_time_to_freeze = fields.String(validate=validate.Length(max=300))
    links = fields.List(fields.String(validate=validate.Length(max=500)))
    templates = fields.String(validate=validate.Length(max=4000))
    note = fields.String(validate=validate.Length(max=500))


class ProfilePageInput(ProfileInput):
    """The country-profile page: languages typed as comma-separated text, which the service
    reads as it reads a list."""

    # The text's shape differs from the API's list: a narrower type by design.
    languages = fields.String(validate=validate.Length(max=200))  # type: ignore[assignment]


class ChecklistItemSchema(Schema):
    label = fields.String()
    value = fields.String()


class ProfileSchema(Schema):
    state = fields.String(attribute="state_code")
    version = fields.Integer()
    uncac_basis_mla = fields.Boolean(allow_none=True)
    uncac_basis_extradition = fields.Boolean(allow_none=True)
    uncac_basis_confiscation = fields.Boolean(allow_none=True)
    treaty_or_reciprocity = fields.String()
    dual_criminality = fields.String()
    persons_notified = fields.Boolean(allow_none=True)
    appeal_possible = fields.Boolean(allow_none=True)
    evidence_use_limits = fields.String()
    foreign_freezing_orders = fields.String()
    foreign_confiscation_orders = fields.String()
    ncb_forfeiture = fields.Boolean(allow_none=True)
    foreign_ncb_enforceable = fields.Boolean(allow_none=True)
    longest_freeze = fields.String()
    freeze_extension = fields.String()
    urgent_procedure = fields.String()
    languages = fields.List(fields.String())
    translation_needs = fields.String()
    typical_time_to_freeze = fields.String()
    links = fields.List(fields.String())
    templates = fields.String()
    note = fields.String()
    is_demo = fields.Boolean()
    changed_at = fields.DateTime()
    changed_by = fields.Function(
        lambda p: p.changed_by.name if p.changed_by else None, allow_none=True
    )
    checklist = fields.List(fields.Nested(ChecklistItemSchema))


class ProfileHistorySchema(Schema):
    items = fields.List(fields.Nested(ProfileSchema))
    total = fields.Integer()
    page = fields.Integer()


class SearchArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    region = fields.String(validate=validate.OneOf(list(REGIONS)))
    kind = fields.String(validate=validate.OneOf(list(AUTHORITY_KINDS)))
    language = fields.String(validate=validate.Length(min=2, max=3))
    expertise = fields.String(validate=validate.OneOf(list(EXPERTISE)))
    type = fields.String(validate=validate.OneOf(["state", "authority", "focal_point"]))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SearchHitSchema(Schema):
    type = fields.String(metadata={"description": "state, authority or focal_point"})
    id = fields.String(metadata={"description": "The State's code, or the entry's id."})
    label = fields.String()
    highlights = fields.List(
        fields.List(fields.Integer()),
        metadata={"description": "The matched words: [start, end) character ranges of the label."},
    )
    state = fields.String()
    detail = fields.String()
    stale = fields.Boolean()
    score = fields.Float()
    url = fields.String()


class SearchResultSchema(Schema):
    items = fields.List(fields.Nested(SearchHitSchema))
    total = fields.Integer()
    page = fields.Integer()


class ObserverBodySchema(Schema):
    id = fields.Integer(dump_only=True)
    acronym = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    # A list has no ETag per item: the version to send in If-Match when renaming one.
    version = fields.Integer(dump_only=True)


class ObserverBodyPatch(Schema):
    acronym = fields.String(validate=validate.Length(min=1, max=32))
    name = fields.String(validate=validate.Length(min=1, max=200))


class ObserverBodyListSchema(Schema):
    items = fields.List(fields.Nested(ObserverBodySchema))
    total = fields.Integer()
    page = fields.Integer()


class ExportArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))
    kind = fields.String(
        validate=validate.OneOf(
            ["observer_bodies", "states", "authorities", "focal_points", "profiles"]
        )
    )


class ImportArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))
    kind = fields.String(
        validate=validate.OneOf(
            ["observer_bodies", "states", "authorities", "focal_points", "profiles"]
        )
    )


class ImportResultSchema(Schema):
    imported = fields.Dict(keys=fields.String(), values=fields.Integer())


class StaleEntrySchema(Schema):
    state_code = fields.String()
    entry_type = fields.String()
    entry_id = fields.Integer()
    label = fields.String()
    last_confirmed_at = fields.DateTime(allow_none=True)


class StaleReportSchema(Schema):
    items = fields.List(fields.Nested(StaleEntrySchema))
    total = fields.Integer()
    page = fields.Integer()
