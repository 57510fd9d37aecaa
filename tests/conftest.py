from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the fixtures a fresh install loads."""
    with django_db_blocker.unblock():
        call_command("loaddata", SEED, verbosity=0)
        call_command("rebuild_search_index", verbosity=0)  # loaddata's raw saves skip it


@pytest.fixture
def seeded():
    """Transactional tests start from an empty database: load the fixtures again."""
    call_command("loaddata", SEED, verbosity=0)
    call_command("rebuild_search_index", verbosity=0)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language, whatever the last one left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _plain_http_and_static(settings, tmp_path):
    # Tests run over plain HTTP and without a collectstatic manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = tmp_path / "media"  # files kept for background imports
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db):
    from newsroom.accounts import editor_create

    user, _password = editor_create(username="test-editor", password="a-long-test-passphrase")
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


@pytest.fixture
def chief(db):
    from newsroom.accounts import editor_create

    user, _password = editor_create(
        username="test-chief", password="a-long-test-passphrase", role="chief"
    )
    return user


@pytest.fixture
def chief_client(chief):
    """A client of its own (``client`` and ``editor_client`` are one shared client)."""
    from django.test import Client

    client = Client()
    client.force_login(chief)
    return client


@pytest.fixture
def translator_client(db):
    """A translator into English, logged in on a client of its own."""
    from django.test import Client

    from newsroom.accounts import editor_create

    user, _password = editor_create(
        username="test-translator", password="a-long-test-passphrase", role="translator"
    )
    client = Client()
    client.force_login(user)
    return client
