"""The workspace's asks panel: the open and answered asks of a channel, and its pickers.

Only what the panel shows; the ask and answer forms post to ``web_cases`` (cases.py),
which renders the workspace again with their errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import current_user

from network.asks import read_models
from network.assistance.read_models import list_requests
from network.messages.reading import ChannelView
from network.recovery.measures import list_measures
from network.schemas.vocabularies import ASK_KINDS, AskOutcome
from network.web.forms import Form, blank
from network.web.labels import choices, label

# A channel with more asks than this shows the first (open ones first, soonest due).
SHOWN = 100


def _measure_choices(case_id: int, relationship: str) -> list[tuple[str, str]]:
    return [
        (str(each.id), f"#{each.id} · {label(each.kind, 'measure_kind')}")
        for each in list_measures(current_user, case_id)
        if each.requested_state == relationship
    ]


def _request_choices(case_id: int, relationship: str, now: datetime) -> list[tuple[str, str]]:
    views, _total = list_requests(current_user, case_id, now, 1, 200)
    return [
        (
            str(each.id),
            f"#{each.id} · {label(each.kind, 'request_kind')}"
            + (f" · {each.reference}" if each.reference else ""),
        )
        for each in views
        if each.requested_state == relationship
    ]


def asks_panel(
    channel: ChannelView,
    now: datetime,
    ask_form: Form | None,
    answer_form: Form | None,
    answering: int | None,
) -> dict[str, Any]:
    """What the workspace template needs for the asks of ``channel``.

    A multilateral table holds no asks (they belong to one relationship): its lists stay empty.
    """
    relationship = channel.requested_state or ""
    views, _total = read_models.list_asks(
        current_user, now, case_id=channel.case_id, per_page=SHOWN
    )
    return {
        "asks": [each for each in views if each.channel_id == channel.id],
        "ask_form": ask_form or blank(),
        "answer_form": answer_form or blank(),
        "answering": answering,
        # The answer forms of the asks not being answered just now start empty.
        "blank_answer": blank(),
        "ask_kind_choices": choices(ASK_KINDS, "ask_kind"),
        "ask_outcome_choices": choices([each.value for each in AskOutcome], "ask_outcome"),
        "ask_measure_choices": _measure_choices(channel.case_id, relationship),
        "ask_request_choices": _request_choices(channel.case_id, relationship, now),
    }
