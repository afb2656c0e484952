"""Sending e-mail with the standard library (ADR 0033): one SMTP connection, STARTTLS
and a login when configured. Every failure is a :class:`MailFailed` naming the server."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from domain.errors import BadData

#: How long to wait for the server before giving up (seconds).
TIMEOUT = 30.0


class MailFailed(Exception):
    """The mail server could not be reached, or refused a message."""


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    starttls: bool = False
    user: str | None = None
    password: str | None = None

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"


def parse_server(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for an IPv6 address): refused (BadData) otherwise."""
    host, colon, port = text.rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadData(f"--smtp {text!r} is not HOST:PORT (such as mail.example.gov.uk:587)")
    return host, int(port)


class Mailer:
    """An open connection to a mail server."""

    def __init__(self, server: MailServer, connection: smtplib.SMTP) -> None:
        self.server = server
        self.connection = connection

    def send(self, message: EmailMessage) -> None:
        """Send ``message``; returns once the server accepted it for every recipient."""
        try:
            refused = self.connection.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise MailFailed(
                f"mail server {self.server.name} refused the message to "
                f"{message['To']}: {_said(error)}"
            ) from None
        if refused:
            raise MailFailed(
                f"mail server {self.server.name} refused "
                f"{', '.join(sorted(refused))}: {_said(next(iter(refused.values())))}"
            )


def _said(error: object) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        error = next(iter(error.recipients.values()), error)
    if isinstance(error, tuple) and len(error) == 2:
        code, text = error
        words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{code} {' '.join(words.split())}"
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error
        words = said.decode(errors="replace") if isinstance(said, bytes) else str(said)
        return f"{error.smtp_code} {' '.join(words.split())}"
    return " ".join(str(error).split()) or type(error).__name__


@contextmanager
def connected(server: MailServer) -> Iterator[Mailer]:
    """A connection to ``server``, closed afterwards."""
    try:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(f"cannot reach mail server {server.name}: {_said(error)}") from None
    try:
        try:
            connection.ehlo()
            if server.starttls:
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if server.user is not None:
                connection.login(server.user, server.password or "")
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise MailFailed(f"mail server {server.name}: {_said(error)}") from None
        yield Mailer(server, connection)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
