"""`flask network seed-demo` tells the demo case once, with the history the README promises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network.assistance.models import AssistanceRequest, RequestTransition
from network.auth.accounts import find_user_by_email
from network.cases.references import case_with_reference
from network.core import clock
from network.demo.seed import DEMO_USERS
from network.demo.story import CASE_REFERENCE
from network.disclosures.models import Disclosure
from network.extensions import db
from network.messages.models import Attachment
from network.messages.reading import unread_counts
from network.notifications.service import unread_count
from network.recovery.expiry import current_expiry, measure_status
from network.recovery.models import ProvisionalMeasure

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def seed_demo(app) -> str:
    result = app.test_cli_runner().invoke(args=["network", "seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (AssistanceRequest, ProvisionalMeasure, Disclosure, Attachment)
    )


def test_seed_demo_twice_tells_the_case_once(app):
    first = seed_demo(app)
    told = counts()
    second = seed_demo(app)

    assert f"Demo case {CASE_REFERENCE} told" in first
    assert f"Demo case {CASE_REFERENCE} already there" in second
    assert "Demo users added: 0" in second
    assert counts() == told


def test_the_demo_case_has_its_history(app):
    seed_demo(app)
    now = clock.now()

    assert case_with_reference("CIV", CASE_REFERENCE) is not None
    request = db.session.scalars(select(AssistanceRequest)).one()
    statuses = db.session.scalars(
        select(RequestTransition.to_status)
        .where(RequestTransition.request_id == request.id)
        .order_by(RequestTransition.id)
    ).all()
    assert statuses == ["draft", "shared_for_comment", "sent", "received", "in_execution"]
    order = db.session.scalars(select(ProvisionalMeasure)).one()
    assert len(order.extensions) == 1
    assert measure_status(order, now) == "extended"
    expiry = current_expiry(order)
    assert expiry is not None
    assert now.date() < expiry <= now.date() + timedelta(days=14)
    disclosure = db.session.scalars(select(Disclosure)).one()
    assert (disclosure.kind, disclosure.status) == ("spontaneous_56", "acknowledged")
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 2


def test_aminata_has_unread_messages_and_notices(app):
    seed_demo(app)
    amina = find_user_by_email("aminata.kone@civ.demo")
    assert amina is not None

    assert unread_count(amina) > 0
    assert sum(unread_counts(amina).values()) > 0


def test_each_of_the_six_languages_has_a_demo_user_who_reads_in_it(app):
    seed_demo(app)

    locales = set()
    for email, *_rest in DEMO_USERS:
        user = find_user_by_email(email)
        assert user is not None
        locales.add(user.locale)
    assert locales == {"ar", "zh", "en", "fr", "ru", "es"}
