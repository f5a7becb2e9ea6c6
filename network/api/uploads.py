"""File uploads read as a stream, so that a file reaches the disk only encrypted.

Their endpoints take the browser's CSRF token in the X-CSRFToken header
(``network.http.security.STREAMING_ENDPOINTS``): looking for it in the form would parse the body.
"""

from __future__ import annotations

from typing import IO, Any

from flask import request
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import (
    NEED_DATA,
    Data,
    Epilogue,
    Event,
    Field,
    File,
    MultipartDecoder,
)

from network.core.errors import InvalidInput
from network.core.i18n import N_
from network.messages.attachments import AttachmentTooLarge

# Read the body a mebibyte at a time: gunicorn hands over at most 1 MiB per recv() and
# copies what a smaller read leaves behind (16 copies of a mebibyte per mebibyte at 64 KiB),
# which made an upload several times slower than its encryption.
_CHUNK = 1024 * 1024
_MAX_FIELD = 1024
_MULTIPART_OVERHEAD = 64 * 1024


# --- streaming multipart ---------------------------------------------------------------------


def _incomplete() -> InvalidInput:
    return InvalidInput(
        N_("The upload is incomplete."),
        {"file": [N_("The file did not arrive whole. Send it again.")]},
    )


class MultipartFile:
    """One file part of a multipart/form-data body, read as a stream.

    Flask would parse the whole body first and spool a large file, in clear, to a
    temporary file; this reads the request stream a chunk at a time instead, so
    the file reaches the disk only encrypted. Small fields before the file part
    (``size``) are collected; a body that ends inside the file part is refused.
    """

    def __init__(self, stream: IO[bytes], boundary: bytes) -> None:
        self._stream = stream
        self._decoder = MultipartDecoder(boundary, max_form_memory_size=4 * _CHUNK, max_parts=8)
        self._pending = bytearray()
        self._finished = False
        self.fields: dict[str, str] = {}
        self.filename: str | None = None

    def _next(self) -> Event:
        while True:
            try:
                event = self._decoder.next_event()
            except ValueError:
                raise _incomplete() from None
            if event is not NEED_DATA:
                return event
            chunk = self._stream.read(_CHUNK)
            self._decoder.receive_data(chunk or None)

    def open(self, name: str = "file") -> str:
        """Advance to the file part called ``name``; return the sender's file name."""
        field_name: str | None = None
        value = bytearray()
        while True:
            event = self._next()
            if isinstance(event, File) and event.name == name:
                self.filename = event.filename
                return event.filename
            if isinstance(event, Field | File):
                field_name, value = (event.name if isinstance(event, Field) else None), bytearray()
            elif isinstance(event, Data) and field_name is not None:
                value += event.data
                if len(value) > _MAX_FIELD:
                    raise InvalidInput(
                        N_("Some values are not valid."), {field_name: [N_("Too long.")]}
                    )
                if not event.more_data:
                    self.fields[field_name] = value.decode("utf-8", "replace")
            elif isinstance(event, Epilogue):
                raise InvalidInput(
                    N_("Some values are not valid."), {"file": [N_("Choose a file to upload.")]}
                )

    def read(self, size: int, /) -> bytes:
        while len(self._pending) < size and not self._finished:
            event = self._next()
            if not isinstance(event, Data):
                raise _incomplete()
            self._pending += event.data
            self._finished = not event.more_data
        chunk = bytes(self._pending[:size])
        del self._pending[:size]
        return chunk


def declared_size(upload: MultipartFile) -> int | None:
    """The file's size as the client announced it in a ``size`` field before the file, if any."""
    raw = upload.fields.get("size")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise InvalidInput(N_("Some values are not valid."), {"size": [N_("A number of bytes.")]})
    return int(raw)


def streamed_upload(max_bytes: int) -> tuple[MultipartFile, str]:
    """The request's body opened at its ``file`` part, and the sender's file name.

    A body that is not multipart, or longer than the limit allows, is refused before any of
    it is read.
    """
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    boundary = options.get("boundary", "")
    if mimetype != "multipart/form-data" or not boundary:
        raise InvalidInput(
            N_("Send the file as multipart/form-data."), {"file": [N_("Choose a file.")]}
        )
    if (request.content_length or 0) > max_bytes + _MULTIPART_OVERHEAD:
        raise AttachmentTooLarge(
            N_("The file is too large."), {"file": [N_("At most %(max)s bytes.")]}, max=max_bytes
        )
    upload = MultipartFile(request.stream, boundary.encode("latin-1"))
    filename = upload.open("file")
    return upload, filename


def multipart_body(**fields: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of an upload: ``fields`` (sent before the file), size and file."""
    properties = {
        **fields,
        "size": {"type": "integer", "description": "Optional, before file."},
        "file": {"type": "string", "format": "binary"},
    }
    schema = {"type": "object", "properties": properties, "required": ["file", *fields]}
    return {"content": {"multipart/form-data": {"schema": schema}}}
