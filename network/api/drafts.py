"""/api/v1/requests/{id}/draft.docx: a draft of a formal request as a Word document."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, ClassVar

from flask import send_file
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.wrappers import Response

from network.api.responses import file_download
from network.core import clock
from network.extensions import db
from network.http.security import sandboxed_download
from network.reporting.documents import draft_request

PREFIX = "/requests"
blp = Blueprint("request_drafts", __name__, description="Drafts of formal requests")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@blp.route("/<int:request_id>/draft.docx")
class RequestDraft(MethodView):
    decorators: ClassVar[list[Callable[..., Any]]] = [sandboxed_download]

    @blp.doc(**file_download("The draft, as a Word document.", DOCX))
    def get(self, request_id: int) -> Response:
        """The request as a .docx with the 46(15) headings filled and the profile checklist."""
        name, content = draft_request(current_user, request_id, clock.now())
        db.session.commit()
        return send_file(
            io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=name
        )
