"""What each kind of request must contain, merged with the requested State's profile.

The items of each kind (46(15); 55(3)(a), (b), (c) in addition to 46(15); 44; 57), their
checks, the completeness checklist, what is missing, and the summary posted for comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from network.assistance import checklist
from network.assistance.models import AssistanceRequest
from network.core.i18n import N_
from network.directory.models import CountryProfile
from network.directory.profiles import current_profile, profile_checklist

# Every item a request may carry, with its label; which items a kind asks for is KIND_ITEMS.
CONTENT_ITEMS: dict[str, str] = {
    "requesting_authority": N_("The authority making the request (46(15)(a))"),
    "subject_and_nature": N_(
        "The subject matter and nature of the investigation or proceeding (46(15)(b))"
    ),
    "summary_of_facts": N_("A summary of the relevant facts (46(15)(c))"),
    "assistance_sought": N_("The assistance sought (46(15)(d))"),
    "procedure": N_("Any particular procedure to be followed (46(15)(d))"),
    "persons_concerned": N_(
        "Identity, location and nationality of any person concerned (46(15)(e))"
    ),
    "purpose": N_("The purpose of the evidence, information or action (46(15)(f))"),
    "actions_requested": N_("A description of the actions requested (55(3)(b))"),
    "freezing_order_copy": N_(
        "Where available, a legally admissible copy of an order on which the request is based "
        "(55(3)(b))"
    ),
    "property_description": N_(
        "A description of the property to be confiscated, with its location and estimated value "
        "where possible (55(3)(a))"
    ),
    "facts_for_domestic_order": N_(
        "A statement of the facts sufficient for the requested State to seek the order under "
        "its own law (55(3)(a))"
    ),
    "order_copy": N_("A legally admissible copy of the order (55(3)(c))"),
    "extent_of_execution": N_(
        "A statement of the facts and of the extent to which execution of the order is "
        "requested (55(3)(c))"
    ),
    "third_party_notice": N_(
        "The steps taken to give adequate notice to bona fide third parties and to ensure due "
        "process (55(3)(c))"
    ),
    "order_is_final": N_("A statement that the order is final (55(3)(c))"),
    "person_sought": N_("The person sought: identity, description and whereabouts (44)"),
    "offence_and_law": N_("The offence and the law that makes it punishable (44(1))"),
    "warrant_or_judgment": N_("The warrant of arrest or the judgment (44)"),
    "provisional_arrest": N_("Provisional arrest asked in urgency (44(10))"),
    "confiscation_order": N_("The confiscation on which the return rests and its finality (57)"),
    "return_basis": N_(
        "The basis of the return: embezzled public funds (57(3)(a)), other proceeds with prior "
        "ownership or damage shown (57(3)(b)), or other cases (57(3)(c))"
    ),
    "expenses": N_("Reasonable expenses to be deducted (57(4))"),
    "return_agreement": N_("The agreement or arrangement proposed (57(5))"),
    "dual_criminality_statement": N_(
        "How the conduct is an offence under the requested State's law"
    ),
    "translation_statement": N_("The translations provided: what, into which language, certified"),
    "time_limits_statement": N_(
        "How the proceedings fit the requested State's time limits on a freeze and its extension"
    ),
}

_ARTICLE_46_15: tuple[tuple[str, bool], ...] = (
    ("requesting_authority", True),
    ("subject_and_nature", True),
    ("summary_of_facts", True),
    ("assistance_sought", True),
    ("procedure", False),
    ("persons_concerned", True),
    ("purpose", True),
)
_ANSWERS_TO_PROFILE: tuple[tuple[str, bool], ...] = (
    ("dual_criminality_statement", False),
    ("translation_statement", False),
)
# Each kind's items in the order of its article, with whether the article requires them.
# Article 55(3) asks for its items "in addition to" those of 46(15); 44 and 57 have their own.
KIND_ITEMS: dict[str, tuple[tuple[str, bool], ...]] = {
    "mla": (*_ARTICLE_46_15, *_ANSWERS_TO_PROFILE),
    "freezing": (
        *_ARTICLE_46_15,
        ("actions_requested", True),
        ("freezing_order_copy", False),
        *_ANSWERS_TO_PROFILE,
        ("time_limits_statement", False),
    ),
    "confiscation": (
        *_ARTICLE_46_15,
        ("property_description", True),
        ("facts_for_domestic_order", True),
        *_ANSWERS_TO_PROFILE,
    ),
    "recognition": (
        *_ARTICLE_46_15,
        ("order_copy", True),
        ("extent_of_execution", True),
        ("third_party_notice", True),
        ("order_is_final", True),
        *_ANSWERS_TO_PROFILE,
    ),
    # 44(1): the conduct must be an offence in both States, unless the requested State's
    # law lets it extradite without (44(2)); so the statement is asked for every extradition.
    "extradition": (
        ("requesting_authority", True),
        ("person_sought", True),
        ("offence_and_law", True),
        ("summary_of_facts", True),
        ("warrant_or_judgment", True),
        ("provisional_arrest", False),
        ("dual_criminality_statement", True),
        ("translation_statement", False),
    ),
    "return": (
        ("requesting_authority", True),
        ("confiscation_order", True),
        ("return_basis", True),
        ("expenses", False),
        ("return_agreement", False),
        *_ANSWERS_TO_PROFILE,
    ),
}
PROFILE_LABELS: dict[str, str] = {
    "profile.legal_basis": N_(
        "The requested State does not accept UNCAC as the legal basis for this kind of request"
    ),
    "profile.treaty_or_reciprocity": N_(
        "The requested State needs a treaty or an assurance of reciprocity"
    ),
    "profile.language": N_("A language the requested State accepts requests in"),
    "profile.dual_criminality": N_(
        "The requested State requires dual criminality: say how the conduct is an offence there"
    ),
    "profile.translation": N_(
        "The requested State asks for translations: say which are provided"
    ),
    "profile.time_limits": N_(
        "The requested State limits how long a freeze lasts: say how the proceedings fit"
    ),
    "profile.ncb_not_enforceable": N_(
        "The requested State does not enforce foreign non-conviction-based orders (54(1)(c))"
    ),
}
MISSING_LABELS: dict[str, str] = {
    **CONTENT_ITEMS,
    "deadline_reason": N_("The reason for the deadline asked (46(24))"),
    **PROFILE_LABELS,
}
MAX_CONTENT = 20_000
# The longest reason, question or answer that a request and its steps carry.
MAX_REASON = 4_000


def items_for(kind: str) -> dict[str, tuple[str, bool]]:
    """The items a request of this kind carries: name → (label, whether its article requires it)."""
    return {name: (CONTENT_ITEMS[name], required) for name, required in KIND_ITEMS[kind]}


def clean_contents(values: Mapping[str, Any], kind: str) -> dict[str, str]:
    """The given items, trimmed and checked; an item this kind does not carry is refused."""
    unknown = set(values) - {name for name, _required in KIND_ITEMS[kind]}
    if unknown:
        raise checklist.refuse(
            "contents", N_("Unknown item: %(names)s."), names=", ".join(sorted(unknown))
        )
    return {
        name: checklist.text(str(value or ""), MAX_CONTENT, f"contents.{name}")
        for name, value in values.items()
    }


def draft_summary(request: AssistanceRequest) -> str:
    """The text posted into the channel when a draft is shared (English, like a cover note)."""
    contents = request.contents
    lines = [
        f"Draft {request.kind.upper()} request #{request.id} "
        f"({request.requesting_state} to {request.requested_state}) shared for comment.",
        f"Legal basis: {request.legal_basis} {request.legal_basis_text}".rstrip(),
        f"Urgent: {'yes' if request.urgent else 'no'}",
    ]
    if request.deadline_on is not None:
        lines.append(f"Deadline asked: {request.deadline_on.isoformat()}")
    for name in ("assistance_sought", "purpose"):
        if contents.get(name):
            lines.append(f"{name.replace('_', ' ').capitalize()}: {contents[name]}")
    missing = missing_contents(request)
    if missing:
        lines.append("Still missing: " + "; ".join(MISSING_LABELS[each] for each in missing))
    lines.append("Please comment in this channel before the request is sent.")
    return "\n".join(lines)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a request's completeness checklist; ``label`` is marked, not translated."""

    item: str
    label: str
    # "article" (what the Convention asks of this kind) or "profile" (what the requested State adds)
    source: str
    required: bool
    done: bool


def request_checklist(request: AssistanceRequest) -> list[ChecklistItem]:
    """The kind's items in the order of its article, then what the requested State's profile adds.

    Article items are done when written; a profile item is listed where the profile asks
    something of this request, done when the request gives it.
    """
    contents = request.contents
    given = {name for name, value in contents.items() if (value or "").strip()}
    profile = current_profile(request.requested_state)
    required_by_article = dict(KIND_ITEMS[request.kind])
    if request.kind == "extradition" and profile is not None:
        # 44(2): a State whose law allows it extradites without dual criminality.
        required_by_article["dual_criminality_statement"] = profile.dual_criminality != "no"
    items = [
        ChecklistItem(name, CONTENT_ITEMS[name], "article", required, name in given)
        for name, required in required_by_article.items()
    ]
    if request.deadline_on is not None:
        items.append(
            ChecklistItem(
                "deadline_reason",
                MISSING_LABELS["deadline_reason"],
                "article",
                True,
                "deadline_reason" in given,
            )
        )
    if profile is not None:
        items.extend(
            ChecklistItem(code, PROFILE_LABELS[code], "profile", True, done)
            for code, done in _profile_needs(request, profile, given)
        )
    return items


def _profile_needs(
    request: AssistanceRequest, profile: CountryProfile, given: set[str]
) -> list[tuple[str, bool]]:
    """(code, done) of each thing the requested State's profile asks of this request."""
    needs: list[tuple[str, bool]] = []
    uncac_accepted = {
        "mla": profile.uncac_basis_mla,
        "freezing": profile.uncac_basis_mla,
        "extradition": profile.uncac_basis_extradition,
        "confiscation": profile.uncac_basis_confiscation,
        "recognition": profile.uncac_basis_confiscation,
        "return": profile.uncac_basis_confiscation,
    }[request.kind]
    if request.legal_basis == "uncac" and uncac_accepted is False:
        needs.append(("profile.legal_basis", False))
    wanted = profile.treaty_or_reciprocity
    if wanted in {"treaty", "reciprocity", "treaty_or_reciprocity"}:
        met = (
            request.legal_basis != "uncac"
            if wanted == "treaty_or_reciprocity"
            else request.legal_basis == wanted
        )
        needs.append(("profile.treaty_or_reciprocity", met))
    if profile.languages:
        needs.append(("profile.language", request.language in profile.languages))
    coercive = request.kind in {"freezing", "confiscation", "recognition"}
    if request.kind != "extradition" and (
        profile.dual_criminality == "always"
        or (profile.dual_criminality == "coercive_only" and coercive)
    ):
        needs.append(("profile.dual_criminality", "dual_criminality_statement" in given))
    if profile.translation_needs.strip():
        needs.append(("profile.translation", "translation_statement" in given))
    if request.kind == "freezing" and (profile.longest_freeze or profile.freeze_extension):
        needs.append(("profile.time_limits", "time_limits_statement" in given))
    if (
        request.kind == "recognition"
        and request.conviction_based is False
        and profile.foreign_ncb_enforceable is False
    ):
        needs.append(("profile.ncb_not_enforceable", False))
    return needs


def missing_contents(request: AssistanceRequest) -> list[str]:
    """Codes (keys of MISSING_LABELS) of what the request still lacks before it may be sent."""
    return [each.item for each in request_checklist(request) if each.required and not each.done]


def profile_checklist_for(request: AssistanceRequest) -> list[tuple[str, str]]:
    """The requested State's country-profile checklist (label, value); empty without a profile."""
    profile = current_profile(request.requested_state)
    return profile_checklist(profile) if profile is not None else []
