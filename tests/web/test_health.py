import pytest


@pytest.mark.django_db
def test_health_reports_database_and_channel_layer_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"db": "ok", "channel_layer": "ok"}


@pytest.mark.django_db
def test_health_names_the_failing_part_with_503(client, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.support.broken_layer.BrokenLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = response.json()
    assert body["db"] == "ok"
    assert body["channel_layer"].startswith("error")
