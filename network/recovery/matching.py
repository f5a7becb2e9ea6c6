"""The same person or account in another case of one State, found through keyed digests.

Names, birth dates, identifiers and IBANs are sealed, so they cannot be compared in the
database. When a subject or asset is recorded or edited, each of them is normalised and
digested with HMAC under a key of its own per State (``sealing.keystore.match_key``): once
for the requesting State and once for the requested State of the record's relationship.
A State's members are then told which of *that State's* other cases hold the same digest;
the same name in two States' cases gives unrelated digests, so nothing is ever pointed out
across States. A digest cannot be turned back into a name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import aliased

from network.cases.models import Case
from network.extensions import db
from network.recovery.models import Asset, MatchKey, Subject
from network.sealing import keystore
from network.sealing.integrity import Opened

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
# Shorter values (a "1", a "yes") would match everything; a name needs a few letters.
MIN_IDENTIFIER = 4
MIN_NAME = 3


def normal_name(text: str) -> str:
    """Casefolded, accents stripped, punctuation as spaces, tokens sorted: "José  García" and
    "garcia jose" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(each for each in decomposed if not unicodedata.combining(each)).casefold()
    # Dots and apostrophes join ("S.A." is "SA", "O'Brien" is "OBrien"); the rest separates.
    joined = re.sub(r"[.'\u2019\u02bc]", "", plain)
    tokens = re.sub(r"[\W_]+", " ", joined).split()
    return " ".join(sorted(tokens))


def normal_identifier(text: str) -> str:
    """Letters and digits only, upper-case: "ab 12-34" and "AB1234" are one identifier."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).upper()


def normal_birth_date(text: str) -> str:
    """An ISO date when the text is one, else its digits."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return re.sub(r"\D+", "", text)


def _is_birth_date(label: str) -> bool:
    words = normal_name(label)
    return "birth" in words or words in {"dob", "born"}


def subject_values(identity: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """(kind, normalised value) of a subject's identity: names, name with birth date, ids."""
    names = [*_texts(identity.get("names")), *_texts(identity.get("transliterations"))]
    normal = {normal_name(each) for each in names} - {""}
    normal = {each for each in normal if len(each.replace(" ", "")) >= MIN_NAME}
    identifiers = identity.get("identifiers")
    births: set[str] = set()
    for label, value in identifiers.items() if isinstance(identifiers, Mapping) else []:
        if _is_birth_date(str(label)):
            births.add(normal_birth_date(str(value)))
        else:
            yield from _identifier(str(label), str(value))
    for name in sorted(normal):
        yield "name", name
        for born in sorted(births - {""}):
            yield "name_birth", f"{name}|{born}"


def asset_values(details: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """(kind, normalised value) of an asset's identifiers: IBANs and other account numbers."""
    identifiers = details.get("identifiers")
    for label, value in identifiers.items() if isinstance(identifiers, Mapping) else []:
        yield from _identifier(str(label), str(value))


def _identifier(label: str, value: str) -> Iterator[tuple[str, str]]:
    normal = normal_identifier(value)
    if len(normal) < MIN_IDENTIFIER:
        return
    is_iban = "iban" in label.casefold() or _IBAN.match(normal) is not None
    yield ("iban" if is_iban else "identifier"), normal


def _texts(values: object) -> list[str]:
    return [str(each) for each in values] if isinstance(values, list) else []


def digest(state: str, kind: str, value: str) -> str:
    """The keyed digest of one normalised value for one State."""
    message = f"{kind}\x00{value}".encode()
    return hmac.new(keystore.match_key(state), message, hashlib.sha256).hexdigest()


def _states(case_id: int, requested_state: str) -> list[str]:
    requesting = db.session.scalar(select(Case.requesting_state).where(Case.id == case_id))
    return sorted({requested_state, *([requesting] if requesting else [])})


def index_subject(subject: Subject) -> None:
    """Write the subject's match keys afresh (after it is recorded or edited)."""
    db.session.execute(delete(MatchKey).where(MatchKey.subject_id == subject.id))
    identity = Opened(subject)[Subject.identity] or {}
    _write(
        subject.case_id,
        subject.requested_state,
        set(subject_values(identity)),
        subject_id=subject.id,
    )


def index_asset(asset: Asset) -> None:
    """Write the asset's match keys afresh (after it is recorded or edited)."""
    db.session.execute(delete(MatchKey).where(MatchKey.asset_id == asset.id))
    details = Opened(asset)[Asset.details] or {}
    _write(asset.case_id, asset.requested_state, set(asset_values(details)), asset_id=asset.id)


def _write(
    case_id: int,
    requested_state: str,
    values: set[tuple[str, str]],
    *,
    subject_id: int | None = None,
    asset_id: int | None = None,
) -> None:
    for state in _states(case_id, requested_state):
        for kind, value in sorted(values):
            db.session.add(
                MatchKey(
                    state=state,
                    kind=kind,
                    digest=digest(state, kind, value),
                    case_id=case_id,
                    subject_id=subject_id,
                    asset_id=asset_id,
                )
            )
    db.session.flush()


def index_everything() -> int:
    """Rebuild every match key (``network index-matches``, after the upgrade that adds them)."""
    count = 0
    for subject in db.session.scalars(select(Subject).order_by(Subject.id)):
        index_subject(subject)
        count += 1
    for asset in db.session.scalars(select(Asset).order_by(Asset.id)):
        index_asset(asset)
        count += 1
    return count


@dataclass
class Match:
    """Another case of the reader's State that holds the same subject or account."""

    case_id: int
    on: list[str] = field(default_factory=list)
    may_open: bool = False


def matches_in_state(
    state: str,
    case_id: int,
    subject_ids: Iterable[int],
    asset_ids: Iterable[int],
) -> dict[tuple[str, int], list[Match]]:
    """For each given subject and asset of the case, the other cases of ``state`` that share a
    digest with it, keyed ``("subject", id)`` or ``("asset", id)``; one query.

    The caller passes only records the reader sees, and only the reader's own State.
    """
    subjects, assets = sorted(subject_ids), sorted(asset_ids)
    if not subjects and not assets:
        return {}
    mine, other = aliased(MatchKey), aliased(MatchKey)
    rows = db.session.execute(
        select(mine.subject_id, mine.asset_id, other.case_id, other.kind)
        .join(
            other,
            and_(
                other.state == mine.state,
                other.digest == mine.digest,
                other.case_id != mine.case_id,
            ),
        )
        .where(
            mine.state == state,
            mine.case_id == case_id,
            or_(
                and_(mine.subject_id.in_(subjects), other.subject_id.is_not(None)),
                and_(mine.asset_id.in_(assets), other.asset_id.is_not(None)),
            ),
        )
        .order_by(other.case_id)
    ).all()
    found: dict[tuple[str, int], dict[int, Match]] = defaultdict(dict)
    for subject_id, asset_id, other_case, kind in rows:
        key = ("subject", subject_id) if subject_id is not None else ("asset", asset_id or 0)
        match = found[key].setdefault(other_case, Match(case_id=other_case))
        if kind not in match.on:
            match.on.append(kind)
    return {key: list(cases.values()) for key, cases in found.items()}
