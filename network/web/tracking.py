"""Tracking pages: a case's requests, subjects, assets and measures, and the disclosures pages.

Views parse the posted values into plain Python values and call the services,
which check permissions and domain rules; a refusal re-renders the page with
the service's message and the fields it names. Views never query case data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.assistance import service as requests
from network.cases.access import case_scope
from network.core import clock
from network.core.errors import DomainError, InvalidInput
from network.core.i18n import N_
from network.core.types import stored_int
from network.disclosures import service as disclosures
from network.extensions import db
from network.http.errors import translate
from network.recovery import assets, consultations, endings, measures, returns, subjects
from network.schemas import vocabularies
from network.schemas.vocabularies import (
    DISCLOSURE_KINDS,
    DISCLOSURE_SUBJECT_ROLES,
    HANDLING_CODES,
    REFUSAL_GROUNDS,
    REQUEST_KINDS,
    REQUEST_LEGAL_BASES,
    RETURN_BASES,
    TRANSMISSION_CHANNELS,
)

bp = Blueprint("web_tracking", __name__)

Page = tuple[str, int]


# --- parsing the posted form -----------------------------------------------------------------


def _text(name: str) -> str:
    return (request.form.get(name) or "").strip()


def _optional(name: str) -> str | None:
    return _text(name) or None


def _date(name: str) -> date | None:
    value = _text(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("Enter a date as YYYY-MM-DD.")]}
        ) from None


def _integer(name: str) -> int | None:
    value = _text(name)
    if not value:
        return None
    try:
        return stored_int(value)
    except ValueError:
        raise InvalidInput(
            N_("Some values are not valid."), {name: [N_("Enter a whole number.")]}
        ) from None


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (request.form.get(name) or "").splitlines() if line.strip()]


def _pairs(name: str) -> dict[str, str]:
    """Lines of "label: value" (identifiers such as "IBAN: CH93 ...")."""
    pairs: dict[str, str] = {}
    for line in _lines(name):
        label, sep, value = line.partition(":")
        if not sep:
            raise InvalidInput(
                N_("Some values are not valid."), {name: [N_('Write one "label: value" a line.')]}
            )
        pairs[label.strip()] = value.strip()
    return pairs


def _errors_of(error: DomainError) -> dict[str, list[str]]:
    return {
        name: [translate(each) for each in messages if isinstance(each, str)]
        for name, messages in error.errors.items()
    }


def _act(
    action: Callable[[], object], success: str, target: str, page: Callable[..., Page]
) -> Response | Page:
    """Run one change, commit once; on refusal show the page again with what was wrong."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(translate(error.message, error.params), "error")
        return page(status=error.status, errors=_errors_of(error), form=request.form)
    db.session.commit()
    flash(success, "success")
    return redirect(target)


def _common() -> dict[str, Any]:
    return {"tr": translate, "now": clock.now(), "errors": {}, "form": {}}


# --- a case's tracking overview --------------------------------------------------------------


def _case_page(case_id: int, status: int = 200, **extra: Any) -> Page:
    now = clock.now()
    scope = case_scope(current_user, case_id)
    items, _total = requests.list_requests(current_user, case_id, now, 1, 200)
    context = {
        **_common(),
        "case_id": case_id,
        "scope": scope,
        "relationships": sorted(scope.visible),
        "requests": items,
        "subjects": subjects.list_subjects(current_user, case_id),
        "assets": assets.list_assets(current_user, case_id),
        "measures": measures.measure_summaries(measures.list_measures(current_user, case_id), now),
        "kinds": REQUEST_KINDS,
        "legal_bases": REQUEST_LEGAL_BASES,
        "channels": TRANSMISSION_CHANNELS,
        "vocab": vocabularies,
        **extra,
    }
    db.session.commit()
    return render_template("tracking/case.html", **context), status


@bp.route("/cases/<int:case_id>/tracking")
def case_tracking(case_id: int) -> Page:
    return _case_page(case_id)


@bp.route("/cases/<int:case_id>/tracking/requests", methods=["POST"])
def new_request(case_id: int) -> Response | Page:
    def create() -> None:
        created = requests.create_request(
            current_user,
            case_id,
            kind=_text("kind"),
            requested_state=_optional("requested_state"),
            legal_basis=_text("legal_basis"),
            legal_basis_text=_text("legal_basis_text"),
            transmission_channel=_text("transmission_channel"),
            reference=_text("reference"),
            urgent=bool(request.form.get("urgent")),
            deadline_on=_date("deadline_on"),
            deadline_reason=_text("deadline_reason"),
            now=clock.now(),
        )
        holder["id"] = created.id

    holder: dict[str, int] = {}
    result = _act(create, _("Draft request recorded."), "", lambda **kw: _case_page(case_id, **kw))
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.request_page", request_id=holder["id"]))
    return result


@bp.route("/cases/<int:case_id>/tracking/subjects", methods=["POST"])
def new_subject(case_id: int) -> Response | Page:
    return _act(
        lambda: subjects.record_subject(
            current_user,
            case_id,
            kind=_text("kind"),
            names=_lines("names"),
            transliterations=_lines("transliterations"),
            roles=request.form.getlist("roles"),
            nationality=_optional("nationality"),
            identifiers=_pairs("identifiers"),
            requested_state=_optional("requested_state"),
            now=clock.now(),
        ),
        _("Subject recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: _case_page(case_id, **kw),
    )


@bp.route("/cases/<int:case_id>/tracking/assets", methods=["POST"])
def new_asset(case_id: int) -> Response | Page:
    return _act(
        lambda: assets.record_asset(
            current_user,
            case_id,
            kind=_text("kind"),
            location_state=_text("location_state"),
            holder=_integer("holder"),
            estimated_value=_optional("estimated_value"),
            currency=_optional("currency"),
            description=_text("description"),
            identifiers=_pairs("identifiers"),
            third_party_interests=_text("third_party_interests"),
            requested_state=_optional("requested_state"),
            now=clock.now(),
        ),
        _("Asset recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: _case_page(case_id, **kw),
    )


@bp.route("/cases/<int:case_id>/tracking/measures", methods=["POST"])
def new_measure(case_id: int) -> Response | Page:
    def assets() -> list[int]:
        try:
            return [stored_int(each) for each in request.form.getlist("assets")]
        except ValueError:
            raise InvalidInput(
                N_("Some values are not valid."), {"assets": [N_("Choose assets of this case.")]}
            ) from None

    return _act(
        lambda: measures.record_measure(
            current_user,
            case_id,
            kind=_text("kind"),
            asset_ids=assets(),
            issuing_authority=_text("issuing_authority"),
            issuing_state=_text("issuing_state"),
            legal_basis=_text("legal_basis"),
            enforcement=_text("enforcement") or "indirect",
            effective_on=_date("effective_on"),
            expires_on=_date("expires_on"),
            longest_duration_days=_integer("longest_duration_days"),
            next_review_on=_date("next_review_on"),
            order_reference=_text("order_reference"),
            requested_state=_optional("requested_state"),
            now=clock.now(),
        ),
        _("Order recorded."),
        url_for("web_tracking.case_tracking", case_id=case_id),
        lambda **kw: _case_page(case_id, **kw),
    )


# --- a request -------------------------------------------------------------------------------


def _request_page(request_id: int, status: int = 200, **extra: Any) -> Page:
    view = requests.request_view(current_user, request_id, clock.now())
    stored, scope = requests.access_request(current_user, request_id)
    context = {
        **_common(),
        "view": view,
        "side": requests.acting_side(scope, stored),
        "checklist": requests.profile_checklist_for(stored),
        "labels": requests.CONTENT_FIELDS,
        "missing_labels": requests.MISSING_LABELS,
        "grounds": REFUSAL_GROUNDS,
        **extra,
    }
    db.session.commit()
    return render_template("tracking/request.html", **context), status


@bp.route("/requests/<int:request_id>")
def request_page(request_id: int) -> Page:
    return _request_page(request_id)


def _back_to_request(request_id: int) -> str:
    return url_for("web_tracking.request_page", request_id=request_id)


@bp.route("/requests/<int:request_id>/contents", methods=["POST"])
def edit_request(request_id: int) -> Response | Page:
    contents = {name: _text(f"contents.{name}") for name in requests.CONTENT_FIELDS}
    return _act(
        lambda: requests.update_request(
            current_user,
            request_id,
            {
                "contents": contents,
                "language": _optional("language"),
                "deadline_reason": _text("deadline_reason"),
            },
            clock.now(),
        ),
        _("Request saved."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/transition", methods=["POST"])
def move_request(request_id: int) -> Response | Page:
    return _act(
        lambda: requests.transition(
            current_user,
            request_id,
            to=_text("to"),
            reason=_text("reason"),
            grounds=_optional("grounds"),
            until=_date("until"),
            now=clock.now(),
        ),
        _("Status changed."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/share", methods=["POST"])
def share_request(request_id: int) -> Response | Page:
    return _act(
        lambda: requests.share_draft_for_comment(current_user, request_id, clock.now()),
        _("The draft was shared in the channel for comment."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/enquiries", methods=["POST"])
def ask_status(request_id: int) -> Response | Page:
    return _act(
        lambda: requests.ask_status(current_user, request_id, _text("question"), clock.now()),
        _("Enquiry recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/enquiries/<int:enquiry_id>", methods=["POST"])
def answer_enquiry(request_id: int, enquiry_id: int) -> Response | Page:
    return _act(
        lambda: requests.answer_enquiry(
            current_user, enquiry_id, _text("answer"), clock.now(), request_id
        ),
        _("Answer recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


@bp.route("/requests/<int:request_id>/delays", methods=["POST"])
def delay_notice(request_id: int) -> Response | Page:
    return _act(
        lambda: requests.give_delay_notice(
            current_user,
            request_id,
            delay_days=_integer("delay_days") or 0,
            reason=_text("reason"),
            expected_on=_date("expected_on"),
            now=clock.now(),
        ),
        _("Delay notice recorded."),
        _back_to_request(request_id),
        lambda **kw: _request_page(request_id, **kw),
    )


# --- an asset --------------------------------------------------------------------------------


def _asset_page(asset_id: int, status: int = 200, **extra: Any) -> Page:
    view = assets.asset_view(current_user, asset_id, clock.now())
    context = {**_common(), "asset": view, "bases": RETURN_BASES, **extra}
    db.session.commit()
    return render_template("tracking/asset.html", **context), status


@bp.route("/assets/<int:asset_id>")
def asset_page(asset_id: int) -> Page:
    return _asset_page(asset_id)


@bp.route("/assets/<int:asset_id>/status", methods=["POST"])
def asset_status(asset_id: int) -> Response | Page:
    return _act(
        lambda: assets.change_asset_status(
            current_user, asset_id, _text("to"), _text("reason"), clock.now()
        ),
        _("Status changed."),
        url_for("web_tracking.asset_page", asset_id=asset_id),
        lambda **kw: _asset_page(asset_id, **kw),
    )


@bp.route("/assets/<int:asset_id>/returns", methods=["POST"])
def asset_return(asset_id: int) -> Response | Page:
    return _act(
        lambda: returns.record_return(
            current_user,
            asset_id,
            basis=_text("basis"),
            amount=_text("amount"),
            currency=_text("currency"),
            expenses_deducted=_text("expenses_deducted") or "0",
            agreement_reference=_text("agreement_reference"),
            disbursed_on=_date("disbursed_on"),
            now=clock.now(),
        ),
        _("Return recorded."),
        url_for("web_tracking.asset_page", asset_id=asset_id),
        lambda **kw: _asset_page(asset_id, **kw),
    )


# --- a measure -------------------------------------------------------------------------------


def _measure_page(measure_id: int, status: int = 200, **extra: Any) -> Page:
    view = measures.measure_view(current_user, measure_id, clock.now())
    context = {**_common(), "measure": view, **extra}
    db.session.commit()
    return render_template("tracking/measure.html", **context), status


@bp.route("/measures/<int:measure_id>")
def measure_page(measure_id: int) -> Page:
    return _measure_page(measure_id)


def _measure_action(measure_id: int, action: Callable[[], object], success: str) -> Response | Page:
    return _act(
        action,
        success,
        url_for("web_tracking.measure_page", measure_id=measure_id),
        lambda **kw: _measure_page(measure_id, **kw),
    )


@bp.route("/measures/<int:measure_id>/dates", methods=["POST"])
def measure_dates(measure_id: int) -> Response | Page:
    def values() -> dict[str, Any]:
        changes: dict[str, Any] = {"next_review_on": _date("next_review_on")}
        if "effective_on" in request.form:
            changes["effective_on"] = _date("effective_on")
        if "expires_on" in request.form:
            changes["expires_on"] = _date("expires_on")
        return changes

    return _measure_action(
        measure_id,
        lambda: measures.update_measure(current_user, measure_id, values(), clock.now()),
        _("Order saved."),
    )


@bp.route("/measures/<int:measure_id>/extensions", methods=["POST"])
def extend(measure_id: int) -> Response | Page:
    def run() -> None:
        new_expiry = _date("new_expires_on")
        if new_expiry is None:
            raise InvalidInput(
                N_("Some values are not valid."),
                {"new_expires_on": [N_("This field is required.")]},
            )
        endings.extend_measure(
            current_user,
            measure_id,
            new_expires_on=new_expiry,
            asked_by_state=_optional("asked_by_state"),
            note=_text("note"),
            now=clock.now(),
        )

    return _measure_action(measure_id, run, _("Extension recorded."))


@bp.route("/measures/<int:measure_id>/lifting", methods=["POST"])
def lift(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        lambda: endings.lift_measure(
            current_user, measure_id, reason=_text("reason"), now=clock.now()
        ),
        _("Lifting recorded."),
    )


@bp.route("/measures/<int:measure_id>/replacement", methods=["POST"])
def replace(measure_id: int) -> Response | Page:
    return _measure_action(
        measure_id,
        lambda: endings.replace_with_confiscation(
            current_user,
            measure_id,
            confiscation_reference=_text("confiscation_reference"),
            confiscated_on=_date("confiscated_on"),
            now=clock.now(),
        ),
        _("Confiscation recorded."),
    )


@bp.route("/measures/<int:measure_id>/consultations", methods=["POST"])
def consult(measure_id: int) -> Response | Page:
    def run() -> None:
        invited, deadline = _date("invited_on"), _date("deadline_on")
        if invited is None or deadline is None:
            missing = "invited_on" if invited is None else "deadline_on"
            raise InvalidInput(
                N_("Some values are not valid."), {missing: [N_("This field is required.")]}
            )
        consultations.record_consultation(
            current_user,
            measure_id,
            invited_on=invited,
            deadline_on=deadline,
            representations_received_on=_date("representations_received_on"),
            representations=_text("representations"),
            decision=_text("decision") or "pending",
            now=clock.now(),
        )

    return _measure_action(measure_id, run, _("Consultation recorded."))


# --- disclosures -----------------------------------------------------------------------------


def _disclosures_page(status: int = 200, **extra: Any) -> Page:
    box = request.args.get("box") if request.args.get("box") in {"sent", "received"} else None
    page = max(1, request.args.get("page", 1, type=stored_int))
    items, total = disclosures.list_disclosures(current_user, box, page, 50)
    context = {
        **_common(),
        "items": items,
        "total": total,
        "box": box,
        "page": page,
        "pages": max(1, -(-total // 50)),
        "kinds": DISCLOSURE_KINDS,
        "handling_codes": HANDLING_CODES,
        "roles": DISCLOSURE_SUBJECT_ROLES,
        "may_send": current_user.role in {"practitioner", "national_admin"}
        and current_user.state_code is not None,
        **extra,
    }
    return render_template("tracking/disclosures.html", **context), status


@bp.route("/disclosures")
def disclosure_list() -> Page:
    return _disclosures_page()


@bp.route("/disclosures", methods=["POST"])
def send_disclosure() -> Response | Page:
    def subjects() -> list[dict[str, str]]:
        found = []
        for line in _lines("subjects"):
            name, _sep, role = line.partition(";")
            found.append({"name": name.strip(), "role": role.strip() or "other"})
        return found

    holder: dict[str, int] = {}

    def run() -> None:
        sent = disclosures.send_disclosure(
            current_user,
            kind=_text("kind"),
            to_state=_text("to_state"),
            summary=_text("summary"),
            subjects=subjects(),
            handling_code=_text("handling_code") or "H0",
            handling_note=_text("handling_note"),
            reference=_text("reference"),
            now=clock.now(),
        )
        holder["id"] = sent.id

    result = _act(run, _("Disclosure sent."), "", _disclosures_page)
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.disclosure_page", disclosure_id=holder["id"]))
    return result


def _disclosure_page(disclosure_id: int, status: int = 200, **extra: Any) -> Page:
    view = disclosures.disclosure_view(current_user, disclosure_id, clock.now())
    context = {**_common(), "disclosure": view, **extra}
    db.session.commit()
    return render_template("tracking/disclosure.html", **context), status


@bp.route("/disclosures/<int:disclosure_id>")
def disclosure_page(disclosure_id: int) -> Page:
    return _disclosure_page(disclosure_id)


@bp.route("/disclosures/<int:disclosure_id>/status", methods=["POST"])
def disclosure_status(disclosure_id: int) -> Response | Page:
    def run() -> None:
        to, note = _text("to"), _text("note")
        if to == "acknowledged":
            disclosures.acknowledge(current_user, disclosure_id, note, now=clock.now())
        elif to == "no_action":
            disclosures.mark_no_action(current_user, disclosure_id, note, now=clock.now())
        else:
            disclosures.follow_up(
                current_user,
                disclosure_id,
                case_id=_integer("case"),
                request_id=_integer("request"),
                note=note,
                now=clock.now(),
            )

    return _act(
        run,
        _("Status changed."),
        url_for("web_tracking.disclosure_page", disclosure_id=disclosure_id),
        lambda **kw: _disclosure_page(disclosure_id, **kw),
    )


@bp.route("/disclosures/<int:disclosure_id>/open-case", methods=["POST"])
def disclosure_open_case(disclosure_id: int) -> Response | Page:
    holder: dict[str, int] = {}

    def run() -> None:
        case = disclosures.open_case_from_disclosure(
            current_user, disclosure_id, clock.now(), title=_optional("title")
        )
        holder["id"] = case.id

    result = _act(
        run,
        _("Case opened."),
        "",
        lambda **kw: _disclosure_page(disclosure_id, **kw),
    )
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.case_tracking", case_id=holder["id"]))
    return result
