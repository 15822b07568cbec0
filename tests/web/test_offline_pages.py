"""The offline page the service worker keeps, one per language, and the worker's script:
what it holds and that it never names a page with a code in it."""

from django.test import Client


def test_the_offline_page_is_kept_in_each_language():
    """/offline/es/ is Spanish whatever the browser asks; /offline/en/ English."""
    client = Client(headers={"accept-language": "en"})
    spanish = client.get("/offline/es/")
    assert spanish.status_code == 200
    assert spanish["Content-Language"] == "es"
    assert '<html lang="es">' in spanish.content.decode()
    english = client.get("/offline/en/", headers={"accept-language": "es"})
    assert "You're offline" in english.content.decode()


def test_an_offline_page_in_a_language_stay_does_not_offer_is_not_found():
    """A made-up language code is a 404, not a page in some default language."""
    assert Client().get("/offline/xx/").status_code == 404
    assert Client().get("/offline/..%2F/").status_code == 404


def test_the_worker_lists_only_the_shell_and_is_never_cached_by_the_browser():
    """The worker's script keeps static files, catalogs and offline pages, nothing else."""
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/offline/es/"' in body and '"/jsi18n/es/"' in body
    for page in ("/s/", "/j/", "/c/", "/w/", "/counselor/"):
        assert f'"{page}' not in body
