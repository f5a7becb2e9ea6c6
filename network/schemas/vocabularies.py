"""Every vocabulary of ARNet: the codes stored, exchanged and shown, in one place.

Enums where code compares with a member (``Stage.CLOSED``), code lists where a
schema or a service only checks membership, and code-to-label maps (``N_``
labels, translated where they are shown). Models, services, schemas and pages all
read them here; nothing here imports Flask or marshmallow.
"""

from __future__ import annotations

from enum import StrEnum

from network.core.i18n import N_

# --- people and cases -----------------------------------------------------------------------------


class Role(StrEnum):
    """The four roles of DESIGN.md, by their slugs."""

    PRACTITIONER = "practitioner"
    NATIONAL_ADMIN = "national_admin"
    OBSERVER = "observer"
    NETWORK_ADMIN = "network_admin"


class Stage(StrEnum):
    """Where a case stands (DOMAIN.md); every change is kept in the stage history."""

    INFORMAL_CONSULTATION = "informal_consultation"
    FORMAL_REQUEST = "formal_request"
    PROVISIONAL_MEASURES = "provisional_measures"
    CONFISCATION = "confiscation"
    RETURN = "return"
    CLOSED = "closed"


class MemberKind(StrEnum):
    """A party is on a State's team; an observer sits in a channel by a party's invitation."""

    PARTY = "party"
    OBSERVER = "observer"


class SeatMove(StrEnum):
    """Which way a seat changed hands."""

    JOINED = "joined"
    LEFT = "left"


class SeatKind(StrEnum):
    """A team seat opens every channel of its side; an observer's seat opens one channel."""

    TEAM = "team"
    OBSERVER = "observer"


# A message's or a disclosure's handling code: who may learn of its content (H0 to H3).
HANDLING_CODES = ("H0", "H1", "H2", "H3")


# --- formal requests (network/assistance) ---------------------------------------------------------


class RequestStatus(StrEnum):
    """Where a formal request stands; assistance/lifecycle.py says which step may follow which."""

    DRAFT = "draft"
    SHARED_FOR_COMMENT = "shared_for_comment"
    SENT = "sent"
    RECEIVED = "received"
    MORE_INFORMATION_REQUESTED = "more_information_requested"
    INFORMATION_PROVIDED = "information_provided"
    IN_EXECUTION = "in_execution"
    PARTLY_EXECUTED = "partly_executed"
    EXECUTED = "executed"
    REFUSED = "refused"
    POSTPONED = "postponed"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


REQUEST_KINDS = ("mla", "extradition", "freezing", "confiscation", "return")
REQUEST_LEGAL_BASES = ("uncac", "treaty", "reciprocity")
TRANSMISSION_CHANNELS = ("central_authority", "diplomatic", "interpol", "direct")


# Grounds for refusal, as codes that statistics can count (UNCAC 46(21), 46(9)).
REFUSAL_GROUNDS: dict[str, str] = {
    "46_21_a": N_("46(21)(a): not made in conformity with article 46"),
    "46_21_b": N_(
        "46(21)(b): prejudice to sovereignty, security, ordre public or essential interests"
    ),
    "46_21_c": N_("46(21)(c): domestic law prohibits the action for a similar offence"),
    "46_21_d": N_("46(21)(d): contrary to the legal system of the requested State"),
    "46_9_b": N_("46(9)(b): absence of dual criminality"),
    "46_9_de_minimis": N_("46(9)(b): de minimis or available by other means"),
    "other": N_("Other ground (stated in the reason)"),
}


# --- subjects, assets and orders (network/recovery) -----------------------------------------------

SUBJECT_KINDS = ("natural", "legal")
SUBJECT_ROLES = ("suspect", "beneficial_owner", "nominee", "pep", "pep_family", "pep_associate")
ASSET_KINDS = (
    "bank_account",
    "real_estate",
    "vehicle",
    "vessel",
    "aircraft",
    "company_shares",
    "virtual_asset",
    "other",
)
ASSET_STATUSES = ("identified", "frozen_or_seized", "confiscated", "returned", "released")
RETURN_BASES = ("57_3_a", "57_3_b", "57_3_c")
MEASURE_KINDS = ("freezing", "seizure")
MEASURE_BASES = ("54_2_a", "54_2_b", "54_2_c", "domestic")
ENFORCEMENT = ("direct", "indirect")
MEASURE_STATUSES = ("requested", "in_force", "extended", "lapsed", "lifted", "replaced")
CONSULTATION_DECISIONS = ("pending", "keep", "lift")


# --- disclosures (network/disclosures) ------------------------------------------------------------

DISCLOSURE_KINDS = ("spontaneous_56", "notification_52_2_b", "notification_request")
SOURCE_GRADES = ("A", "B", "C", "X")
INFORMATION_GRADES = ("1", "2", "3", "4")
DISCLOSURE_SUBJECT_ROLES = (
    "suspect",
    "beneficial_owner",
    "nominee",
    "pep",
    "pep_family",
    "pep_associate",
    "account_holder",
    "other",
)
DISCLOSURE_STATUSES = ("sent", "acknowledged", "followed_up", "no_action")


# --- notifications and deadlines (network/notifications) ------------------------------------------


class NotificationKind(StrEnum):
    """What a notification is about; the subject line is rendered from it."""

    MEASURE_EXPIRING = "measure_expiring"
    MEASURE_LAPSED = "measure_lapsed"
    REQUEST_DEADLINE_NEAR = "request_deadline_near"
    REQUEST_DEADLINE_PASSED = "request_deadline_passed"
    REQUEST_WAITING = "request_waiting"
    UNREAD_MESSAGES = "unread_messages"
    DIRECTORY_STALE = "directory_stale"
    # Seats in a case (cases/seating.py): nobody takes or loses one unseen.
    CASE_MEMBER_JOINED = "case.member_joined"
    CHANNEL_MEMBER_JOINED = "channel.member_joined"
    CHANNEL_MEMBER_LEFT = "channel.member_left"


class NoticeTarget(StrEnum):
    """What a notification points at, with its ``target_id``; the edges make it a link."""

    CASE = "case"  # target_id: the case's id
    CASE_TIMELINE = "case_timeline"  # target_id: the case's id
    STATE = "state"  # target_id: the State's alpha-3 code


# How near a deadline is, as the dashboard and the reminders group it.
URGENCY_LABELS = {
    "lapsed": N_("Lapsed"),
    "passed": N_("Passed"),
    "today": N_("Today"),
    "urgent": N_("Within 7 days"),
    "soon": N_("Within 14 days"),
    "later": N_("Later"),
}


# --- the directory (network/directory) ------------------------------------------------------------

# UN regional groups, by the slugs stored in State.region.
REGIONS = {
    "african": N_("African States"),
    "asia_pacific": N_("Asia-Pacific States"),
    "eastern_european": N_("Eastern European States"),
    "grulac": N_("Latin American and Caribbean States"),
    "weog": N_("Western European and other States"),
}

UNCAC_STATUSES = {
    "party": N_("Party"),
    "signatory": N_("Signatory"),
    "none": N_("Not a party"),
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
