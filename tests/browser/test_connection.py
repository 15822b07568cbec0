"""When the connection drops: a small banner, automatic reconnect, and the room as it was."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PROTOCOLS, SHORT, Person
from tests.support.servers import DaphneServer, fresh_database


def test_a_restarted_server_shows_a_banner_then_the_room_carries_on(tmp_path, new_page):
    with fresh_database(tmp_path) as database_url:
        server = DaphneServer(database_url, log_path=tmp_path / "daphne.log")
        server.manage("load_protocol_file", str(PROTOCOLS / "short.toml"))
        server.start()
        try:
            code = server.manage_json(
                "create_session", "--protocol", SHORT, "--base-url", server.url
            )["code"]
            alex, sam = Person(new_page(), "Alex"), Person(new_page(), "Sam")
            alex.join(f"{server.url}/j/{code}/")
            sam.join(f"{server.url}/j/{code}/")
            alex.button("Begin together").click()
            expect(sam.title()).to_have_text("Arriving")
            alex.check_in("Safe and connected", 2)
            expect(alex.page.locator("#checkin-wait")).to_be_visible()

            server.kill()
            for person in (alex, sam):
                expect(person.page.locator("#offline")).to_be_visible(timeout=5000)
            server.start()
            for person in (alex, sam):
                expect(person.page.locator("#offline")).to_be_hidden(timeout=20_000)
                expect(person.title()).to_have_text("Arriving")
            expect(alex.page.locator("#checkin-answers")).to_contain_text("Safe and connected")

            sam.check_in("On edge", 5)
            expect(alex.page.locator("#checkin-answers")).to_contain_text("On edge, 5 of 10")
            assert alex.errors == [] and sam.errors == []
        finally:
            server.stop()


def test_a_page_that_reconnects_while_its_old_socket_closes_keeps_one_heartbeat(partners):
    code, alex, sam = partners(SHORT)
    page = alex.page
    # The phone comes back to the foreground while its old socket is still closing.
    page.evaluate("window.stayRoom.socket.ws.close(); window.stayRoom.socket.reconnectNow();")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    for _ in range(50):
        if page.evaluate("window.stayRoom.socket.isOpen()"):
            break
        page.wait_for_timeout(100)
    before = len([f for f in alex.sent if f.get("type") == "sync"])
    page.wait_for_timeout(10_500)  # one heartbeat period (10 s) and a little
    syncs = len([f for f in alex.sent if f.get("type") == "sync"]) - before
    assert syncs == 1, f"{syncs} heartbeats in one period: an old socket's timer is still running"
