"""The gate of each object a URL can name, asked before an input error is answered.

flask-smorest reads and validates a body (and a page's CSRF token is checked) before the
view, and so before the service's access check, runs; answering that error to anyone
would tell an outsider that the object exists. The error handlers and the socket events
ask these gates first, so an outsider gets the object's "not found" whatever they sent.
Each gate is the service's own access function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from network.asks.service import access_ask
from network.assistance.access import access_request
from network.auth.models import User
from network.cases.access import access_channel, reach_case
from network.core.errors import NotFound
from network.disclosures.service import access_disclosure
from network.recovery.assets import access_asset
from network.recovery.confiscations import access_confiscation
from network.recovery.measures import access_measure
from network.recovery.return_lines import access_line, access_milestone
from network.recovery.returns import access_return
from network.recovery.subjects import access_subject

# By the name of the URL parameter; objects named beside one of these (an enquiry of a
# request, a consultation of a measure) are behind its gate.
GATES: dict[str, Callable[[User, int], object]] = {
    "case_id": reach_case,
    "channel_id": access_channel,
    "request_id": access_request,
    "subject_id": access_subject,
    "asset_id": access_asset,
    "measure_id": access_measure,
    "disclosure_id": access_disclosure,
    "ask_id": access_ask,
    "confiscation_id": access_confiscation,
    "return_id": access_return,
    "line_id": access_line,
    "milestone_id": access_milestone,
}


def refusal_for(user: User, named: Mapping[str, object]) -> NotFound | None:
    """The 'not found' of the first named object the user may not reach, or None."""
    for name, value in named.items():
        gate = GATES.get(name)
        if gate is None or type(value) is not int or value < 1:
            continue  # names no object that could exist: the input error tells nothing
        try:
            gate(user, value)
        except NotFound as refusal:
            return refusal
    return None
