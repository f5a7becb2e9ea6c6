"""GET /api/v1/directory/who-to-ask: whom to ask, in the asset's State, for a kind of assistance."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import get_locale
from flask_login import current_user
from flask_smorest import Blueprint

from network.directory.who_to_ask import who_to_ask
from network.http.errors import translate
from network.library.documents import list_documents
from network.library.read_models import hit_views
from network.schemas.library import WhoToAskArgs, WhoToAskSchema

PREFIX = "/directory"
blp = Blueprint("who_to_ask", __name__, description="Who do I ask: a proposal from the directory")


@blp.route("/who-to-ask")
class WhoToAsk(MethodView):
    @blp.arguments(WhoToAskArgs, location="query")
    @blp.response(200, WhoToAskSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The competent authorities and focal points of the asset's State, and its profile.

        Empty lists when the State has registered none; ARNet proposes, it does not decide.
        """
        found = who_to_ask(current_user, args["assistance"], args["asset_state"])
        notes, _total = list_documents(
            current_user, kind="how_to_cooperate", state=found.state.code, per_page=20
        )
        return {
            "state": found.state.code,
            "assistance": found.assistance,
            "authorities": found.authorities,
            "focal_points": found.focal_points,
            "profile_notes": [
                {"label": translate(label), "value": translate(value)}
                for label, value in found.profile_notes
            ],
            "cooperation_notes": hit_views(current_user, notes, str(get_locale() or "en")[:2]),
        }
