"""`make screenshots`: PNGs of the main pages in English and Arabic, from seeded demo data.

Run as ``python -m tests.browser.screenshots [OUTDIR]`` (default ``screenshots``).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
import uuid
from datetime import date
from itertools import product
from pathlib import Path

from werkzeug.serving import make_server

from network import create_app
from network.auth.accounts import find_user_by_email, set_preferences
from network.auth.models import User
from network.cases import opening
from network.cases.models import Channel
from network.core import clock
from network.demo import seed as demo
from network.disclosures import service as disclosures
from network.extensions import db, socketio
from network.messages import posting
from network.recovery import assets, holdings, measures, subjects
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

LOCALES = {"en": "en-GB", "ar": "ar"}
SIZES = {"desktop": (1280, 720), "phone": (375, 740)}
LIVE = """() => {
  const status = document.getElementById('live-status');
  const channel = document.getElementById('channel');
  return Boolean(status && channel && status.textContent === channel.dataset.tConnected);
}"""


def user(email: str) -> User:
    found = find_user_by_email(email)
    assert found is not None, email
    return found


def seed_story() -> dict[str, int]:
    """Demo directory and users, and one case with messages, a frozen account and a disclosure."""
    now = clock.now()
    demo.seed(now)
    amina, lea = user("aminata.kone@civ.demo"), user("lea.muller@che.demo")
    set_preferences(amina, locale=None, time_zone=None)  # pages in the browser's language
    camille = user("camille.laurent@fra.demo")
    case = opening.open_case(
        amina, title="Port authority embezzlement", reference="CIV-PNF-2024-17",
        summary="Embezzled funds moved through Geneva and Paris.",
        requested_states=["CHE", "FRA"], counterparts=[lea.id, camille.id], now=now,
    )
    db.session.flush()
    che = db.session.query(Channel).filter_by(case_id=case.id, requested_state="CHE").one()
    for sender, body, code in [
        (amina, "Could you confirm the balance of the Geneva account?", "H1"),
        (lea, "الحساب CH93 0076 2011 6238 5295 7 مجمد", "H2"),
        (lea, "The account is frozen until 31 March; order attached to follow.", "H2"),
    ]:
        posting.post_message(sender, che.id, client_id=str(uuid.uuid4()), body=body,
                              handling_code=code, now=clock.now())
    pep, brother, company = (
        subjects.record_subject(
            lea, case.id, kind=kind, names=[name], roles=roles, requested_state="CHE", now=now
        )
        for kind, name, roles in (
            ("natural", "Kouadio Traoré", ["pep"]),
            ("natural", "Yao Traoré", ["pep_family"]),
            ("legal", "Lagune Holdings SA", []),
        )
    )
    asset = assets.record_asset(
        lea, case.id, kind="bank_account", location_state="CHE", estimated_value="2500000.00",
        currency="CHF", description="Account at a Geneva bank", holder=company.id,
        identifiers={"IBAN": "CH93 0076 2011 6238 5295 7"}, now=now,
    )
    holdings.link_holder(
        lea, asset.id, subject=brother.id, kind="family_member", via=pep.id, now=now
    )
    assets.record_asset(
        lea, case.id, kind="real_estate", location_state="CHE", description="Villa in Cologny",
        now=now,
    )
    earlier = opening.open_case(
        amina, title="Port fees 2019", reference="CIV-PNF-2019-03", summary="",
        requested_states=["CHE"], counterparts=[lea.id], now=now,
    )
    subjects.record_subject(
        amina, earlier.id, kind="natural", names=["TRAORE Kouadio"], requested_state="CHE",
        now=now,
    )
    measures.record_measure(
        lea, case.id, kind="freezing", asset_ids=[asset.id],
        issuing_authority="Ministère public de la Confédération", issuing_state="CHE",
        legal_basis="54_2_b", effective_on=now.date(), expires_on=date(now.year + 1, 3, 31),
        now=now,
    )
    disclosures.send_disclosure(
        lea, kind="spontaneous_56", to_state="CIV", handling_code="H1", now=now,
        summary="Accounts in Zurich receive transfers from the Abidjan port authority.",
        subjects=[{"name": "Kouadio Traoré", "role": "pep"}],
    )
    db.session.commit()
    return {"case": case.id}


def main(outdir: Path) -> None:
    from playwright.sync_api import sync_playwright

    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        app = create_app({
            "ENV_NAME": "testing", "DATABASE_URL": f"sqlite:///{temp}/arnet.db",
            "INSTANCE_PATH": f"{temp}/instance", "KEYRING": f"{temp}/instance/keyring.json",
            "ATTACHMENT_DIR": f"{temp}/instance/attachments",
        })
        with app.app_context():
            db.create_all()
            ids = seed_story()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
        socketio.server.eio.cors_allowed_origins = [base]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        pages = {
            "sign-in": "/auth/sign-in", "home": "/", "directory": "/directory?q=Suisse",
            "state": "/directory/states/CHE", "cases": "/cases", "new-case": "/cases/new",
            "workspace": f"/cases/{ids['case']}", "tracking": f"/cases/{ids['case']}/tracking",
            "links": f"/cases/{ids['case']}/tracking/links",
            "disclosures": "/disclosures", "statistics": "/statistics", "account": "/account",
            "library": "/library?q=confiscation", "glossary": "/library/glossary",
            "technical-assistance": "/technical-assistance",
            "who-to-ask": "/directory/who-to-ask?assistance=provisional_measures&asset_state=CHE",
        }
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                for (short, locale), (size, (width, height)) in product(
                    LOCALES.items(), SIZES.items()
                ):
                    context = browser.new_context(
                        base_url=base, locale=locale, viewport={"width": width, "height": height}
                    )
                    page = context.new_page()
                    for name, url in pages.items():
                        if name == "home":  # sign in after shooting the sign-in page
                            page.fill("#email", "aminata.kone@civ.demo")
                            page.fill("#password", demo.DEMO_PASSWORD)
                            page.locator("main form button[type=submit]").click()
                            page.wait_for_url(f"{base}/")
                        response = page.goto(url)
                        if response is None or not response.ok:
                            raise SystemExit(f"{url}: {response and response.status}")
                        if name == "workspace":
                            page.wait_for_function(LIVE, timeout=20_000)
                        path = outdir / f"{short}-{size}-{name}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(path)
                    context.close()
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
