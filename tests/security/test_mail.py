"""Mail in production: the SMTP mailer built from DJANGO_EMAIL_* really delivers the password
reset message, and a mail server that is down changes nothing the visitor can see.

The settings come from a fresh interpreter with the production environment; the mail server
is a minimal SMTP responder on a loopback port, run by the test.
"""

import email
import re
import socketserver
import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from .production import production_env, read_settings
from .server import free_port

pytestmark = pytest.mark.django_db


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept every command, collect DATA."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        lines, in_data = [], False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    self.server.messages.append(b"".join(lines).decode())
                    lines, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    lines.append(line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                in_data = True
                self.wfile.write(b"354 end with .\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def production_mailers(port: int) -> dict:
    env = production_env(DJANGO_EMAIL_HOST="127.0.0.1", DJANGO_EMAIL_PORT=str(port))
    return read_settings(["MAILERS"], env)["MAILERS"]


def test_production_mail_goes_through_smtp_with_a_timeout():
    mailers = production_mailers(2525)
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailers["default"]["OPTIONS"]
    assert options["host"] == "127.0.0.1" and options["port"] == 2525
    assert options["timeout"] == 10


def test_the_password_reset_mail_is_delivered_over_smtp(client, learner, smtp_server):
    with override_settings(MAILERS=production_mailers(smtp_server.server_address[1])):
        response = client.post(reverse("password_reset"), {"email": learner.email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert "To: learner@example.com" in message
    # The body is quoted-printable: a long link may be wrapped with soft line breaks.
    body = email.message_from_string(message).get_payload(decode=True).decode()
    assert re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", body)


def test_a_mail_server_that_is_down_does_not_change_the_reset_page(client, learner, caplog):
    with override_settings(MAILERS=production_mailers(free_port())):  # nothing listens there
        known = client.post(reverse("password_reset"), {"email": learner.email})
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert "Failed to send password reset email" in caplog.text
