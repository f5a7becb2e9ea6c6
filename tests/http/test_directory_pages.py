"""The directory pages: search as you type, State page, forms and their permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from network.directory.models import Authority
from network.directory.profiles import current_profile
from network.extensions import db
from tests.conftest import csrf_from

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytest_plugins = ["tests.directory_fixtures"]

# The country profile's four answers chosen from a list (a form always sends one of each).
PROFILE_CHOICES = {
    "treaty_or_reciprocity": "reciprocity",
    "dual_criminality": "always",
    "foreign_freezing_orders": "direct",
    "foreign_confiscation_orders": "domestic_order",
}


def test_the_search_page_lists_results_without_javascript(
    small_directory: SmallDirectory, browser_as
):
    page = browser_as(small_directory.cast.lea).get("/directory?q=cote+divoire")
    assert page.status_code == 200
    assert 'src="/static/js/directory-search.js"' in page.text
    assert "<script>" not in page.text  # the CSP forbids inline scripts
    first = page.text.index('class="result result-')
    assert "/directory/states/CIV" in page.text[first : first + 400]


def test_the_state_page_shows_authorities_people_profile_and_local_time(
    small_directory, browser_as
):
    page = browser_as(small_directory.cast.lea).get("/directory/states/CIV")
    assert page.status_code == 200
    assert "Autorité centrale d&#39;entraide" in page.text
    assert "Aminata Koné" in page.text
    assert "Local time now" in page.text
    assert "This State has no country profile yet." in page.text
    assert "Edit profile" not in page.text  # Léa is of another State


def test_the_state_page_gives_the_uns_names_and_the_common_ones_beside(
    small_directory, browser_as
):
    page = browser_as(small_directory.cast.lea).get("/directory/states/CIV").text
    facts = page[page.index("Names") : page.index("UNCAC status")]
    assert "كوت ديفوار" in facts
    assert "Republic of Côte d&#39;Ivoire" in facts
    assert "جمهورية كوت ديفوار" in facts
    known_as = facts[facts.index("Also known as") :]
    assert "ساحل العاج" in known_as  # CLDR's Arabic name, not the UN's
    assert "Côte d’Ivoire" in known_as  # CLDR's curly apostrophe
    assert "科特迪瓦" not in known_as  # the same in both: said once


def test_a_national_administrator_of_state_a_gets_403_on_state_b_forms(small_directory, browser_as):
    olga = browser_as(small_directory.cast.olga)
    civ = small_directory.civ_mla.id
    assert olga.get(f"/directory/authorities/{civ}/edit").status_code == 403
    assert olga.get("/directory/states/CIV/profile/edit").status_code == 403
    token = csrf_from(olga.get("/directory/states/RUS").text)
    response = olga.post(
        f"/directory/authorities/{civ}/edit", data={"csrf_token": token, "name": "Taken"}
    )
    assert response.status_code == 403
    assert (
        olga.post(f"/directory/authorities/{civ}/confirm", data={"csrf_token": token}).status_code
        == 403
    )
    assert db.session.get(Authority, civ).name == "Autorité centrale d'entraide"


def test_a_national_administrator_edits_and_confirms_their_authority(small_directory, browser_as):
    yao = browser_as(small_directory.cast.yao)
    civ = small_directory.civ_mla.id
    form = yao.get(f"/directory/authorities/{civ}/edit")
    assert form.status_code == 200
    data = {
        "csrf_token": csrf_from(form.text),
        "kind": "mla_central_authority",
        "name": "Autorité centrale",
        "name_en": "",
        "address": "",
        "phone": "",
        "phone_24_7": "",
        "email": "not-an-email",
        "time_zone": "Africa/Abidjan",
        "office_days": "12345",
        "opens_at": "08:00",
        "closes_at": "16:00",
        "languages": "fr, en",
        "networks": "egmont:member",
        "source": "",
        "status": "active",
    }
    refused = yao.post(f"/directory/authorities/{civ}/edit", data=data)
    assert refused.status_code == 422
    assert "Enter a valid e-mail address." in refused.text
    saved = yao.post(
        f"/directory/authorities/{civ}/edit", data={**data, "email": "mla@civ.example"}
    )
    assert saved.status_code == 302
    authority = db.session.get(Authority, civ)
    db.session.refresh(authority)
    assert authority.name == "Autorité centrale"
    assert authority.languages == ["fr", "en"]
    confirm = yao.post(
        f"/directory/authorities/{civ}/confirm",
        data={"csrf_token": csrf_from(form.text), "next": "state"},
    )
    assert confirm.status_code == 302
    assert confirm.headers["Location"].endswith("/directory/states/CIV")


def test_profile_form_saves_a_new_version_shown_on_the_state_page(small_directory, browser_as):
    yao = browser_as(small_directory.cast.yao)
    form = yao.get("/directory/states/CIV/profile/edit")
    fields = {
        "csrf_token": csrf_from(form.text),
        **PROFILE_CHOICES,
        "languages": "fr",
        "longest_freeze": "6 months",
        "note": "first version",
    }
    assert yao.post("/directory/states/CIV/profile/edit", data=fields).status_code == 302
    fields["longest_freeze"] = "12 months"
    assert yao.post("/directory/states/CIV/profile/edit", data=fields).status_code == 302
    page = yao.get("/directory/states/CIV")
    assert "12 months" in page.text
    assert "Version history (2 versions)" in page.text


def test_vcard_and_focal_point_pages(small_directory, browser_as):
    lea = browser_as(small_directory.cast.lea)
    person = small_directory.are_person.id
    page = lea.get(f"/directory/focal-points/{person}")
    assert page.status_code == 200
    assert "محمد الهاشمي" in page.text
    card = lea.get(f"/directory/focal-points/{person}.vcf")
    assert card.mimetype == "text/vcard"
    assert "FN:محمد الهاشمي" in card.text


def test_the_secretariat_edits_a_states_facts_and_is_told_of_a_bad_time_zone(
    small_directory, browser_as
):
    secretariat = browser_as(small_directory.cast.secretariat)
    form = secretariat.get("/directory/states/CIV/edit")
    data = {"csrf_token": csrf_from(form.text), "uncac_status": "party", "region": "african"}

    refused = secretariat.post(
        "/directory/states/CIV/edit", data={**data, "time_zone": "Mars/Base"}
    )
    saved = secretariat.post(
        "/directory/states/CIV/edit", data={**data, "time_zone": "Africa/Abidjan"}
    )

    assert form.status_code == 200
    assert 'id="time_zone"' in form.text
    assert refused.status_code == 422
    assert 'value="Mars/Base"' in refused.text
    assert saved.status_code == 302


def test_a_national_administrator_edits_a_focal_point_typed_as_text(small_directory, browser_as):
    yao = browser_as(small_directory.cast.yao)
    person = small_directory.civ_person
    form = yao.get(f"/directory/focal-points/{person.id}/edit")
    data = {
        "csrf_token": csrf_from(form.text),
        "authority_id": str(small_directory.civ_mla.id),
        "name": "Aminata Koné",
        "languages": "fr, en",
        "expertise": ["mla", "asset_management"],
        "networks": "egmont:observer",
        "status": "active",
    }

    refused = yao.post(
        f"/directory/focal-points/{person.id}/edit", data={**data, "languages": "xx"}
    )
    saved = yao.post(f"/directory/focal-points/{person.id}/edit", data=data)

    assert form.status_code == 200
    assert 'id="expertise-0"' in form.text
    assert refused.status_code == 422
    assert 'value="xx"' in refused.text
    assert saved.status_code == 302
    db.session.refresh(person)
    assert person.languages == ["fr", "en"]
    assert person.networks == [{"network": "egmont", "status": "observer"}]
    assert person.title == ""


def test_the_new_focal_point_form_starts_at_the_authority_it_came_from(small_directory, browser_as):
    yao = browser_as(small_directory.cast.yao)
    civ = small_directory.civ_mla.id
    page = yao.get(f"/directory/states/CIV/focal-points/new?authority={civ}")
    assert page.status_code == 200
    assert f'<option value="{civ}" selected>' in page.text


def test_the_new_authority_form_starts_with_the_states_zone_and_office_hours(
    small_directory, browser_as
):
    page = browser_as(small_directory.cast.yao).get("/directory/states/CIV/authorities/new")
    assert page.status_code == 200
    assert 'value="12345"' in page.text
    assert 'id="transmission_means-0"' in page.text


def test_a_profile_answer_may_be_yes_no_or_not_stated(small_directory, browser_as):
    answers = {"uncac_basis_mla": "yes", "uncac_basis_extradition": "no"}
    links = "https://example.org/law\nhttps://example.org/guide"
    yao = browser_as(small_directory.cast.yao)
    token = csrf_from(yao.get("/directory/states/CIV/profile/edit").text)

    saved = yao.post(
        "/directory/states/CIV/profile/edit",
        data={"csrf_token": token, **PROFILE_CHOICES, **answers, "links": links},
    )
    again = yao.get("/directory/states/CIV/profile/edit")

    assert saved.status_code == 302
    profile = current_profile("CIV")
    assert profile is not None
    assert (profile.uncac_basis_mla, profile.uncac_basis_extradition) == (True, False)
    assert profile.uncac_basis_confiscation is None
    assert profile.links == ["https://example.org/law", "https://example.org/guide"]
    assert '<option value="yes" selected>' in again.text
