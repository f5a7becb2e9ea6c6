"""Fixed vocabularies of the directory: UN membership, regional groups, kinds, networks."""

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

# The 193 UN member States by regional group (alpha-3 codes; names come from CLDR).
_MEMBERS_BY_REGION = {
    "african": (
        "DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ ETH GAB GMB "
        "GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER NGA RWA STP SEN SYC SLE "
        "SOM ZAF SSD SDN TGO TUN UGA TZA ZMB ZWE"
    ),
    "asia_pacific": (
        "AFG BHR BGD BTN BRN KHM CHN CYP PRK FJI IND IDN IRN IRQ JPN JOR KAZ KIR KWT KGZ LAO LBN "
        "MYS MDV MHL FSM MNG MMR NRU NPL OMN PAK PLW PNG PHL QAT KOR WSM SAU SGP SLB LKA SYR TJK "
        "THA TLS TON TKM TUV ARE UZB VUT VNM YEM"
    ),
    "eastern_european": (
        "ALB ARM AZE BLR BIH BGR HRV CZE EST GEO HUN LVA LTU MNE MKD POL MDA ROU RUS SRB "
        "SVK SVN UKR"
    ),
    "grulac": (
        "ATG ARG BHS BRB BLZ BOL BRA CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX "
        "NIC PAN PRY PER KNA LCA VCT SUR TTO URY VEN"
    ),
    "weog": (
        "AND AUT BEL CAN DNK FIN FRA DEU GRC ISL IRL ISR ITA LIE LUX MLT MCO NLD NZL NOR PRT SMR "
        "ESP SWE CHE TUR GBR AUS USA"
    ),
}
UN_MEMBER_REGIONS: dict[str, str] = {
    code: region for region, codes in _MEMBERS_BY_REGION.items() for code in codes.split()
}
# Observer States: the Holy See (no regional group) and the State of Palestine.
UN_OBSERVER_REGIONS: dict[str, str | None] = {"VAT": None, "PSE": "asia_pacific"}

UNCAC_STATUSES = {
    "party": N_("Party"),
    "signatory": N_("Signatory"),
    "none": N_("Not a party"),
}
# Demo values only: the seed marks every State's status as demo data.
DEMO_UNCAC_EXCEPTIONS = {"SYR": "signatory", "ERI": "none", "PRK": "none", "VAT": "none"}

# The usual zone where a State has several; otherwise CLDR's first zone for the territory.
MAIN_TIME_ZONES = {
    "RUS": "Europe/Moscow",
    "USA": "America/New_York",
    "CAN": "America/Toronto",
    "AUS": "Australia/Sydney",
    "BRA": "America/Sao_Paulo",
    "MEX": "America/Mexico_City",
    "IDN": "Asia/Jakarta",
    "KAZ": "Asia/Almaty",
    "CHN": "Asia/Shanghai",
    "ARG": "America/Argentina/Buenos_Aires",
    "COD": "Africa/Kinshasa",
    "MNG": "Asia/Ulaanbaatar",
    "ESP": "Europe/Madrid",
    "PRT": "Europe/Lisbon",
    "CHL": "America/Santiago",
    "ECU": "America/Guayaquil",
    "FSM": "Pacific/Pohnpei",
    "KIR": "Pacific/Tarawa",
    "MHL": "Pacific/Majuro",
    "NZL": "Pacific/Auckland",
    "PNG": "Pacific/Port_Moresby",
    "UKR": "Europe/Kyiv",
    "UZB": "Asia/Tashkent",
    "MYS": "Asia/Kuala_Lumpur",
    "DEU": "Europe/Berlin",
    "CYP": "Asia/Nicosia",
    "PSE": "Asia/Hebron",
}

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

CHANNELS = {
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

# Country profile answers.
TREATY_OR_RECIPROCITY = {
    "unknown": N_("Not stated"),
    "none": N_("Neither needed: UNCAC suffices"),
    "treaty": N_("A treaty is needed"),
    "reciprocity": N_("An assurance of reciprocity is needed"),
    "treaty_or_reciprocity": N_("A treaty or an assurance of reciprocity is needed"),
}
DUAL_CRIMINALITY = {
    "unknown": N_("Not stated"),
    "always": N_("Always required"),
    "coercive_only": N_("Required for coercive measures only"),
    "no": N_("Not required"),
}
FOREIGN_ORDERS = {
    "unknown": N_("Not stated"),
    "direct": N_("Enforced directly"),
    "domestic_order": N_("Only through a domestic order"),
    "not_possible": N_("Not possible"),
}
