"""/api/v1/authorities: central authorities, FIUs, asset-recovery offices ... of each State."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import read_page, refuses
from network.core import clock
from network.directory.authorities import (
    create_authority,
    get_authority,
    list_authorities,
    update_authority,
)
from network.directory.read_models import AuthorityReading, read_authority
from network.extensions import db
from network.schemas import directory as schemas

PREFIX = "/authorities"
blp = Blueprint("authorities", __name__, description="Authorities in the directory")


@blp.route("")
class Authorities(MethodView):
    @blp.arguments(schemas.AuthorityArgs, location="query")
    @blp.response(200, schemas.AuthorityListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List authorities, optionally of one State or one kind."""
        found = list_authorities(
            state_code=args.get("state"),
            kind=args.get("kind"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return read_page(found, read_authority, args["page"])

    @blp.arguments(schemas.NewAuthorityInput)
    @blp.response(201, schemas.AuthoritySchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> AuthorityReading:
        """Add an authority to the caller's State (national administrator)."""
        state = data.pop("state")
        now = clock.now()
        authority = create_authority(current_user, state, data, now=now)
        db.session.commit()
        return read_authority(authority, now)


@blp.route("/<int:authority_id>")
class AuthorityById(MethodView):
    @blp.response(200, schemas.AuthoritySchema)
    def get(self, authority_id: int) -> AuthorityReading:
        """One authority, with its counterpart's local time and whether the office is open."""
        return read_authority(get_authority(authority_id), clock.now())

    @blp.arguments(schemas.AuthorityInput)
    @blp.response(200, schemas.AuthoritySchema)
    @refuses(blp, 403)
    def patch(self, data: dict[str, Any], authority_id: int) -> AuthorityReading:
        """Change an authority of the caller's State; saving confirms it."""
        now = clock.now()
        authority = update_authority(current_user, authority_id, data, now=now)
        db.session.commit()
        return read_authority(authority, now)
