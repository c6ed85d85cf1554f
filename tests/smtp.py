"""A real SMTP server on loopback for tests (aiosmtpd), and the mailer settings that use it.

``LoopbackSMTP`` listens on 127.0.0.1 on a free port in a thread of its own, speaks real SMTP
to Django's SMTP backend, and keeps every message it accepted (``messages``, parsed with the
standard library, so a test reads the subject, headers and bodies as a mail program would).
``refuse(n)`` makes it answer the next ``n`` messages with a temporary failure (451), as a
busy or greylisting server does, or with the reply it is given (a 550, a refusal for good). The fixtures are in tests/conftest.py: ``smtp_server``, and
``smtp_mail`` (Django's mail goes through it for the test).
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def header(self, name: str) -> str:
        return str(self.message[name] or "")

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


class Recorder:
    """The aiosmtpd handler: accept and keep each message, or refuse it when told to."""

    def __init__(self):
        self.received: list[Received] = []
        self.refusals = 0
        self.refusal = ""
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refusals:
                self.refusals -= 1
                self.refused += 1
                return self.refusal
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK: queued"


class LoopbackSMTP:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def start(self) -> LoopbackSMTP:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        with self.recorder.lock:
            return list(self.recorder.received)

    @property
    def refused(self) -> int:
        return self.recorder.refused

    def refuse(self, count: int = 1, reply: str = "451 4.3.0 Try again later") -> None:
        """Answer the next ``count`` messages with ``reply``: by default 451 (try again later)."""
        with self.recorder.lock:
            self.recorder.refusals, self.recorder.refusal = count, reply

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]

    def wait_for(self, count: int, *, timeout: float = 30) -> list[Received]:
        """The messages, once there are at least ``count`` (or after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def mailers(self) -> dict:
        """A MAILERS setting that sends through this server."""
        return {
            "default": {
                "BACKEND": SMTP_BACKEND,
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
