"""/api/v1/focal-points: the named practitioners of each State."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import read_page, refuses
from network.core import clock
from network.directory.focal_points import (
    create_focal_point,
    get_focal_point,
    list_focal_points,
    update_focal_point,
)
from network.directory.read_models import FocalPointReading, read_focal_point
from network.extensions import db
from network.schemas import directory as schemas

PREFIX = "/focal-points"
blp = Blueprint("focal_points", __name__, description="Focal points in the directory")


@blp.route("")
class FocalPoints(MethodView):
    @blp.arguments(schemas.FocalPointArgs, location="query")
    @blp.response(200, schemas.FocalPointListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List focal points, optionally of one State or one authority."""
        found = list_focal_points(
            state_code=args.get("state"),
            authority_id=args.get("authority_id"),
            page=args["page"],
            per_page=args["per_page"],
        )
        return read_page(found, read_focal_point, args["page"])

    @blp.arguments(schemas.NewFocalPointInput)
    @blp.response(201, schemas.FocalPointSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> FocalPointReading:
        """Add a focal point to one of the caller's State's authorities."""
        now = clock.now()
        focal_point = create_focal_point(current_user, data, now=now)
        db.session.commit()
        return read_focal_point(focal_point, now)


@blp.route("/<int:focal_point_id>")
class FocalPointById(MethodView):
    @blp.response(200, schemas.FocalPointSchema)
    def get(self, focal_point_id: int) -> FocalPointReading:
        """One focal point."""
        return read_focal_point(get_focal_point(focal_point_id), clock.now())

    @blp.arguments(schemas.FocalPointInput)
    @blp.response(200, schemas.FocalPointSchema)
    @refuses(blp, 403)
    def patch(self, data: dict[str, Any], focal_point_id: int) -> FocalPointReading:
        """Change a focal point of the caller's State; saving confirms it."""
        now = clock.now()
        focal_point = update_focal_point(current_user, focal_point_id, data, now=now)
        db.session.commit()
        return read_focal_point(focal_point, now)
