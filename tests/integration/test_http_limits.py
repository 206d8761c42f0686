"""Bounded requests, cross-site uploads, the upload sweep and fair workers (issue #29, items
5, 6 and 9), against a running ``jeugdakkoord chat`` without a password (loopback).

The server accepts uploads of 1 MB (``JEUGDAKKOORD_MAX_UPLOAD_MB``), sweeps uploads out after
2 s, and takes ``X-Forwarded-For`` from the tests (127.0.0.1) to tell clients apart.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.servers import LOG_OF, chat_server
from tests.small_index import small_index

FOREIGN = "http://127.0.0.1:9"
MB = 1024 * 1024


@dataclass(frozen=True)
class Server:
    url: str
    uploads: Path
    log: Path

    def files(self) -> list[Path]:
        """The files in Gradio's upload folder now."""
        return [Path(root) / n for root, _, names in os.walk(self.uploads) for n in names]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    settings = small_index(tmp_path_factory)
    uploads = tmp_path_factory.mktemp("gradio-uploads")
    with chat_server(
        settings,
        GRADIO_TEMP_DIR=str(uploads),
        JEUGDAKKOORD_MAX_UPLOAD_MB="1",
        JEUGDAKKOORD_UPLOAD_TTL_S="2",
        JEUGDAKKOORD_TRUSTED_PROXIES="127.0.0.1",
        JEUGDAKKOORD_WORKERS="2",
    ) as url:
        yield Server(url, uploads, LOG_OF[url])


def raw_post(url: str, path: str, headers: str, body: bytes) -> tuple[str, dict[str, str]]:
    """Send a request head and the start of its body; the status line and headers."""
    where = urlsplit(url)
    head = f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\n{headers}\r\n".encode()
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        sock.sendall(head + body)
        answer = sock.recv(65536).decode("latin-1")
    status, *lines = answer.split("\r\n\r\n")[0].split("\r\n")
    return status, dict(line.lower().split(": ", 1) for line in lines)


def assert_security_headers(headers: httpx.Headers | dict[str, str]) -> None:
    assert str(headers["x-frame-options"]).upper() == "DENY", headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/api/ask", "/gradio_api/queue/join"])
def test_a_declared_body_over_the_limit_is_refused_unread(server: Server, path: str) -> None:
    status, headers = raw_post(
        server.url,
        path,
        "Content-Type: application/json\r\nContent-Length: 300000000\r\n",
        b'{"question": "',
    )
    assert " 413 " in status, status
    assert_security_headers(headers)


def chunks(size: int, piece: bytes = b" " * 65536) -> Iterator[bytes]:
    """A body of ``size`` bytes sent chunked (no Content-Length)."""
    yield b'{"question": "x", "history": ['
    for _ in range(size // len(piece)):
        yield piece
    yield b"]}"


@pytest.mark.parametrize("path", ["api/ask", "gradio_api/queue/join"])
def test_a_chunked_body_over_the_limit_is_refused(server: Server, path: str) -> None:
    big = httpx.post(
        server.url + path,
        content=chunks(3 * MB),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert big.status_code == 413 and "at most 1 MB" in big.json()["error"], big.text[:200]
    assert_security_headers(big.headers)


def multipart(name: str, size: int) -> tuple[bytes, str]:
    boundary = "jeugdakkoord-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    body = head + b"a" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_over_the_limit_is_refused_declared_or_chunked(server: Server) -> None:
    body, content_type = multipart("groot.txt", 2 * MB)
    declared = httpx.post(
        server.url + "gradio_api/upload",
        content=body,
        headers={"content-type": content_type},
        timeout=60,
    )
    assert declared.status_code == 413, declared.text[:200]
    streamed = httpx.post(
        server.url + "gradio_api/upload",
        content=(body[i : i + 65536] for i in range(0, len(body), 65536)),
        headers={"content-type": content_type},
        timeout=60,
    )
    assert streamed.status_code == 413, streamed.text[:200]
    assert_security_headers(streamed.headers)
    # The cut-off upload leaves no traceback, and its spool file is swept out (bounded wait).
    for _ in range(120):
        if not [f for f in server.uploads.iterdir() if f.name.startswith("tmp")]:
            break
        time.sleep(0.25)
    assert not [f for f in server.uploads.iterdir() if f.name.startswith("tmp")]
    assert "Traceback" not in server.log.read_text(encoding="utf-8", errors="replace")
    small, content_type = multipart("klein.txt", MB // 2)
    stored = httpx.post(
        server.url + "gradio_api/upload",
        content=small,
        headers={"content-type": content_type},
        timeout=60,
    )
    assert stored.status_code == 200 and stored.json()[0].endswith("klein.txt")


def nested(depth: int) -> bytes:
    return b'{"data": ' + b"[" * depth + b"]" * depth + b', "fn_index": 0, "session_hash": "x"}'


@pytest.mark.parametrize("path", ["gradio_api/queue/join", "gradio_api/cancel", "api/ask"])
def test_json_nested_too_deeply_gets_400(server: Server, path: str) -> None:
    for depth in (100, 100_000):
        deep = httpx.post(
            server.url + path,
            content=nested(depth),
            headers={"content-type": "application/json"},
            timeout=60,
        )
        assert deep.status_code == 400 and "nested" in deep.json()["error"], deep.text[:200]
        assert_security_headers(deep.headers)


def test_a_refused_host_name_gets_the_security_headers(server: Server) -> None:
    refused = httpx.get(server.url + "config", headers={"host": "rebind.example"}, timeout=30)
    assert refused.status_code == 400
    assert_security_headers(refused.headers)


@pytest.mark.parametrize(
    "foreign",
    [{"Origin": FOREIGN}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_a_cross_site_upload_is_refused_unread(server: Server, foreign: dict[str, str]) -> None:
    body, content_type = multipart("aanval-van-elders.txt", 1000)
    refused = httpx.post(
        server.url + "gradio_api/upload",
        content=body,
        headers={"content-type": content_type, **foreign},
        timeout=30,
    )
    assert refused.status_code == 403, refused.text[:200]
    assert not [f for f in server.files() if f.name == "aanval-van-elders.txt"]
    joined = httpx.post(
        server.url + "gradio_api/queue/join",
        json={"data": [], "fn_index": 0, "session_hash": "x"},
        headers=foreign,
        timeout=30,
    )
    assert joined.status_code == 403


def test_an_upload_is_swept_out_of_the_temp_folder(server: Server) -> None:
    body, content_type = multipart("vergeten.txt", 1000)
    stored = httpx.post(
        server.url + "gradio_api/upload",
        content=body,
        headers={"content-type": content_type, "Origin": server.url.rstrip("/")},
        timeout=30,
    )
    assert stored.status_code == 200
    path = Path(stored.json()[0])
    assert path.exists()
    for _ in range(120):  # swept within seconds (a bounded wait, not a timing claim)
        if not path.exists():
            break
        time.sleep(0.25)
    assert not path.exists()


TOPICS = [f"preventie en voorzieningen in de wijk nummer {n}" for n in range(100)]


def _as(client: str) -> dict[str, str]:
    return {"X-Forwarded-For": client}


def test_two_big_matrices_leave_room_for_an_ask(server: Server) -> None:
    """Two 100-topic matrices from two clients hold both workers; a third client's question
    is answered while both are still running (they run in slices)."""

    async def run() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=600) as client:
            matrix = {"topics": TOPICS, "defaults": False}
            first = asyncio.create_task(
                client.post("api/matrix", json=matrix, headers=_as("203.0.113.1"))
            )
            second = asyncio.create_task(
                client.post("api/matrix", json=matrix, headers=_as("203.0.113.2"))
            )
            await asyncio.sleep(0.5)  # both under way (the ask below only needs them started)
            asked = await client.post(
                "api/ask", json={"question": "Wat doen scholen?"}, headers=_as("203.0.113.3")
            )
            assert asked.status_code == 200, asked.text[:200]
            assert not first.done() and not second.done()
            for task in (first, second):
                done = await task
                assert done.status_code == 200, done.text[:200]
                assert len(done.json()["rows"]) == len(TOPICS)

    asyncio.run(run())


def test_one_client_gets_429_for_a_second_matrix_while_its_first_runs(server: Server) -> None:
    async def run() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=600) as client:
            matrix = {"topics": TOPICS, "defaults": False}  # weighs 100 answers
            both = await asyncio.gather(
                *(client.post("api/matrix", json=matrix, headers=_as("203.0.113.9")) for _ in "ab")
            )
            done, refused = sorted(both, key=lambda r: r.status_code)
            assert (done.status_code, refused.status_code) == (200, 429), refused.text[:200]
            assert refused.headers["retry-after"] == "5"
            assert "under way" in json.loads(refused.text)["error"]

    asyncio.run(run())
