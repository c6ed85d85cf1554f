"""Project-wide fixtures: users in each role, and Playwright on Debian's Chromium."""

import pytest

# The environment for tests (debug on, throttling off) is set in pyproject.toml through
# pytest-env, because pytest-django reads the settings before any conftest runs.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-Long-test-passphrase-42"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db, django_user_model):
    """Create a user with the shared test password: ``make_user("ann", is_staff=True)``."""

    def make(username, **extra):
        extra.setdefault("email", f"{username}@example.com")
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches, as a freshly started app process would."""
    from django.core.cache import caches

    from config.page_cache import forget_content_version

    for store in caches.all(initialized_only=False):
        store.clear()
    forget_content_version()
    yield
    for store in caches.all(initialized_only=True):
        store.clear()


@pytest.fixture
def smtp_server():
    """A real SMTP server on a loopback port (tests/smtp.py) that keeps what it receives."""
    from tests.smtp import LoopbackSMTP

    server = LoopbackSMTP().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_mail(settings, smtp_server):
    """Django's mail goes through ``smtp_server`` for the test, over real SMTP."""
    settings.MAILERS = smtp_server.mailers()
    return smtp_server


@pytest.fixture(autouse=True, scope="session")
def certificate_signing_key():
    """One Ed25519 key for the whole run, made here: credentials are signed with it, and no
    test writes the development key file (certificates/signing.py)."""
    from django.conf import settings

    from certificates.signing import new_key_pem

    settings.CERTIFICATE_SIGNING_KEY = new_key_pem().decode()
    return settings.CERTIFICATE_SIGNING_KEY
