"""The signed-in home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

bp = Blueprint("web_home", __name__)


@bp.route("/")
def home() -> str:
    return render_template("home.html")


@bp.route("/healthz")
def health() -> Response:
    return jsonify({"status": "ok"})
