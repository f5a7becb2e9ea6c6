"""What the workspace shows of multilateral channels: parties, invitations, opening one."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from network.cases.listing import CaseView
from network.messages.reading import ChannelView
from network.schemas.vocabularies import ChannelKind, PartyAnswer
from network.web.forms import Form, blank


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
    return {
        "is_table": is_table,
        "table_parties": summary.parties if is_table and summary is not None else [],
        "table_invitations": [
            each for each in view.invitations if each.answer == PartyAnswer.PENDING.value
        ],
        "table_choices": choices if requesting and len(choices) >= 2 else [],
        "table_form": form or blank(),
    }
