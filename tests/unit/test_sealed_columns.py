"""verify-integrity knows every sealed column: a new one cannot be added and left unchecked."""

from __future__ import annotations

import network.models  # noqa: F401 - registers every table
from network.extensions import db
from network.sealing.fields import declared


def test_every_sealed_column_of_the_schema_is_verified() -> None:
    in_schema = {
        (table.name, column.name.removesuffix("_sealed"))
        for table in db.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("_sealed")
    }

    assert {(each.table, each.name) for each in declared()} == in_schema
