"""The States as a page offers them: named in the reader's language, found by any UN name."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g
from flask_babel import get_locale

from network.directory.states import list_states

ALL_STATES = 400  # more than the 193 members and the observers, in one page


@dataclass(frozen=True)
class StateOption:
    code: str
    # "Nigeria (NGA)" in the reader's language.
    label: str
    # The code and the names in the six languages, so that "Nig" and "Ниг" both find Nigeria.
    search: str


def state_options(exclude: str | None = None) -> list[StateOption]:
    """Every State but ``exclude``, sorted by the reader's name for it; read once a request."""
    if "state_options" not in g:
        states, _total = list_states(per_page=ALL_STATES)
        locale = str(get_locale() or "en")
        g.state_options = sorted(
            (
                StateOption(
                    state.code,
                    f"{state.name(locale)} ({state.code})",
                    " ".join([state.code, *state.names.values()]),
                )
                for state in states
            ),
            key=lambda option: option.label,
        )
    return [option for option in g.state_options if option.code != exclude]


def register_state_picker(app: Flask) -> None:
    app.add_template_global(state_options, "state_options")
