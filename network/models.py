"""Imports every model module so that the metadata (and Alembic) sees all tables."""

from network.asks.models import Ask
from network.assistance.models import (
    AssistanceRequest,
    DelayNotice,
    RequestTransition,
    StatusEnquiry,
)
from network.audit.models import AuditRecord
from network.auth.models import AccessToken, RecoveryCode, User, UserSession
from network.cases.models import (
    Case,
    CaseReference,
    Channel,
    ChannelMember,
    ChannelParty,
    SeatChange,
    StageChange,
    TeamMember,
)
from network.directory.models import (
    Authority,
    CountryProfile,
    FocalPoint,
    ObserverBody,
    SearchTerm,
    State,
)
from network.disclosures.models import Disclosure, DisclosureEvent, NotificationResult
from network.library.models import AssistanceNeed, LibraryDocument, LibraryVersion
from network.messages.models import Attachment, Message
from network.notifications.models import CalendarFeed, Notification, ReminderSent
from network.recovery.models import (
    Asset,
    AssetReturn,
    AssetStatusChange,
    CaseReturn,
    ChannelShare,
    ConfiscatedAsset,
    Confiscation,
    Consultation,
    MeasureEvent,
    MeasureExtension,
    ProvisionalMeasure,
    ReturnLine,
    ReturnMilestone,
    Subject,
)
from network.sealing.models import DataKey

__all__ = [
    "AccessToken",
    "Ask",
    "Asset",
    "AssetReturn",
    "AssetStatusChange",
    "AssistanceNeed",
    "AssistanceRequest",
    "Attachment",
    "AuditRecord",
    "Authority",
    "CalendarFeed",
    "Case",
    "CaseReference",
    "CaseReturn",
    "Channel",
    "ChannelMember",
    "ChannelParty",
    "ChannelShare",
    "ConfiscatedAsset",
    "Confiscation",
    "Consultation",
    "CountryProfile",
    "DataKey",
    "DelayNotice",
    "Disclosure",
    "DisclosureEvent",
    "FocalPoint",
    "LibraryDocument",
    "LibraryVersion",
    "MeasureEvent",
    "MeasureExtension",
    "Message",
    "Notification",
    "NotificationResult",
    "ObserverBody",
    "ProvisionalMeasure",
    "RecoveryCode",
    "ReminderSent",
    "RequestTransition",
    "ReturnLine",
    "ReturnMilestone",
    "SearchTerm",
    "SeatChange",
    "StageChange",
    "State",
    "StatusEnquiry",
    "Subject",
    "TeamMember",
    "User",
    "UserSession",
]
