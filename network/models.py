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
from network.messages.models import Attachment, Message
from network.notifications.models import CalendarFeed, Notification, ReminderSent
from network.recovery.models import (
    Asset,
    AssetReturn,
    AssetStatusChange,
    ChannelShare,
    Consultation,
    MeasureEvent,
    MeasureExtension,
    ProvisionalMeasure,
    Subject,
)
from network.sealing.models import DataKey

__all__ = [
    "AccessToken",
    "Ask",
    "Asset",
    "AssetReturn",
    "AssetStatusChange",
    "AssistanceRequest",
    "Attachment",
    "AuditRecord",
    "Authority",
    "CalendarFeed",
    "Case",
    "CaseReference",
    "Channel",
    "ChannelMember",
    "ChannelParty",
    "ChannelShare",
    "Consultation",
    "CountryProfile",
    "DataKey",
    "DelayNotice",
    "Disclosure",
    "DisclosureEvent",
    "FocalPoint",
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
