"""Every operation of /api/v1/openapi.json, fuzzed by schemathesis as a member of a case.

The run fails on any server error and on any answer the document does not declare: a status it
does not list, a content type it does not name, a body its schema does not allow, a 405 without
``Allow``. The seed is fixed and the examples per operation bounded, so a run is reproducible and
takes a couple of minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.globals import _cv_app
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from network.auth.models import User
from network.core import clock
from network.extensions import db
from network.recovery import assets, returns
from tests.conftest import Cast, token_for
from tests.stories import START, open_freeze, sent_request

SEED = 20261201
EXAMPLES_PER_OPERATION = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": EXAMPLES_PER_OPERATION, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)


def isolated(app: Flask) -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
    """The app as a WSGI callable giving each request its own app context (as IsolatedClient)."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        hidden = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return list(app(environ, start_response))
        finally:
            _cv_app.reset(hidden)

    return wsgi


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # Exceptions answer 500 as in production, so that schemathesis reports the case that caused it.
    return {"PROPAGATE_EXCEPTIONS": False}


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 renames the test through ``node._nodeid``, which pytest 9.2 dropped."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def api_schema(app: Flask, cast: Cast) -> Any:
    """The document of a server where Aminata's case has a request, a frozen asset and a return."""
    freeze = open_freeze(cast)
    sent_request(cast, freeze.story, START)
    assets.change_asset_status(
        cast.lea, freeze.asset.id, "confiscated", "Final order", clock.now()
    )
    returns.record_return(
        cast.lea,
        freeze.asset.id,
        basis="57_3_a",
        amount="1250000.50",
        currency="CHF",
        expenses_deducted="1250.25",
        now=clock.now(),
    )
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app), config=CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema")

# What only administrators may do refuses Aminata before it does anything; these operations
# run once more as the administrator whose work they are.
NETWORK_ADMIN = (
    r"^/api/v1/(directory/(observer-bodies|import)|states(/\{code\})?$|statistics/network)"
)
NATIONAL_ADMIN = (
    r"^/api/v1/(authorities|focal-points|directory/(authorities|focal-points)|states/.+/profile)"
)


def call_as(case: Any, user: User) -> None:
    # A fresh token for each call: the fuzzer may revoke the one before (DELETE /tokens/{id}).
    case.call_and_validate(headers={"Authorization": f"Bearer {token_for(user)}"}, checks=CHECKS)


@schema.parametrize()
def test_every_operation_answers_as_its_document_says(case: Any, cast: Cast) -> None:
    call_as(case, cast.amina)


@schema.include(path_regex=f"{NETWORK_ADMIN}|{NATIONAL_ADMIN}").parametrize()
def test_administrators_operations_answer_as_their_document_says(case: Any, cast: Cast) -> None:
    network_admin = re.match(NETWORK_ADMIN, case.operation.path)
    call_as(case, cast.secretariat if network_admin else cast.yao)
