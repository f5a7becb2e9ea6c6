"""Shapes of the signed-in caller, of tokens, of a new account, and of the sign-in pages' forms."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from network.core.i18n import N_
from network.schemas.vocabularies import Role

# A password's length bounds: the forms refuse outside them, and so does the strength rule.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256

# --- output ---------------------------------------------------------------------------------------


class MeSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    state = fields.String(attribute="state_code", allow_none=True)
    body = fields.Function(lambda user: user.body.acronym if user.body else None, allow_none=True)
    locale = fields.String(allow_none=True)
    time_zone = fields.String(allow_none=True)


# --- output ---------------------------------------------------------------------------------------


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret; shown this once only."})


# --- input ----------------------------------------------------------------------------------------


class TokenInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "Lifetime; at most ARNET_TOKEN_MAX_DAYS, which is the default."},
    )
    current_password = fields.String(
        required=True, validate=validate.Length(max=1024), load_only=True
    )
    code = fields.String(
        load_default=None,
        validate=validate.Length(max=64),
        load_only=True,
        metadata={"description": "A code from the authenticator app, or an unused recovery code."},
    )


class NewUserInput(Schema):
    """An account an administrator makes (the page's form); the service checks who may make it."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf([role.value for role in Role]))
    state = fields.String(load_default=None, validate=validate.Length(max=3))
    body = fields.Integer(load_default=None)


def _password(min_length: int = 1) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.Length(min=min_length, max=PASSWORD_MAX_LENGTH),
        load_only=True,
    )


class SignInInput(Schema):
    """The sign-in page: an address, a password, and the same-site path to go to next."""

    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = _password()
    next = fields.String(load_default="")


class SecondFactorInput(Schema):
    """A code from the authenticator app, or a recovery code."""

    code = fields.String(required=True, validate=validate.Length(min=6, max=32), load_only=True)


class TotpCodeInput(Schema):
    """The six digits an authenticator app shows, to confirm its enrolment."""

    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^\s*\d{6}\s*$", error=N_("Enter six digits.")),
        load_only=True,
    )


class ReplaceTotpInput(TotpCodeInput):
    """A new authenticator for a signed-in user, who gives the current password too."""

    current_password = _password()


class EnrolmentInput(Schema):
    """A one-time enrolment code redeemed for a first (or reset) password."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    code = fields.String(required=True, validate=validate.Length(min=1, max=64), load_only=True)
    password = _password(PASSWORD_MIN_LENGTH)


class PasswordChangeInput(Schema):
    current_password = _password()
    new_password = _password(PASSWORD_MIN_LENGTH)


class PasswordConfirmInput(Schema):
    """The current password again, before a change that needs it (new recovery codes)."""

    current_password = _password()


class PreferencesInput(Schema):
    """Language and time zone; the edge checks both against what it offers and knows."""

    locale = fields.String(load_default=None, validate=validate.Length(max=16))
    time_zone = fields.String(load_default=None, validate=validate.Length(max=64))


class LanguageChoiceInput(Schema):
    """The language switch in the page header, and the page to go back to."""

    locale = fields.String(load_default="", validate=validate.Length(max=16))
    next = fields.String(load_default="")


class AccountActiveInput(Schema):
    """An administrator's switch: may this account sign in."""

    active = fields.Boolean(load_default=False)


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))
    total = fields.Integer()
    page = fields.Integer()
