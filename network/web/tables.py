"""The workspace's multilateral tables: parties, invitations, opening one, and shared records.

The context helper feeds ``cases/_tables.html``; the share and withdraw forms post here
and come back to the table (post/redirect/get), saying why when the service refuses.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.cases.listing import CaseView
from network.core import clock
from network.core.errors import DomainError, NotFound
from network.core.types import stored_int
from network.extensions import db
from network.http.errors import translate
from network.messages.reading import ChannelView
from network.recovery import shares
from network.recovery.assets import list_assets
from network.recovery.subjects import list_subjects
from network.schemas.vocabularies import ChannelKind, PartyAnswer
from network.web.forms import Form, blank

bp = Blueprint("web_tables", __name__, url_prefix="/cases")


def _share_choices(case_id: int, shared: list[shares.ShareView]) -> list[tuple[str, str]]:
    """The reader's side's own subjects and assets not yet at the table: what it may share."""
    own = current_user.state_code
    taken = {f"subject:{s.subject.id}" for s in shared if s.subject} | {
        f"asset:{s.asset.id}" for s in shared if s.asset
    }
    choices = [
        (f"subject:{each.id}", ", ".join(each.names))
        for each in list_subjects(current_user, case_id)
        if each.recorded_by is not None and each.recorded_by.state == own
    ] + [
        (f"asset:{each.id}", f"#{each.id} {each.description or each.kind}")
        for each in list_assets(current_user, case_id)
        if each.recorded_by is not None and each.recorded_by.state == own
    ]
    return [each for each in choices if each[0] not in taken]


def tables_panel(
    view: CaseView, channel: ChannelView, on_team: bool, form: Form | None
) -> dict[str, Any]:
    """The table panel's context: only what the reader's side may see.

    The parties are listed only inside a table the reader sits at (``view.channels`` holds
    only those); an invited side sees its own pending invitations, never who else is asked.
    """
    is_table = channel.kind == ChannelKind.MULTILATERAL.value
    summary = next((each for each in view.channels if each.id == channel.id), None)
    requesting = on_team and current_user.state_code == view.requesting_state
    choices = [(code, code) for code in view.requested_states]
    shared = shares.list_shares(current_user, channel.id, clock.now()) if is_table else []
    return {
        "is_table": is_table,
        "table_parties": summary.parties if is_table and summary is not None else [],
        "table_invitations": [
            each for each in view.invitations if each.answer == PartyAnswer.PENDING.value
        ],
        "table_choices": choices if requesting and len(choices) >= 2 else [],
        "table_form": form or blank(),
        "table_shares": shared,
        "share_choices": _share_choices(view.id, shared) if is_table and on_team else [],
    }


def _back(case_id: int, channel_id: int) -> Response:
    target = url_for("web_cases.workspace", case_id=case_id, channel=channel_id)
    return redirect(f"{target}#tables", code=303)


def _record(value: str) -> dict[str, int | None]:
    """``subject:12`` or ``asset:5`` from the share form, as the service's keywords."""
    kind, _sep, number = value.partition(":")
    try:
        record: int | None = stored_int(number)
    except ValueError:
        record = None
    return {
        "subject_id": record if kind == "subject" else None,
        "asset_id": record if kind == "asset" else None,
    }


def _apply(case_id: int, channel_id: int, done: str, act: Any) -> Response:
    try:
        act()
    except NotFound:
        db.session.rollback()
        raise
    except DomainError as error:
        db.session.rollback()
        flash(translate(error.message, error.params), "error")
        return _back(case_id, channel_id)
    db.session.commit()
    flash(done, "success")
    return _back(case_id, channel_id)


@bp.route("/<int:case_id>/channels/<int:channel_id>/shares", methods=["POST"])
def share(case_id: int, channel_id: int) -> Response:
    """Share one of the reader's side's subjects or assets at the table."""
    record = _record(request.form.get("share-record", ""))
    return _apply(
        case_id,
        channel_id,
        _("Shared at this table."),
        lambda: shares.share_record(current_user, channel_id, clock.now(), **record),
    )


@bp.route("/<int:case_id>/channels/<int:channel_id>/shares/withdraw", methods=["POST"])
def withdraw(case_id: int, channel_id: int) -> Response:
    """Withdraw a record the reader's side shared at the table."""
    record = _record(request.form.get("share-record", ""))
    return _apply(
        case_id,
        channel_id,
        _("Withdrawn from this table."),
        lambda: shares.withdraw_record(current_user, channel_id, clock.now(), **record),
    )
