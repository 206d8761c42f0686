"""One message table (``assistant.core.errors``): every error code the code raises has Dutch
and English words, and the CLI, the HTTP API and the UI say the same thing for one error."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI

from assistant.cli import error_line, main
from assistant.core.errors import MESSAGES, CodedError, error_code, error_text, message
from assistant.core.settings import SettingsError
from assistant.positions.compare import TopicError
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.retrieval.retriever import QueryError
from assistant.serve.api import _busy, error_of
from assistant.serve.slots import Busy
from assistant.serve.uploads import NotUploaded
from assistant.store.index import IndexEmpty, IndexError_, IndexMissing, IngestLocked
from assistant.workspace.chapter import ChapterError, VersionConflict
from assistant.workspace.export import EmptyChapter
from ingest.errors import IngestError, NoTextLayer, reason_text

ROOT = Path(__file__).resolve().parents[2]


def _declared_codes() -> dict[str, str]:
    """``code = "..."`` in every exception class of the product, by class name."""
    found: dict[str, str] = {}
    for top in ("assistant", "ingest"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ClassDef):
                    continue
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and [getattr(t, "id", "") for t in stmt.targets] == ["code"]
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        found[f"{path.name}:{node.name}"] = str(stmt.value.value)
    return found


def test_every_raised_code_has_dutch_and_english_words() -> None:
    declared = _declared_codes()
    assert len(declared) >= 20  # the scan finds the exception classes at all
    for where, code in declared.items():
        assert code in MESSAGES, f"{where} raises code {code!r} without a message"
    for code, (nl, en) in MESSAGES.items():
        assert nl.strip() and en.strip(), code
        with_detail = message(code, "X-detail", "nl"), message(code, "X-detail", "en")
        if code not in {"corpus_missing"}:  # its detail is the whole (English) sentence
            assert with_detail[0] != with_detail[1], f"{code}: Dutch equals English"
        assert "{detail}" not in message(code, "", "nl") + message(code, "", "en"), code


@pytest.mark.parametrize(
    "exc",
    [
        IndexMissing("no index at /srv/secret/index; run `jeugdakkoord ingest` first"),
        IndexEmpty("the index at /x holds no passages"),
        IndexError_("the index at /x is damaged (bad json); re-ingest with --rebuild"),
        IngestLocked("another ingest is already running on /x (pid 7); wait for it to finish"),
        EmbeddingError("the e5-small embedder needs the 'st' extra"),
        StoreError("cannot reach the Chroma store at http://localhost:1"),
    ],
)
def test_cli_and_api_say_the_same(exc: Exception) -> None:
    status, api_text = error_of(exc)
    assert status == 503
    assert error_line(exc) == f"error: {api_text}"
    assert error_text(exc, "nl") != error_text(exc, "en")


def test_missing_or_empty_index_hides_the_server_path_everywhere() -> None:
    exc = IndexMissing("no index at /srv/secret/index; run `jeugdakkoord ingest` first")
    assert "/srv/secret" not in error_of(exc)[1] and "/srv/secret" not in error_line(exc)
    assert error_text(exc, "nl").startswith("Er zijn nog geen documenten")
    empty = IndexEmpty("the index at /srv/secret/index has no documents yet")
    assert "/srv/secret" not in error_of(empty)[1] and "/srv/secret" not in error_line(empty)
    assert "has no documents yet" in error_line(empty)


def test_unknown_errors_are_internal_and_not_leaked() -> None:
    exc = KeyError("/etc/passwd")
    assert error_code(exc) == "internal"
    assert error_of(exc) == (500, "internal error: the request could not be answered")


def test_details_are_kept_and_dutch_leads() -> None:
    exc = SettingsError("JEUGDAKKOORD_WORKERS", "many", "a whole number of at least 1")
    assert error_text(exc) == str(exc)  # the English line names variable and accepted values
    assert error_text(exc, "nl") == f"Ongeldige instelling: {exc}"
    query = QueryError("the question is empty")
    assert error_text(query).startswith("the question is empty: type a question")
    assert error_text(query, "nl").startswith("the question is empty: typ een vraag")


def test_ingest_reasons_come_from_the_same_table() -> None:
    reason = NoTextLayer("page 3").message()
    assert reason == "no text layer (scanned?): page 3"
    assert reason_text(reason, "nl") == "geen tekstlaag — gescand document?: page 3"
    assert IngestError().message("nl") == MESSAGES["unreadable"][0]


def test_cli_prints_the_table_text_for_a_missing_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    code = main(["ingest", "--corpus", str(missing), "--index", str(tmp_path / "ix")])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"error: corpus folder {missing} does not exist"


# --- the request errors (topics, chapters, uploads, a full server, the API's refusals) --------

_CODED = {
    "TopicError",
    "ChapterError",
    "VersionConflict",
    "EmptyChapter",
    "Busy",
    "NotUploaded",
    "FeedbackError",
    "FeedbackOff",
}


def _calls(name_test: object) -> list[tuple[Path, ast.Call]]:
    found = []
    for top in ("assistant", "ingest"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = getattr(func, "id", None) or getattr(func, "attr", None)
                    if callable(name_test) and name_test(name):
                        found.append((path, node))
    return found


def _used_codes() -> set[str]:
    """Codes named by a raise of a coded error or by ``message("...")``."""
    return {
        str(call.args[0].value)
        for _, call in _calls(lambda n: n in _CODED or n == "message")
        if call.args and isinstance(call.args[0], ast.Constant)
    }


def test_request_errors_have_a_code_and_no_inline_words() -> None:
    """A coded error is raised with a table code, never with a sentence of its own; an HTTP
    error's text comes from the table (or from a helper), never from a literal string."""
    calls = _calls(lambda n: n in _CODED)
    assert len(calls) >= 15  # the scan finds the raises at all
    for path, call in calls:
        for arg in call.args:
            assert not isinstance(arg, ast.JoinedStr), f"{path.name}:{call.lineno} inline text"
        if call.args and isinstance(call.args[0], ast.Constant):
            code = call.args[0].value
            assert code in MESSAGES, f"{path.name}:{call.lineno}: {code!r} is not a table code"
    http = _calls(lambda n: n == "HTTPException")
    assert len(http) >= 5
    for path, call in http:
        text = call.args[1] if len(call.args) > 1 else None
        assert not isinstance(text, ast.Constant | ast.JoinedStr), (
            f"{path.name}:{call.lineno}: an HTTP error with words of its own"
        )
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if path.parent.name in ("ui", "serve"):
            assert "_status(str(exc)" not in source, f"{path.name} shows an exception's own text"


def test_every_table_code_is_used() -> None:
    unused = set(MESSAGES) - set(_declared_codes().values()) - _used_codes() - {"internal"}
    assert not unused, f"messages nothing uses: {unused}"


@pytest.mark.parametrize(
    ("exc", "nl", "en"),
    [
        (TopicError("topic_empty", "nl"), "Geef een onderwerp op", "Give a topic"),
        (TopicError("topic_too_long", n=80), "hoogstens 80 tekens", "at most 80 characters"),
        (TopicError("unknown_docs", docs="nope"), "Onbekende documenten: nope.", "nope."),
        (ChapterError("clause_empty"), "een clausule heeft tekst nodig", "a clause needs text"),
        (VersionConflict("x", 2, 3), "versie 3", "changed elsewhere (version 3"),
        (EmptyChapter(name="x"), "niets te exporteren", "'x' has no clauses yet"),
        (Busy(5), "erg druk", "very busy"),
        (NotUploaded(name="'a.pdf'"), "'a.pdf': geweigerd", "'a.pdf': refused"),
    ],
)
def test_request_errors_speak_both_languages(exc: CodedError, nl: str, en: str) -> None:
    assert error_code(exc) == exc.code
    assert nl in error_text(exc, "nl") and en in error_text(exc, "en")
    assert str(exc) == error_text(exc)  # its own text: the table's, in its request's language
    assert error_line(exc) == f"error: {error_text(exc)}"


def test_a_topic_error_keeps_its_language_and_names_the_failed_topic() -> None:
    exc = TopicError("topic_empty", "nl", "???")
    assert error_text(exc).startswith("‘???’: Geef een onderwerp op")
    assert error_text(exc, "en").startswith("‘???’: Give a topic")


def test_api_refusals_come_from_the_table() -> None:
    from fastapi.testclient import TestClient

    from assistant.serve.api import _install_error_handlers

    app = FastAPI()
    _install_error_handlers(app)

    @app.post("/needs")
    def needs(body: dict[str, int]) -> dict[str, int]:
        return body

    client = TestClient(app)
    route = client.get("/nope")
    assert route.status_code == 404
    assert route.json()["error"] == message("unknown_route", path="/nope")
    invalid = client.post("/needs", content=b"{")
    assert invalid.status_code == 422
    assert invalid.json()["error"].startswith(message("invalid_request", problems=""))
    busy_status, busy_text = 503, error_text(Busy(5))
    assert _busy(Busy(5)).status_code == busy_status and _busy(Busy(5)).detail == busy_text
