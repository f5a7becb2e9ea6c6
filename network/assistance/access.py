"""The one way in to a request: loading it for an actor, and which side of it the actor is on."""

from __future__ import annotations

from network.assistance.lifecycle import Side
from network.assistance.models import AssistanceRequest
from network.auth.models import User
from network.cases.access import CaseScope, record_scope
from network.core.errors import NotFound, PermissionDenied
from network.core.i18n import N_
from network.core.locking import load_for_change
from network.extensions import db


def access_request(
    actor: User, request_id: int, *, to_change: bool = False
) -> tuple[AssistanceRequest, CaseScope]:
    """Load a request the actor may see; missing and forbidden look alike.

    ``to_change`` locks it until commit (``load_for_change``), so that a decision on its
    status and the write that follows are one step no concurrent step can come between.
    """
    if to_change:
        request = load_for_change(db.session, AssistanceRequest, request_id)
    else:
        request = db.session.get(AssistanceRequest, request_id)
    if request is None:
        raise NotFound(N_("No such request."), reason="request_not_found")
    scope = record_scope(
        actor, request.case_id, request.requested_state,
        NotFound(N_("No such request."), reason="request_not_found"),
    )
    return request, scope


def acting_side(scope: CaseScope, request: AssistanceRequest) -> Side | None:
    """Which end of this request the actor stands at, if any."""
    if scope.side == request.requesting_state:
        return Side.REQUESTING
    if scope.side == request.requested_state:
        return Side.REQUESTED
    return None


def require_side(scope: CaseScope, request: AssistanceRequest, wanted: Side) -> None:
    """Refuse unless the actor stands at the ``wanted`` end of the request."""
    if acting_side(scope, request) != wanted:
        if wanted is Side.REQUESTING:
            raise PermissionDenied(N_("Only the requesting side may do this."))
        raise PermissionDenied(N_("Only the requested side may do this."))
