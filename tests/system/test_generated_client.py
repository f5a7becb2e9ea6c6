"""A Python client generated from /api/v1/openapi.json drives one story against a real server.

openapi-python-client reads the document a running server serves, writes a client package,
and that package alone opens a case, sends and reads messages, and records a request, an
asset and a freezing order: the document is complete enough to program against. (The
tool leaves out the two answers whose bodies are not JSON or octet-stream: the draft
.docx and an attachment's download; both are declared binary in the document.)
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests

from tests.system.harness import ServerProcess, Site, make_person

pytestmark = pytest.mark.slow

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def client_package(
    tmp_path: Path, sqlite_site: Site, start_server
) -> Iterator[tuple[ModuleType, ServerProcess]]:
    server = start_server(sqlite_site, "api")
    document = tmp_path / "openapi.json"
    document.write_bytes(requests.get(f"{server.url}/api/v1/openapi.json", timeout=10).content)
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "arnet_client"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("arnet_client"), server
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("arnet_client")]:
            del sys.modules[name]


def operation(package: ModuleType, tag: str, operation_id: str) -> Callable[..., Any]:
    """The generated function of one operation, found by its tag and operationId."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id)
    return importlib.import_module(f"{package.__name__}.api.{tag}.{snake}").sync_detailed


def model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def test_a_generated_client_opens_a_case_messages_and_records_a_request_and_an_order(
    client_package: tuple[ModuleType, ServerProcess], sqlite_site: Site
):
    package, server = client_package
    amina = make_person(sqlite_site, "amina@civ.example", "Aminata Koné", "practitioner", "CIV")
    lea = make_person(sqlite_site, "lea@che.example", "Léa Müller", "practitioner", "CHE")
    as_amina = package.AuthenticatedClient(base_url=server.url, token=amina.token)
    as_lea = package.AuthenticatedClient(base_url=server.url, token=lea.token)

    opened = operation(package, "cases", "postCases")(
        client=as_amina,
        body=model(package, "CaseInput").from_dict(
            {
                "title": "Villa in Geneva",
                "summary": "Proceeds of embezzlement",
                "reference": "CIV-2026-12",
                "requested_states": ["CHE"],
                "counterparts": [lea.user_id],
            }
        ),
    )
    assert opened.status_code == 201, opened.content
    case_id, channel_id = opened.parsed.id, opened.parsed.channels[0].id

    send = operation(package, "channels", "postChannelMessages")
    for number, (who, body) in enumerate(
        [(as_amina, "Are the accounts at the Geneva bank?"), (as_lea, "Yes, two of them.")],
        start=1,
    ):
        sent = send(
            channel_id,
            client=who,
            body=model(package, "MessageInput").from_dict(
                {"client_id": f"m{number}", "body": body, "handling_code": "H1"}
            ),
        )
        assert sent.status_code == 201, sent.content
        assert sent.parsed.seq == number
    page = operation(package, "channels", "getChannelMessages")(
        channel_id, client=as_lea, after_seq=0
    )
    assert page.status_code == 200, page.content
    assert [m.body for m in page.parsed.items] == [
        "Are the accounts at the Geneva bank?",
        "Yes, two of them.",
    ]

    request = operation(package, "assistance", "postCaseRequests")(
        case_id,
        client=as_amina,
        body=model(package, "RequestInput").from_dict(
            {
                "kind": "freezing",
                "requested_state": "CHE",
                "legal_basis": "uncac",
                "transmission_channel": "central_authority",
            }
        ),
    )
    assert request.status_code == 201, request.content
    assert request.parsed.status == "draft"

    asset = operation(package, "recovery", "postCaseAssets")(
        case_id,
        client=as_lea,
        body=model(package, "AssetInput").from_dict(
            {
                "kind": "bank_account",
                "location_state": "CHE",
                "currency": "CHF",
                "estimated_value": "1250000.50",
            }
        ),
    )
    assert asset.status_code == 201, asset.content
    today = date.today()
    order = operation(package, "recovery", "postCaseMeasures")(
        case_id,
        client=as_lea,
        body=model(package, "MeasureInput").from_dict(
            {
                "kind": "freezing",
                "assets": [asset.parsed.id],
                "issuing_state": "CHE",
                "issuing_authority": "Office of the Attorney General",
                "legal_basis": "54_2_b",
                "effective_on": today.isoformat(),
                "expires_on": (today + timedelta(days=90)).isoformat(),
            }
        ),
    )
    assert order.status_code == 201, order.content
    listed = operation(package, "recovery", "getCaseMeasures")(case_id, client=as_amina)
    assert [m.id for m in listed.parsed.items] == [order.parsed.id]
