"""Page forms load with the API's schemas and show what was typed with its errors."""

from __future__ import annotations

from flask import Flask, render_template_string
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from network.web.forms import Form, blank, submitted


class Sample(Schema):
    title = fields.String(required=True, validate=validate.Length(max=10))
    note = fields.String()
    states = fields.List(fields.String(), required=True)
    urgent = fields.Boolean(load_default=False)
    count = fields.Integer()


FIELDS = """{% import "macros.html" as m %}
{{ m.input(form, "title", "Title", required=true) }}
{{ m.select(form, "states", "States", [("CHE", "Switzerland"), ("FRA", "France")], multiple=true) }}
{{ m.checkbox(form, "urgent", "Urgent") }}"""


def test_a_valid_form_loads_as_an_api_client_would_send_it(app: Flask) -> None:
    typed = MultiDict(
        [("title", "Freeze"), ("note", "  "), ("states", "CHE"), ("states", "FRA"),
         ("urgent", "y"), ("csrf_token", "ignored")]
    )
    with app.test_request_context("/", method="POST", data=typed):
        values, form = submitted(Sample())
    assert values == {"title": "Freeze", "states": ["CHE", "FRA"], "urgent": True}
    assert form.errors == {}


def test_an_invalid_form_keeps_what_was_typed_and_names_each_field(app: Flask) -> None:
    typed = MultiDict([("title", "A title far too long"), ("count", "many")])
    with app.test_request_context("/", method="POST", data=typed):
        values, form = submitted(Sample())
        page = render_template_string(FIELDS, form=form)
    assert values is None
    assert set(form.errors) == {"title", "states", "count"}
    assert 'value="A title far too long"' in page
    assert 'aria-invalid="true"' in page
    assert form.error("title") in page


def test_a_fresh_form_shows_its_defaults_and_no_error(app: Flask) -> None:
    with app.test_request_context("/"):
        page = render_template_string(FIELDS, form=blank(states=["FRA"], urgent=True))
    assert '<option value="FRA" selected>' in page
    assert '<option value="CHE">' in page
    assert "checked" in page
    assert "error-text" not in page
    assert Form().error("title") == ""


def test_input_errors_are_shown_in_the_users_language(app: Flask) -> None:
    typed = MultiDict([("title", "A title far too long")])
    french = {"Accept-Language": "fr"}
    with app.test_request_context("/", method="POST", data=typed, headers=french):
        _values, form = submitted(Sample())
    assert form.error("title") == "Au plus 10 caractères."
    assert form.error("states") == "Ce champ est obligatoire."


def test_a_prefixed_form_reads_and_names_only_its_own_fields(app: Flask) -> None:
    typed = MultiDict(
        [("team-title", "A title far too long"), ("team-states", "CHE"), ("title", "other")]
    )
    with app.test_request_context("/", method="POST", data=typed):
        values, form = submitted(Sample(), prefix="team")
    assert values is None
    assert form.value("team-title") == "A title far too long"
    assert form.value("team-states") == ["CHE"]
    assert set(form.errors) == {"team-title"}


class Answer(Schema):
    stated = fields.Boolean(allow_none=True)


def test_a_boolean_that_may_be_none_is_a_choice_of_yes_no_or_blank(app: Flask) -> None:
    answers = []
    for typed in ("yes", "no", ""):
        with app.test_request_context("/", method="POST", data={"stated": typed}):
            answers.append(submitted(Answer())[0])
    assert answers == [{"stated": True}, {"stated": False}, {"stated": None}]
