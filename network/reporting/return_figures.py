"""Amounts returned under article 57, by currency: the transfers of returns and the older
per-asset return records (no content, no names)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import select

from network.cases.models import Case
from network.extensions import db
from network.recovery.models import Asset, AssetReturn, CaseReturn, ReturnLine


def _returned() -> Iterator[tuple[int, str, str, str, Decimal]]:
    """(case, requested State, requesting State, currency, amount) of every amount returned."""
    legacy = db.session.execute(
        select(
            Asset.case_id,
            Asset.requested_state,
            Case.requesting_state,
            AssetReturn.currency,
            AssetReturn.amount,
        )
        .join(Asset, Asset.id == AssetReturn.asset_id)
        .join(Case, Case.id == Asset.case_id)
    ).all()
    transfers = db.session.execute(
        select(
            CaseReturn.case_id,
            CaseReturn.requested_state,
            Case.requesting_state,
            ReturnLine.currency,
            ReturnLine.amount,
        )
        .join(CaseReturn, CaseReturn.id == ReturnLine.return_id)
        .join(Case, Case.id == CaseReturn.case_id)
        .where(ReturnLine.kind == "transfer")
    ).all()
    for case_id, requested, requesting, currency, amount in [*legacy, *transfers]:
        if currency and amount is not None:
            yield case_id, requested, requesting, currency, amount


def for_state(state: str) -> Iterator[tuple[str, str, Decimal]]:
    """("returned", currency, amount) of each amount returned in a case the State is a side of."""
    for _case, requested, requesting, currency, amount in _returned():
        if state in (requested, requesting):
            yield "returned", currency, amount


def network_wide() -> list[tuple[str, int, Decimal, set[int]]]:
    """(currency, number of amounts, total, case ids) over the network, by currency."""
    cells: dict[str, tuple[int, Decimal, set[int]]] = {}
    for case_id, _requested, _requesting, currency, amount in _returned():
        number, total, cases = cells.get(currency, (0, Decimal(0), set()))
        cells[currency] = (number + 1, total + amount, cases | {case_id})
    return [(currency, *cells[currency]) for currency in sorted(cells)]
