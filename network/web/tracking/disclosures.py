"""Pages of article 56 disclosures: the boxes, sending one, its status, a case opened from it."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.core import clock
from network.core.types import stored_int
from network.disclosures import service as disclosures
from network.extensions import db
from network.schemas.vocabularies import DISCLOSURE_KINDS, DISCLOSURE_SUBJECT_ROLES, HANDLING_CODES
from network.web.tracking.pages import (
    Page,
    act,
    bp,
    common_context,
    field_integer,
    field_lines,
    field_optional,
    field_text,
)


def _disclosures_page(status: int = 200, **extra: Any) -> Page:
    box = request.args.get("box") if request.args.get("box") in {"sent", "received"} else None
    page = max(1, request.args.get("page", 1, type=stored_int))
    items, total = disclosures.list_disclosures(current_user, box, page, 50)
    context = {
        **common_context(),
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
        for line in field_lines("subjects"):
            name, _sep, role = line.partition(";")
            found.append({"name": name.strip(), "role": role.strip() or "other"})
        return found

    holder: dict[str, int] = {}

    def run() -> None:
        sent = disclosures.send_disclosure(
            current_user,
            kind=field_text("kind"),
            to_state=field_text("to_state"),
            summary=field_text("summary"),
            subjects=subjects(),
            handling_code=field_text("handling_code") or "H0",
            handling_note=field_text("handling_note"),
            reference=field_text("reference"),
            now=clock.now(),
        )
        holder["id"] = sent.id

    result = act(run, _("Disclosure sent."), "", _disclosures_page)
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.disclosure_page", disclosure_id=holder["id"]))
    return result


def _disclosure_page(disclosure_id: int, status: int = 200, **extra: Any) -> Page:
    view = disclosures.disclosure_view(current_user, disclosure_id, clock.now())
    context = {**common_context(), "disclosure": view, **extra}
    db.session.commit()
    return render_template("tracking/disclosure.html", **context), status


@bp.route("/disclosures/<int:disclosure_id>")
def disclosure_page(disclosure_id: int) -> Page:
    return _disclosure_page(disclosure_id)


@bp.route("/disclosures/<int:disclosure_id>/status", methods=["POST"])
def disclosure_status(disclosure_id: int) -> Response | Page:
    def run() -> None:
        to, note = field_text("to"), field_text("note")
        if to == "acknowledged":
            disclosures.acknowledge(current_user, disclosure_id, note, now=clock.now())
        elif to == "no_action":
            disclosures.mark_no_action(current_user, disclosure_id, note, now=clock.now())
        else:
            disclosures.follow_up(
                current_user,
                disclosure_id,
                case_id=field_integer("case"),
                request_id=field_integer("request"),
                note=note,
                now=clock.now(),
            )

    return act(
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
            current_user, disclosure_id, clock.now(), title=field_optional("title")
        )
        holder["id"] = case.id

    result = act(
        run,
        _("Case opened."),
        "",
        lambda **kw: _disclosure_page(disclosure_id, **kw),
    )
    if isinstance(result, Response):
        return redirect(url_for("web_tracking.case_tracking", case_id=holder["id"]))
    return result
