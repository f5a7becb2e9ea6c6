"""WTForms for the case pages: opening a case, sending without JavaScript, team and observers."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from network.web.labels import HANDLING_CODE_LABELS


def as_choices(pairs: Sequence[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, str(label)) for value, label in pairs]  # type: ignore[arg-type]


class OpenCaseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Summary (encrypted)"), validators=[Optional(), Length(max=20_000)])
    reference = StringField(_l("Your reference"), validators=[Optional(), Length(max=100)])
    requested_states = SelectMultipleField(_l("Requested States"), choices=[])
    counterparts = SelectMultipleField(_l("Counterparts"), choices=[], coerce=int)
    submit = SubmitField(_l("Open the case"))


class MessageForm(FlaskForm):
    """The no-JavaScript way to send; the client id makes a double submission harmless."""

    client_id = HiddenField(
        validators=[DataRequired(), Regexp(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    )
    body = TextAreaField(_l("Message"), validators=[DataRequired()])
    handling_code = SelectField(
        _l("Handling code"), choices=[], default="H0"
    )
    submit = SubmitField(_l("Send"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.handling_code.choices = as_choices(list(HANDLING_CODE_LABELS.items()))


class PersonForm(FlaskForm):
    """Choose one person: a colleague for the team, or an observer for a channel."""

    user_id = SelectField(_l("Person"), choices=[], coerce=int)
    submit = SubmitField(_l("Add"))


class TeamForm(PersonForm):
    """A colleague for the State's team; a reason is kept in the case history.

    Adding oneself (a national administrator's break-glass) needs the reason,
    which the team reads at once; the service says so when it is missing.
    """

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class StageForm(FlaskForm):
    stage = SelectField(_l("Stage"), choices=[])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Change stage"))
