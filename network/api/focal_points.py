"""/api/v1/focal-points: the named practitioners of each State."""

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
from network.directory import focal_points
from network.directory.read_models import FocalPointReading, read_focal_point
from network.schemas import directory as schemas

PREFIX = "/focal-points"
blp = Blueprint("focal_points", __name__, description="Focal points in the directory")


@blp.route("")
class FocalPoints(MethodView):
    @blp.arguments(schemas.FocalPointArgs, location="query")
    @blp.response(200, schemas.FocalPointListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List focal points, optionally of one State or one authority."""
        return read_page(focal_points.list_focal_points(**args), read_focal_point, args["page"])

    @blp.arguments(schemas.NewFocalPointInput)
    @blp.response(201, schemas.FocalPointSchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> FocalPointReading:
        """Add a focal point to one of the caller's State's authorities."""
        return read_saved(read_focal_point, focal_points.create_focal_point, data)


@blp.route("/<int:focal_point_id>")
class FocalPointById(MethodView):
    @blp.response(200, schemas.FocalPointSchema, headers=ETAG)
    def get(self, focal_point_id: int) -> tuple[FocalPointReading, dict[str, str]]:
        """One focal point."""
        reading = read_focal_point(focal_points.get_focal_point(focal_point_id), clock.now())
        return tagged(reading, reading.entry.version)

    @blp.arguments(schemas.FocalPointInput)
    @blp.response(200, schemas.FocalPointSchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(
        self, data: dict[str, Any], focal_point_id: int
    ) -> tuple[FocalPointReading, dict[str, str]]:
        """Change a focal point of the caller's State; saving confirms it."""
        reading = read_saved(
            read_focal_point,
            focal_points.update_focal_point,
            focal_point_id,
            data,
            expected_version=if_match(),
        )
        return tagged(reading, reading.entry.version)
