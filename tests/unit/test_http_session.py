"""The parts of the chat server's session and request rules, each alone: origins, the
failed-login counts, signed tokens, JSON depth, the 500 answer, the password setting."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from assistant.serve.asgi import Message, Receive, Scope, Send
from assistant.serve.guard import HttpGuard
from assistant.serve.limits import MAX_JSON_DEPTH, json_depth
from assistant.serve.logins import LoginThrottle
from assistant.serve.origins import from_allowed_page, normalize_origin, origins
from assistant.serve.sessions import Sessions


def scope(**headers: str) -> Scope:
    raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http", "scheme": "http", "method": "POST", "path": "/", "headers": raw}


def test_origins_are_compared_normalized() -> None:
    assert normalize_origin("HTTP://LocalHost:80/pad?x") == "http://localhost"
    assert normalize_origin("https://[::1]:8443") == "https://[::1]:8443"
    for bad in ("null", "", "file:///etc/passwd", "javascript:alert(1)", "http://"):
        assert normalize_origin(bad) == "", bad
    listed = origins(["https://akkoord.example/", "geen origin"])
    assert listed == frozenset({"https://akkoord.example"})
    own = {"host": "127.0.0.1:7860"}
    assert from_allowed_page(scope(**own, origin="http://127.0.0.1:7860"), listed)
    assert from_allowed_page(scope(**own, origin="https://akkoord.example"), listed)
    assert from_allowed_page(scope(**own), listed)  # a program, not a page
    assert from_allowed_page(scope(**own, referer="http://127.0.0.1:7860/?x=1"), listed)
    for foreign in (
        {"origin": "http://127.0.0.1:7861"},
        {"origin": "null"},
        {"origin": "http://localhost:7860"},  # another name is another origin
        {"sec_fetch_site": "same-site"},
        {"referer": "http://127.0.0.1:9/aanval.html"},
    ):
        assert not from_allowed_page(scope(**own, **foreign), listed), foreign


def test_a_known_device_counts_apart_from_its_client_and_account() -> None:
    throttle = LoginThrottle()
    for n in range(5):  # five addresses guess ten times each: the account is over its limit
        for _ in range(10):
            throttle.failed(f"10.0.0.{n}", "onderhandelaar")
        assert throttle.retry_after(f"10.0.0.{n}", "iemand") > 0  # that client is blocked
    assert throttle.retry_after("10.0.0.99", "onderhandelaar") > 0  # the account too
    assert throttle.retry_after("10.0.0.99", "iemand") == 0
    assert throttle.retry_after("10.0.0.0", "onderhandelaar", device="abc") == 0
    for _ in range(10):
        throttle.failed("10.0.0.0", "onderhandelaar", device="abc")
    assert throttle.retry_after("10.0.0.0", "onderhandelaar", device="abc") > 0
    assert throttle.retry_after("10.0.0.0", "onderhandelaar", device="def") == 0


def test_signed_tokens_are_bound_to_their_purpose_user_and_time() -> None:
    now = [1_000_000.0]
    sessions = Sessions(("onderhandelaar", "ge:heim"), clock=lambda: now[0])
    token = sessions.csrf_token()
    assert sessions.csrf_ok(token)
    expires, nonce, signature = token.split(".")
    assert not sessions.csrf_ok(f"{int(expires) + 10}.{nonce}.{signature}")
    assert not sessions.csrf_ok("")
    assert not Sessions(("onderhandelaar", "ge:heim")).csrf_ok(token)  # another process
    device = sessions.device_token("onderhandelaar")
    assert sessions.device(device, "onderhandelaar") == device.split(".")[1]
    assert sessions.device(device, "iemand") is None
    assert sessions.device(token, "onderhandelaar") is None  # a form token is no device
    session = sessions.open("onderhandelaar")
    assert sessions.user(session) == "onderhandelaar"
    now[0] += 13 * 3600
    assert not sessions.csrf_ok(token) and sessions.user(session) is None
    assert sessions.password_ok("onderhandelaar", "ge:heim")
    assert not sessions.password_ok("onderhandelaar", "ge:hei")


def test_json_depth_is_counted_without_recursion() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[[["}]}') == 3
    assert json_depth(b"not json") == 0
    assert json_depth(b"[" * 10**6 + b"]" * 10**6) > MAX_JSON_DEPTH
    assert json_depth(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)) > MAX_JSON_DEPTH


def test_an_error_that_escapes_the_app_is_a_json_500_with_the_security_headers() -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RecursionError("deep")

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    guard = HttpGuard(broken, frozenset({"localhost"}))
    request: dict[str, Any] = {**scope(host="localhost"), "path": "/x"}
    asyncio.run(guard(request, receive, send))
    start, body = sent
    headers = {bytes(k): bytes(v) for k, v in start["headers"]}
    assert start["status"] == 500 and headers[b"x-frame-options"] == b"DENY"
    assert b"RecursionError" not in body["body"] and b"internal error" in body["body"]


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        ("geheimwachtwoord", "has no ':'"),
        (":geheimwachtwoord", "no user name"),
        ("onderhandelaar:", "no password"),
    ],
)
def test_an_auth_setting_without_a_user_says_which_form_it_wants_and_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, missing: str
) -> None:
    from assistant.cli import main

    monkeypatch.setenv("JEUGDAKKOORD_AUTH", value)
    assert main(["chat", "--port", "7998"]) == 2
    error = capsys.readouterr().err
    assert "user:password" in error and missing in error, error
    assert "user name and a password" in error  # why: both are asked for
    assert "geheimwachtwoord" not in error  # the value may be a password: never echoed


def test_the_sweep_deletes_old_spool_files_and_empty_folders_only(tmp_path: Path) -> None:
    from assistant.serve.sweep import sweep_uploads

    old, fresh = 1_000_000.0, 1_003_500.0
    spool, kept_spool = tmp_path / "tmpab12cd", tmp_path / "tmpfresh"
    stored = tmp_path / ("a" * 64) / "nota.pdf"  # an upload Gradio registered: its own sweep
    empty = tmp_path / ("b" * 64)
    stored.parent.mkdir()
    empty.mkdir()
    for path in (spool, kept_spool, stored):
        path.write_bytes(b"x")
    for path, when in ((spool, old), (kept_spool, fresh), (stored, old), (stored.parent, old)):
        os.utime(path, (when, when))
    os.utime(empty, (old, old))
    assert sweep_uploads(tmp_path, ttl_s=3600, now=old + 3601) == 2
    assert not spool.exists() and not empty.exists()
    assert kept_spool.exists() and stored.exists()
