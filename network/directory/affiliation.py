"""A new account's State, authority or observer body: the directory's answers for auth's checks.

The directory sits above auth, so auth never imports it; the edges name the
affiliation and pass it to ``auth.accounts.create_user``, which asks it.
"""

from __future__ import annotations

from sqlalchemy import select

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.directory.models import Authority, ObserverBody, State
from network.extensions import db


class Affiliation:
    """Where an account belongs, by the codes and ids the edges take (none for the secretariat)."""

    def __init__(
        self,
        state_code: str | None = None,
        *,
        authority_id: int | None = None,
        body_id: int | None = None,
    ) -> None:
        self.state_code = state_code.upper() if state_code else None
        self.authority_id = authority_id
        self.body_id = body_id

    def check_known(self) -> None:
        """The State and the body exist, and the authority is one of the State's."""
        if self.state_code and db.session.get(State, self.state_code) is None:
            raise InvalidInput(N_("Unknown State."), {"state": [N_("Unknown State code.")]})
        if self.body_id and db.session.get(ObserverBody, self.body_id) is None:
            raise InvalidInput(
                N_("Unknown observer body."), {"body": [N_("Unknown observer body.")]}
            )
        if self.authority_id:
            authority = db.session.get(Authority, self.authority_id)
            if authority is None or authority.state_code != self.state_code:
                raise InvalidInput(
                    N_("The authority is not one of that State's."),
                    {"authority": [N_("Choose an authority of the user's State.")]},
                )

    def lock_state(self) -> None:
        """Lock the State's row, so that two accounts made at once for it are made in turn."""
        db.session.execute(
            select(State.code).where(State.code == self.state_code).with_for_update()
        )
