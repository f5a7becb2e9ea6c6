"""A fictional demo directory: 36 real States, made-up offices and people, every row marked demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import phonenumbers
import pycountry
from sqlalchemy import select

from network.auth.models import User
from network.directory.authorities import create_authority
from network.directory.focal_points import create_focal_point
from network.directory.models import Authority, CountryProfile, FocalPoint, State
from network.directory.profiles import revise_profile
from network.extensions import db

# Office names by language: MLA central authority, FIU, asset-recovery office, prosecution.
_OFFICES: dict[str, tuple[str, str, str, str]] = {
    "en": (
        "Central Authority for Mutual Legal Assistance",
        "Financial Intelligence Unit",
        "Asset Recovery Office",
        "Office of Public Prosecutions",
    ),
    "fr": (
        "Autorité centrale d'entraide judiciaire",
        "Cellule de renseignement financier",
        "Bureau de recouvrement des avoirs",
        "Parquet financier",
    ),
    "ar": (
        "السلطة المركزية للمساعدة القانونية المتبادلة",
        "وحدة المعلومات المالية",
        "مكتب استرداد الأصول",
        "النيابة العامة",
    ),
    "zh": ("司法协助中央机关", "金融情报机构", "资产追回办公室", "检察机关"),
    "ja": ("国際司法共助中央当局", "金融情報機関", "資産回復室", "検察庁"),
    "ru": (
        "Центральный орган по взаимной правовой помощи",
        "Подразделение финансовой разведки",
        "Бюро по возврату активов",
        "Прокуратура",
    ),
    "es": (
        "Autoridad Central de Asistencia Jurídica Mutua",
        "Unidad de Inteligencia Financiera",
        "Oficina de Recuperación de Activos",
        "Fiscalía Anticorrupción",
    ),
    "pt": (
        "Autoridade Central de Cooperação Jurídica",
        "Unidade de Inteligência Financeira",
        "Gabinete de Recuperação de Ativos",
        "Ministério Público",
    ),
    "de": (
        "Zentralbehörde für Rechtshilfe",
        "Meldestelle für Geldwäscherei",
        "Vermögensabschöpfungsstelle",
        "Staatsanwaltschaft",
    ),
    "it": (
        "Autorità centrale per l'assistenza giudiziaria",
        "Unità di informazione finanziaria",
        "Ufficio recupero beni",
        "Procura della Repubblica",
    ),
    "pl": (
        "Organ centralny ds. pomocy prawnej",
        "Jednostka analityki finansowej",
        "Biuro odzyskiwania mienia",
        "Prokuratura Krajowa",
    ),
    "uk": (
        "Центральний орган з міжнародної правової допомоги",
        "Підрозділ фінансової розвідки",
        "Офіс з повернення активів",
        "Прокуратура",
    ),
    "sr": (
        "Централни орган за међународну правну помоћ",
        "Управа за спречавање прања новца",
        "Канцеларија за повраћај имовине",
        "Тужилаштво",
    ),
    "ka": (
        "ურთიერთსამართლებრივი დახმარების ცენტრალური ორგანო",
        "ფინანსური მონიტორინგის სამსახური",
        "აქტივების დაბრუნების ოფისი",
        "პროკურატურა",
    ),
    "bg": (
        "Централен орган за правна помощ",
        "Звено за финансово разузнаване",
        "Служба за възстановяване на активи",
        "Прокуратура",
    ),
    "el": (
        "Κεντρική Αρχή Δικαστικής Συνδρομής",
        "Μονάδα Χρηματοοικονομικών Πληροφοριών",
        "Γραφείο Ανάκτησης Περιουσιακών Στοιχείων",
        "Εισαγγελία",
    ),
    "he": (
        "הרשות המרכזית לעזרה משפטית הדדית",
        "היחידה למודיעין פיננסי",
        "משרד השבת נכסים",
        "פרקליטות המדינה",
    ),
    "id": (
        "Otoritas Pusat Bantuan Hukum Timbal Balik",
        "Unit Intelijen Keuangan",
        "Kantor Pemulihan Aset",
        "Kejaksaan",
    ),
}
_KINDS = ("mla_central_authority", "fiu", "asset_recovery_office", "prosecution")

# (State, office language, languages accepted, regional network, two fictional focal points).
_STATES: list[tuple[str, str, list[str], str, tuple[str, str]]] = [
    ("CIV", "fr", ["fr"], "arin_wa", ("Aminata Koné", "Yao Kouassi")),
    ("NGA", "en", ["en"], "arin_wa", ("Chinedu Okafor", "Halima Bello")),
    ("KEN", "en", ["en", "sw"], "arin_ea", ("Wanjiru Kamau", "Otieno Odhiambo")),
    ("EGY", "ar", ["ar", "en"], "arinsa", ("محمد عبد الله", "فاطمة حسن")),
    ("MAR", "fr", ["ar", "fr"], "arin_wca", ("يوسف العلوي", "Salma Bennani")),
    ("ZAF", "en", ["en"], "arinsa", ("Thandiwe Nkosi", "Pieter van der Merwe")),
    ("SEN", "fr", ["fr"], "arin_wa", ("Moussa Diop", "Awa Ndiaye")),
    ("CHN", "zh", ["zh", "en"], "arin_ap", ("王伟", "李娜")),
    ("JPN", "ja", ["ja", "en"], "arin_ap", ("佐藤 健", "鈴木 花子")),
    ("IND", "en", ["en", "hi"], "arin_ap", ("अर्जुन शर्मा", "Priya Nair")),
    ("ARE", "ar", ["ar", "en"], "arin_ap", ("مريم الهاشمي", "خالد المنصوري")),
    ("SAU", "ar", ["ar"], "arin_ap", ("عبد الرحمن القحطاني", "محمد الحربي")),
    ("IDN", "id", ["id", "en"], "arin_ap", ("Budi Santoso", "Siti Rahayu")),
    ("PHL", "en", ["en"], "arin_ap", ("Maria Santos", "Jose Reyes")),
    ("KAZ", "ru", ["ru", "kk"], "carin", ("Айгерим Сейткали", "Ержан Абенов")),
    ("RUS", "ru", ["ru"], "carin", ("Ольга Смирнова", "Дмитрий Волков")),
    ("UKR", "uk", ["uk", "en"], "carin", ("Олена Коваленко", "Андрій Шевчук")),
    ("POL", "pl", ["pl", "en"], "carin", ("Katarzyna Nowak", "Piotr Wiśniewski")),
    ("SRB", "sr", ["sr", "en"], "carin", ("Милош Јовановић", "Јелена Петровић")),
    ("GEO", "ka", ["ka", "en"], "carin", ("ნინო ბერიძე", "გიორგი მაისურაძე")),
    ("BGR", "bg", ["bg"], "carin", ("Иван Георгиев", "Мария Димитрова")),
    ("BRA", "pt", ["pt", "es", "en"], "rrag", ("João Silva", "Ana Oliveira")),
    ("MEX", "es", ["es"], "rrag", ("José Hernández", "María Guadalupe López")),
    ("ARG", "es", ["es"], "rrag", ("Martín González", "Lucía Fernández")),
    ("COL", "es", ["es"], "rrag", ("Andrés Rodríguez", "Camila Martínez")),
    ("PER", "es", ["es"], "rrag", ("Luis Quispe", "Rosa Mamani")),
    ("JAM", "en", ["en"], "arin_carib", ("Andre Campbell", "Kerry-Ann Brown")),
    ("CHE", "de", ["de", "fr", "it", "en"], "carin", ("Léa Müller", "Lukas Meier")),
    ("FRA", "fr", ["fr"], "carin", ("Camille Laurent", "Julien Moreau")),
    ("DEU", "de", ["de"], "carin", ("Jonas Schmidt", "Anna Becker")),
    ("GBR", "en", ["en"], "carin", ("Oliver Smith", "Amelia Jones")),
    ("USA", "en", ["en"], "carin", ("Michael Johnson", "Jennifer Davis")),
    ("ITA", "it", ["it"], "carin", ("Giulia Rossi", "Marco Bianchi")),
    ("ESP", "es", ["es"], "carin", ("Javier García", "Carmen Ruiz")),
    ("GRC", "el", ["el", "en"], "carin", ("Γιώργος Παπαδόπουλος", "Ελένη Οικονόμου")),
    ("ISR", "he", ["he", "en"], "carin", ("נועה כהן", "David Levi")),
]

# How the demo people write their own names in Latin letters (their passports' spelling,
# not a transliteration made by a program): shown beside the name and in vCards.
_OWN_LATIN = {
    "محمد عبد الله": "Mohamed Abdallah",
    "فاطمة حسن": "Fatma Hassan",
    "يوسف العلوي": "Youssef El Alaoui",
    "王伟": "Wang Wei",
    "李娜": "Li Na",
    "佐藤 健": "Ken Sato",
    "鈴木 花子": "Hanako Suzuki",
    "अर्जुन शर्मा": "Arjun Sharma",
    "مريم الهاشمي": "Maryam Al Hashimi",
    "خالد المنصوري": "Khalid Al Mansoori",
    "عبد الرحمن القحطاني": "Abdulrahman Al-Qahtani",
    "محمد الحربي": "Mohammed Al-Harbi",
    "Айгерим Сейткали": "Aigerim Seitkali",
    "Ержан Абенов": "Yerzhan Abenov",
    "Ольга Смирнова": "Olga Smirnova",
    "Дмитрий Волков": "Dmitry Volkov",
    "Олена Коваленко": "Olena Kovalenko",
    "Андрій Шевчук": "Andrii Shevchuk",
    "Милош Јовановић": "Miloš Jovanović",
    "Јелена Петровић": "Jelena Petrović",
    "ნინო ბერიძე": "Nino Beridze",
    "გიორგი მაისურაძე": "Giorgi Maisuradze",
    "Иван Георгиев": "Ivan Georgiev",
    "Мария Димитрова": "Maria Dimitrova",
    "Γιώργος Παπαδόπουλος": "Georgios Papadopoulos",
    "Ελένη Οικονόμου": "Eleni Oikonomou",
    "נועה כהן": "Noa Cohen",
}

# Demo accounts linked to the focal point of the same name in their State.
DEMO_LINKS = {
    "aminata.kone@civ.demo": "demo-CIV-fp-1",
    "yao.kouassi@civ.demo": "demo-CIV-fp-2",
    "lea.muller@che.demo": "demo-CHE-fp-1",
    "camille.laurent@fra.demo": "demo-FRA-fp-1",
    "olga.smirnova@rus.demo": "demo-RUS-fp-1",
    "maryam.alhashimi@are.demo": "demo-ARE-fp-1",
    "wang.wei@chn.demo": "demo-CHN-fp-1",
    "javier.garcia@esp.demo": "demo-ESP-fp-1",
}

_EXPERTISE = [
    ["mla", "financial_investigation"],
    ["ncb_forfeiture", "asset_management"],
    ["virtual_assets", "financial_investigation"],
    ["mla", "ncb_forfeiture"],
]

# Four legal traditions, so that profiles differ in what they ask of a requesting State.
_PROFILES: list[dict[str, Any]] = [
    {
        "uncac_basis_mla": True,
        "uncac_basis_extradition": True,
        "uncac_basis_confiscation": True,
        "treaty_or_reciprocity": "none",
        "dual_criminality": "coercive_only",
        "persons_notified": False,
        "appeal_possible": True,
        "foreign_freezing_orders": "direct",
        "foreign_confiscation_orders": "direct",
        "ncb_forfeiture": True,
        "foreign_ncb_enforceable": True,
        "longest_freeze": "12 months",
        "freeze_extension": "Renewable by the court for 12 months at a time.",
        "urgent_procedure": "INTERPOL notice followed by the formal request within 30 days.",
        "typical_time_to_freeze": "2 to 5 days",
    },
    {
        "uncac_basis_mla": True,
        "uncac_basis_extradition": False,
        "uncac_basis_confiscation": True,
        "treaty_or_reciprocity": "reciprocity",
        "dual_criminality": "always",
        "persons_notified": True,
        "appeal_possible": True,
        "foreign_freezing_orders": "domestic_order",
        "foreign_confiscation_orders": "domestic_order",
        "ncb_forfeiture": False,
        "foreign_ncb_enforceable": False,
        "longest_freeze": "6 months",
        "freeze_extension": "One extension of 6 months on a reasoned request.",
        "urgent_procedure": "Oral requests accepted if confirmed in writing within 10 days.",
        "evidence_use_limits": "Evidence is used only for the proceedings named in the request.",
        "typical_time_to_freeze": "2 to 4 weeks",
    },
    {
        "uncac_basis_mla": True,
        "uncac_basis_extradition": True,
        "uncac_basis_confiscation": False,
        "treaty_or_reciprocity": "treaty_or_reciprocity",
        "dual_criminality": "no",
        "persons_notified": False,
        "appeal_possible": False,
        "foreign_freezing_orders": "direct",
        "foreign_confiscation_orders": "domestic_order",
        "ncb_forfeiture": True,
        "foreign_ncb_enforceable": False,
        "longest_freeze": "90 days",
        "freeze_extension": "Extended by the prosecutor for 90 days, twice at most.",
        "urgent_procedure": "Direct contact with the asset-recovery office, 24/7 line.",
        "typical_time_to_freeze": "24 to 48 hours",
    },
    {
        "uncac_basis_mla": False,
        "uncac_basis_extradition": False,
        "uncac_basis_confiscation": False,
        "treaty_or_reciprocity": "treaty",
        "dual_criminality": "always",
        "persons_notified": True,
        "appeal_possible": True,
        "foreign_freezing_orders": "not_possible",
        "foreign_confiscation_orders": "domestic_order",
        "ncb_forfeiture": False,
        "foreign_ncb_enforceable": False,
        "longest_freeze": "3 months",
        "freeze_extension": "No extension: a new order is needed.",
        "translation_needs": "Request and annexes in the official language, certified.",
        "typical_time_to_freeze": "1 to 3 months",
    },
]


def _phone(alpha_2: str, kind: int) -> str:
    number = phonenumbers.example_number_for_type(alpha_2, kind) or phonenumbers.example_number(
        alpha_2
    )
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _authority_values(
    code: str, index: int, language: str, accepted: list[str], network: str, state: State
) -> list[dict[str, Any]]:
    country = pycountry.countries.get(alpha_3=code)
    assert country is not None, code  # noqa: S101 - every demo State is a real ISO 3166 code
    alpha_2 = country.alpha_2
    own, english = _OFFICES[language], _OFFICES["en"]
    kinds = _KINDS if index % 2 == 0 else _KINDS[:3]
    working_week = "12347" if code == "ISR" else "12345"
    values = []
    for number, kind in enumerate(kinds):
        networks = [{"network": network, "status": "member"}]
        if kind == "fiu":
            networks.append({"network": "egmont", "status": "member"})
        if kind == "asset_recovery_office":
            networks.append({"network": "star_interpol", "status": "member"})
        if kind == "prosecution":
            networks.append({"network": "globe", "status": "member" if index % 4 else "observer"})
        values.append(
            {
                "key": f"demo-{code}-{kind}",
                "kind": kind,
                "name": own[number],
                "name_en": english[number] if language != "en" else None,
                "address": f"{10 + index} Demo Street (fictional), {state.name('en')}",
                "phone": _phone(alpha_2, phonenumbers.PhoneNumberType.FIXED_LINE),
                "phone_24_7": _phone(alpha_2, phonenumbers.PhoneNumberType.MOBILE)
                if kind != "prosecution"
                else "",
                "email": f"{kind.replace('_', '-')}@{code.lower()}.demo",
                "time_zone": state.time_zone,
                "office_days": working_week,
                "opens_at": "08:00" if index % 3 == 0 else "09:00",
                "closes_at": "16:00" if index % 3 == 0 else "17:30",
                "languages": accepted,
                "transmission_means": ["post", "email"] if number % 2 == 0 else ["secure_platform"],
                "encryption_required": kind == "fiu",
                "e_signature_required": index % 3 == 1,
                "channels": ["central_authority", "diplomatic", "interpol_urgent"]
                if kind == "mla_central_authority"
                else ["direct"],
                "oral_urgent_requests": index % 2 == 0,
                "networks": networks,
                "source": "ARNet demo data (fictional)",
            }
        )
    return values


def seed_demo_directory(now: datetime) -> list[str]:
    """Idempotent: adds the demo entries that are missing, keyed by their demo keys."""
    added_authorities = added_people = added_profiles = 0
    for index, (code, language, accepted, network, people) in enumerate(_STATES):
        state = db.session.get(State, code)
        if state is None:
            continue
        authorities = []
        for number, values in enumerate(
            _authority_values(code, index, language, accepted, network, state)
        ):
            existing = db.session.scalar(select(Authority).where(Authority.key == values["key"]))
            if existing is not None:
                authorities.append(existing)
                continue
            stale = (index + number) % 5 == 3
            authority = create_authority(
                None,
                code,
                values,
                now=now,
                is_demo=True,
                confirmed_at=now - timedelta(days=420 if stale else 20 + number),
            )
            authorities.append(authority)
            added_authorities += 1
        for number, name in enumerate(people, start=1):
            key = f"demo-{code}-fp-{number}"
            if db.session.scalar(select(FocalPoint.id).where(FocalPoint.key == key)):
                continue
            authority = authorities[2] if number == 1 else authorities[0]
            stale = number == 2 and index % 4 == 1
            create_focal_point(
                None,
                {
                    "key": key,
                    "authority_id": authority.id,
                    "name": name,
                    "name_latin": _OWN_LATIN.get(name, ""),
                    "title": "Asset-recovery focal point" if number == 1 else "Senior prosecutor",
                    "email": f"focal{number}@{code.lower()}.demo",
                    "phone": authority.phone,
                    "languages": list(dict.fromkeys([*accepted[:1], "en"])),
                    "expertise": _EXPERTISE[(index + number) % len(_EXPERTISE)],
                    "networks": [{"network": network, "status": "member"}]
                    + ([{"network": "star_interpol", "status": "member"}] if number == 1 else []),
                },
                now=now,
                is_demo=True,
                confirmed_at=now - timedelta(days=500 if stale else 30 + index),
            )
            added_people += 1
        if (
            db.session.scalar(select(CountryProfile.id).where(CountryProfile.state_code == code))
            is None
        ):
            profile = dict(_PROFILES[index % len(_PROFILES)])
            profile["languages"] = accepted
            profile["links"] = [f"https://example.org/{code.lower()}/mla-guide"]
            profile["note"] = "Demo profile (fictional)"
            revise_profile(None, code, profile, now=now, is_demo=True)
            added_profiles += 1
    return [
        f"Demo authorities added: {added_authorities}",
        f"Demo focal points added: {added_people}",
        f"Demo country profiles added: {added_profiles}",
    ]


def link_demo_users() -> int:
    """Link each demo account to its focal point; returns how many links were made."""
    linked = 0
    for email, key in DEMO_LINKS.items():
        user = db.session.scalar(select(User).where(User.email == email))
        focal_point = db.session.scalar(select(FocalPoint).where(FocalPoint.key == key))
        if user is None or focal_point is None or focal_point.user_id == user.id:
            continue
        focal_point.user_id = user.id
        linked += 1
    db.session.flush()
    return linked
