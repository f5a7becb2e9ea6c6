"""The library's code lists: document kinds, languages, technical-assistance areas, who-to-ask."""

from __future__ import annotations

from network.core.i18n import N_

LIBRARY_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")  # the six UN languages, UN order

DOCUMENT_KINDS = {
    "guide": N_("Guide"),
    "model_agreement": N_("Model agreement"),
    "form": N_("Form"),
    "how_to_cooperate": N_("How to cooperate with a State"),
    "glossary_term": N_("Glossary term"),
}
# Kinds a national administrator keeps for their own State; the rest are the secretariat's.
STATE_KINDS = frozenset({"how_to_cooperate", "form"})

ASSISTANCE_DIRECTIONS = {"need": N_("Need"), "offer": N_("Offer")}

ASSISTANCE_AREAS = {
    "legislative_drafting": N_("Legislative drafting"),
    "financial_investigation": N_("Financial investigation"),
    "asset_tracing": N_("Asset tracing"),
    "mla_drafting": N_("Drafting MLA requests"),
    "asset_management": N_("Management of seized assets"),
    "international_cooperation": N_("International cooperation"),
    "training": N_("Training"),
}

ASSISTANCE_STATUSES = {"open": N_("Still open"), "met": N_("Met"), "withdrawn": N_("Withdrawn")}

# "Who do I ask": the kind of assistance, and the authority kinds and expertise that answer it,
# most competent first.
WHO_TO_ASK = {
    "mla": (N_("Mutual legal assistance"), ("mla_central_authority",), "mla"),
    "provisional_measures": (
        N_("Freezing or seizure"),
        ("mla_central_authority", "asset_recovery_office", "prosecution", "court"),
        "financial_investigation",
    ),
    "confiscation": (
        N_("Confiscation"),
        ("mla_central_authority", "prosecution", "court"),
        "ncb_forfeiture",
    ),
    "recognition": (
        N_("Recognition of a foreign order"),
        ("mla_central_authority", "court"),
        "mla",
    ),
    "return": (
        N_("Return of assets"),
        ("mla_central_authority", "asset_recovery_office"),
        "asset_management",
    ),
    "informal_enquiry": (
        N_("Informal enquiry"),
        ("ar_focal_point_office", "asset_recovery_office", "fiu"),
        "financial_investigation",
    ),
}
