"""Case pages: my cases, opening a case, and the case workspace with its live channels.

Views call the case, channel and directory services and never query case data; the
workspace's live part is static/js/case-workspace.js over Socket.IO.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from network.asks import service as asks
from network.assistance.read_models import list_requests
from network.auth.models import User
from network.cases import listing, opening, references, seating, tables, team
from network.core import clock
from network.core.errors import DomainError, NotFound
from network.core.types import stored_int
from network.directory.focal_points import counterpart_candidates
from network.directory.profiles import current_profile, profile_checklist
from network.extensions import db
from network.http.errors import translate
from network.http.locale import select_timezone
from network.messages import posting, reading
from network.notifications.deadlines import deadlines_for
from network.recovery import measures
from network.schemas.asks import AskAnswerInput, AskInput
from network.schemas.cases import (
    CaseInput,
    CasePatch,
    OwnReferencePageInput,
    TeamMemberPageInput,
)
from network.schemas.messages import MessageInput, ObserverPageInput
from network.schemas.vocabularies import Role
from network.web.asks import asks_panel
from network.web.forms import Form, blank, refused, submitted
from network.web.labels import HANDLING_CODE_LABELS, STAGE_LABELS
from network.web.state_picker import state_options
from network.web.tables import tables_panel

bp = Blueprint("web_cases", __name__, url_prefix="/cases")

PER_PAGE = 20
RECENT_MESSAGES = 50
HISTORY_LINES = 50


# --- choices (people are not case data; the directory decides who is a counterpart) ----------


def counterpart_choices(state_codes: list[str]) -> list[tuple[int, str]]:
    """Counterparts the opener may choose, from the directory's focal points linked to accounts."""
    choices = []
    for code in state_codes:
        for user in counterpart_candidates(code):
            choices.append((user.id, f"{user.name} ({code})"))
    return choices


def colleague_choices(state_code: str | None, exclude: set[int]) -> list[tuple[int, str]]:
    """Active practitioners and administrators of one State, for its side of the team."""
    if state_code is None:
        return []
    users = db.session.scalars(
        select(User)
        .where(
            User.state_code == state_code,
            User.active.is_(True),
            User.role.in_([Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value]),
        )
        .order_by(User.name)
    )
    return [(user.id, user.name) for user in users if user.id not in exclude]


def observer_choices(exclude: set[int]) -> list[tuple[int, str]]:
    """Active users of observer bodies, whom a party may invite into its channel."""
    users = db.session.scalars(
        select(User)
        .where(User.role == Role.OBSERVER.value, User.active.is_(True))
        .order_by(User.name)
    )
    return [
        (user.id, f"{user.name} ({user.body.acronym})" if user.body else user.name)
        for user in users
        if user.id not in exclude
    ]


# --- my cases --------------------------------------------------------------------------------


@bp.route("")
def index() -> str:
    page = max(1, request.args.get("page", 1, type=stored_int) or 1)
    items, total = listing.my_cases(
        current_user, page, PER_PAGE, partial(reading.unread_counts, current_user)
    )
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "cases/index.html",
        cases=items,
        total=total,
        page=page,
        pages=pages,
        stage_labels=STAGE_LABELS,
        may_open=current_user.role in (Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value),
    )


# --- opening a case --------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | tuple[str, int]:
    """Two steps without JavaScript: choose the States (GET), then counterparts and details."""
    known = {option.code for option in state_options(exclude=current_user.state_code)}
    if request.method == "GET":
        values, form = None, blank(requested_states=request.args.getlist("requested_states"))
    else:
        values, form = submitted(CaseInput())
    chosen = [code for code in form.value("requested_states", []) if code in known]

    def page(form: Form, status: int) -> tuple[str, int]:
        return render_template(
            "cases/new.html",
            form=form,
            chosen=chosen,
            counterpart_choices=counterpart_choices(chosen),
        ), status

    if values is None:
        return page(form, 422 if request.method == "POST" else 200)
    try:
        case = opening.open_case(
            current_user,
            title=values["title"],
            summary=values["summary"],
            reference=values["reference"],
            requested_states=chosen,
            counterparts=values["counterparts"],
            now=clock.now(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return page(refused(form, error), error.status)
    db.session.commit()
    flash(_("Case opened."), "success")
    return redirect(url_for("web_cases.workspace", case_id=case.id))


# --- the workspace ---------------------------------------------------------------------------


def _chosen_channel(view: listing.CaseView, wanted: int | None) -> listing.ChannelSummary:
    for channel in view.channels:
        if wanted is None or channel.id == wanted:
            return channel
    raise NotFound("No such channel.")


def _checklists(view: listing.CaseView) -> list[dict[str, Any]]:
    """The requested States' country profiles, shown to the requesting side."""
    if current_user.state_code != view.requesting_state:
        return []
    lists = []
    for code in view.requested_states:
        profile = current_profile(code)
        items = profile_checklist(profile) if profile is not None else []
        lists.append({"state": code, "items": items, "profile": profile})
    return lists


def _records(case_id: int) -> dict[str, Any]:
    """The case's requests, orders and dates as the reader's sides see them, for the panel."""
    now = clock.now()
    requests, _total = list_requests(current_user, case_id, now, 1, 50)
    orders = measures.measure_summaries(measures.list_measures(current_user, case_id), now)
    dates = [each for each in deadlines_for(current_user, now, None) if each.case_id == case_id]
    return {"requests": requests, "measures": orders, "deadlines": dates}


def _workspace(
    case_id: int, channel_id: int | None, status: int = 200, **forms: Any
) -> tuple[str, int]:
    view = listing.case_view(current_user, case_id)
    summary = _chosen_channel(view, channel_id)
    channel = reading.channel_view(current_user, summary.id)
    first = max(0, channel.last_seq - RECENT_MESSAGES)
    recent = reading.messages_after(current_user, summary.id, first, RECENT_MESSAGES)
    positions = reading.read_positions(current_user, summary.id)
    team_ids = {person.id for person in view.team}
    member_ids = {member.user_id for member in channel.members}
    side_admin = current_user.role == Role.NATIONAL_ADMIN.value
    on_team = current_user.id in team_ids
    # The history is the parties'; an invited observer's page has none.
    history, history_total = (
        seating.case_history(current_user, case_id, 1, HISTORY_LINES) if on_team else (None, 0)
    )
    context = {
        "case": view,
        "channel": channel,
        "recent": recent,
        "positions": positions,
        "checklists": _checklists(view),
        "unread": reading.channel_unread_counts(current_user, case_id),
        "time_zone": select_timezone() or "UTC",
        **_records(case_id),
        "stage_labels": STAGE_LABELS,
        "handling_labels": HANDLING_CODE_LABELS,
        "message_form": forms.get("message_form") or blank(**{"message-handling_code": "H0"}),
        "client_id": f"web-{secrets.token_hex(12)}",
        "handling_choices": list(HANDLING_CODE_LABELS.items()),
        "team_form": forms.get("team_form") or blank(),
        "team_choices": colleague_choices(current_user.state_code, team_ids),
        "observer_form": forms.get("observer_form") or blank(),
        "observer_choices": observer_choices(member_ids),
        "stage_form": forms.get("stage_form") or blank(),
        "reference_form": forms.get("reference_form")
        or blank(**{"reference-reference": view.references.get(current_user.state_code, "")}),
        "stage_choices": [(k, v) for k, v in STAGE_LABELS.items() if k != view.stage],
        "may_manage_team": on_team or side_admin,
        "on_team": on_team,
        "history": history,
        "history_total": history_total,
        "channel_states": {each.id: each.requested_state for each in view.channels},
        "is_party": reading.is_party(current_user, channel.id),
        "is_requesting_side": current_user.state_code == view.requesting_state and on_team,
        "message_max_bytes": current_app.config["MESSAGE_MAX_BYTES"],
        "attachment_max_bytes": current_app.config["ATTACHMENT_MAX_BYTES"],
        **tables_panel(view, channel, on_team, forms.get("table_form")),
        **asks_panel(
            channel,
            clock.now(),
            forms.get("ask_form"),
            forms.get("answer_form"),
            forms.get("answering"),
        ),
    }
    page = render_template("cases/workspace.html", **context)
    db.session.commit()  # the reads above are audited
    return page, status


@bp.route("/<int:case_id>")
def workspace(case_id: int) -> tuple[str, int]:
    return _workspace(case_id, request.args.get("channel", type=stored_int))


def _refused(
    error: DomainError, case_id: int, channel_id: int | None, **forms: Any
) -> tuple[str, int]:
    """Say why on the same page, with the status the service chose; 404 stays a 404.

    Each form is passed as "<prefix>_form", and the service's field errors go beside its fields.
    """
    db.session.rollback()
    if isinstance(error, NotFound):
        raise error
    flash(translate(error.message, error.params), "error")
    shown = {
        key: refused(form, error, key.removesuffix("_form")) if isinstance(form, Form) else form
        for key, form in forms.items()
    }
    return _workspace(case_id, channel_id, error.status, **shown)


def _invalid(case_id: int, channel_id: int | None, **forms: Any) -> tuple[str, int]:
    flash(_("Some values are not valid."), "error")
    return _workspace(case_id, channel_id, 422, **forms)


def _back(case_id: int, channel_id: int | None, anchor: str | None = None) -> Response:
    target = url_for("web_cases.workspace", case_id=case_id, channel=channel_id)
    return redirect(f"{target}#{anchor}" if anchor else target, code=303)


@bp.route("/<int:case_id>/channels/<int:channel_id>/messages", methods=["POST"])
def send(case_id: int, channel_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)  # 404 for outsiders before anything else
    values, form = submitted(MessageInput(), prefix="message")
    if values is None:
        return _invalid(case_id, channel_id, message_form=form)
    try:
        message, _created = posting.post_message(
            current_user,
            channel_id,
            client_id=values["client_id"],
            body=values["body"],
            handling_code=values["handling_code"],
            reply_to_seq=values["reply_to_seq"],
            corrects_seq=values["corrects_seq"],
            max_bytes=current_app.config["MESSAGE_MAX_BYTES"],
            now=clock.now(),
        )
    except DomainError as error:
        return _refused(error, case_id, channel_id, message_form=form)
    db.session.commit()
    return _back(case_id, channel_id, f"m-{message.seq}")


@bp.route("/<int:case_id>/team", methods=["POST"])
def add_member(case_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)
    values, form = submitted(TeamMemberPageInput(), prefix="team")
    if values is None:
        return _invalid(case_id, None, team_form=form)
    try:
        team.add_team_member(current_user, case_id, values["user"], clock.now(), values["reason"])
    except DomainError as error:
        return _refused(error, case_id, None, team_form=form)
    db.session.commit()
    flash(_("Added to the team."), "success")
    return _back(case_id, None, "team")


@bp.route("/<int:case_id>/team/<int:user_id>/remove", methods=["POST"])
def remove_member(case_id: int, user_id: int) -> Response | tuple[str, int]:
    try:
        team.remove_team_member(current_user, case_id, user_id, clock.now())
    except DomainError as error:
        return _refused(error, case_id, None)
    db.session.commit()
    flash(_("Removed from the team. They no longer see this case's channels."), "success")
    return _back(case_id, None, "team")


@bp.route("/<int:case_id>/channels/<int:channel_id>/observers", methods=["POST"])
def invite_observer(case_id: int, channel_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)
    values, form = submitted(ObserverPageInput(), prefix="observer")
    if values is None:
        return _invalid(case_id, channel_id, observer_form=form)
    try:
        team.invite_observer(current_user, channel_id, values["user"], clock.now())
    except DomainError as error:
        return _refused(error, case_id, channel_id, observer_form=form)
    db.session.commit()
    flash(_("Observer invited into this channel."), "success")
    return _back(case_id, channel_id, "members")


@bp.route(
    "/<int:case_id>/channels/<int:channel_id>/observers/<int:user_id>/revoke", methods=["POST"]
)
def revoke_observer(case_id: int, channel_id: int, user_id: int) -> Response | tuple[str, int]:
    try:
        listing.case_view(current_user, case_id)
        team.revoke_observer(current_user, channel_id, user_id, clock.now())
    except DomainError as error:
        return _refused(error, case_id, channel_id)
    db.session.commit()
    flash(_("Invitation revoked."), "success")
    return _back(case_id, channel_id, "members")


@bp.route("/<int:case_id>/tables", methods=["POST"])
def open_table(case_id: int) -> Response | tuple[str, int]:
    """The requesting side opens a multilateral channel with the States ticked."""
    listing.case_view(current_user, case_id)  # 404 for outsiders before anything else
    states = request.form.getlist("table-requested_states")
    form = blank(**{"table-requested_states": states})
    try:
        table = tables.open_table(current_user, case_id, states, clock.now())
    except DomainError as error:
        return _refused(error, case_id, None, table_form=form)
    db.session.commit()
    flash(_("Multilateral channel opened; each State invited is told."), "success")
    return _back(case_id, table.id)


def _answer_table(case_id: int, channel_id: int, accept: bool) -> Response | tuple[str, int]:
    """The caller's State accepts (and its team takes seats) or declines, for good."""
    try:
        listing.case_view(current_user, case_id)
        tables.answer_table(current_user, channel_id, accept, clock.now())
    except DomainError as error:
        return _refused(error, case_id, None)
    db.session.commit()
    if accept:
        flash(_("Your State joined the multilateral channel."), "success")
        return _back(case_id, channel_id)
    flash(_("Your State declined the multilateral channel."), "success")
    return _back(case_id, None)


@bp.route("/<int:case_id>/channels/<int:channel_id>/accept", methods=["POST"])
def accept_table(case_id: int, channel_id: int) -> Response | tuple[str, int]:
    return _answer_table(case_id, channel_id, True)


@bp.route("/<int:case_id>/channels/<int:channel_id>/decline", methods=["POST"])
def decline_table(case_id: int, channel_id: int) -> Response | tuple[str, int]:
    return _answer_table(case_id, channel_id, False)


@bp.route("/<int:case_id>/stage", methods=["POST"])
def change_stage(case_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)
    values, form = submitted(CasePatch(), prefix="stage")
    if values is None:
        return _invalid(case_id, None, stage_form=form)
    try:
        opening.change_stage(
            current_user, case_id, values.get("stage", ""), values["reason"], clock.now()
        )
    except DomainError as error:
        return _refused(error, case_id, None, stage_form=form)
    db.session.commit()
    flash(_("Stage changed."), "success")
    return _back(case_id, None)


@bp.route("/<int:case_id>/reference", methods=["POST"])
def set_reference(case_id: int) -> Response | tuple[str, int]:
    """The caller's side's own file number for the case, set or cleared from the case page."""
    listing.case_view(current_user, case_id)
    values, form = submitted(OwnReferencePageInput(), prefix="reference")
    if values is None:
        return _invalid(case_id, None, reference_form=form)
    try:
        references.set_own_reference(current_user, case_id, values["reference"], clock.now())
    except DomainError as error:
        return _refused(error, case_id, None, reference_form=form)
    db.session.commit()
    flash(
        _("Your reference is saved.") if values["reference"] else _("Your reference is cleared."),
        "success",
    )
    return _back(case_id, None, "case-facts")


@bp.route("/<int:case_id>/channels/<int:channel_id>/asks", methods=["POST"])
def ask(case_id: int, channel_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)
    form_values = request.form.copy()
    form_values["ask-channel"] = str(channel_id)
    values, form = submitted(AskInput(), form_values, prefix="ask")
    if values is None:
        return _invalid(case_id, channel_id, ask_form=form)
    try:
        asks.create_ask(current_user, case_id, now=clock.now(), **values)
    except DomainError as error:
        return _refused(error, case_id, channel_id, ask_form=form)
    db.session.commit()
    flash(_("Asked. The other side sees it in its deadlines."), "success")
    return _back(case_id, channel_id, "asks")


@bp.route("/asks/<int:ask_id>")
def ask_page(ask_id: int) -> Response:
    """Where a notice of an ask leads: the ask in its channel's workspace."""
    found, _scope = asks.access_ask(current_user, ask_id)
    return _back(found.case_id, found.channel_id, f"ask-{found.id}")


@bp.route("/<int:case_id>/channels/<int:channel_id>/asks/<int:ask_id>/answer", methods=["POST"])
def answer_ask(case_id: int, channel_id: int, ask_id: int) -> Response | tuple[str, int]:
    listing.case_view(current_user, case_id)
    values, form = submitted(AskAnswerInput(), prefix="answer")
    if values is None:
        return _invalid(case_id, channel_id, answer_form=form, answering=ask_id)
    try:
        asks.answer_ask(current_user, ask_id, now=clock.now(), **values)
    except DomainError as error:
        return _refused(error, case_id, channel_id, answer_form=form, answering=ask_id)
    db.session.commit()
    flash(_("Answer recorded."), "success")
    return _back(case_id, channel_id, f"ask-{ask_id}")
