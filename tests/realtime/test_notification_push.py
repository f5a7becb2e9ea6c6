"""A reminder made by the job reaches the recipient's open sockets live, and nobody else's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from network.extensions import db
from network.notifications import reminders
from network.recovery import endings
from tests.conftest import Cast
from tests.realtime.conftest import received
from tests.stories import open_freeze


def test_a_new_notification_is_pushed_to_the_recipients_room_after_commit(
    cast: Cast, socket_as: Any
) -> None:
    open_freeze(cast, expires_on=date(2026, 3, 31))
    lea, camille = socket_as(cast.lea), socket_as(cast.camille)
    lea.get_received()
    camille.get_received()
    reminders.send_reminders(
        datetime(2026, 3, 24, 12, tzinfo=UTC), unread_interval=timedelta(hours=24)
    )
    assert received(lea, "notification") == []  # nothing leaves before the commit
    db.session.commit()
    pushed = received(lea, "notification")
    assert len(pushed) == 1
    assert "CIV-PNF-2024-17" in pushed[0]["subject"]
    assert pushed[0]["unread"] == 1
    assert received(camille, "notification") == []


def test_a_step_of_one_side_is_pushed_live_to_the_other_side_only(
    cast: Cast, socket_as: Any
) -> None:
    freeze = open_freeze(cast, expires_on=date(2026, 3, 31))
    amina, lea = socket_as(cast.amina), socket_as(cast.lea)
    amina.get_received()
    lea.get_received()
    endings.extend_measure(
        cast.lea,
        freeze.measure.id,
        new_expires_on=date(2026, 6, 30),
        now=datetime(2026, 3, 2, 9, tzinfo=UTC),
    )
    db.session.commit()
    [pushed] = received(amina, "notification")
    assert pushed["kind"] == "measure.extended"
    assert pushed["link"] == f"/measures/{freeze.measure.id}"
    assert received(lea, "notification") == []
