"""UN membership as the directory seeds it: regional groups, observer States, usual time zones."""

from __future__ import annotations

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
