"""Page forms: loaded with the same marshmallow schemas as the API, one shape per thing.

``submitted(schema)`` reads ``request.form`` into the schema's input and loads it; a page
shows the values typed again with the errors beside their fields (macros in
``templates/macros.html``). The WTForms classes below are being replaced by schemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from network.auth.passwords import MAX_LENGTH, MIN_LENGTH
from network.http.errors import translate_errors

# Where a form's errors that belong to no one field are kept (marshmallow's own key).
FORM_WIDE = "_schema"
_UNCHECKED = frozenset({"", "0", "false", "off"})


@dataclass(frozen=True)
class Form:
    """A page form as shown: the values typed (to show again) and each field's errors."""

    typed: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, list[str]] = field(default_factory=dict)

    def value(self, name: str, default: Any = "") -> Any:
        """What was typed into a field, or the default a fresh form shows."""
        return self.typed.get(name, default)

    def error(self, name: str) -> str:
        """The field's errors as one sentence, empty when it has none."""
        return " ".join(self.errors.get(name, []))


def blank(**defaults: Any) -> Form:
    """A form not yet submitted, showing these values."""
    return Form(typed=defaults)


def submitted(
    schema: Schema, source: MultiDict[str, str] | None = None
) -> tuple[dict[str, Any] | None, Form]:
    """Load the posted form with ``schema``: its values, or None and the errors to show."""
    typed = form_input(schema, request.form if source is None else source)
    try:
        return schema.load(typed), Form(typed)
    except ValidationError as error:
        return None, Form(typed, _field_errors(error.messages))


def form_input(schema: Schema, raw: MultiDict[str, str]) -> dict[str, Any]:
    """The schema's input from form fields, shaped as an API client would send it.

    A List field takes every value of its name, a Boolean is a box ticked or not, and a
    blank field (or list) is left out rather than sent empty, so "required" means filled.
    """
    typed: dict[str, Any] = {}
    for name, declared in schema.load_fields.items():
        key = declared.data_key or name
        if isinstance(declared, fields.List):
            values = [each.strip() for each in raw.getlist(key) if each.strip()]
            if values:
                typed[key] = values
        elif isinstance(declared, fields.Boolean):
            typed[key] = raw.get(key, "").strip().lower() not in _UNCHECKED
        elif key in raw:
            value = raw.get(key, "")
            if value.strip() or declared.required:
                typed[key] = value
    return typed


def _field_errors(messages: Any) -> dict[str, list[str]]:
    """marshmallow's nested messages as one translated list per top-level field."""
    flat: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else [(FORM_WIDE, messages)]
    for name, found in items:
        flat[str(name)] = list(_strings(translate_errors(found)))
    return flat


def _strings(found: Any) -> list[str]:
    if isinstance(found, str):
        return [found]
    if isinstance(found, dict):
        return [text for value in found.values() for text in _strings(value)]
    if isinstance(found, list):
        return [text for value in found for text in _strings(value)]
    return []


_code = [DataRequired(), Length(min=6, max=32)]


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()
    submit = SubmitField(_l("Continue"))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"), validators=_code)
    submit = SubmitField(_l("Sign in"))


class EnrolTotpForm(FlaskForm):
    code = StringField(
        _l("Six-digit code your app shows now"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("Enter six digits."))],
    )
    submit = SubmitField(_l("Confirm"))


class ReenrolTotpForm(EnrolTotpForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class RedeemEnrolmentForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    code = StringField(_l("Enrolment code"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)]
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)]
    )
    submit = SubmitField(_l("Change password"))


class ConfirmPasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("New recovery codes"))


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[])
    time_zone = StringField(
        _l("Time zone (IANA name, e.g. Europe/Paris)"), validators=[Optional(), Length(max=64)]
    )
    submit = SubmitField(_l("Save"))


class NewTokenForm(FlaskForm):
    """A new token needs the password and the second factor again (the most is checked later)."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    days = IntegerField(_l("Valid for (days)"), validators=[DataRequired(), NumberRange(min=1)])
    # Their own ids: the password form on the same page has a current_password too.
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        id="token-current-password",
    )
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[Optional(), Length(max=32)],
        id="token-code",
    )
    submit = SubmitField(_l("Create token"))


class PlainActionForm(FlaskForm):
    """A button that changes something: sign out, revoke, end a session. CSRF only."""

    submit = SubmitField(_l("Confirm"))

