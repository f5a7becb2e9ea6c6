"""The "who do I ask" page: an asset's State's competent authorities and focal points."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from network.directory.who_to_ask import WhoToAsk, who_to_ask
from network.library.documents import list_documents
from network.library.read_models import DocumentView, hit_views
from network.schemas import library_vocabularies
from network.schemas.library import WhoToAskArgs
from network.web.directory.pages import bp, labels, locale_code, render
from network.web.forms import blank, submitted


@bp.route("/who-to-ask")
def who_to_ask_page() -> tuple[str, int]:
    """Asked with GET, so a proposal can be bookmarked and shared with a colleague."""
    kinds = labels(
        {key: label for key, (label, _kinds, _expertise) in library_vocabularies.WHO_TO_ASK.items()}
    )
    proposal: WhoToAsk | None = None
    notes: list[DocumentView] = []
    form = blank()
    status = 200
    if request.args:
        values, form = submitted(WhoToAskArgs(), request.args)
        if values is None:
            status = 422
        else:
            proposal = who_to_ask(current_user, values["assistance"], values["asset_state"])
            found, _total = list_documents(
                current_user, kind="how_to_cooperate", state=proposal.state.code, per_page=20
            )
            notes = hit_views(current_user, found, locale_code())
    return render(
        "directory/who_to_ask.html",
        status,
        form=form,
        kinds=kinds,
        proposal=proposal,
        notes=notes,
        assistance_labels=dict(kinds),
    )
