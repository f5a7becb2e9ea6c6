"""One page of a query's rows with the count of them all: what every list answers."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, scoped_session

T = TypeVar("T")


def page_of(
    session: Session | scoped_session[Any],
    query: Select[T],
    order: tuple[Any, ...],
    page: int,
    per_page: int,
) -> tuple[list[T], int]:
    """The rows of page ``page`` (from 1) in ``order``, and how many rows the query has."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return list(rows.all()), total
