"""/api/v1/states: the UN member and observer States and their country profiles."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import ETAG, edits_version, if_match, page_answer, refuses, tagged
from network.core import clock
from network.core.errors import NotFound
from network.core.i18n import N_
from network.directory.models import State
from network.directory.profiles import current_profile, profile_history, revise_profile
from network.directory.read_models import ProfileReading, read_profile
from network.directory.states import get_state, list_states, update_state
from network.extensions import db
from network.schemas import directory as schemas

PREFIX = "/states"
blp = Blueprint("states", __name__, description="States and their country profiles")


@blp.route("")
class States(MethodView):
    @blp.arguments(schemas.StateArgs, location="query")
    @blp.response(200, schemas.StateListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List States (ISO 3166 alpha-3), optionally of one UN regional group."""
        items, total = list_states(
            region=args.get("region"), page=args["page"], per_page=args["per_page"]
        )
        return page_answer(items, total, args["page"])


@blp.route("/<string:code>")
class StateByCode(MethodView):
    @blp.response(200, schemas.StateSchema, headers=ETAG)
    def get(self, code: str) -> tuple[State, dict[str, str]]:
        """One State."""
        state = get_state(code)
        return tagged(state, state.version)

    @blp.arguments(schemas.StateInput)
    @blp.response(200, schemas.StateSchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], code: str) -> tuple[State, dict[str, str]]:
        """Set UNCAC status, regional group or time zone (network administrator)."""
        state = update_state(current_user, code, data, now=clock.now(), expected_version=if_match())
        db.session.commit()
        return tagged(state, state.version)


@blp.route("/<string:code>/profile")
class Profile(MethodView):
    @blp.response(200, schemas.ProfileSchema, headers=ETAG)
    def get(self, code: str) -> tuple[ProfileReading, dict[str, str]]:
        """The State's current country profile, with its checklist."""
        get_state(code)
        profile = current_profile(code)
        if profile is None:
            raise NotFound(N_("This State has no country profile yet."), reason="profile_not_found")
        return tagged(read_profile(profile, gettext), profile.version)

    @blp.arguments(schemas.ProfileInput)
    @blp.response(201, schemas.ProfileSchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def post(self, data: dict[str, Any], code: str) -> tuple[ProfileReading, dict[str, str]]:
        """Save a new version of the profile (national administrator of that State).

        ``If-Match`` names the version it revises (``"0"`` for a State without a profile).
        """
        profile = revise_profile(
            current_user, code, data, now=clock.now(), expected_version=if_match()
        )
        db.session.commit()
        return tagged(read_profile(profile, gettext), profile.version)


@blp.route("/<string:code>/profile/versions")
class ProfileVersions(MethodView):
    @blp.response(200, schemas.ProfileHistorySchema)
    def get(self, code: str) -> dict[str, Any]:
        """Every version of the profile, newest first, with who changed it."""
        get_state(code)
        versions = profile_history(code)
        readings = [read_profile(each, gettext) for each in versions]
        return page_answer(readings, len(versions))
