"""Sending e-mail through SMTP, or into files or memory where there is no mail server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path


class Mailer:
    """One small interface over three backends chosen by ARNET_MAIL_BACKEND."""

    def __init__(
        self,
        backend: str,
        sender: str,
        *,
        server: str = "localhost",
        port: int = 25,
        use_tls: bool = False,
        username: str | None = None,
        password: str | None = None,
        outbox_dir: str | None = None,
    ) -> None:
        if backend not in {"smtp", "outbox", "memory"}:
            raise ValueError(f"unknown mail backend {backend!r}")
        self.backend = backend
        self.sender = sender
        self._server = server
        self._port = port
        self._use_tls = use_tls
        self._username = username
        self._password = password
        self._outbox = Path(outbox_dir) if outbox_dir else None
        self.sent: list[EmailMessage] = []

    def send(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="arnet.invalid")
        message.set_content(body)
        if self.backend == "smtp":
            with smtplib.SMTP(self._server, self._port, timeout=30) as smtp:
                if self._use_tls:
                    smtp.starttls()
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                smtp.send_message(message)
        elif self.backend == "outbox" and self._outbox is not None:
            self._outbox.mkdir(parents=True, exist_ok=True)
            name = message["Message-ID"].strip("<>").replace("@", "_") + ".eml"
            (self._outbox / name).write_bytes(bytes(message))
        else:
            self.sent.append(message)
        return message
