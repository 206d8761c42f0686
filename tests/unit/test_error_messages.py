"""One message table (``assistant.core.errors``): every error code the code raises has Dutch
and English words, and the CLI, the HTTP API and the UI say the same thing for one error."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.cli import error_line, main
from assistant.core.errors import MESSAGES, error_code, error_text, message
from assistant.core.settings import SettingsError
from assistant.providers.embeddings import EmbeddingError
from assistant.providers.stores import StoreError
from assistant.retrieval.retriever import QueryError
from assistant.serve.api import error_of
from assistant.store.index import IndexEmpty, IndexError_, IndexMissing, IngestLocked
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
    unused = set(MESSAGES) - set(declared.values()) - {"internal"}
    assert not unused, f"messages no exception uses: {unused}"


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
