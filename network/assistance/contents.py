"""A request's article 46(15) contents: the items, their checks, what is missing, its summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from network.assistance import checklist
from network.assistance.models import AssistanceRequest
from network.core.i18n import N_
from network.directory.profiles import current_profile, profile_checklist

# The article 46(15) contents, in the order of the article, with whether a request needs them.
CONTENT_FIELDS: dict[str, tuple[str, bool]] = {
    "requesting_authority": (N_("The authority making the request (46(15)(a))"), True),
    "subject_and_nature": (
        N_("The subject matter and nature of the investigation or proceeding (46(15)(b))"),
        True,
    ),
    "summary_of_facts": (N_("A summary of the relevant facts (46(15)(c))"), True),
    "assistance_sought": (N_("The assistance sought (46(15)(d))"), True),
    "procedure": (N_("Any particular procedure to be followed (46(15)(d))"), False),
    "persons_concerned": (
        N_("Identity, location and nationality of any person concerned (46(15)(e))"),
        True,
    ),
    "purpose": (N_("The purpose of the evidence, information or action (46(15)(f))"), True),
    "dual_criminality_statement": (
        N_("How the conduct is an offence under the requested State's law"),
        False,
    ),
}
MISSING_LABELS: dict[str, str] = {
    **{name: label for name, (label, _required) in CONTENT_FIELDS.items()},
    "deadline_reason": N_("The reason for the deadline asked (46(24))"),
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
}
MAX_CONTENT = 20_000
# The longest reason, question or answer that a request and its steps carry.
MAX_REASON = 4_000


def clean_contents(values: Mapping[str, Any]) -> dict[str, str]:
    """The given items, trimmed and checked; an unknown item is refused."""
    unknown = set(values) - set(CONTENT_FIELDS)
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


def missing_contents(request: AssistanceRequest) -> list[str]:
    """Codes (keys of MISSING_LABELS) of what the request still lacks.

    The 46(15) items that are required and empty, the reason for a deadline, and
    what the requested State's current country profile asks for that the request
    does not give (legal basis, language, dual criminality).
    """
    contents = request.contents
    missing = [
        name
        for name, (_label, required) in CONTENT_FIELDS.items()
        if required and not contents.get(name, "").strip()
    ]
    if request.deadline_on is not None and not contents.get("deadline_reason", "").strip():
        missing.append("deadline_reason")
    profile = current_profile(request.requested_state)
    if profile is None:
        return missing
    uncac_accepted = {
        "mla": profile.uncac_basis_mla,
        "freezing": profile.uncac_basis_mla,
        "extradition": profile.uncac_basis_extradition,
        "confiscation": profile.uncac_basis_confiscation,
        "recognition": profile.uncac_basis_confiscation,
        "return": profile.uncac_basis_confiscation,
    }[request.kind]
    if request.legal_basis == "uncac" and uncac_accepted is False:
        missing.append("profile.legal_basis")
    needs = profile.treaty_or_reciprocity
    if (
        (needs == "treaty" and request.legal_basis != "treaty")
        or (needs == "reciprocity" and request.legal_basis != "reciprocity")
        or (needs == "treaty_or_reciprocity" and request.legal_basis == "uncac")
    ):
        missing.append("profile.treaty_or_reciprocity")
    if profile.languages and request.language not in profile.languages:
        missing.append("profile.language")
    coercive = request.kind in {"freezing", "confiscation", "recognition", "extradition"}
    if (
        profile.dual_criminality == "always"
        or (profile.dual_criminality == "coercive_only" and coercive)
    ) and not contents.get("dual_criminality_statement", "").strip():
        missing.append("profile.dual_criminality")
    return missing


def profile_checklist_for(request: AssistanceRequest) -> list[tuple[str, str]]:
    """The requested State's country-profile checklist (label, value); empty without a profile."""
    profile = current_profile(request.requested_state)
    return profile_checklist(profile) if profile is not None else []
