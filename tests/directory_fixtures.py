"""A small directory for the directory tests: every UN State, a few offices and people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from network.core import clock
from network.directory.authorities import create_authority
from network.directory.focal_points import create_focal_point
from network.directory.models import Authority, FocalPoint
from network.directory.states import sync_states
from network.extensions import db
from tests.conftest import Cast


@dataclass
class SmallDirectory:
    cast: Cast
    civ_mla: Authority
    rus_fiu: Authority
    are_aro: Authority
    civ_person: FocalPoint
    rus_person: FocalPoint
    are_person: FocalPoint


@pytest.fixture
def small_directory(app: Flask, request: pytest.FixtureRequest) -> SmallDirectory:
    sync_states()
    db.session.commit()
    cast: Cast = request.getfixturevalue("cast")
    now = clock.now()
    civ_mla = create_authority(
        None,
        "CIV",
        {
            "kind": "mla_central_authority",
            "name": "Autorité centrale d'entraide",
            "name_en": "MLA central authority",
            "languages": ["fr"],
            "time_zone": "Africa/Abidjan",
            "email": "mla@civ.example",
        },
        now=now,
    )
    rus_fiu = create_authority(
        None,
        "RUS",
        {
            "kind": "fiu",
            "name": "Подразделение финансовой разведки",
            "languages": ["ru", "en"],
            "time_zone": "Europe/Moscow",
        },
        now=now,
    )
    are_aro = create_authority(
        None,
        "ARE",
        {
            "kind": "asset_recovery_office",
            "name": "مكتب استرداد الأصول",
            "languages": ["ar", "en"],
            "time_zone": "Asia/Dubai",
        },
        now=now,
    )
    civ_person = create_focal_point(
        None,
        {
            "authority_id": civ_mla.id,
            "name": "Aminata Koné",
            "languages": ["fr"],
            "expertise": ["mla"],
            "user_id": cast.amina.id,
        },
        now=now,
    )
    rus_person = create_focal_point(
        None,
        {
            "authority_id": rus_fiu.id,
            "name": "Дмитрий Волков",
            "languages": ["ru"],
            "expertise": ["virtual_assets"],
        },
        now=now,
    )
    are_person = create_focal_point(
        None,
        {
            "authority_id": are_aro.id,
            "name": "محمد الهاشمي",
            "languages": ["ar"],
            "expertise": ["ncb_forfeiture"],
        },
        now=now,
    )
    db.session.commit()
    return SmallDirectory(cast, civ_mla, rus_fiu, are_aro, civ_person, rus_person, are_person)
