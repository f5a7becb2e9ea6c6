"""/api/v1/authorities: central authorities, FIUs, asset-recovery offices ... of each State."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from network.api.responses import (
    ETAG,
    edits_version,
    if_match,
    read_page,
    read_saved,
    refuses,
    tagged,
)
from network.core import clock
from network.directory import authorities
from network.directory.read_models import AuthorityReading, read_authority
from network.schemas import directory as schemas

PREFIX = "/authorities"
blp = Blueprint("authorities", __name__, description="Authorities in the directory")


@blp.route("")
class Authorities(MethodView):
    @blp.arguments(schemas.AuthorityArgs, location="query")
    @blp.response(200, schemas.AuthorityListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List authorities, optionally of one State or one kind."""
        return read_page(authorities.list_authorities(**args), read_authority, args["page"])

    @blp.arguments(schemas.NewAuthorityInput)
    @blp.response(201, schemas.AuthoritySchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> AuthorityReading:
        """Add an authority to the caller's State (national administrator)."""
        state = data.pop("state")
        return read_saved(read_authority, authorities.create_authority, state, data)


@blp.route("/<int:authority_id>")
class AuthorityById(MethodView):
    @blp.response(200, schemas.AuthoritySchema, headers=ETAG)
    def get(self, authority_id: int) -> tuple[AuthorityReading, dict[str, str]]:
        """One authority, with its counterpart's local time and whether the office is open."""
        reading = read_authority(authorities.get_authority(authority_id), clock.now())
        return tagged(reading, reading.entry.version)

    @blp.arguments(schemas.AuthorityInput)
    @blp.response(200, schemas.AuthoritySchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(
        self, data: dict[str, Any], authority_id: int
    ) -> tuple[AuthorityReading, dict[str, str]]:
        """Change an authority of the caller's State; saving confirms it."""
        reading = read_saved(
            read_authority,
            authorities.update_authority,
            authority_id,
            data,
            expected_version=if_match(),
        )
        return tagged(reading, reading.entry.version)
