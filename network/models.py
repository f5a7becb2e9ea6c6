"""Imports every model module so that the metadata (and Alembic) sees all tables."""

from network.audit.models import AuditRecord
from network.auth.models import AccessToken, RecoveryCode, User, UserSession
from network.directory.models import Authority, ObserverBody, State

__all__ = [
    "AccessToken",
    "AuditRecord",
    "Authority",
    "ObserverBody",
    "RecoveryCode",
    "State",
    "User",
    "UserSession",
]
