"""Every route of the app × every outsider: refused as if absent, and nothing of the case said.

The routes come from the app's URL map, so a route is covered the day it is added. Its
URL parameters are filled from the story by name; a parameter this file does not know
fails the test until it is taught here. A route whose URL names something only the
case's parties reach must answer exactly as it does for an id that does not exist; a
route that names nothing private must be in ALLOWLIST, with the reason it is not
case-scoped. No answer of any route, refusal or not, may carry the story's marker words.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from network.core import clock
from tests.conftest import (
    ApiClient,
    built_app,
    csrf_from,
    make_cast,
    sign_in,
    token_for,
)
from tests.stories import OUTSIDERS, SEES, Told, tell_story

NOWHERE = 987_654

# What each URL parameter names: something only its owners reach (and whose), or nothing
# private. A new parameter must be added to one of the two before its routes can be tried.
PRIVATE = {
    "case_id": "case",
    "channel_id": "case",
    "attachment_id": "case",
    "request_id": "case",
    "enquiry_id": "case",
    "subject_id": "case",
    "asset_id": "case",
    "measure_id": "case",
    "consultation_id": "case",
    "ask_id": "case",
    "confiscation_id": "case",
    "return_id": "case",
    "line_id": "case",
    "milestone_id": "case",
    "disclosure_id": "disclosure",
    "notification_id": "account",
    "session_id": "account",
    "token_id": "account",
}
PUBLIC = {
    "code": "a State of the directory",
    "authority_id": "an authority of the directory",
    "focal_point_id": "a focal point of the directory",
    "body_id": "an observer body of the directory",
    "document_id": "a document of the network's library",
    "entry_id": "a State's technical-assistance need or offer, never case content",
    "user_id": "a person (the case's opener); where it sits beside a case, the case refuses",
    "secret": "the outsider's own calendar feed",
    "filename": "a file of static/",
    "path": "a browser library under /vendor",
}
FIXED = {"filename": "css/arnet.css", "path": "socket.io/socket.io.min.js"}

# Routes whose URL names nothing private, and why they are not case-scoped. They are still
# read for the story's words.
ALLOWLIST = {
    "static": "the site's own styles and scripts",
    "vendor": "browser libraries installed from npm",
    "api-docs.*": "the OpenAPI description of the API",
    "asyncapi": "the AsyncAPI description of the Socket.IO events",
    "web_home.*": "the caller's own start page",
    "web_health.*": "the liveness and readiness probes and the metrics, which name no record",
    "web_auth.*": "signing in, the second factor and the language",
    "web_account.*": "the caller's own account",
    "me.*": "the caller's own account",
    "tokens.*": "the caller's own tokens",
    "web_notifications.*": "the caller's own notices and calendar feed",
    "notifications.*": "the caller's own notices",
    "deadlines.*": "the caller's own deadlines",
    "asks.Asks": "the caller's own asks",
    "web_admin.*": "user accounts, which are not case content",
    "web_directory.*": "the public directory",
    "directory.*": "the public directory",
    "authorities.*": "the public directory",
    "focal_points.*": "the public directory",
    "states.*": "the public directory",
    "search.*": "the public directory",
    "who_to_ask.*": "a proposal drawn from the public directory",
    "library.*": "the network's library and technical-assistance figures: no case content",
    "web_library.*": "the network's library: no case content",
    "web_technical_assistance.*": "technical-assistance needs and offers: no case content",
    "cases.Cases": "the caller's own cases, and opening one",
    "web_cases.index": "the caller's own cases",
    "web_cases.new": "opening a case",
    "disclosures.Disclosures": "the caller's State's disclosures, and sending one",
    "web_tracking.disclosure_list": "the caller's State's disclosures",
    "web_tracking.send_disclosure": "sending a disclosure",
    "statistics.StateFigures": "figures that name no case",
    "statistics.NetworkFigures": "figures that name no case",
    "web_figures.statistics_page": "figures that name no case",
}
# After these the outsider signs in again: they end the session they are sent with.
SIGNS_OUT = {"web_auth.sign_out", "web_account.end_all_sessions"}


def _soon(days: int) -> str:
    return (clock.now().date() + timedelta(days=days)).isoformat()


Ids = dict[str, Any]
# A plausible body (query, for GET) per route, beside the empty one, so that the service's own
# check is reached too: input that an outsider could not get past would hide a missing check.
PLAUSIBLE: dict[str, Callable[[Ids], dict[str, Any]]] = {
    "PATCH cases.CaseById": lambda ids: {"reference": "MINE-1"},
    "POST cases.Team": lambda ids: {"user": ids["me"], "reason": "break glass"},
    "POST cases.Channels": lambda ids: {"requested_states": ["CHE", "FRA"]},
    "GET cases.CaseSearch": lambda ids: {"q": "notary"},
    "POST channels.ChannelMessages": lambda ids: {
        "client_id": "matrix-1", "body": "hello", "handling_code": "H0"
    },
    "GET channels.ChannelMessages": lambda ids: {"after_seq": 0, "limit": 10},
    "POST channels.ReadPositions": lambda ids: {"seq": 1},
    "POST channels.Observers": lambda ids: {"user": ids["me"]},
    "POST channels.ChannelShares": lambda ids: {"subject": ids["subject_id"]},
    "POST assistance.CaseRequests": lambda ids: {
        "kind": "mla", "requested_state": "CHE", "legal_basis": "uncac",
        "transmission_channel": "central_authority",
    },
    "PATCH assistance.RequestById": lambda ids: {"reference": "MINE-2"},
    "POST assistance.Transitions": lambda ids: {"to": "executed", "reason": "done"},
    "POST assistance.Enquiries": lambda ids: {"question": "news?"},
    "POST assistance.EnquiryAnswer": lambda ids: {"answer": "soon"},
    "POST assistance.DelayNotices": lambda ids: {"delay_days": 5, "reason": "busy"},
    "POST recovery.CaseSubjects": lambda ids: {
        "kind": "natural", "names": ["A. Person"], "requested_state": "CHE"
    },
    "POST recovery.CaseAssets": lambda ids: {"kind": "bank_account", "location_state": "CHE"},
    "POST recovery.CaseMeasures": lambda ids: {
        "kind": "freezing", "assets": [ids["asset_id"]], "issuing_state": "CHE",
        "issuing_authority": "MPC", "legal_basis": "54_2_b",
    },
    "PATCH recovery.AssetById": lambda ids: {"description": "mine"},
    "POST recovery.AssetHolders": lambda ids: {"subject": ids["subject_id"], "kind": "direct"},
    "POST recovery.AssetStatus": lambda ids: {"to": "released", "reason": "mine"},
    "POST recovery.AssetReturns": lambda ids: {"basis": "57_3_a", "amount": "1", "currency": "CHF"},
    "PATCH recovery.MeasureById": lambda ids: {"next_review_on": _soon(5)},
    "POST recovery.MeasureExtensions": lambda ids: {"new_expires_on": _soon(400)},
    "POST recovery.MeasureLifting": lambda ids: {"reason": "mine"},
    "POST recovery.MeasureReplacement": lambda ids: {"confiscated_on": _soon(0)},
    "POST recovery.MeasureConsultations": lambda ids: {
        "invited_on": _soon(0), "deadline_on": _soon(5)
    },
    "PATCH recovery.MeasureConsultation": lambda ids: {"decision": "keep"},
    "POST returns.CaseConfiscations": lambda ids: {
        "order_reference": "MINE-3", "ordered_on": _soon(0), "finality": "final",
        "final_on": _soon(0), "assets": [{"asset": ids["asset_id"], "amount": "1",
                                          "currency": "CHF"}],
    },
    "POST returns.ConfiscationFinality": lambda ids: {"final_on": _soon(0)},
    "POST returns.CaseReturns": lambda ids: {
        "confiscation": ids["confiscation_id"], "basis": "57_3_a", "arrangement": "agreement"
    },
    "POST returns.ReturnSteps": lambda ids: {"step": "draft_shared", "on": _soon(0)},
    "POST returns.ReturnLines": lambda ids: {
        "kind": "expense", "label": "mine", "amount": "1", "currency": "CHF"
    },
    "POST returns.ReturnMilestones": lambda ids: {"description": "mine", "due_on": _soon(5)},
    "POST returns.MilestoneDone": lambda ids: {"done_on": _soon(0)},
    "POST asks.CaseAsks": lambda ids: {
        "kind": "call", "channel": ids["channel_id"], "due_on": _soon(5), "text": "call?"
    },
    "POST asks.AskAnswer": lambda ids: {"outcome": "refused", "reason": "mine"},
    "POST web_cases.ask": lambda ids: {
        "ask-kind": "call", "ask-due_on": _soon(5), "ask-text": "call?"
    },
    "POST web_cases.answer_ask": lambda ids: {"answer-outcome": "granted"},
    "POST disclosures.FollowUp": lambda ids: {"case": ids["case_id"]},
    "PUT disclosures.NotificationDetails": lambda ids: {"scope": "mine"},
    "POST disclosures.NotificationResults": lambda ids: {
        "reported_on": _soon(0), "institution": "Mine"
    },
    "POST web_cases.send": lambda ids: {
        "message-client_id": "matrix-2", "message-body": "hello", "message-handling_code": "H0"
    },
    "POST web_cases.add_member": lambda ids: {"team-user_id": ids["me"]},
    "POST web_cases.open_table": lambda ids: {"table-requested_states": ["CHE", "FRA"]},
    "POST web_tables.share": lambda ids: {"share-record": f"subject:{ids['subject_id']}"},
    "POST web_tables.withdraw": lambda ids: {"share-record": f"subject:{ids['subject_id']}"},
    "POST web_cases.invite_observer": lambda ids: {"observer-user_id": ids["me"]},
    "POST web_cases.change_stage": lambda ids: {"stage-stage": "closed", "stage-reason": "mine"},
    "POST web_tracking.new_request": lambda ids: {
        "kind": "mla", "requested_state": "CHE", "legal_basis": "uncac",
        "transmission_channel": "central_authority",
    },
    "POST web_tracking.new_subject": lambda ids: {
        "kind": "natural", "names": "A. Person", "requested_state": "CHE"
    },
    "POST web_tracking.new_asset": lambda ids: {"kind": "bank_account", "location_state": "CHE"},
    "POST web_tracking.new_measure": lambda ids: {
        "kind": "freezing", "assets": str(ids["asset_id"]), "issuing_state": "CHE",
        "issuing_authority": "MPC", "legal_basis": "54_2_b",
    },
    "POST web_tracking.edit_request": lambda ids: {"contents.purpose": "mine"},
    "POST web_tracking.move_request": lambda ids: {"to": "executed"},
    "POST web_tracking.ask_status": lambda ids: {"question": "news?"},
    "POST web_tracking.answer_enquiry": lambda ids: {"answer": "soon"},
    "POST web_tracking.delay_notice": lambda ids: {"delay_days": "5", "reason": "busy"},
    "POST web_tracking.asset_status": lambda ids: {"to": "released", "reason": "mine"},
    "POST web_tracking.link_holder": lambda ids: {
        "asset": str(ids["asset_id"]), "subject": str(ids["subject_id"]), "kind": "direct"
    },
    "POST web_tracking.asset_return": lambda ids: {
        "basis": "57_3_a", "amount": "1", "currency": "CHF"
    },
    "POST web_tracking.measure_dates": lambda ids: {"next_review_on": _soon(5)},
    "POST web_tracking.extend": lambda ids: {"new_expires_on": _soon(400)},
    "POST web_tracking.lift": lambda ids: {"reason": "mine"},
    "POST web_tracking.replace": lambda ids: {"confiscated_on": _soon(0)},
    "POST web_tracking.consult": lambda ids: {"invited_on": _soon(0), "deadline_on": _soon(5)},
    "POST web_tracking.new_confiscation": lambda ids: {
        "order_reference": "MINE-4", "ordered_on": _soon(0), "finality": "final",
        "final_on": _soon(0), "assets-0.asset": str(ids["asset_id"]), "assets-0.amount": "1",
        "assets-0.currency": "CHF",
    },
    "POST web_tracking.confiscation_final": lambda ids: {"final_on": _soon(0)},
    "POST web_tracking.new_return": lambda ids: {
        "confiscation": str(ids["confiscation_id"]), "basis": "57_3_a", "arrangement": "agreement"
    },
    "POST web_tracking.return_step": lambda ids: {"step": "draft_shared", "on": _soon(0)},
    "POST web_tracking.return_line": lambda ids: {
        "kind": "expense", "label": "mine", "amount": "1", "currency": "CHF"
    },
    "POST web_tracking.return_milestone": lambda ids: {"description": "mine", "due_on": _soon(5)},
    "POST web_tracking.milestone_done": lambda ids: {"done_on": _soon(0)},
    "POST web_tracking.disclosure_status": lambda ids: {"to": "acknowledged"},
    "POST web_tracking.describe_notification": lambda ids: {"scope": "mine"},
    "POST web_tracking.record_result": lambda ids: {"reported_on": _soon(0), "institution": "Mine"},
}


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    method: str
    arguments: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _routes() -> list[Route]:
    """Every (rule, method) of the app, read from a throwaway app's URL map."""
    with tempfile.TemporaryDirectory() as directory, built_app(
        f"sqlite:///{directory}/routes.db", Path(directory), {}
    ) as app:
        return [
            Route(rule.endpoint, rule.rule, method, tuple(rule.arguments))
            for rule in sorted(app.url_map.iter_rules(), key=lambda each: each.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        ]


ROUTES = _routes()


@dataclass
class World:
    """One outsider's view of the story: a token for the API and a signed-in browser."""

    app: Flask
    told: Told
    api: ApiClient
    browser: FlaskClient
    csrf: str

    def signed_in(self) -> tuple[FlaskClient, str]:
        browser = self.app.test_client()
        assert sign_in(browser, self.told.outsider).status_code == 302
        return browser, csrf_from(browser.get("/account").text)


@pytest.fixture(scope="module", params=OUTSIDERS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The story told once for this outsider, who is signed in for the API and the pages."""
    directory = tmp_path_factory.mktemp("matrix")
    with built_app(f"sqlite:///{directory / 'arnet.db'}", directory, {}) as app:
        told = tell_story(app, make_cast(), request.param)
        told.ids["me"] = told.outsider.id
        api = ApiClient(app.test_client(), token_for(told.outsider))
        world = World(app, told, api, app.test_client(), "")
        world.browser, world.csrf = world.signed_in()
        yield world


def _url(route: Route, ids: Ids, absent: bool) -> str:
    values = {}
    for name in route.arguments:
        if name not in PRIVATE and name not in PUBLIC:
            pytest.fail(
                f"{route} has the URL parameter {name!r}, which this matrix does not know: "
                "add it to PRIVATE (with the story's id) or PUBLIC (with why) in "
                "tests/http/test_permission_matrix.py"
            )
        values[name] = NOWHERE if absent and name in PRIVATE else FIXED.get(name) or ids[name]
    path = route.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
    return path


def _send(world: World, route: Route, url: str, body: dict[str, Any] | None) -> Any:
    """One request as the outsider: the API with its token, pages with its session and CSRF."""
    if url.startswith("/api/"):
        client, options = world.api.client, {"headers": world.api.headers}
        options |= {"query_string": body or {}} if route.method == "GET" else {"json": body or {}}
    else:
        # Following redirects reads the page a change leads to, and the notice it leaves.
        client, options = world.browser, {"follow_redirects": True}
        if route.method == "GET":
            options["query_string"] = body or {}
        else:
            options["data"] = {"csrf_token": world.csrf, **(body or {})}
    response = client.open(url, method=route.method, **options)
    response.get_data()  # read a streamed file whole, then let it go
    response.close()
    if route.endpoint in SIGNS_OUT:
        # Signing out everywhere ends the browser's session and revokes the API token too.
        world.browser, world.csrf = world.signed_in()
        world.api = ApiClient(world.app.test_client(), token_for(world.told.outsider))
    return response


def _normal(response: Any, url: str) -> tuple[int, str]:
    """Status and body, without what differs by design: CSRF tokens, the page's own address."""
    text = response.get_data(as_text=True).replace(url, "<this page>")
    text = re.sub(r'(name="csrf[-_]token"[^>]*?(?:value|content)=")[^"]+', r"\1-", text)
    return response.status_code, text


def _difference(one: str, other: str) -> str:
    """The first line where two answers part, for the failure message."""
    for mine, theirs in zip(one.splitlines(), other.splitlines(), strict=False):
        if mine != theirs:
            return f"{mine.strip()[:200]!r} where an absent object gives {theirs.strip()[:200]!r}"
    return f"{one[-200:]!r} / {other[-200:]!r}"


def _readable(response: Any) -> str:
    """Everything an outsider could read in an answer: headers, body, the inside of a .docx."""
    data = response.get_data()
    parts = [str(response.headers)]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    else:
        parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def _allowlisted(route: Route) -> str | None:
    return next(
        (reason for pattern, reason in ALLOWLIST.items() if fnmatch(route.endpoint, pattern)), None
    )


def _bodies(route: Route, ids: Ids) -> list[dict[str, Any] | None]:
    """Nothing for a read; for a write, an empty body and, where known, a plausible one."""
    bodies: list[dict[str, Any] | None] = [None] if route.method in {"GET", "DELETE"} else [{}]
    plausible = PLAUSIBLE.get(f"{route.method} {route.endpoint}")
    return bodies if plausible is None else [*bodies, plausible(ids)]


def _assert_nothing_of_the_case(told: Told, what: str, answer: Any) -> None:
    text = _readable(answer).lower()
    for mark in told.marks:
        at = text.find(mark.lower())
        assert at < 0, f"{told.role} read {mark!r} in {what}: {text[max(0, at - 80) : at + 80]}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_outsiders_learn_nothing_of_the_case(world: World, route: Route) -> None:
    told = world.told
    url, elsewhere = _url(route, told.ids, absent=False), _url(route, told.ids, absent=True)
    kinds = {PRIVATE[name] for name in route.arguments if name in PRIVATE}
    if not kinds and _allowlisted(route) is None:
        pytest.fail(
            f"{route} ({route.endpoint}) names nothing private in its URL: if it is not "
            "case-scoped, add it to ALLOWLIST with the reason; otherwise give it the case's id"
        )
    refuses = bool(kinds) and not kinds <= SEES.get(told.role, frozenset())
    for body in _bodies(route, told.ids):
        what = f"{route} (body {body})"
        answer = _send(world, route, url, body)
        _assert_nothing_of_the_case(told, what, answer)
        if not refuses:
            continue
        absent = _send(world, route, elsewhere, body)
        assert answer.status_code == 404, (
            f"{told.role} got {answer.status_code} from {what}, not 404: "
            f"{answer.get_data(as_text=True)[:300]}"
        )
        assert _normal(answer, url) == _normal(absent, elsewhere), (
            f"{what} answers {told.role} unlike an absent object: "
            + _difference(_normal(answer, url)[1], _normal(absent, elsewhere)[1])
        )
