"""The data keys table: every data key, stored only wrapped by a KEK of the keyring."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from network.core.types import UTCDateTime
from network.extensions import Model


class DataKey(Model):
    """A 256-bit data key stored only wrapped by a KEK of the keyring.

    ``label`` is random and is the wrapping context, so a wrapped blob copied onto
    another key row fails to unwrap. Rotation rewrites ``kek_version`` and
    ``wrapped`` here and nothing else.
    """

    __tablename__ = "data_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(64), unique=True)
    kek_version: Mapped[int] = mapped_column(index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rewrapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
