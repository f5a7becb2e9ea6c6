"""The case's links page: subjects → assets they hold → orders → requests, as a nested tree.

Holdings are added with the API's input schema (``CaseHoldingInput``), choosing subjects and
assets by name among the case's own; removing one asks for confirmation first.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from network.core import clock
from network.core.errors import DomainError
from network.extensions import db
from network.http.errors import translate
from network.recovery import holdings, link_tree
from network.recovery.link_tree import AssetNode, LinkTree
from network.schemas.links import CaseHoldingInput
from network.schemas.vocabularies import HOLDING_KINDS
from network.web.forms import Form, blank
from network.web.labels import label
from network.web.tracking.pages import Page, act_on_form, bp, common_context


def asset_choice(asset: AssetNode) -> str:
    """An asset as a person picks it: kind, where it is, and its description."""
    parts = [label(asset.kind, "asset_kind"), asset.location_state]
    return " · ".join([*parts, asset.description[:60]] if asset.description else parts)


def _asset_choices(tree: LinkTree) -> list[tuple[int, str]]:
    every = [node for subject in tree.subjects for node in subject.assets] + tree.unheld_assets
    unique = {node.id: node for node in every}
    return [(key, asset_choice(unique[key])) for key in sorted(unique)]


def links_page(case_id: int, status: int = 200, form: Form | None = None) -> Page:
    """The tree; ``form`` is the holding form posted, shown again with its errors."""
    tree = link_tree.link_tree(current_user, case_id, clock.now())
    context = {
        **common_context(),
        "case_id": case_id,
        "tree": tree,
        "subject_choices": [(each.id, each.name) for each in tree.subjects],
        "asset_choices": _asset_choices(tree),
        "holding_kinds": HOLDING_KINDS,
        "form": form or blank(),
    }
    db.session.commit()
    return render_template("tracking/links.html", **context), status


@bp.route("/cases/<int:case_id>/tracking/links")
def case_links(case_id: int) -> Page:
    return links_page(case_id)


@bp.route("/cases/<int:case_id>/tracking/links", methods=["POST"])
def link_holder(case_id: int) -> Response | Page:
    def link(values: dict[str, Any]) -> object:
        asset_id = values.pop("asset")
        return holdings.link_holder(current_user, asset_id, now=clock.now(), **values)

    return act_on_form(
        CaseHoldingInput(),
        link,
        _("Holding recorded."),
        url_for("web_tracking.case_links", case_id=case_id),
        lambda status, form: links_page(case_id, status, form),
    )


@bp.route("/assets/<int:asset_id>/holders/<int:subject_id>/removal", methods=["POST"])
def unlink_holder(asset_id: int, subject_id: int) -> Response:
    try:
        asset = holdings.unlink_holder(current_user, asset_id, subject_id, clock.now())
    except DomainError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(translate(error.message, error.params), "error")
        return redirect(url_for("web_tracking.asset_page", asset_id=asset_id))
    case_id = asset.case_id
    db.session.commit()
    flash(_("Holding removed."), "success")
    return redirect(url_for("web_tracking.case_links", case_id=case_id))
