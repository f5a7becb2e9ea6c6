"""Every vocabulary of ARNet but the directory's: the codes stored, exchanged and shown.

Enums where code compares with a member (``Stage.CLOSED``), and code-to-label maps
where a schema or a service only checks membership: each code's label is marked here
(``N_``, or ``N_p`` where one English word needs a context) and translated where it is
shown. Models, services, schemas, pages and documents all read them here; nothing here
imports Flask or marshmallow. The directory's own vocabularies (regions, kinds of
authority, networks, the country profile's answers) are in ``directory_vocabularies.py``.
"""

from __future__ import annotations

from enum import StrEnum

from network.core.i18n import N_, InContext, N_p

# --- people and cases -----------------------------------------------------------------------------


class Role(StrEnum):
    """The four roles of DESIGN.md, by their slugs."""

    PRACTITIONER = "practitioner"
    NATIONAL_ADMIN = "national_admin"
    OBSERVER = "observer"
    NETWORK_ADMIN = "network_admin"


ROLES = {
    Role.PRACTITIONER.value: N_("Practitioner"),
    Role.NATIONAL_ADMIN.value: N_("National administrator"),
    Role.OBSERVER.value: N_("Observer"),
    Role.NETWORK_ADMIN.value: N_("Network administrator"),
}


class Stage(StrEnum):
    """Where a case stands (DOMAIN.md); every change is kept in the stage history."""

    INFORMAL_CONSULTATION = "informal_consultation"
    FORMAL_REQUEST = "formal_request"
    PROVISIONAL_MEASURES = "provisional_measures"
    CONFISCATION = "confiscation"
    RETURN = "return"
    CLOSED = "closed"


STAGES = {
    Stage.INFORMAL_CONSULTATION.value: N_("Informal consultation"),
    Stage.FORMAL_REQUEST.value: N_("Formal request"),
    Stage.PROVISIONAL_MEASURES.value: N_("Provisional measures"),
    Stage.CONFISCATION.value: N_("Confiscation"),
    Stage.RETURN.value: N_("Return"),
    Stage.CLOSED.value: N_("Closed"),
}


class MemberKind(StrEnum):
    """A party is on a State's team; an observer sits in a channel by a party's invitation."""

    PARTY = "party"
    OBSERVER = "observer"


class ChannelKind(StrEnum):
    """A bilateral channel joins two States; a multilateral table several, each by accepting."""

    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"


class PartyAnswer(StrEnum):
    """A requested State's answer to a multilateral channel; declining is final."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


PARTY_ANSWERS = {
    PartyAnswer.PENDING.value: N_p("party answer", "Not answered yet"),
    PartyAnswer.ACCEPTED.value: N_p("party answer", "Accepted"),
    PartyAnswer.DECLINED.value: N_p("party answer", "Declined"),
}


class SeatMove(StrEnum):
    """Which way a seat changed hands."""

    JOINED = "joined"
    LEFT = "left"


class SeatKind(StrEnum):
    """A team seat opens every channel of its side; an observer's seat opens one channel."""

    TEAM = "team"
    OBSERVER = "observer"


# A message's or a disclosure's handling code: who may learn of its content (H0 to H3).
HANDLING_CODES = {
    "H0": N_("H0 — use for the purpose of the case"),
    "H1": N_("H1 — not for judicial proceedings without the sender's consent"),
    "H2": N_("H2 — not to be passed beyond the receiving authority without consent"),
    "H3": N_("H3 — other restriction, stated in the message"),
}


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


REQUEST_STATUSES = {
    RequestStatus.DRAFT.value: N_p("request status", "Draft"),
    RequestStatus.SHARED_FOR_COMMENT.value: N_p("request status", "Shared for comment"),
    RequestStatus.SENT.value: N_p("request status", "Sent"),
    RequestStatus.RECEIVED.value: N_p("request status", "Received"),
    RequestStatus.MORE_INFORMATION_REQUESTED.value: N_p(
        "request status", "More information requested"
    ),
    RequestStatus.INFORMATION_PROVIDED.value: N_p("request status", "Information provided"),
    RequestStatus.IN_EXECUTION.value: N_p("request status", "In execution"),
    RequestStatus.PARTLY_EXECUTED.value: N_p("request status", "Partly executed"),
    RequestStatus.EXECUTED.value: N_p("request status", "Executed"),
    RequestStatus.REFUSED.value: N_p("request status", "Refused"),
    RequestStatus.POSTPONED.value: N_p("request status", "Postponed"),
    RequestStatus.WITHDRAWN.value: N_p("request status", "Withdrawn"),
    RequestStatus.CLOSED.value: N_p("request status", "Closed"),
}
REQUEST_KINDS = {
    "mla": N_("Mutual legal assistance"),
    "extradition": N_("Extradition"),
    "freezing": N_("Freezing"),
    "confiscation": N_("Confiscation"),
    "recognition": N_("Recognition and enforcement of a foreign order"),
    "return": N_("Return of assets"),
}
# What a file filed with a request is: the request as signed and sent, or an annex to it.
REQUEST_DOCUMENT_KINDS = {
    "signed_request": N_("Signed request"),
    "annex": N_("Annex"),
}
SIGNED_REQUEST = "signed_request"
# A request for recognition names which 54(1) route it takes (``conviction_based``).
RECOGNITION_KIND = "recognition"


class RecognitionStep(StrEnum):
    """The steps the requested State's courts take on a foreign order (54(1)(a), 54(1)(c))."""

    RECEIVED = "received"
    FILED = "filed"
    THIRD_PARTIES_NOTIFIED = "third_parties_notified"
    HEARING_SCHEDULED = "hearing_scheduled"
    RECOGNISED = "recognised"
    REFUSED = "refused"
    APPEAL_LODGED = "appeal_lodged"
    FINAL = "final"


RECOGNITION_STEPS = {
    RecognitionStep.RECEIVED.value: N_p("recognition step", "Received by the court"),
    RecognitionStep.FILED.value: N_p("recognition step", "Filed"),
    RecognitionStep.THIRD_PARTIES_NOTIFIED.value: N_p(
        "recognition step", "Third parties notified"
    ),
    RecognitionStep.HEARING_SCHEDULED.value: N_p("recognition step", "Hearing scheduled"),
    RecognitionStep.RECOGNISED.value: N_p("recognition step", "Recognised"),
    RecognitionStep.REFUSED.value: N_p("recognition step", "Refused"),
    RecognitionStep.APPEAL_LODGED.value: N_p("recognition step", "Appeal lodged"),
    RecognitionStep.FINAL.value: N_p("recognition step", "Final"),
}
REQUEST_LEGAL_BASES = {
    "uncac": N_("UNCAC"), "treaty": N_("Treaty"), "reciprocity": N_("Reciprocity"),
}
TRANSMISSION_CHANNELS = {
    "central_authority": N_("Central authority"),
    "diplomatic": N_("Diplomatic channel"),
    "interpol": N_("INTERPOL"),
    "direct": N_("Direct between competent authorities"),
}
# Which side of a request the reader's State is on (assistance/read_models.py).
REQUEST_DIRECTIONS = {
    "outgoing": N_p("request direction", "Outgoing"),
    "incoming": N_p("request direction", "Incoming"),
}


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

SUBJECT_KINDS = {"natural": N_("Natural person"), "legal": N_("Legal person")}
SUBJECT_ROLES = {
    "suspect": N_("Suspect"),
    "beneficial_owner": N_("Beneficial owner"),
    "nominee": N_("Nominee"),
    "pep": N_("Politically exposed person"),
    "pep_family": N_("Family member of a politically exposed person"),
    "pep_associate": N_("Close associate of a politically exposed person"),
}
# How a subject holds an asset (art. 52(1), resolution 4/4 para 10): in its own name, as the
# beneficial owner behind a company, or as a family member or close associate of a PEP.
HOLDING_KINDS = {
    "direct": N_("Holds it directly"),
    "beneficial_owner": N_("Beneficial owner through a company"),
    "family_member": N_("Family member of a politically exposed person"),
    "close_associate": N_("Close associate of a politically exposed person"),
}
# What made a subject or account of another case of the same State match (recovery.matching).
MATCH_KINDS = {
    "name": N_("same name"),
    "name_birth": N_("same name and date of birth"),
    "identifier": N_("same identifier"),
    "iban": N_("same IBAN"),
}
ASSET_KINDS: dict[str, str | InContext] = {
    "bank_account": N_("Bank account"),
    "real_estate": N_("Real estate"),
    "vehicle": N_("Vehicle"),
    "vessel": N_("Vessel"),
    "aircraft": N_("Aircraft"),
    "company_shares": N_("Company shares"),
    "virtual_asset": N_("Virtual asset"),
    "other": N_p("asset kind", "Other"),
}
ASSET_STATUSES = {
    "identified": N_p("asset status", "Identified"),
    "frozen_or_seized": N_p("asset status", "Frozen or seized"),
    "confiscated": N_p("asset status", "Confiscated"),
    "returned": N_p("asset status", "Returned"),
    "released": N_p("asset status", "Released"),
}
RETURN_BASES = {
    "57_3_a": N_("57(3)(a): embezzled public funds"),
    "57_3_b": N_("57(3)(b): proceeds of another offence, prior ownership established"),
    "57_3_c": N_("57(3)(c): any other case"),
}
# A confiscation order is final, or still open to appeal (the return rests on a final one).
CONFISCATION_FINALITY = {"final": N_("Final"), "under_appeal": N_("Under appeal")}
# How a return is agreed, case by case (57(5)).
RETURN_ARRANGEMENTS = {
    "agreement": N_("Agreement"),
    "arrangement": N_("Mutually acceptable arrangement"),
    "case_by_case": N_("Case-by-case decision"),
}
# The steps of that arrangement, each a date on the return.
RETURN_STEPS = {
    "draft_shared": N_("Draft shared for comment"),
    "terms_agreed": N_("Terms agreed"),
    "signed": N_("Signed"),
}
# The lines of a return: expenses deducted (57(4)), transfers, beneficiaries, compensation.
RETURN_LINE_KINDS = {
    "expense": N_("Reasonable expense deducted (57(4))"),
    "transfer": N_("Transfer"),
    "beneficiary": N_("Beneficiary and purpose"),
    "compensation": N_("Compensation of victims (57(3)(c))"),
}
MEASURE_KINDS = {"freezing": N_("Freezing"), "seizure": N_("Seizure")}
MEASURE_BASES = {
    "54_2_a": N_("54(2)(a): a foreign freezing or seizure order"),
    "54_2_b": N_("54(2)(b): a request giving reasonable grounds"),
    "54_2_c": N_("54(2)(c): preservation for confiscation"),
    "domestic": N_("Domestic law"),
}
ENFORCEMENT = {"direct": N_("Direct (foreign order)"), "indirect": N_("Indirect (domestic order)")}
MEASURE_STATUSES = {
    "requested": N_p("order status", "Requested"),
    "in_force": N_p("order status", "In force"),
    "extended": N_p("order status", "Extended"),
    "lapsed": N_p("order status", "Lapsed"),
    "lifted": N_p("order status", "Lifted"),
    "replaced": N_p("order status", "Replaced by confiscation"),
}
# The lines of an order's history, and the keys of their details in the words of the order's
# own fields.
MEASURE_EVENTS = {
    "recorded": N_("Order recorded"),
    "updated": N_("Order updated"),
    "extended": N_("Order extended"),
    "consultation": N_("Consultation recorded"),
    "consultation_updated": N_("Consultation updated"),
    "lifted": N_("Order lifted"),
    "replaced": N_("Replaced by confiscation"),
}
MEASURE_EVENT_DETAILS = {
    "effective_on": N_("Effective on"),
    "expires_on": N_("Expires on"),
    "next_review_on": N_("Next review hearing"),
    "longest_duration_days": N_("Longest permitted duration (days)"),
    "from": N_("From"),
    "to": N_("To"),
    "asked_by": N_("Asked by"),
    "confiscated_on": N_("Confiscated on"),
    "deadline_on": N_("Deadline for representations"),
    "decision": N_("Decision"),
}
CONSULTATION_DECISIONS = {
    "pending": N_("Pending"), "keep": N_("Keep the order"), "lift": N_("Lift the order"),
}


# --- disclosures (network/disclosures) ------------------------------------------------------------

DISCLOSURE_KINDS = {
    "spontaneous_56": N_("Spontaneous disclosure (art. 56)"),
    "notification_52_2_b": N_("Notification (art. 52(2)(b))"),
    "notification_request": N_("Request for notification"),
}
SOURCE_GRADES = ("A", "B", "C", "X")
INFORMATION_GRADES = ("1", "2", "3", "4")
DISCLOSURE_SUBJECT_ROLES: dict[str, str | InContext] = {
    **SUBJECT_ROLES,
    "account_holder": N_("Account holder"),
    "other": N_p("subject role", "Other"),
}
DISCLOSURE_STATUSES = {
    "sent": N_p("disclosure status", "Sent"),
    "acknowledged": N_p("disclosure status", "Acknowledged"),
    "followed_up": N_p("disclosure status", "Followed up"),
    "no_action": N_p("disclosure status", "No action"),
}
# Whether the reader's State sent a disclosure or received it (disclosures/service.py).
DISCLOSURE_DIRECTIONS = {
    "sent": N_p("disclosure direction", "Sent"),
    "received": N_p("disclosure direction", "Received"),
}


# --- asks (network/asks) --------------------------------------------------------------------------


class AskKind(StrEnum):
    """What one side of a relationship asks the other for, with a due date."""

    EXTENSION = "extension"  # of an order, before it lapses
    CONSENT = "consent"  # to use information beyond its handling code (H1 or H2)
    INFORMATION = "information"  # more information on a request
    CALL = "call"


ASK_KINDS = {
    AskKind.EXTENSION.value: N_("Extension of an order"),
    AskKind.CONSENT.value: N_("Consent to use information beyond its handling code"),
    AskKind.INFORMATION.value: N_("More information on a request"),
    AskKind.CALL.value: N_("A call"),
}


class AskOutcome(StrEnum):
    """How the asked side answered: yes, no (with a reason), or with what it recorded."""

    GRANTED = "granted"
    REFUSED = "refused"
    ANSWERED = "answered"


ASK_OUTCOMES = {
    AskOutcome.GRANTED.value: N_p("ask outcome", "Granted"),
    AskOutcome.REFUSED.value: N_p("ask outcome", "Refused"),
    AskOutcome.ANSWERED.value: N_p("ask outcome", "Answered"),
}


# --- notifications and deadlines (network/notifications) ------------------------------------------


class NotificationKind(StrEnum):
    """What a notification is about; the subject line is rendered from it."""

    MEASURE_EXPIRING = "measure_expiring"
    MEASURE_LAPSED = "measure_lapsed"
    REQUEST_DEADLINE_NEAR = "request_deadline_near"
    REQUEST_DEADLINE_PASSED = "request_deadline_passed"
    REQUEST_WAITING = "request_waiting"
    # A recognition proceeding's court dates (recovery/recognition.py).
    HEARING_NEAR = "hearing_near"
    APPEAL_DEADLINE_NEAR = "appeal_deadline_near"
    UNREAD_MESSAGES = "unread_messages"
    DIRECTORY_STALE = "directory_stale"
    # Seats in a case (cases/seating.py): nobody takes or loses one unseen.
    CASE_MEMBER_JOINED = "case.member_joined"
    CHANNEL_MEMBER_JOINED = "channel.member_joined"
    CHANNEL_MEMBER_LEFT = "channel.member_left"
    # A multilateral channel: a State invited to it, and each State's answer (cases/tables.py).
    CHANNEL_INVITED = "channel.invited"
    # What one side recorded that the other side should know (notifications/counterparts.py).
    REQUEST_STATUS_CHANGED = "request.status_changed"
    MEASURE_RECORDED = "measure.recorded"
    MEASURE_EXTENDED = "measure.extended"
    MEASURE_LIFTED = "measure.lifted"
    DISCLOSURE_RECEIVED = "disclosure.received"
    DISCLOSURE_ACKNOWLEDGED = "disclosure.acknowledged"
    NOTIFICATION_RESULT_REPORTED = "disclosure.result_reported"
    DRAFT_SHARED = "draft.shared"
    REQUEST_DOCUMENT_FILED = "request.document_filed"
    ENQUIRY_RECEIVED = "enquiry.received"
    ASK_RECEIVED = "ask.received"
    ASK_ANSWERED = "ask.answered"
    # An ask's due date (network/asks): near, and passed without an answer.
    ASK_DUE = "ask_due"
    ASK_OVERDUE = "ask_overdue"
    # A return under article 57 (recovery/returns.py): a step recorded, a milestone near.
    RETURN_RECORDED = "return.recorded"
    RETURN_MILESTONE_DUE = "return_milestone_due"


class NoticeDelivery(StrEnum):
    """How a user wants one kind of notice: in the app only, e-mailed at once, or in a digest."""

    IN_APP = "in_app"
    IMMEDIATE = "immediate"
    DIGEST = "digest"


NOTICE_DELIVERIES = {
    NoticeDelivery.IN_APP.value: N_("In the app only"),
    NoticeDelivery.IMMEDIATE.value: N_("At once by e-mail"),
    NoticeDelivery.DIGEST.value: N_("In a daily digest e-mail"),
}
# The kinds a user chooses the delivery of, in the order the account page lists them.
CHOOSABLE_NOTICES = {
    NotificationKind.REQUEST_STATUS_CHANGED.value: N_("A request's status changed"),
    NotificationKind.DRAFT_SHARED.value: N_("A draft request was shared for comment"),
    NotificationKind.REQUEST_DOCUMENT_FILED.value: N_(
        "A signed request or an annex was filed with a request"
    ),
    NotificationKind.ENQUIRY_RECEIVED.value: N_("A status enquiry, its answer or a delay notice"),
    NotificationKind.MEASURE_RECORDED.value: N_("An order was recorded"),
    NotificationKind.MEASURE_EXTENDED.value: N_("An order was extended"),
    NotificationKind.MEASURE_LIFTED.value: N_("An order was lifted"),
    NotificationKind.RETURN_RECORDED.value: N_("A confiscation or a return step was recorded"),
    NotificationKind.DISCLOSURE_RECEIVED.value: N_("A disclosure was received"),
    NotificationKind.DISCLOSURE_ACKNOWLEDGED.value: N_("A disclosure was acknowledged"),
    NotificationKind.NOTIFICATION_RESULT_REPORTED.value: N_(
        "A financial institution reported back on a notification"
    ),
    NotificationKind.ASK_RECEIVED.value: N_("The other side asked for an answer"),
    NotificationKind.ASK_ANSWERED.value: N_("The other side answered an ask"),
    NotificationKind.CASE_MEMBER_JOINED.value: N_("Someone joined your side of a case"),
    NotificationKind.CHANNEL_MEMBER_JOINED.value: N_("Someone joined a channel"),
    NotificationKind.CHANNEL_MEMBER_LEFT.value: N_("Someone left a channel"),
    NotificationKind.CHANNEL_INVITED.value: N_("Your State was invited to a multilateral channel"),
}


class NoticeTarget(StrEnum):
    """What a notification points at, with its ``target_id``; the edges make it a link."""

    CASE = "case"  # target_id: the case's id
    CASE_TIMELINE = "case_timeline"  # target_id: the case's id
    STATE = "state"  # target_id: the State's alpha-3 code
    REQUEST = "request"  # target_id: the request's id
    MEASURE = "measure"  # target_id: the order's id
    DISCLOSURE = "disclosure"  # target_id: the disclosure's id
    ASK = "ask"  # target_id: the ask's id


# How near a deadline is, as the dashboard and the reminders group it.
URGENCY_LABELS = {
    "lapsed": N_("Lapsed"),
    "passed": N_("Passed"),
    "today": N_("Today"),
    "urgent": N_("Within 7 days"),
    "soon": N_("Within 14 days"),
    "later": N_("Later"),
}
