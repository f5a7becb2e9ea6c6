"""The directory's vocabularies: regions, kinds of authority, networks, expertise, statuses
and the country profile's answers, with their labels marked (``N_``) and translated where shown.

They sit beside ``vocabularies.py`` (the cases' and records' words) and follow its rules:
nothing here imports Flask or marshmallow.
"""

from __future__ import annotations

from network.core.i18n import N_

# UN regional groups, by the slugs stored in State.region.
REGIONS = {
    "african": N_("African States"),
    "asia_pacific": N_("Asia-Pacific States"),
    "eastern_european": N_("Eastern European States"),
    "grulac": N_("Latin American and Caribbean States"),
    "weog": N_("Western European and other States"),
}

UNCAC_STATUSES = {"party": N_("Party"), "signatory": N_("Signatory"), "none": N_("Not a party")}

AUTHORITY_KINDS = {
    "mla_central_authority": N_("MLA central authority"),
    "extradition_central_authority": N_("Extradition central authority"),
    "ar_focal_point_office": N_("Asset-recovery focal point office"),
    "asset_recovery_office": N_("Asset-recovery office"),
    "fiu": N_("Financial intelligence unit"),
    "anti_corruption_body": N_("Anti-corruption body"),
    "prosecution": N_("Prosecution"),
    "police": N_("Police"),
    "court": N_("Court"),
}

TRANSMISSION_MEANS = {
    "post": N_("Post or courier"),
    "email": N_("E-mail"),
    "secure_platform": N_("Secure platform"),
    "fax": N_("Fax"),
    "hand_delivery": N_("Hand delivery"),
}

# The channels through which an authority accepts requests.
AUTHORITY_CHANNELS = {
    "central_authority": N_("Central authority"),
    "diplomatic": N_("Diplomatic channel"),
    "interpol_urgent": N_("INTERPOL in urgency"),
    "direct": N_("Direct between competent authorities"),
}

NETWORKS = {
    "star_interpol": N_("StAR/INTERPOL global focal points"),
    "carin": N_("CARIN"),
    "arin_ap": N_("ARIN-AP"),
    "arin_wa": N_("ARIN-WA"),
    "arinsa": N_("ARINSA"),
    "arin_ea": N_("ARIN-EA"),
    "arin_carib": N_("ARIN-CARIB"),
    "arin_wca": N_("ARIN-WCA"),
    "rrag": N_("RRAG (GAFILAT)"),
    "egmont": N_("Egmont Group"),
    "globe": N_("GlobE Network"),
}

MEMBERSHIP_STATUSES = {"member": N_("Member"), "observer": N_("Observer")}

EXPERTISE = {
    "mla": N_("Mutual legal assistance"),
    "ncb_forfeiture": N_("Non-conviction-based forfeiture"),
    "financial_investigation": N_("Financial investigation"),
    "asset_management": N_("Asset management"),
    "virtual_assets": N_("Virtual assets"),
}

AUTHORITY_STATUSES = {"active": N_("Active"), "superseded": N_("Superseded")}

FOCAL_POINT_STATUSES = {"active": N_("Active"), "left": N_("Left")}

# Country profile answers; a State that has not answered yet stands as "unknown".
NOT_STATED = {"unknown": N_("Not stated")}

TREATY_OR_RECIPROCITY = {
    **NOT_STATED,
    "none": N_("Neither needed: UNCAC suffices"),
    "treaty": N_("A treaty is needed"),
    "reciprocity": N_("An assurance of reciprocity is needed"),
    "treaty_or_reciprocity": N_("A treaty or an assurance of reciprocity is needed"),
}

DUAL_CRIMINALITY = {
    **NOT_STATED,
    "always": N_("Always required"),
    "coercive_only": N_("Required for coercive measures only"),
    "no": N_("Not required"),
}

FOREIGN_ORDERS = {
    **NOT_STATED,
    "direct": N_("Enforced directly"),
    "domestic_order": N_("Only through a domestic order"),
    "not_possible": N_("Not possible"),
}
