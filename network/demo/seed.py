"""The demo users, and ``seed``: the demo directory and users, added where missing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from network.auth.accounts import create_user, find_user_by_email, set_preferences
from network.demo import directory as directory_demo
from network.demo.library import seed_demo_library
from network.directory.affiliation import Affiliation
from network.directory.models import ObserverBody
from network.directory.states import sync_states
from network.extensions import db

DEMO_PASSWORD = "Recovery-Demo-2026!"  # noqa: S105 - printed on purpose for the demo

DEMO_BODY = ("ARIN-DEMO", "Demo Regional Asset Recovery Inter-Agency Network")

# (e-mail, name, role, State, language); every person here is fictional. One speaks each
# of the six UN languages, and their pages open in it.
DEMO_USERS = [
    ("secretariat@arnet.demo", "Network Secretariat (demo)", "network_admin", None, "en"),
    ("aminata.kone@civ.demo", "Aminata Koné", "practitioner", "CIV", "fr"),
    ("yao.kouassi@civ.demo", "Yao Kouassi", "national_admin", "CIV", "fr"),
    ("lea.muller@che.demo", "Léa Müller", "practitioner", "CHE", "en"),
    ("camille.laurent@fra.demo", "Camille Laurent", "practitioner", "FRA", "fr"),
    ("olga.smirnova@rus.demo", "Ольга Смирнова", "practitioner", "RUS", "ru"),
    ("maryam.alhashimi@are.demo", "مريم الهاشمي", "practitioner", "ARE", "ar"),
    ("wang.wei@chn.demo", "王伟", "practitioner", "CHN", "zh"),
    ("javier.garcia@esp.demo", "Javier García", "practitioner", "ESP", "es"),
    ("observer@arin.demo", "Observer (demo)", "observer", "BODY", "en"),
]


def seed(now: datetime) -> list[str]:
    """Idempotent: adds what is missing and says what it did."""
    lines = [f"States added: {sync_states().added}"]
    lines.extend(directory_demo.seed_demo_directory(now))
    body = db.session.scalar(select(ObserverBody).where(ObserverBody.acronym == DEMO_BODY[0]))
    if body is None:
        body = ObserverBody(acronym=DEMO_BODY[0], name=DEMO_BODY[1])
        db.session.add(body)
        db.session.flush()
    added = 0
    for email, name, role, state, locale in DEMO_USERS:
        user = find_user_by_email(email)
        if user is None:
            user = create_user(
                None,
                email=email,
                name=name,
                role=role,
                affiliation=Affiliation(body_id=body.id) if state == "BODY" else Affiliation(state),
                password=DEMO_PASSWORD,
                is_demo=True,
                now=now,
            )
            added += 1
        if user.is_demo and user.locale is None:
            set_preferences(user, locale=locale, time_zone=user.time_zone)
    lines.append(f"Demo users added: {added}")
    lines.append(f"Demo users linked to focal points: {directory_demo.link_demo_users()}")
    lines.extend(seed_demo_library(now))
    lines.append(f"Demo password for every demo user: {DEMO_PASSWORD}")
    lines.extend(
        f"  {email}  ({role}{', ' + state if state and state != 'BODY' else ''}; {locale})"
        for email, _name, role, state, locale in DEMO_USERS
    )
    return lines
