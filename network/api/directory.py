"""/api/v1/directory/...: import, export, confirmation, vCards, observer bodies, stale entries."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import (
    BINARY,
    ETAG,
    edits_version,
    file_download,
    if_match,
    page_answer,
    refuses,
    tagged,
)
from network.auth.policy import Action, require
from network.core import clock
from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory import exchange, exchange_export, exchange_import
from network.directory.authorities import get_authority
from network.directory.focal_points import get_focal_point
from network.directory.freshness import confirm_authority, confirm_focal_point, stale_report
from network.directory.models import ObserverBody
from network.directory.observer_bodies import list_observer_bodies, save_observer_body
from network.directory.read_models import (
    AuthorityReading,
    FocalPointReading,
    read_authority,
    read_focal_point,
)
from network.directory.vcard import vcard
from network.extensions import db
from network.schemas.directory import (
    AuthoritySchema,
    ExportArgs,
    FocalPointSchema,
    ImportArgs,
    ImportResultSchema,
    ObserverBodyListSchema,
    ObserverBodyPatch,
    ObserverBodySchema,
    StaleReportSchema,
)

PREFIX = "/directory"
blp = Blueprint("directory", __name__, description="Directory exchange and upkeep")

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


_EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "The export, as a JSON document or a CSV file.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": BINARY},
            },
        }
    }
}


@blp.route("/export")
class Export(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(**_EXPORT_DOC)
    @refuses(blp, 403)
    def get(self, args: dict[str, Any]) -> Response:
        """The directory as JSON (everything, or one kind) or CSV (one kind)."""
        require(current_user, Action.READ_DIRECTORY)
        kind = args.get("kind")
        if args["format"] == "csv":
            if kind is None:
                raise InvalidInput(
                    N_("Choose the kind of record."), {"kind": [N_("Required for CSV.")]}
                )
            return Response(
                exchange_export.export_csv(kind),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="directory-{kind}.csv"'},
            )
        document = exchange_export.export_json((kind,) if kind else exchange.KINDS)
        return Response(
            json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json"
        )


@blp.route("/import")
class Import(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.response(200, ImportResultSchema)
    @blp.doc(**_BODY_DOC)
    @refuses(blp, 403)
    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        """Import a JSON export or a one-kind CSV; nothing is written unless every row is valid."""
        if args["format"] == "csv":
            if args.get("kind") is None:
                raise InvalidInput(
                    N_("Choose the kind of record."), {"kind": [N_("Required for CSV.")]}
                )
            try:
                text = request.get_data().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise InvalidInput(
                    N_("The CSV must be UTF-8."), {"body": [N_("Not UTF-8.")]}
                ) from error
            counts = exchange_import.import_csv(current_user, args["kind"], text, now=clock.now())
        else:
            document = request.get_json(silent=True)
            if document is None:
                raise InvalidInput(
                    N_("Send the JSON export as the body."), {"body": [N_("Not JSON.")]}
                )
            counts = exchange_import.import_json(current_user, document, now=clock.now())
        db.session.commit()
        return {"imported": counts}


@blp.route("/authorities/<int:authority_id>/confirm")
class ConfirmAuthority(MethodView):
    @blp.response(200, AuthoritySchema)
    @refuses(blp, 403)
    def post(self, authority_id: int) -> AuthorityReading:
        """Confirm the authority's entry is still right (national administrator of its State)."""
        now = clock.now()
        authority = confirm_authority(current_user, authority_id, now=now)
        db.session.commit()
        return read_authority(authority, now)


@blp.route("/focal-points/<int:focal_point_id>/confirm")
class ConfirmFocalPoint(MethodView):
    @blp.response(200, FocalPointSchema)
    @refuses(blp, 403)
    def post(self, focal_point_id: int) -> FocalPointReading:
        """Confirm the focal point's entry is still right (national administrator of its State)."""
        now = clock.now()
        focal_point = confirm_focal_point(current_user, focal_point_id, now=now)
        db.session.commit()
        return read_focal_point(focal_point, now)


def _vcard_response(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/vcard",
        headers={"Content-Disposition": f'attachment; filename="{name}.vcf"'},
    )


@blp.route("/authorities/<int:authority_id>/vcard")
class AuthorityVcard(MethodView):
    @blp.doc(**file_download("The entry as a vCard.", "text/vcard"))
    def get(self, authority_id: int) -> Response:
        """The authority as a vCard (.vcf)."""
        return _vcard_response(
            vcard(get_authority(authority_id)), f"authority-{authority_id}"
        )


@blp.route("/focal-points/<int:focal_point_id>/vcard")
class FocalPointVcard(MethodView):
    @blp.doc(**file_download("The entry as a vCard.", "text/vcard"))
    def get(self, focal_point_id: int) -> Response:
        """The focal point as a vCard (.vcf)."""
        return _vcard_response(
            vcard(get_focal_point(focal_point_id)), f"focal-point-{focal_point_id}"
        )


@blp.route("/observer-bodies")
class ObserverBodies(MethodView):
    @blp.response(200, ObserverBodyListSchema)
    def get(self) -> dict[str, Any]:
        """Intergovernmental observer bodies."""
        bodies = list_observer_bodies()
        return page_answer(bodies, len(bodies))

    @blp.arguments(ObserverBodySchema)
    @blp.response(201, ObserverBodySchema)
    @refuses(blp, 403)
    def post(self, data: dict[str, Any]) -> ObserverBody:
        """Add an observer body (network administrator)."""
        body = save_observer_body(current_user, None, data, now=clock.now())
        db.session.commit()
        return body


@blp.route("/observer-bodies/<int:body_id>")
class ObserverBodyById(MethodView):
    @blp.arguments(ObserverBodyPatch)
    @blp.response(200, ObserverBodySchema, headers=ETAG)
    @refuses(blp, 403)
    @edits_version(blp)
    def patch(self, data: dict[str, Any], body_id: int) -> tuple[ObserverBody, dict[str, str]]:
        """Rename an observer body (network administrator).

        The list gives each body's ``version``; ``If-Match: "<version>"`` holds the edit to it.
        """
        body = save_observer_body(
            current_user, body_id, data, now=clock.now(), expected_version=if_match()
        )
        db.session.commit()
        return tagged(body, body.version)


@blp.route("/stale")
class Stale(MethodView):
    @blp.response(200, StaleReportSchema)
    def get(self) -> dict[str, Any]:
        """Entries not confirmed for twelve months, by State."""
        report = stale_report(clock.now())
        items = [entry for entries in report.values() for entry in entries]
        return page_answer(items, len(items))
