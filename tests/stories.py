"""A case story shared by the case and channel tests: Côte d'Ivoire asks Switzerland and France."""

from __future__ import annotations

from dataclasses import dataclass

from network.auth.models import User
from network.cases import opening, team
from network.cases.models import Case, Channel
from network.core import clock
from network.extensions import db
from tests.conftest import Cast, make_user

DISTINCTIVE = "Zebra-Quokka-Marmalade-7731"


@dataclass
class Story:
    case: Case
    che: Channel  # Aminata (CIV) and Léa (CHE)
    fra: Channel  # Aminata (CIV) and Camille (FRA)


def open_story(
    cast: Cast,
    summary: str = "Embezzled funds moved through Geneva and Paris.",
    title: str = "Port authority embezzlement",
    reference: str = "CIV-PNF-2024-17",
) -> Story:
    """Aminata opens a case toward Switzerland (with Léa) and France (with Camille)."""
    case = opening.open_case(
        cast.amina,
        title=title,
        summary=summary,
        reference=reference,
        requested_states=["CHE", "FRA"],
        counterparts=[cast.lea.id, cast.camille.id],
        now=clock.now(),
    )
    db.session.commit()
    channels = {c.requested_state: c for c in db.session.query(Channel).filter_by(case_id=case.id)}
    return Story(case=case, che=channels["CHE"], fra=channels["FRA"])


def removed_member(cast: Cast, story: Story) -> User:
    """Kofi (CIV practitioner) joins Aminata's team and is then taken off it."""
    kofi = make_user("kofi@civ.example", "Kofi Yeboah", "practitioner", "CIV")
    team.add_team_member(cast.amina, story.case.id, kofi.id, clock.now())
    team.remove_team_member(cast.amina, story.case.id, kofi.id, clock.now())
    db.session.commit()
    return kofi
