"""WTForms for the sign-in, account and administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
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


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[])
    state = SelectField(_l("State"), choices=[], validate_choice=False)
    body = SelectField(_l("Observer body"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Create user"))
