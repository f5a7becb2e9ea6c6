"""Bench data in one process through the services and models; prints one JSON line.

Why a loader next to the CLI and the API: making a hundred users through ``create-user``
costs a Python start-up each, and a data set of 100,000 cases and a million sealed
messages through the API would take hours. So the bench makes its first users with the
CLI and its channels over REST, and everything bulky here, in large transactions:

- ``states``: the UN member and observer States (``sync_states``, as ``seed-demo`` does);
- ``people PREFIX STATE COUNT``: users and tokens through ``auth.accounts`` and ``auth.tokens``
  (the CLI's code);
- ``directory FILE STATES PEOPLE``: writes an ``import-directory`` JSON document of PEOPLE
  focal points spread over STATES States;
- ``bulk CASES MESSAGES MEASURES MEMBER_EMAIL COUNTERPART_EMAIL``: cases, channels, sealed
  messages, stage history and open freezing orders with bulk inserts (COPY on PostgreSQL,
  executemany on SQLite; see ``bulk``);
- ``network PREFIX STATE_A STATE_B GROUPS SIZE``: users with tokens and one case of SIZE
  members per group, in bulk (see ``bulk.network``): the idle-socket row's population.
"""

from __future__ import annotations

import json
import random
import secrets
import sys
import time
from typing import Any

from sqlalchemy import select

from network import create_app
from network.core import clock
from network.extensions import db

FIRST = {
    "latin": ["Mohammed", "Jean-Pierre", "José", "Aminata", "Léa", "Olusegun", "Nguyen",
              "Søren", "François", "María", "Kwame", "Ana", "Hans", "Fatima", "Rodrigo"],
    "cyrillic": ["Иван", "Ольга", "Сергей", "Наталья", "Дмитрий", "Айгуль", "Тимур"],
    "arabic": ["محمد", "فاطمة", "أحمد", "خالد", "عائشة", "يوسف", "مريم"],
    "chinese": ["伟", "芳", "娜", "敏", "静", "磊", "洋"],
}
LAST = {
    "latin": ["Koné", "Müller", "Dubois", "García", "Okonkwo", "Haddad", "Svensson",
              "Rossi", "Mensah", "Tanaka", "Silva", "Novak", "Yilmaz", "Ouedraogo", "Smith"],
    "cyrillic": ["Петров", "Иванова", "Смирнов", "Кузнецова", "Нурланов", "Абдуллаев"],
    "arabic": ["عبد الله", "الحسن", "المنصور", "حداد", "العلي", "إبراهيم"],
    "chinese": ["王", "李", "张", "刘", "陈", "杨"],
}
SCRIPTS = ("latin", "latin", "cyrillic", "arabic", "chinese")
TITLES = ["Prosecutor", "Head of unit", "Financial investigator", "Legal adviser",
          "Asset recovery officer", "Deputy director"]
KINDS = ["mla_central_authority", "asset_recovery_office", "fiu", "prosecution"]
EXPERTISE = ["mla", "ncb_forfeiture", "financial_investigation", "asset_management",
             "virtual_assets"]
LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh", "pt", "de"]


def _person_name(rng: random.Random, script: str) -> str:
    first, last = rng.choice(FIRST[script]), rng.choice(LAST[script])
    return f"{last}{first}" if script == "chinese" else f"{first} {last}"


def states() -> dict[str, Any]:
    from network.directory.states import sync_states

    added = sync_states()
    db.session.commit()
    return {"added": added}


def people(prefix: str, state: str, count: int) -> dict[str, Any]:
    from flask import current_app

    from network.auth.accounts import create_user
    from network.auth.tokens import create_token
    from network.directory.affiliation import Affiliation

    made = []
    now = clock.now()
    for number in range(count):
        email = f"{prefix}{number}@{state.lower()}.bench.example"
        user = create_user(
            None, email=email, name=f"{prefix.title()} {number} {state}", role="practitioner",
            affiliation=Affiliation(state),
            password=secrets.token_urlsafe(18), now=now,
        )
        _, raw = create_token(
            user, "bench", 30, now=now, max_days=current_app.config["TOKEN_MAX_DAYS"]
        )
        made.append({"user_id": user.id, "email": email, "token": raw, "state": state})
    db.session.commit()
    return {"people": made}


def pairs(state_a: str, state_b: str, count: int) -> dict[str, Any]:
    """``count`` two-member cases opened through ``cases.opening.open_case``, one per pair."""
    from network.auth.accounts import find_user_by_email
    from network.cases import opening
    from network.cases.models import Channel

    made_a = people("pa", state_a, count)["people"]
    made_b = people("pb", state_b, count)["people"]
    now = clock.now()
    result = []
    for a, b in zip(made_a, made_b, strict=True):
        actor = find_user_by_email(a["email"])
        assert actor is not None
        case = opening.open_case(
            actor, title=f"Bench pair {a['user_id']}", summary="", reference="",
            requested_states=[state_b], counterparts=[b["user_id"]], now=now,
        )
        db.session.flush()
        channel_id = db.session.scalar(select(Channel.id).where(Channel.case_id == case.id))
        result.append({"channel": channel_id, "a": a, "b": b})
    db.session.commit()
    return {"pairs": result}


def directory_file(path: str, state_count: int, people_total: int) -> dict[str, Any]:
    """Up to 200 States (the UN has 195 members and observers) and ``people_total`` focal
    points spread over them, names in Latin, Cyrillic, Arabic and Chinese script."""
    from network.directory.models import State

    rng = random.Random(7)
    codes = list(db.session.scalars(select(State.code).order_by(State.code)))[:state_count]
    per_state = -(-people_total // len(codes))
    authorities, focal_points = [], []
    for code in codes:
        key = f"bench-{code.lower()}-ca"
        authorities.append({
            "key": key, "state": code, "kind": rng.choice(KINDS),
            "name": f"Central Authority of {code}", "languages": rng.sample(LANGUAGES, 2),
        })
        for number in range(per_state):
            script = SCRIPTS[number % len(SCRIPTS)]
            focal_points.append({
                "key": f"bench-{code.lower()}-{number}", "state": code, "authority": key,
                "name": _person_name(rng, script), "title": rng.choice(TITLES),
                "languages": rng.sample(LANGUAGES, 2), "expertise": rng.sample(EXPERTISE, 2),
            })
    document = {"format": "arnet-directory", "version": 1, "authorities": authorities,
                "focal_points": focal_points}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False)
    return {"states": len(codes), "authorities": len(authorities),
            "focal_points": len(focal_points)}


def run_step(command: str, args: list[str]) -> dict[str, Any]:
    if command == "states":
        return states()
    if command == "people":
        return people(args[0], args[1], int(args[2]))
    if command == "pairs":
        return pairs(args[0], args[1], int(args[2]))
    if command == "directory":
        return directory_file(args[0], int(args[1]), int(args[2]))
    if command == "bulk":
        from bulk import load  # bench/bulk.py, next to this file

        return load(int(args[0]), int(args[1]), int(args[2]), args[3], args[4])
    if command == "network":
        from bulk import network

        return network(args[0], args[1], args[2], int(args[3]), int(args[4]))
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    # One start-up for several steps: argv is a JSON list of [command, *args] lists.
    started = time.perf_counter()
    app = create_app()
    results: dict[str, Any] = {"step_seconds": {}}
    with app.app_context():
        for command, *args in json.loads(sys.argv[1]):
            name, number = command, 1
            while name in results:  # a repeated step: "people", "people#2", ...
                number += 1
                name = f"{command}#{number}"
            step_started, cpu_started = time.perf_counter(), time.process_time()
            results[name] = run_step(command, [str(each) for each in args])
            results["step_seconds"][name] = {
                "wall": round(time.perf_counter() - step_started, 2),
                "cpu": round(time.process_time() - cpu_started, 2)}
    results["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(results, ensure_ascii=False, default=str))
