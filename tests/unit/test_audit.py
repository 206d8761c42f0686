"""The audit line: one per request, its fields present, no content, the client hashed with a
salt, text or JSON; written by the real middleware around a real ASGI app."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from assistant.core import audit
from assistant.core.audit import AuditLog, Record
from assistant.core.settings import Settings, SettingsError
from assistant.core.types import Answer, Citation
from assistant.serve.audit import AuditMiddleware

QUESTION = "Hoeveel geld gaat er naar de wijkteams in Vlissingen?"
ADDRESS = "203.0.113.7"


def _answer(citations: int, refused: bool = False) -> Answer:
    cites = [
        Citation(n, f"c{n}", "doc", "Titel", 1, "", f"citaat {n}") for n in range(1, citations + 1)
    ]
    return Answer(question=QUESTION, answer="Antwoord.", citations=cites, refused=refused)


def _record() -> Record:
    record = Record()
    audit.note_on(record, QUESTION, _answer(3))
    return record


def test_a_text_line_has_every_field_and_no_content() -> None:
    log = AuditLog("text", salt="s1")
    line = log.line("/api/ask", 200, 0.1234, ADDRESS, _record(), "POST")
    assert line.startswith("audit time=")
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", fields["time"])
    assert fields["method"] == "POST" and fields["route"] == "/api/ask"
    assert fields["status"] == "200" and fields["ms"] == "123.4"
    assert fields["question_chars"] == str(len(QUESTION))
    assert fields["citations"] == "3" and fields["refused"] == "no"
    assert re.fullmatch(r"[0-9a-f]{16}", fields["client"])
    assert ADDRESS not in line and "wijkteams" not in line and "Antwoord" not in line


def test_a_json_line_for_log_shippers() -> None:
    refused = Record()
    audit.note_on(refused, QUESTION, _answer(0, refused=True))
    line = AuditLog("json", salt="s1").line("ui:ask", 200, 2.0, ADDRESS, refused)
    data = json.loads(line)
    assert data["audit"] is True and data["route"] == "ui:ask" and data["ms"] == 2000.0
    assert data["question_chars"] == len(QUESTION) and data["citations"] == 0
    assert data["refused"] is True and "question" not in data
    assert set(data) == {
        "audit", "time", "route", "status", "ms", "client", "question_chars", "citations",
        "refused",
    }  # fmt: skip


def test_the_client_id_is_a_salted_hash() -> None:
    one, same, other = AuditLog(salt="a"), AuditLog(salt="a"), AuditLog(salt="b")
    assert one.client_id(ADDRESS) == same.client_id(ADDRESS)
    assert one.client_id(ADDRESS) != one.client_id("203.0.113.8")
    assert one.client_id(ADDRESS) != other.client_id(ADDRESS)  # the salt changes every id
    # Without a salt setting each server start draws its own.
    assert AuditLog().client_id(ADDRESS) != AuditLog().client_id(ADDRESS)


def test_the_question_is_logged_only_when_the_operator_asks() -> None:
    line = AuditLog("json", salt="s", with_content=True).line("ui:ask", 200, 1, "x", _record())
    assert json.loads(line)["question"] == QUESTION


async def _ask(request: Request) -> JSONResponse:
    body = await request.json()
    audit.note(body["question"])
    answer = _answer(2)
    audit.note(answer=answer)
    return JSONResponse({"answer": answer.answer})


async def _health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("audit ")]


async def _requests() -> int:
    app = Starlette(routes=[Route("/api/ask", _ask, methods=["POST"]), Route("/health", _health)])
    wrapped = AuditMiddleware(app, AuditLog("text", salt="s"))
    transport = httpx.ASGITransport(app=wrapped, client=(ADDRESS, 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        asked = await client.post("/api/ask?token=geheim", json={"question": QUESTION})
        await client.get("/health")
        await client.get("/assets/index.js")  # a static file: no line
        await client.get("/nowhere")
    return asked.status_code


def test_the_middleware_writes_one_line_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert asyncio.run(_requests()) == 200
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == 3, lines
    ask, health, missing = lines
    assert "method=POST route=/api/ask status=200" in ask
    assert f"question_chars={len(QUESTION)}" in ask and "citations=2" in ask
    assert "refused=no" in ask
    assert "geheim" not in ask and "token" not in ask  # the query string is no route
    assert "method=GET route=/health " in health and "question_chars" not in health
    assert "status=404" in missing
    everything = "\n".join(lines)
    assert QUESTION not in everything and "wijkteams" not in everything
    assert ADDRESS not in everything


def test_the_settings_choose_the_format_and_refuse_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JEUGDAKKOORD_LOG_FORMAT", "JSON")
    monkeypatch.setenv("JEUGDAKKOORD_AUDIT_SALT", "geheim-zout")
    settings = Settings.from_env()
    assert settings.log_format == "json" and not settings.log_content
    assert "geheim-zout" not in repr(settings)
    fixed = AuditLog(salt="geheim-zout")
    assert AuditLog.from_settings(settings).client_id("x") == fixed.client_id("x")
    monkeypatch.setenv("JEUGDAKKOORD_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="JEUGDAKKOORD_LOG_FORMAT"):
        Settings.from_env()
