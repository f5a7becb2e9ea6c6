"""vCards of authorities and focal points, for the viewer's address book."""

from __future__ import annotations

from network.directory.models import Authority, FocalPoint


def _vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(entry: Authority | FocalPoint) -> str:
    """A vCard 4.0 of a focal point or authority, for the viewer's address book."""
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if isinstance(entry, FocalPoint):
        lines.append(f"FN:{_vcard_escape(entry.name)}")
        if entry.name_latin and entry.name_latin != entry.name:
            lines.append(f"X-PHONETIC-NAME:{_vcard_escape(entry.name_latin)}")
        if entry.title:
            lines.append(f"TITLE:{_vcard_escape(entry.title)}")
        lines.append(f"ORG:{_vcard_escape(entry.authority.name)}")
        if entry.languages:
            lines += [f"LANG:{code}" for code in entry.languages]
    else:
        lines.append(f"FN:{_vcard_escape(entry.name)}")
        lines.append(f"ORG:{_vcard_escape(entry.name)}")
        lines.append("KIND:org")
        if entry.address:
            lines.append(
                f"ADR;TYPE=work:;;{_vcard_escape(entry.address)};;;;{entry.state.name('en')}"
            )
        if entry.phone_24_7:
            lines.append(
                f"TEL;TYPE=voice;PREF=1;VALUE=uri:tel:{entry.phone_24_7.replace(' ', '-')}"
            )
    if entry.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{entry.phone.replace(' ', '-')}")
    if entry.email:
        lines.append(f"EMAIL;TYPE=work:{entry.email}")
    lines.append(f"NOTE:{_vcard_escape('ARNet directory, ' + entry.state_code)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
