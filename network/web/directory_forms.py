"""WTForms for the directory pages; the service checks the values, the forms only carry them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes instead of a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AuthorityForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[])
    name = StringField(_l("Name (own language)"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    phone = StringField(_l("Phone (international form)"), validators=[Optional(), Length(max=40)])
    phone_24_7 = StringField(_l("24/7 line"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    time_zone = StringField(
        _l("Time zone (IANA name, e.g. Africa/Abidjan)"),
        validators=[DataRequired(), Length(max=64)],
    )
    office_days = StringField(
        _l("Office days (ISO weekday digits, 12345 = Monday to Friday)"),
        validators=[DataRequired(), Length(max=7)],
    )
    opens_at = StringField(_l("Opens at (HH:MM)"), validators=[DataRequired(), Length(max=5)])
    closes_at = StringField(_l("Closes at (HH:MM)"), validators=[DataRequired(), Length(max=5)])
    languages = StringField(
        _l("Languages accepted for requests (ISO 639 codes, comma-separated)"),
        validators=[Optional(), Length(max=200)],
    )
    transmission_means = CheckboxesField(_l("Transmission means accepted"), choices=[])
    encryption_required = BooleanField(_l("Encryption required"))
    e_signature_required = BooleanField(_l("Electronic signature required"))
    channels = CheckboxesField(_l("Channels accepted"), choices=[])
    oral_urgent_requests = BooleanField(_l("Oral urgent requests accepted"))
    networks = StringField(
        _l("Networks (network:member or network:observer, comma-separated)"),
        validators=[Optional(), Length(max=500)],
    )
    source = StringField(_l("Source of the entry"), validators=[Optional(), Length(max=300)])
    status = SelectField(_l("Status"), choices=[])


class FocalPointForm(FlaskForm):
    authority_id = SelectField(_l("Authority"), choices=[], coerce=int)
    name = StringField(_l("Name (as written)"), validators=[DataRequired(), Length(max=200)])
    name_latin = StringField(
        _l("Name in Latin letters (filled in when left empty)"),
        validators=[Optional(), Length(max=200)],
    )
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone (international form)"), validators=[Optional(), Length(max=40)])
    languages = StringField(
        _l("Languages spoken (ISO 639 codes, comma-separated)"),
        validators=[Optional(), Length(max=200)],
    )
    expertise = CheckboxesField(_l("Expertise"), choices=[])
    networks = StringField(
        _l("Networks (network:member or network:observer, comma-separated)"),
        validators=[Optional(), Length(max=500)],
    )
    user_id = SelectField(_l("User account"), choices=[], validate_choice=False)
    status = SelectField(_l("Status"), choices=[])


class ProfileForm(FlaskForm):
    uncac_basis_mla = SelectField(
        _l("UNCAC accepted as legal basis for MLA"), choices=[], default=""
    )
    uncac_basis_extradition = SelectField(
        _l("UNCAC accepted as legal basis for extradition"), choices=[], default=""
    )
    uncac_basis_confiscation = SelectField(
        _l("UNCAC accepted as legal basis for confiscation"), choices=[], default=""
    )
    treaty_or_reciprocity = SelectField(_l("Treaty or reciprocity"), choices=[])
    dual_criminality = SelectField(_l("Dual criminality"), choices=[])
    persons_notified = SelectField(_l("Affected persons are notified"), choices=[], default="")
    appeal_possible = SelectField(_l("Affected persons may appeal"), choices=[], default="")
    evidence_use_limits = TextAreaField(
        _l("Limits on the use of evidence"), validators=[Optional(), Length(max=4000)]
    )
    foreign_freezing_orders = SelectField(_l("Foreign freezing orders"), choices=[])
    foreign_confiscation_orders = SelectField(_l("Foreign confiscation orders"), choices=[])
    ncb_forfeiture = SelectField(
        _l("Non-conviction-based forfeiture possible"), choices=[], default=""
    )
    foreign_ncb_enforceable = SelectField(
        _l("Foreign NCB orders enforceable"), choices=[], default=""
    )
    longest_freeze = StringField(
        _l("Longest provisional freeze"), validators=[Optional(), Length(max=300)]
    )
    freeze_extension = TextAreaField(
        _l("How a freeze is extended"), validators=[Optional(), Length(max=4000)]
    )
    urgent_procedure = TextAreaField(
        _l("Urgent procedure"), validators=[Optional(), Length(max=4000)]
    )
    languages = StringField(
        _l("Languages accepted (ISO 639 codes, comma-separated)"),
        validators=[Optional(), Length(max=200)],
    )
    translation_needs = TextAreaField(
        _l("Translation needs"), validators=[Optional(), Length(max=4000)]
    )
    typical_time_to_freeze = StringField(
        _l("Typical time to freeze"), validators=[Optional(), Length(max=300)]
    )
    links = TextAreaField(
        _l("Links to laws and guides (one per line)"), validators=[Optional(), Length(max=5000)]
    )
    templates = TextAreaField(_l("Templates"), validators=[Optional(), Length(max=4000)])
    note = StringField(_l("What changed and why"), validators=[Optional(), Length(max=500)])


class StateForm(FlaskForm):
    uncac_status = SelectField(_l("UNCAC status"), choices=[])
    region = SelectField(_l("UN regional group"), choices=[])
    time_zone = StringField(
        _l("Time zone (IANA name)"), validators=[DataRequired(), Length(max=64)]
    )


class ObserverBodyForm(FlaskForm):
    acronym = StringField(_l("Acronym"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
