"""The demo library: a guide, a model agreement, a State's note, a glossary, needs and offers.

Every text is written for the demo; none is an official document of the United Nations.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from network.auth.accounts import find_user_by_email
from network.extensions import db
from network.library.documents import create_document
from network.library.models import AssistanceNeed, LibraryDocument
from network.library.technical_assistance import record_entry

_GUIDE = {
    "en": (
        "Guide to non-conviction-based confiscation requests",
        "What a requesting State checks before it asks for confiscation without a conviction.",
        "Non-conviction-based confiscation lets a court take the proceeds of corruption when the "
        "owner has died, fled or cannot be prosecuted (UNCAC article 54(1)(c)).\n\n"
        "Before asking, check the requested State's country profile: whether it enforces "
        "foreign confiscation orders made without a conviction, and which authority receives "
        "the request. Talk to its focal point first.",
    ),
    "fr": (
        "Guide des demandes de confiscation sans condamnation",
        "Ce que l'État requérant vérifie avant de demander une confiscation sans condamnation.",
        "La confiscation sans condamnation permet à un tribunal de confisquer le produit de la "
        "corruption lorsque son propriétaire est décédé, en fuite ou ne peut être poursuivi "
        "(article 54(1)(c) de la CNUCC).\n\n"
        "Avant de demander, consultez le profil de l'État requis et parlez d'abord à son point "
        "de contact.",
    ),
    "ar": (
        "دليل طلبات المصادرة دون الاستناد إلى إدانة",
        "ما تتحقق منه الدولة الطالبة قبل أن تطلب المصادرة دون إدانة.",
        "تسمح المصادرة دون إدانة للمحكمة بمصادرة عائدات الفساد عندما يكون المالك قد توفي أو فر أو "
        "تعذرت ملاحقته (المادة 54(1)(ج) من الاتفاقية).\n\n"
        "قبل تقديم الطلب، راجع الملف القطري للدولة متلقية الطلب وتحدث أولا إلى جهة الوصل فيها.",
    ),
    "es": (
        "Guía de solicitudes de decomiso sin condena",
        "Lo que el Estado requirente comprueba antes de pedir un decomiso sin condena.",
        "El decomiso sin condena permite a un tribunal decomisar el producto de la corrupción "
        "cuando el propietario ha fallecido, huido o no puede ser enjuiciado.",
    ),
}
_AGREEMENT = {
    "en": (
        "Model agreement on the sharing and return of confiscated assets",
        "Clauses two States may adapt when assets confiscated in one are returned to the other.",
        "Article 1. The requested State returns the confiscated proceeds of embezzled public "
        "funds to the requesting State (UNCAC article 57(3)(a)).\n\n"
        "Article 2. Reasonable expenses of the investigation and of the judicial proceedings "
        "may be deducted (article 57(4)).",
    ),
    "fr": (
        "Accord type sur le partage et la restitution des avoirs confisqués",
        "Clauses que deux États peuvent adapter lorsque des avoirs confisqués sont restitués.",
        "Article premier. L'État requis restitue à l'État requérant le produit confisqué de "
        "fonds publics soustraits (article 57(3)(a) de la CNUCC).",
    ),
    "ru": (
        "Типовое соглашение о разделе и возвращении конфискованных активов",
        "Положения, которые два государства могут адаптировать при возвращении активов.",
        "Статья 1. Запрашиваемое государство возвращает конфискованные доходы от хищения "
        "публичных средств запрашивающему государству.",
    ),
}
_NOTE = {
    "en": (
        "How to cooperate with Switzerland on asset recovery",
        "Whom to contact, in which language, and how long a freeze lasts.",
        "Requests go to the Federal Office of Justice, in German, French or Italian. Informal "
        "contact with the asset-recovery focal point before a request is welcome.",
    ),
    "fr": (
        "Comment coopérer avec la Suisse en matière de recouvrement d'avoirs",
        "Qui contacter, dans quelle langue, et combien de temps dure un gel.",
        "Les demandes sont adressées à l'Office fédéral de la justice, en allemand, français ou "
        "italien.",
    ),
}
# ar, zh, en, fr, ru, es
_TERMS = [
    ("تجميد", "冻结", "Freezing", "Gel", "Замораживание", "Embargo preventivo"),
    ("مصادرة", "没收", "Confiscation", "Confiscation", "Конфискация", "Decomiso"),
    ("جهة الوصل", "联络点", "Focal point", "Point de contact", "Контактное лицо", "Coordinador"),
    (
        "السلطة المركزية",
        "中央机关",
        "Central authority",
        "Autorité centrale",
        "Центральный орган",
        "Autoridad central",
    ),
    (
        "إرجاع الموجودات",
        "资产返还",
        "Return of assets",
        "Restitution des avoirs",
        "Возвращение активов",
        "Restitución de activos",
    ),
]
_DEFINITION = {
    "ar": "مصطلح من مصطلحات الشبكة.",
    "zh": "网络术语。",
    "en": "A term of the network.",
    "fr": "Un terme du réseau.",
    "ru": "Термин сети.",
    "es": "Un término de la red.",
}
_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# (demo user's e-mail, need or offer, area, description)
_NEEDS = [
    ("aminata.kone@civ.demo", "need", "asset_tracing", "Tracing accounts held through trusts."),
    ("maryam.alhashimi@are.demo", "need", "asset_tracing", "Virtual-asset tracing tools."),
    ("javier.garcia@esp.demo", "need", "asset_tracing", "Tracing real estate held abroad."),
    ("lea.muller@che.demo", "offer", "mla_drafting", "Reviewing draft requests before sending."),
    ("camille.laurent@fra.demo", "offer", "training", "A week's course for investigators."),
    ("olga.smirnova@rus.demo", "offer", "training", "Training on financial investigation."),
    ("wang.wei@chn.demo", "offer", "training", "Seminar on the management of seized assets."),
    ("yao.kouassi@civ.demo", "need", "legislative_drafting", "A law on NCB forfeiture."),
]


def _versions(texts: dict[str, tuple[str, str, str]], dated: datetime) -> list[dict[str, Any]]:
    return [
        {"language": code, "title": t, "summary": s, "body": b, "dated_on": dated.date()}
        for code, (t, s, b) in texts.items()
    ]


def seed_demo_library(now: datetime) -> list[str]:
    """Idempotent: adds the demo library once, with its needs and offers."""
    if db.session.scalar(select(LibraryDocument.id).limit(1)) is not None:
        return ["Demo library documents added: 0"]
    secretariat = find_user_by_email("secretariat@arnet.demo")
    assert secretariat is not None  # noqa: S101 - the seed adds the users first
    then = now - timedelta(days=40)
    documents = [
        {"kind": "guide", "versions": _versions(_GUIDE, then)},
        {"kind": "model_agreement", "versions": _versions(_AGREEMENT, then)},
        {"kind": "how_to_cooperate", "state": "CHE", "versions": _versions(_NOTE, now)},
    ]
    for names in _TERMS:
        documents.append(
            {
                "kind": "glossary_term",
                "versions": [
                    {
                        "language": code,
                        "title": name,
                        "body": _DEFINITION[code],
                        "dated_on": then.date(),
                    }
                    for code, name in zip(_LANGUAGES, names, strict=True)
                ],
            }
        )
    for values in documents:
        create_document(secretariat, values, now=now)
    if db.session.scalar(select(AssistanceNeed.id).limit(1)) is None:
        for email, direction, area, description in _NEEDS:
            user = find_user_by_email(email)
            if user is not None:
                record_entry(
                    user,
                    {"direction": direction, "area": area, "description": description},
                    now=now,
                )
    return [f"Demo library documents added: {len(documents)}"]
