"""The directory's exchange format: its sections, their CSV columns, and how entries are keyed.

Exports are deterministic (sorted by State and key) so that export, import into an empty
database and export again give the same bytes. Imports check every record first and write
nothing unless all are valid; errors name the row and the field.
"""

from __future__ import annotations

from network.directory.authorities import AUTHORITY_FIELDS
from network.directory.focal_points import FOCAL_POINT_FIELDS
from network.directory.models import Authority
from network.directory.profiles import PROFILE_FIELDS

FORMAT = "arnet-directory"
FORMAT_VERSION = 1
KINDS = ("observer_bodies", "states", "authorities", "focal_points", "profiles")

AUTHORITY_DATA = tuple(name for name in AUTHORITY_FIELDS if name != "key")
FOCAL_POINT_DATA = tuple(
    name for name in FOCAL_POINT_FIELDS if name not in {"key", "authority_id", "user_id"}
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "observer_bodies": ("acronym", "name"),
    "states": (
        "code",
        "names",
        "uncac_status",
        "region",
        "time_zone",
        "is_demo_data",
        "is_observer_state",
    ),
    "authorities": ("key", "state", *AUTHORITY_DATA, "is_demo", "last_confirmed_at"),
    "focal_points": (
        "key",
        "state",
        "authority",
        *FOCAL_POINT_DATA,
        "is_demo",
        "last_confirmed_at",
    ),
    "profiles": ("state", "version", *PROFILE_FIELDS, "note", "is_demo", "changed_at"),
}


def authority_key(authority: Authority) -> str:
    """The key an authority is exported under: its own, else one made from its id."""
    return authority.key or f"authority-{authority.id}"
