"""Directory data layer on SQLite and PostgreSQL: search index, freshness, profiles, exchange."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

import pycountry
import pytest
from sqlalchemy import select

from network.audit.models import AuditRecord
from network.audit.service import verify_chain
from network.core import clock
from network.core.errors import InvalidInput, PermissionDenied
from network.directory import exchange_export, exchange_import
from network.directory.authorities import update_authority
from network.directory.focal_points import (
    counterpart_candidates,
    create_focal_point,
    update_focal_point,
)
from network.directory.freshness import confirm_authority, is_stale, stale_report
from network.directory.models import Authority, FocalPoint, SearchTerm, State
from network.directory.profiles import (
    current_profile,
    profile_checklist,
    profile_history,
    revise_profile,
)
from network.directory.search import SearchFilters, SearchHit, search
from network.directory.states import Synced, sync_states
from network.directory.un_names import cldr_names, names_known_by
from network.directory.vcard import vcard
from network.extensions import db

if TYPE_CHECKING:
    from tests.directory_fixtures import SmallDirectory

pytest_plugins = ["tests.directory_fixtures"]

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _first(query: str, **filters: object) -> SearchHit:
    hits, _total = search(query, SearchFilters(**filters), now=clock.now())  # type: ignore[arg-type]
    assert hits, f"nothing found for {query!r}"
    return hits[0]


def test_sync_states_seeds_the_193_members_and_2_observer_states_with_un_names(app):
    assert sync_states() == Synced(added=195, renamed=0)
    assert db.session.scalar(select(db.func.count()).select_from(State)) == 195
    palestine = db.session.get(State, "PSE")
    assert palestine.is_observer_state
    assert palestine.region == "asia_pacific"
    civ = db.session.get(State, "CIV")
    assert civ.names["zh"] == "科特迪瓦"
    assert civ.is_demo_data
    assert civ.region == "african"
    assert set(civ.names) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert civ.names["ar"] == "كوت ديفوار"  # the UN's, where CLDR says ساحل العاج
    assert db.session.get(State, "COD").names["en"] == "Democratic Republic of the Congo"
    assert db.session.get(State, "ATA") is None  # Antarctica is no UN member
    assert sync_states() == Synced(added=0, renamed=0)
    civ.names = {**civ.names, "ar": "ساحل العاج"}  # named before the UN's list came
    assert sync_states() == Synced(added=0, renamed=1)
    assert civ.names["ar"] == "كوت ديفوار"


@pytest.mark.parametrize(
    "query", ["cote divoire", "Кот-д'Ивуар", "科特迪瓦", "Côte d’Ivoire", "civ"]
)
def test_a_state_is_found_first_in_any_script(small_directory: SmallDirectory, query: str):
    hit = _first(query)
    assert (hit.type, hit.id) == ("state", "CIV")


def test_every_name_a_state_is_known_by_finds_it_first(app):
    """The UN's short and formal names in six languages, CLDR's, and every alias."""
    sync_states()
    db.session.commit()
    misses = []
    for state in db.session.scalars(select(State)):
        country = pycountry.countries.get(alpha_3=state.code)
        names = {*names_known_by(state.code), *cldr_names(country.alpha_2).values()}
        for name in sorted(names):
            hits, _total = search(name, SearchFilters(types=("state",)), now=clock.now())
            best = [hit.id for hit in hits if hit.score == hits[0].score] if hits else []
            if state.code not in best:
                misses.append(f"{name!r} -> {state.code}, found {[h.id for h in hits[:3]]}")
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Dmitry Volkov", "Дмитрий Волков"),
        ("Dmitrii Volkow", "Дмитрий Волков"),
        ("Mohammed al-Hashimi", "محمد الهاشمي"),
        ("Muhammad", "محمد الهاشمي"),
    ],
)
def test_a_latin_transliteration_finds_a_person_written_in_cyrillic_or_arabic(
    small_directory: SmallDirectory, query: str, name: str
):
    hit = _first(query, types=("focal_point",))
    assert hit.label == name


def test_a_name_keeps_no_automatic_latin_spelling_and_its_vcard_none(
    small_directory: SmallDirectory,
):
    person = small_directory.are_person
    assert person.name_latin == ""
    assert "X-PHONETIC-NAME" not in vcard(person)
    assert "mhmd" not in vcard(person).lower()
    update_focal_point(None, person.id, {"name_latin": "Mohammed Al Hashimi"}, now=clock.now())
    db.session.commit()
    assert "X-PHONETIC-NAME:Mohammed Al Hashimi" in vcard(person)


def test_one_chinese_character_finds_only_entries_written_with_it(
    small_directory: SmallDirectory,
):
    wang = create_focal_point(
        None,
        {"authority_id": small_directory.civ_mla.id, "name": "王伟", "languages": ["zh"]},
        now=clock.now(),
    )
    db.session.commit()
    hits, _total = search("王", SearchFilters(), per_page=100, now=clock.now())
    found = {(hit.type, hit.id) for hit in hits}
    assert ("focal_point", str(wang.id)) in found
    assert ("state", "RWA") not in found  # 卢旺达: lu *wang* da, but not written with 王
    for kind, code in found - {("focal_point", str(wang.id))}:  # 联合王国, 泰王国 ...
        assert kind == "state"
        assert any("王" in name for name in names_known_by(code)), code
    assert _first("wang wei").id == str(wang.id)  # pinyin still finds the person
    rwanda, _total = search("卢旺达", SearchFilters(types=("state",)), now=clock.now())
    assert [hit.id for hit in rwanda] == ["RWA"]


def test_search_by_kind_language_and_expertise_filters(small_directory: SmallDirectory):
    assert _first("financial intelligence").id == str(small_directory.rus_fiu.id)
    hits, _ = search("", SearchFilters(language="ar"), now=clock.now())
    assert {hit.id for hit in hits} == {
        str(small_directory.are_aro.id),
        str(small_directory.are_person.id),
    }
    hits, _ = search("", SearchFilters(expertise="virtual_assets"), now=clock.now())
    assert [hit.label for hit in hits] == ["Дмитрий Волков"]
    hits, _ = search(
        "", SearchFilters(region="eastern_european", kind="fiu"), now=clock.now()
    )
    assert {hit.type for hit in hits} == {"authority", "focal_point"}


def test_a_filtered_search_whose_words_do_not_all_match_widens_within_the_filter(
    small_directory: SmallDirectory,
):
    """Two words, one of them matching nothing, and a kind filter: one query SQLite accepts."""
    hits, total = search(
        "financial fiux", SearchFilters(kind="fiu"), now=clock.now()
    )
    assert str(small_directory.rus_fiu.id) in {hit.id for hit in hits}
    assert total == len(hits)


def test_the_index_follows_every_write(small_directory: SmallDirectory):
    update_focal_point(
        None, small_directory.rus_person.id, {"name": "Ирина Петрова"}, now=clock.now()
    )
    db.session.commit()
    assert _first("Irina Petrova").label == "Ирина Петрова"
    hits, _ = search(
        "Volkov", SearchFilters(types=("focal_point",)), now=clock.now()
    )
    assert hits == []
    terms = db.session.scalars(
        select(SearchTerm.term).where(
            SearchTerm.entry_type == "focal_point",
            SearchTerm.entry_key == str(small_directory.rus_person.id),
        )
    ).all()
    assert "irina" in terms
    assert "volkov" not in terms


def test_entries_older_than_twelve_months_are_stale_and_reported(small_directory: SmallDirectory):
    now = clock.now()
    small_directory.rus_fiu.last_confirmed_at = now - timedelta(days=400)
    db.session.commit()
    report = stale_report(now)
    assert [entry.entry_id for entry in report["RUS"]] == [small_directory.rus_fiu.id]
    assert is_stale(small_directory.rus_fiu, now)
    confirm_authority(small_directory.cast.olga, small_directory.rus_fiu.id, now=now)
    db.session.commit()
    assert "RUS" not in stale_report(now)


def test_profile_revisions_keep_old_versions_and_authors(small_directory: SmallDirectory):
    yao = small_directory.cast.yao
    first = revise_profile(yao, "CIV", {"dual_criminality": "always"}, now=clock.now())
    second = revise_profile(
        yao, "CIV", {"longest_freeze": "6 months", "note": "law of 2025"}, now=clock.now()
    )
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert second.dual_criminality == "always"  # carried over
    assert [p.version for p in profile_history("CIV")] == [2, 1]
    assert current_profile("CIV").changed_by_id == yao.id
    assert ("Dual criminality", "Always required") in profile_checklist(second)
    audit = db.session.scalars(
        select(AuditRecord).where(AuditRecord.action == "directory.profile.revised")
    ).all()
    assert audit[-1].details["new"] == {"longest_freeze": "6 months"}


def test_a_national_administrator_edits_only_their_own_state(small_directory: SmallDirectory):
    olga = small_directory.cast.olga
    with pytest.raises(PermissionDenied):
        update_authority(olga, small_directory.civ_mla.id, {"name": "X"}, now=clock.now())
    with pytest.raises(PermissionDenied):
        revise_profile(olga, "CIV", {}, now=clock.now())
    update_authority(
        olga, small_directory.rus_fiu.id, {"phone": "+7 495 123-45-67"}, now=clock.now()
    )
    record = db.session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
    assert record.action == "directory.authority.updated"
    assert record.details == {"old": {"phone": ""}, "new": {"phone": "+7 495 123-45-67"}}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"languages": ["xx"]}, "languages"),
        ({"name": "n" * 301}, "name"),
        ({"opens_at": "18:00", "closes_at": "09:00"}, "closes_at"),
    ],
)
def test_bad_values_are_refused_naming_the_field(small_directory: SmallDirectory, values, field):
    with pytest.raises(InvalidInput) as caught:
        update_authority(None, small_directory.civ_mla.id, values, now=clock.now())
    assert field in caught.value.errors


def test_counterpart_candidates_are_the_users_linked_to_focal_points(
    small_directory: SmallDirectory,
):
    cast = small_directory.cast
    assert counterpart_candidates("CIV") == [cast.amina]
    assert counterpart_candidates("RUS") == [cast.olga]  # nobody linked: the State's users


def test_export_then_import_into_an_empty_database_gives_the_same_export(app, small_directory):
    revise_profile(None, "CIV", {"ncb_forfeiture": True}, now=clock.now())
    db.session.commit()
    before = exchange_export.export_json()
    csv_before = exchange_export.export_csv("focal_points")
    db.session.query(SearchTerm).delete()
    db.session.execute(db.text("UPDATE users SET authority_id = NULL"))
    db.session.query(FocalPoint).delete()
    db.session.execute(db.text("DELETE FROM country_profiles"))
    db.session.query(Authority).delete()
    db.session.commit()
    counts = exchange_import.import_json(None, json.loads(json.dumps(before)), now=clock.now())
    db.session.commit()
    assert counts["authorities"] == 3
    assert counts["focal_points"] == 3
    assert exchange_export.export_json() == before
    assert exchange_export.export_csv("focal_points") == csv_before
    assert _first("Dmitry Volkov").label == "Дмитрий Волков"


def _terms(entry_type: str, entry_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(SearchTerm.term).where(
                SearchTerm.entry_type == entry_type, SearchTerm.entry_key == str(entry_id)
            )
        )
    )


def test_an_import_updates_entries_by_key_auditing_old_and_new_values_and_reindexing(
    small_directory: SmallDirectory,
):
    document = exchange_export.export_json(("authorities", "focal_points"))
    # The fixture's entries have no key of their own: the export names them by id.
    person_key = f"focal-point-{small_directory.rus_person.id}"
    office_key = f"authority-{small_directory.civ_mla.id}"
    for record in document["focal_points"]:
        if record["key"] == person_key:
            record["name"] = "Дмитрий Орлов"
            record["name_latin"] = ""
    for record in document["authorities"]:
        if record["key"] == office_key:
            record["name"] = "Autorité centrale de Zanzibar"
    first_new = db.session.scalar(select(db.func.max(AuditRecord.id))) + 1
    counts = exchange_import.import_json(None, document, now=clock.now())
    db.session.commit()

    assert (counts["authorities"], counts["focal_points"]) == (3, 3)
    assert db.session.scalar(select(db.func.count()).select_from(FocalPoint)) == 3
    person = db.session.get(FocalPoint, small_directory.rus_person.id)
    assert (person.key, person.name, person.name_latin) == (person_key, "Дмитрий Орлов", "")
    assert _first("Dmitriy Orlov", types=("focal_point",)).label == "Дмитрий Орлов"
    records = db.session.scalars(
        select(AuditRecord).where(AuditRecord.id >= first_new).order_by(AuditRecord.id)
    ).all()
    assert [r.action for r in records] == ["directory.authority.imported"] * 3 + [
        "directory.focal_point.imported"
    ] * 3
    renamed = next(
        r for r in records if (r.target_type, r.target_id) == ("focal_point", str(person.id))
    )
    assert renamed.details["old"]["name"] == "Дмитрий Волков"
    assert renamed.details["new"]["name"] == "Дмитрий Орлов"
    assert "orlov" in _terms("focal_point", person.id)
    assert "volkov" not in _terms("focal_point", person.id)
    # A focal point's index holds its authority's name, so it follows the renamed office.
    assert "zanzibar" in _terms("focal_point", small_directory.civ_person.id)
    assert "zanzibar" in _terms("authority", small_directory.civ_mla.id)
    assert verify_chain()[1] is None


def test_a_csv_with_a_bad_row_imports_nothing_and_names_every_bad_row(small_directory):
    text = exchange_export.export_csv("authorities")
    lines = text.splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    good = dict(zip(header, row, strict=False))
    assert good["key"]
    new_rows = []
    for number, (email, zone) in enumerate(
        [("ok@civ.example", "UTC"), ("broken", "UTC"), ("ok2@civ.example", "Nowhere/City")]
    ):
        values = {**good, "key": f"new-{number}", "email": email, "time_zone": zone}
        new_rows.append(",".join(values[column] for column in header))
    before = db.session.scalar(select(db.func.count()).select_from(Authority))
    with pytest.raises(InvalidInput) as caught:
        exchange_import.import_csv(
            None, "authorities", "\n".join([lines[0], *new_rows]) + "\n", now=clock.now()
        )
    assert set(caught.value.errors) == {"row 3: email", "row 4: time_zone"}
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Authority)) == before


def test_a_csv_without_a_column_is_refused(small_directory):
    text = exchange_export.export_csv("focal_points")
    header, *rows = text.splitlines()
    cut = [",".join(line.split(",")[:-1]) for line in [header, *rows]]
    with pytest.raises(InvalidInput) as caught:
        exchange_import.import_csv(None, "focal_points", "\n".join(cut), now=clock.now())
    assert "header: last_confirmed_at" in caught.value.errors
