"""Host names the chat server answers to, and the failed-login count (with a test clock)."""

from __future__ import annotations

from assistant.serve.guard import allowed_hosts, host_allowed
from assistant.serve.logins import FailedLogins


def test_a_loopback_server_answers_to_its_own_names_and_addresses_only() -> None:
    allowed = allowed_hosts("127.0.0.1", ["Akkoord.Gemeente.example.", " "])
    for host in (
        "localhost:7860",
        "LOCALHOST",
        "127.0.0.1:7860",
        "[::1]:7860",
        "10.0.0.5",  # an address: DNS rebinding cannot produce one
        "akkoord.gemeente.example:443",
    ):
        assert host_allowed(host, allowed), host
    for host in ("rebind.attacker.example", "localhost.attacker.example", "", ":7860", "[::1"):
        assert not host_allowed(host, allowed), host
    assert host_allowed("anything.example", allowed_hosts("127.0.0.1", ["*"]))


def test_a_wildcard_bind_answers_to_this_machines_names() -> None:
    import socket

    assert host_allowed(f"{socket.gethostname()}:7860", allowed_hosts("0.0.0.0"))
    assert not host_allowed("rebind.attacker.example", allowed_hosts("0.0.0.0"))


def test_failed_logins_block_a_client_for_the_rest_of_the_window() -> None:
    now = [1000.0]
    logins = FailedLogins(limit=3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        assert logins.retry_after("1.2.3.4") == 0
        logins.failed("1.2.3.4")
        now[0] += 10
    assert logins.retry_after("1.2.3.4") == 30  # the first failure leaves the window at 1060
    assert logins.retry_after("5.6.7.8") == 0  # other clients are not affected
    now[0] += 30
    assert logins.retry_after("1.2.3.4") == 0
