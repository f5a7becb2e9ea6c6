"""What links to what on a case: subjects → assets they hold → orders over them → requests.

One read model, for the API (``GET /cases/{id}/links``) and the case's links page alike. It
holds only the relationships the reader sees (``case_scope``), lists what is linked to
nothing (assets no one holds, orders over no asset the reader sees, requests no order
follows) so nothing is hidden, and points out, to a party of the case only, the reader's own
State's other cases that hold the same subject or account (``recovery.matching``).
Built in a fixed number of queries, whatever the size of the case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from network.assistance.models import AssistanceRequest
from network.audit import service as audit
from network.auth.models import User
from network.cases.access import case_scope, my_scopes
from network.extensions import db
from network.recovery import expiry
from network.recovery.matching import Match, matches_in_state
from network.recovery.models import Asset, AssetHolding, ProvisionalMeasure, Subject
from network.sealing.integrity import Opened


@dataclass(frozen=True)
class RequestLeaf:
    """A formal request an order follows; dumped by ``LinkedRequestSchema``."""

    id: int
    kind: str
    status: str
    requested_state: str
    reference: str


@dataclass(frozen=True)
class OrderNode:
    """A freezing or seizure order and the request it follows; ``LinkedOrderSchema``."""

    id: int
    kind: str
    status: str
    requested_state: str
    issuing_state: str
    current_expires_on: date | None
    request: RequestLeaf | None


@dataclass
class AssetNode:
    """An asset, how it is held (under a subject), its orders; ``LinkedAssetSchema``."""

    id: int
    kind: str
    status: str
    location_state: str
    requested_state: str
    description: str
    orders: list[OrderNode]
    holding: str | None = None
    via_subject_id: int | None = None
    via_name: str | None = None
    matches: list[Match] = field(default_factory=list)


@dataclass
class SubjectNode:
    """A subject and the assets it holds; dumped by ``LinkedSubjectSchema``."""

    id: int
    kind: str
    name: str
    roles: list[str]
    requested_state: str
    assets: list[AssetNode]
    matches: list[Match] = field(default_factory=list)


@dataclass
class LinkTree:
    """The case's links as the reader sees them; dumped by ``LinkTreeSchema``."""

    case_id: int
    subjects: list[SubjectNode]
    unheld_assets: list[AssetNode]
    orders_without_assets: list[OrderNode]
    requests_without_orders: list[RequestLeaf]
    # Whether the reader records for a side of the case (observers read only); pages only.
    may_link: bool = False


def _name(subject: Subject) -> str:
    names = (Opened(subject)[Subject.identity] or {}).get("names") or []
    return str(names[0]) if names else ""


def _order(
    measure: ProvisionalMeasure, requests: dict[int, RequestLeaf], now: datetime
) -> OrderNode:
    return OrderNode(
        id=measure.id,
        kind=measure.kind,
        status=expiry.measure_status(measure, now),
        requested_state=measure.requested_state,
        issuing_state=measure.issuing_state,
        current_expires_on=expiry.current_expiry(measure),
        request=requests.get(measure.request_id) if measure.request_id else None,
    )


def _asset(asset: Asset, orders: list[OrderNode]) -> AssetNode:
    details = Opened(asset)[Asset.details] or {}
    return AssetNode(
        id=asset.id,
        kind=asset.kind,
        status=asset.status,
        location_state=asset.location_state,
        requested_state=asset.requested_state,
        description=str(details.get("description", "")),
        orders=orders,
    )


def link_tree(actor: User, case_id: int, now: datetime) -> LinkTree:
    """The case's subjects → assets → orders → requests the actor sees; the read is audited."""
    scope = case_scope(actor, case_id)
    visible = sorted(scope.visible)
    subjects = db.session.scalars(
        select(Subject)
        .where(Subject.case_id == scope.case.id, Subject.requested_state.in_(visible))
        .order_by(Subject.id)
    ).all()
    assets = db.session.scalars(
        select(Asset)
        .where(Asset.case_id == scope.case.id, Asset.requested_state.in_(visible))
        .order_by(Asset.id)
    ).all()
    measures = db.session.scalars(
        select(ProvisionalMeasure)
        .where(
            ProvisionalMeasure.case_id == scope.case.id,
            ProvisionalMeasure.requested_state.in_(visible),
        )
        .options(
            selectinload(ProvisionalMeasure.assets), selectinload(ProvisionalMeasure.extensions)
        )
        .order_by(ProvisionalMeasure.id)
    ).all()
    request_rows = db.session.scalars(
        select(AssistanceRequest)
        .where(
            AssistanceRequest.case_id == scope.case.id,
            AssistanceRequest.requested_state.in_(visible),
        )
        .order_by(AssistanceRequest.id)
    ).all()
    holdings = db.session.scalars(
        select(AssetHolding)
        .where(AssetHolding.asset_id.in_([each.id for each in assets]))
        .order_by(AssetHolding.id)
    ).all()

    requests = {
        each.id: RequestLeaf(each.id, each.kind, each.status, each.requested_state, each.reference)
        for each in request_rows
    }
    seen_assets = {each.id for each in assets}
    orders_of: dict[int, list[OrderNode]] = defaultdict(list)
    orphan_orders: list[OrderNode] = []
    followed: set[int] = set()
    for measure in measures:
        node = _order(measure, requests, now)
        if measure.request_id:
            followed.add(measure.request_id)
        covered = [each.id for each in measure.assets if each.id in seen_assets]
        for asset_id in covered:
            orders_of[asset_id].append(node)
        if not covered:
            orphan_orders.append(node)

    names = {each.id: _name(each) for each in subjects}
    by_id = {each.id: each for each in assets}
    held: set[int] = set()
    holdings_of: dict[int, list[AssetNode]] = defaultdict(list)
    for holding in holdings:
        if holding.subject_id not in names:
            continue
        held_node = _asset(by_id[holding.asset_id], orders_of[holding.asset_id])
        held_node.holding = holding.kind
        held_node.via_subject_id = holding.via_subject_id
        held_node.via_name = names.get(holding.via_subject_id) if holding.via_subject_id else None
        holdings_of[holding.subject_id].append(held_node)
        held.add(holding.asset_id)

    tree = LinkTree(
        case_id=scope.case.id,
        subjects=[
            SubjectNode(
                id=each.id,
                kind=each.kind,
                name=names[each.id],
                roles=list(each.roles or []),
                requested_state=each.requested_state,
                assets=holdings_of[each.id],
            )
            for each in subjects
        ],
        unheld_assets=[_asset(each, orders_of[each.id]) for each in assets if each.id not in held],
        orders_without_assets=orphan_orders,
        requests_without_orders=[each for key, each in requests.items() if key not in followed],
        may_link=scope.side is not None,
    )
    if scope.side is not None:
        _point_out_matches(actor, scope.side, tree)
    audit.record(actor, "case.links_viewed", "case", scope.case.id, at=now)
    return tree


def _point_out_matches(actor: User, state: str, tree: LinkTree) -> None:
    """Mark the subjects and assets another case of the actor's own State also holds."""
    asset_nodes = [
        *(node for subject in tree.subjects for node in subject.assets),
        *tree.unheld_assets,
    ]
    found = matches_in_state(
        state,
        tree.case_id,
        [each.id for each in tree.subjects],
        {each.id for each in asset_nodes},
    )
    if not found:
        return
    openable = set(my_scopes(actor))
    for matches in found.values():
        for match in matches:
            match.may_open = match.case_id in openable
    for subject in tree.subjects:
        subject.matches = found.get(("subject", subject.id), [])
    for node in asset_nodes:
        node.matches = found.get(("asset", node.id), [])
