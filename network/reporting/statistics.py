"""Statistics: a State's own figures for its users, and suppressed network-wide aggregates.

A State's users see the figures of every case their State is a side of
(counts, never content), per counterpart State. The network administrator sees
only aggregates over the whole network, without any State or case named, and
every cell based on fewer than ``MIN_CASES`` distinct cases is suppressed
(resolution 4/6: no specific country situation is mentioned).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from network.assistance import lifecycle
from network.assistance.models import AssistanceRequest, RequestTransition
from network.auth.models import User
from network.auth.policy import Action, require
from network.cases.models import Case
from network.core.clock import as_utc
from network.core.errors import PermissionDenied
from network.core.i18n import N_
from network.extensions import db
from network.recovery import expiry
from network.recovery.models import Asset, ProvisionalMeasure
from network.reporting import disclosure_figures, return_figures
from network.schemas.vocabularies import MEASURE_STATUSES, RequestStatus, Role

MIN_CASES = 3


# --- small numbers ---------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (the 'inclusive' method); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Times:
    """Response times in days: how many, median and 90th percentile."""

    count: int
    median: float | None
    p90: float | None


def times_of(durations: Iterable[timedelta]) -> Times:
    days = [each.total_seconds() / 86_400 for each in durations]
    return Times(len(days), percentile(days, 0.5), percentile(days, 0.9))


@dataclass(frozen=True)
class Cell:
    """A count (or sum) with the number of distinct cases it rests on; ``None`` when suppressed."""

    value: int | Decimal | float | None
    cases: int

    @property
    def suppressed(self) -> bool:
        return self.value is None


def suppress(value: int | Decimal | float | None, case_ids: set[int]) -> Cell:
    """Hide a cell that rests on one or two cases; zero rests on none and reveals nothing."""
    if 0 < len(case_ids) < MIN_CASES:
        return Cell(None, len(case_ids))
    return Cell(value, len(case_ids))


# --- loading ---------------------------------------------------------------------------------


@dataclass
class RequestFacts:
    """What the statistics need of one request, from its history."""

    request: AssistanceRequest
    sent: bool = False
    answered: bool = False
    refused: bool = False
    ground: str | None = None
    response: timedelta | None = None


def _request_facts(requests: Sequence[AssistanceRequest]) -> list[RequestFacts]:
    by_id = {each.id: RequestFacts(each) for each in requests}
    if not by_id:
        return []
    steps = db.session.scalars(
        select(RequestTransition)
        .where(RequestTransition.request_id.in_(list(by_id)))
        .order_by(RequestTransition.request_id, RequestTransition.at, RequestTransition.id)
    ).all()
    sent_at: dict[int, datetime] = {}
    for step in steps:
        facts = by_id[step.request_id]
        if step.to_status == RequestStatus.SENT and step.request_id not in sent_at:
            facts.sent = True
            sent_at[step.request_id] = as_utc(step.at)
        elif step.to_status in lifecycle.ANSWERED and not facts.answered:
            facts.answered = True
            if step.request_id in sent_at:
                facts.response = as_utc(step.at) - sent_at[step.request_id]
        if step.to_status == RequestStatus.REFUSED and not facts.refused:
            facts.refused = True
            facts.ground = step.grounds or "other"
    return list(by_id.values())


def _measures_with_case() -> list[tuple[ProvisionalMeasure, str]]:
    return [
        (measure, requesting)
        for measure, requesting in db.session.execute(
            select(ProvisionalMeasure, Case.requesting_state).join(
                Case, Case.id == ProvisionalMeasure.case_id
            )
        ).all()
    ]


def _assets_with_case() -> list[tuple[Asset, str]]:
    return [
        (asset, requesting)
        for asset, requesting in db.session.execute(
            select(Asset, Case.requesting_state).join(Case, Case.id == Asset.case_id)
        ).all()
    ]


# --- a State's own statistics ----------------------------------------------------------------


@dataclass
class CounterpartRow:
    state: str
    sent: int = 0
    sent_urgent: int = 0
    sent_answered: int = 0
    sent_refused: int = 0
    received: int = 0
    received_urgent: int = 0
    received_answered: int = 0
    received_refused: int = 0


@dataclass
class MoneyRow:
    status: str
    currency: str
    count: int
    total: Decimal


@dataclass
class StateStatistics:
    state: str
    counterparts: list[CounterpartRow] = field(default_factory=list)
    refusals: list[tuple[str, int, int]] = field(default_factory=list)  # ground, sent, received
    urgency: list[tuple[str, int, int]] = field(default_factory=list)  # urgent?, sent, received
    response_sent: Times = field(default_factory=lambda: Times(0, None, None))
    response_received: Times = field(default_factory=lambda: Times(0, None, None))
    assets: list[MoneyRow] = field(default_factory=list)
    returned: list[MoneyRow] = field(default_factory=list)
    measures: dict[str, int] = field(default_factory=dict)
    measures_extended_once_or_more: int = 0
    disclosures: list[disclosure_figures.DisclosureRow] = field(default_factory=list)


def _require_state_user(actor: User) -> str:
    """A State's practitioners and administrators see their own State's figures, nobody else."""
    if (
        not actor.active
        or actor.role not in {Role.PRACTITIONER.value, Role.NATIONAL_ADMIN.value}
        or actor.state_code is None
    ):
        raise PermissionDenied(N_("Only a State's own users see its statistics."))
    return actor.state_code


def _money_rows(items: Iterable[tuple[str, str | None, Decimal | None]]) -> list[MoneyRow]:
    rows: dict[tuple[str, str], MoneyRow] = {}
    for status, currency, value in items:
        key = (status, currency or "")
        row = rows.setdefault(key, MoneyRow(status, currency or "", 0, Decimal(0)))
        row.count += 1
        row.total += value or Decimal(0)
    return [rows[key] for key in sorted(rows)]


def state_statistics(actor: User, now: datetime) -> StateStatistics:
    """Figures of the actor's own State: what it sent and received, per counterpart State."""
    state = _require_state_user(actor)
    stats = StateStatistics(state=state)
    requests = db.session.scalars(
        select(AssistanceRequest).where(
            (AssistanceRequest.requesting_state == state)
            | (AssistanceRequest.requested_state == state)
        )
    ).all()
    rows: dict[str, CounterpartRow] = {}
    refusals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    urgency = {"urgent": [0, 0], "not_urgent": [0, 0]}
    sent_times: list[timedelta] = []
    received_times: list[timedelta] = []
    for facts in _request_facts(requests):
        request = facts.request
        if not facts.sent:
            continue
        outgoing = request.requesting_state == state
        other = request.requested_state if outgoing else request.requesting_state
        row = rows.setdefault(other, CounterpartRow(other))
        column = 0 if outgoing else 1
        urgency["urgent" if request.urgent else "not_urgent"][column] += 1
        if outgoing:
            row.sent += 1
            row.sent_urgent += int(request.urgent)
            row.sent_answered += int(facts.answered)
            row.sent_refused += int(facts.refused)
        else:
            row.received += 1
            row.received_urgent += int(request.urgent)
            row.received_answered += int(facts.answered)
            row.received_refused += int(facts.refused)
        if facts.refused and facts.ground:
            refusals[facts.ground][column] += 1
        if facts.response is not None:
            (sent_times if outgoing else received_times).append(facts.response)
    stats.counterparts = [rows[code] for code in sorted(rows)]
    stats.refusals = [(ground, counts[0], counts[1]) for ground, counts in sorted(refusals.items())]
    stats.urgency = [(key, counts[0], counts[1]) for key, counts in urgency.items()]
    stats.response_sent = times_of(sent_times)
    stats.response_received = times_of(received_times)

    def ours(requested_state: str, requesting_state: str) -> bool:
        return state in (requested_state, requesting_state)

    stats.assets = _money_rows(
        (asset.status, asset.currency, asset.estimated_value)
        for asset, requesting in _assets_with_case()
        if ours(asset.requested_state, requesting)
    )
    # Transfers of returns and the older per-asset return records, by currency.
    stats.returned = _money_rows(return_figures.for_state(state))
    outcomes = dict.fromkeys(MEASURE_STATUSES, 0)
    for measure, requesting in _measures_with_case():
        if not ours(measure.requested_state, requesting):
            continue
        outcome = expiry.measure_status(measure, now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        stats.measures_extended_once_or_more += int(bool(measure.extensions))
    stats.measures = outcomes
    stats.disclosures = disclosure_figures.for_state(state)
    return stats


# --- network-wide aggregates -----------------------------------------------------------------


@dataclass
class NetworkStatistics:
    """Aggregates over every State; no State and no case is named, small cells are suppressed."""

    requests_by_kind: list[tuple[str, Cell, Cell, Cell, Cell]] = field(default_factory=list)
    refusals: list[tuple[str, Cell]] = field(default_factory=list)
    response_times: list[tuple[str, int, float | None, float | None, bool]] = field(
        default_factory=list
    )  # label, count, median, p90, suppressed
    assets: list[tuple[str, str, Cell, Cell]] = field(default_factory=list)
    returned: list[tuple[str, Cell, Cell]] = field(default_factory=list)  # currency, count, total
    measures: list[tuple[str, Cell]] = field(default_factory=list)
    measures_extended: Cell = field(default_factory=lambda: Cell(0, 0))
    disclosures: list[tuple[str, str, Cell]] = field(default_factory=list)


def network_statistics(actor: User, now: datetime) -> NetworkStatistics:
    """The secretariat's view: network-wide counts, each cell resting on 3+ cases or hidden."""
    require(actor, Action.VIEW_NETWORK_STATISTICS)
    stats = NetworkStatistics()
    facts = [
        each
        for each in _request_facts(db.session.scalars(select(AssistanceRequest)).all())
        if each.sent
    ]
    by_kind: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    refusals: dict[str, tuple[int, set[int]]] = {}
    times: dict[str, list[tuple[timedelta, int]]] = {"urgent": [], "not_urgent": []}
    for each in facts:
        request = each.request
        for column, flag in (
            ("sent", True),
            ("urgent", request.urgent),
            ("answered", each.answered),
            ("refused", each.refused),
        ):
            if flag:
                by_kind[request.kind][column].add(request.case_id)
                counts[request.kind][column] += 1
        if each.refused and each.ground:
            number, cases = refusals.get(each.ground, (0, set()))
            refusals[each.ground] = (number + 1, cases | {request.case_id})
        if each.response is not None:
            times["urgent" if request.urgent else "not_urgent"].append(
                (each.response, request.case_id)
            )
    for kind in sorted(by_kind):
        sent, urgent, answered, refused = (
            suppress(counts[kind][column], by_kind[kind][column])
            for column in ("sent", "urgent", "answered", "refused")
        )
        stats.requests_by_kind.append((kind, sent, urgent, answered, refused))
    stats.refusals = [
        (ground, suppress(number, cases)) for ground, (number, cases) in sorted(refusals.items())
    ]
    for label, pairs in times.items():
        cases = {case_id for _duration, case_id in pairs}
        measured = times_of(duration for duration, _case in pairs)
        hidden = 0 < len(cases) < MIN_CASES
        stats.response_times.append(
            (
                label,
                measured.count if not hidden else 0,
                None if hidden else measured.median,
                None if hidden else measured.p90,
                hidden,
            )
        )
    asset_cells: dict[tuple[str, str], tuple[int, Decimal, set[int]]] = {}
    for asset, _requesting in _assets_with_case():
        key = (asset.status, asset.currency or "")
        number, total, cases = asset_cells.get(key, (0, Decimal(0), set()))
        asset_cells[key] = (
            number + 1,
            total + (asset.estimated_value or Decimal(0)),
            cases | {asset.case_id},
        )
    stats.assets = [
        (status, currency, suppress(number, cases), suppress(total, cases))
        for (status, currency), (number, total, cases) in sorted(asset_cells.items())
    ]
    stats.returned = [
        (currency, suppress(number, cases), suppress(total, cases))
        for currency, number, total, cases in return_figures.network_wide()
    ]
    outcome_cases: dict[str, tuple[int, set[int]]] = {}
    extended: tuple[int, set[int]] = (0, set())
    for measure, _requesting in _measures_with_case():
        outcome = expiry.measure_status(measure, now)
        number, cases = outcome_cases.get(outcome, (0, set()))
        outcome_cases[outcome] = (number + 1, cases | {measure.case_id})
        if measure.extensions:
            extended = (extended[0] + 1, extended[1] | {measure.case_id})
    stats.measures = [
        (outcome, suppress(*outcome_cases.get(outcome, (0, set())))) for outcome in MEASURE_STATUSES
    ]
    stats.measures_extended = suppress(*extended)
    stats.disclosures = [
        (kind, outcome, suppress(number, cases))
        for kind, outcome, number, cases in disclosure_figures.network_wide()
    ]
    return stats
