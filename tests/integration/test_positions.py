"""Positions side by side and the topic matrix, on the real corpus and real Chroma index."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.positions.compare import (
    MESSAGES,
    Positions,
    TopicError,
    build_matrix,
    default_topics,
)
from assistant.positions.export import matrix_csv, matrix_docx, matrix_markdown
from assistant.retrieval.retriever import Retriever
from assistant.server import build_server
from tests.conftest import call_cli, run_cli

VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"
JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
CA = "coalitieakkoord-2021-2025"


@pytest.fixture(scope="module")
def positions(retriever: Retriever) -> Positions:
    return Positions(retriever)


def test_onderwijs_en_jeugd_quotes_vng_4_and_tekstsuggestie_7(positions: Positions) -> None:
    c = positions.compare("onderwijs en jeugd")
    by_doc = {p.doc_id: p for p in c.positions}
    assert set(by_doc) == {VNG, JN, CA}
    vng, jn = by_doc[VNG].quotes[0], by_doc[JN].quotes[0]
    assert (vng.kind, vng.item, vng.label) == ("recommendation", "4", "aanbeveling 4")
    assert vng.key_phrase == "Versterk de inhoudelijke verbinding tussen onderwijs en jeugd"
    # The gist is the item's key sentence, not its heading again; quotes are verbatim.
    assert vng.gist.startswith("Breng onderwijs, kinderopvang en jeugd samen")
    assert (jn.kind, jn.item, jn.label) == ("clause_suggestion", "7", "tekstsuggestie 7")
    assert jn.key_phrase == "samenwerking tussen jeugdzorg en onderwijs"
    chunks = positions.retriever.snapshot().by_id
    for p in c.positions:
        for q in p.quotes:
            assert q.quote in " ".join(chunks[q.chunk_id].text.split())
            assert p.citations()[0].chunk_id == p.quotes[0].chunk_id


def test_english_topic_finds_the_same_recommendations(positions: Positions) -> None:
    c = positions.compare("education and youth care")
    by_doc = {p.doc_id: p for p in c.positions}
    assert c.language == "en"
    assert by_doc[VNG].quotes[0].item == "4" and by_doc[JN].quotes[0].item == "7"


def test_a_short_english_topic_is_read_as_english_and_finds_the_items_on_it(
    positions: Positions,
) -> None:
    """No function words to tell its language: the glossary's English wording does, and
    maps it to the documents' Dutch ("lokale teams")."""
    c = positions.compare("neighbourhood teams")
    by_doc = {p.doc_id: p for p in c.positions}
    assert c.language == "en"
    assert (by_doc[VNG].quotes[0].kind, by_doc[VNG].quotes[0].item) == ("recommendation", "3")
    assert (by_doc[JN].quotes[0].kind, by_doc[JN].quotes[0].item) == ("clause_suggestion", "5")
    assert "lokale teams" in by_doc[VNG].quotes[0].quote


@pytest.mark.parametrize(
    ("topic", "speaks", "silent"),
    [("marktwerking", JN, VNG), ("wethoudersportefeuille", VNG, JN)],
)
def test_a_topic_one_letter_addresses_is_not_addressed_by_the_other(
    positions: Positions, topic: str, speaks: str, silent: str
) -> None:
    by_doc = {p.doc_id: p for p in positions.compare(topic).positions}
    assert by_doc[speaks].addressed and by_doc[speaks].quotes
    assert not by_doc[silent].addressed and by_doc[silent].quotes == []


def test_a_topic_no_document_addresses_gives_a_column_of_not_addressed(
    positions: Positions,
) -> None:
    c = positions.compare("the rules of cricket")
    assert [p.addressed for p in c.positions] == [False, False, False]
    assert all(p.quotes == [] for p in c.positions)
    assert c.to_dict()["not_addressed_label"] == MESSAGES["en"]["not_addressed"]


def test_empty_or_absurd_topics_get_a_polite_message(positions: Positions) -> None:
    with pytest.raises(TopicError, match="onderwerp"):
        positions.compare("  ?! ")
    with pytest.raises(TopicError, match="200"):
        positions.compare("jeugdzorg " * 100)
    with pytest.raises(TopicError, match="Unknown documents: nope"):
        positions.compare("onderwijs", doc_ids=["nope"])


def test_doc_filter_limits_the_columns(positions: Positions) -> None:
    c = positions.compare("onderwijs en jeugd", doc_ids=[JN, VNG])
    assert [p.doc_id for p in c.positions] == [JN, VNG]


def test_matrix_over_the_default_topics_and_exports(positions: Positions) -> None:
    topics = default_topics(positions.retriever.snapshot().chunks)
    # The documents' own structure: the ten tekstsuggesties' and four aanbevelingen' key
    # phrases come first.
    assert "marktwerking, open-house" in topics
    assert "Versterk de inhoudelijke verbinding tussen onderwijs en jeugd" in topics
    assert 14 <= len(topics) <= 16
    m = build_matrix(positions, ["the rules of cricket", "marktwerking, open-house"])
    assert [c.topic for c in m.comparisons][-1] == "the rules of cricket"  # user topic added
    assert len(m.comparisons) == len(topics) + 1  # a duplicate user topic is not repeated
    row = {c.topic: c for c in m.comparisons}["marktwerking, open-house"]
    jn = next(p for p in row.positions if p.doc_id == JN)
    assert jn.quotes[0].item == "2"

    md = matrix_markdown(m)
    assert md.count("\n") == len(m.comparisons) + 2
    assert "**marktwerking, open-house**" in md and "*does not address this*" in md

    rows = list(csv.DictReader(io.StringIO(matrix_csv(m))))
    cricket = [r for r in rows if r["topic"] == "the rules of cricket"]
    assert len(cricket) == 3 and {r["addressed"] for r in cricket} == {"no"}
    assert any(r["item"] == "2" and r["doc_id"] == JN for r in rows)

    from docx import Document

    table = Document(io.BytesIO(matrix_docx(m))).tables[0]
    assert len(table.rows) == len(m.comparisons) + 1
    assert [c.text for c in table.rows[0].cells][1:] == [
        p.publisher for p in m.comparisons[0].positions
    ]
    last = table.rows[-1].cells
    assert all(c.text == "does not address this" for c in last[1:])


def test_matrix_refuses_a_bad_user_topic(positions: Positions) -> None:
    with pytest.raises(TopicError, match=r"‘xxx.*200"):
        build_matrix(positions, ["marktwerking", "x" * 300], defaults=False)
    with pytest.raises(TopicError, match="onderwerp"):
        build_matrix(positions, [], defaults=False)


def test_cli_compare_and_matrix(real_index: Settings, tmp_path: Path) -> None:
    # compare's JSON in this process (call_cli); its text output and matrix in a real one.
    out = call_cli("compare", "onderwijs en jeugd", "--index", str(real_index.index_dir), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by_doc = {p["doc_id"]: p for p in data["positions"]}
    assert by_doc[VNG]["quotes"][0]["item"] == "4" and by_doc[JN]["quotes"][0]["item"] == "7"

    one = call_cli(
        "compare", "onderwijs en jeugd", "--doc", JN, "--index", str(real_index.index_dir), "--json"
    )
    assert one.returncode == 0, one.stderr
    assert [p["doc_id"] for p in json.loads(one.stdout)["positions"]] == [JN]

    text = run_cli("compare", "marktwerking", "--index", str(real_index.index_dir))
    assert text.returncode == 0 and "gaat hier niet op in" in text.stdout

    empty = call_cli("compare", " ", "--index", str(real_index.index_dir))
    assert empty.returncode == 2 and "Geef een onderwerp op" in empty.stderr

    topics = tmp_path / "topics.txt"
    topics.write_text("# mine\nthe rules of cricket\n\ngesloten jeugdzorg\n", encoding="utf-8")
    files = {s: tmp_path / f"m.{s}" for s in ("docx", "md", "csv")}
    out = run_cli(
        "matrix",
        "--index",
        str(real_index.index_dir),
        "--topics",
        str(topics),
        "--no-defaults",
        *(a for s, f in files.items() for a in (f"--{s}", str(f))),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["topics"] == ["the rules of cricket", "gesloten jeugdzorg"]
    assert all(f.stat().st_size > 0 for f in files.values())
    assert "gesloten jeugdzorg" in files["md"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(real_index: Settings) -> Iterator[TestClient]:
    with TestClient(
        build_server(real_index, "127.0.0.1", Assistant(real_index)), base_url="http://localhost"
    ) as c:
        yield c


def test_api_compare_and_matrix(client: TestClient) -> None:
    data = client.post("/api/compare", json={"topic": "onderwijs en jeugd"}).json()
    by_doc = {p["doc_id"]: p for p in data["positions"]}
    assert by_doc[VNG]["quotes"][0]["item"] == "4" and by_doc[JN]["quotes"][0]["item"] == "7"

    bad = client.post("/api/compare", json={"topic": ""})
    assert bad.status_code == 422 and "onderwerp" in bad.json()["error"]

    m = client.post(
        "/api/matrix", json={"topics": ["marktwerking"], "defaults": False, "doc_ids": [VNG, JN]}
    ).json()
    assert m["topics"] == ["marktwerking"]
    assert [d["doc_id"] for d in m["documents"]] == [VNG, JN]
    assert [p["addressed"] for p in m["rows"][0]["positions"]] == [False, True]
