"""What each State, authority and focal point puts into the search index, kept in step on write."""

from __future__ import annotations

from collections.abc import Sequence

import pycountry
from sqlalchemy import select

from network.core.batches import batches
from network.directory import search_index as index
from network.directory.languages import language_texts
from network.directory.models import Authority, FocalPoint, State
from network.directory.un_names import cldr_names, names_known_by
from network.extensions import db
from network.schemas.directory_vocabularies import AUTHORITY_KINDS, EXPERTISE, NETWORKS


def _state_terms(state: State) -> set[str]:
    """Set the State's search text; return its index rows."""
    texts = [*state.names.values(), *names_known_by(state.code), state.code]
    country = pycountry.countries.get(alpha_3=state.code)
    if country is not None:
        texts += [country.alpha_2, getattr(country, "official_name", ""), country.name]
        texts += cldr_names(country.alpha_2).values()
    state.search_text = index.pack(texts)
    tags = [f"region:{state.region}"] if state.region else []
    return index.terms_for(texts, tags)


def index_states(states: Sequence[State]) -> None:
    """Keep States' search text and index rows in step with their names and region."""
    index.replace_terms("state", {state.code: _state_terms(state) for state in states})


def _authority_terms(authority: Authority) -> set[str]:
    """Set the authority's search text; return its index rows."""
    state = authority.state or db.session.get(State, authority.state_code)
    assert state is not None  # noqa: S101 - the foreign key guarantees it
    kind_label = AUTHORITY_KINDS.get(authority.kind, authority.kind)
    secondary = [*state.names.values(), state.code, kind_label, authority.kind]
    secondary += language_texts(authority.languages or [])
    secondary += [NETWORKS.get(m["network"], "") for m in authority.networks or []]
    primary = [authority.name, authority.name_en or ""]
    authority.search_text = index.pack(primary, secondary)
    tags = [f"kind:{authority.kind}"] + [f"lang:{code}" for code in authority.languages or []]
    if state.region:
        tags.append(f"region:{state.region}")
    return index.terms_for(primary + secondary, tags)


def index_authorities(authorities: Sequence[Authority]) -> None:
    """Keep authorities' index rows in step, and their focal points', which hold their names."""
    index.replace_terms("authority", {str(each.id): _authority_terms(each) for each in authorities})
    focal_points: list[FocalPoint] = []
    for ids in batches([each.id for each in authorities]):
        focal_points += db.session.scalars(
            select(FocalPoint).where(FocalPoint.authority_id.in_(ids))
        )
    index_focal_points(focal_points)


def _focal_point_terms(focal_point: FocalPoint) -> set[str]:
    """Set the focal point's search text; return its index rows."""
    authority = focal_point.authority or db.session.get(Authority, focal_point.authority_id)
    assert authority is not None  # noqa: S101 - the foreign key guarantees it
    state = authority.state
    primary = [focal_point.name, focal_point.name_latin]
    secondary = [
        *state.names.values(),
        state.code,
        authority.name,
        authority.name_en or "",
        focal_point.title,
        AUTHORITY_KINDS.get(authority.kind, ""),
    ]
    secondary += language_texts(focal_point.languages or [])
    secondary += [EXPERTISE.get(item, "") for item in focal_point.expertise or []]
    secondary += list(focal_point.expertise or [])
    secondary += [NETWORKS.get(m["network"], "") for m in focal_point.networks or []]
    focal_point.search_text = index.pack(primary, secondary)
    tags = [f"kind:{authority.kind}"]
    tags += [f"lang:{code}" for code in focal_point.languages or []]
    tags += [f"exp:{item}" for item in focal_point.expertise or []]
    if state.region:
        tags.append(f"region:{state.region}")
    return index.terms_for(primary + secondary, tags)


def index_focal_points(focal_points: Sequence[FocalPoint]) -> None:
    """Keep focal points' search text and index rows in step with them and their authority."""
    index.replace_terms(
        "focal_point", {str(each.id): _focal_point_terms(each) for each in focal_points}
    )
