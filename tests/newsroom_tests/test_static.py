"""Static files as production serves them: collected with hashed names, compressed, cached
for good by browsers (WhiteNoise), and linked from the pages under their hashed names."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGE = "newsroom.staticfiles.StaticFilesStorage"  # WhiteNoise's, URLs kept


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic, once for the module, into a folder of its own."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _storages():
    from django.conf import settings

    return {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}


@pytest.fixture
def production_static(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = _storages()
    return static_root


def test_the_production_default_is_whitenoises_compressed_manifest_storage():
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from newsroom import settings as project_settings
    from newsroom.staticfiles import StaticFilesStorage

    assert project_settings.STORAGES["staticfiles"]["BACKEND"] == PRODUCTION_STORAGE
    assert issubclass(StaticFilesStorage, CompressedManifestStaticFilesStorage)


def test_a_files_url_is_looked_up_in_the_manifest_once(production_static, settings):
    from newsroom.staticfiles import StaticFilesStorage

    storage = StaticFilesStorage()
    url = storage.url("newsroom/css/site.css")
    assert re.fullmatch(r"/static/newsroom/css/site\.[0-9a-f]{12}\.css", url)
    storage.hashed_files.clear()  # the manifest is not read again for that name
    assert storage.url("newsroom/css/site.css") == url
    with pytest.raises(ValueError):  # another name is, as before (and is missing)
        storage.url("newsroom/css/other.css")
    settings.DEBUG = True  # Django's answer with DEBUG on: the name itself
    assert storage.url("newsroom/css/site.css") == "/static/newsroom/css/site.css"


def test_collected_files_have_hashed_names_and_gzipped_copies(production_static):
    css = list((production_static / "newsroom" / "css").glob("site.*.css"))
    assert len(css) == 1 and re.fullmatch(r"site\.[0-9a-f]{12}\.css", css[0].name)
    zipped = css[0].with_name(css[0].name + ".gz")
    assert gzip.decompress(zipped.read_bytes()) == css[0].read_bytes()


def test_pages_link_the_hashed_files_which_browsers_may_keep_for_ever(production_static):
    client = Client()  # a new client loads WhiteNoise over the collected files
    page = client.get("/th/").content.decode()
    url = re.search(r'href="(/static/newsroom/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) >= 31536000
    assert "Accept-Encoding" in response["Vary"]
    response.close()


def test_an_unhashed_name_is_served_but_revalidated(production_static):
    response = Client().get("/static/newsroom/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    response.close()
