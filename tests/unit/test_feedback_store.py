"""The feedback store (issue #28) on real SQLite files: rows, states against an index,
concurrent writers (threads and a second process), deletion from the files, and a locked
or damaged database reported, never written over."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.core.feedback import FeedbackUnavailable, content_hash
from assistant.core.types import Chunk
from assistant.store.feedback import SCHEMA_VERSION, FeedbackStore
from tests.conftest import ROOT

SECRET = "Welke wethouder krijgt jeugd in de onderhandeling met partij Xylofoon?"


def _store(tmp_path: Path) -> FeedbackStore:
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.open()
    return store


def _add(store: FeedbackStore, question: str = "Wat over marktwerking?", **kw: object) -> int:
    fields: dict[str, object] = {
        "question": question,
        "standalone": question,
        "chunk_id": "c1",
        "doc_id": "d1",
        "passage_text": "We stoppen met marktwerking.",
        "verdict": "right",
        "reason": "",
        "user": "",
        **kw,
    }
    return store.add(**fields).id  # type: ignore[arg-type]


def test_a_judgement_is_one_row_with_every_field(tmp_path: Path) -> None:
    store = _store(tmp_path)
    jid = _add(store, user="onderhandelaar", reason="")
    wrong = _add(store, chunk_id="c2", verdict="wrong", reason="wrong_page")
    rows = store.list()
    assert [j.id for j in rows] == [jid, wrong]
    first = rows[0].to_dict()
    assert first["question"] == first["standalone"] == "Wat over marktwerking?"
    assert first["content_hash"] == content_hash("We stoppen met marktwerking.")
    assert first["user"] == "onderhandelaar" and first["verdict"] == "right"
    assert first["created"].endswith("+00:00") and first["state"] == "live"
    assert rows[1].reason == "wrong_page"
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    assert int(version) == SCHEMA_VERSION


def test_the_state_is_computed_against_the_index(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _add(store)
    j = store.list()[0]
    same = Chunk("c1", "d1", "We stoppen met marktwerking.", "t", "body")
    changed = Chunk("c1", "d1", "We gaan door met marktwerking.", "t", "body")
    assert j.in_index({"c1": same}, {"d1"}) == "live"
    assert j.in_index({"c1": changed}, {"d1"}) == "stale"  # never applied to the other text
    assert j.in_index({}, {"d1"}) == "stale"  # the document no longer has that passage
    assert j.in_index({}, set()) == "orphaned"  # the document is gone


def test_threads_and_a_second_process_write_at_once_and_lose_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path)
    script = (
        "import sys; from pathlib import Path\n"
        "from assistant.store.feedback import FeedbackStore\n"
        "s = FeedbackStore(Path(sys.argv[1]))\n"
        "for i in range(40):\n"
        "    s.add(question=f'proces {i}', standalone=f'proces {i}', chunk_id='c', doc_id='d',"
        " passage_text='p', verdict='wrong', reason='', user='')\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", script, str(store.path)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(20):
                _add(store, question=f"draad {worker} {i}")
        except BaseException as exc:  # every failure counts
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert other.wait(timeout=120) == 0
    assert not errors, errors
    rows = store.list()
    assert len(rows) == 8 * 20 + 40
    assert len({j.id for j in rows}) == len(rows)
    assert {j.question for j in rows} >= {f"draad {w} {i}" for w in range(8) for i in range(20)}
    assert store.revision() == len(rows)


def test_a_deleted_judgement_is_gone_from_the_files(tmp_path: Path) -> None:
    store = _store(tmp_path)
    keep = _add(store, question="Wat over preventie?")
    gone = _add(store, question=SECRET, chunk_id="c9")
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    assert any(SECRET.encode() in f.read_bytes() for f in files if f.exists())
    assert store.delete(gone)
    assert not store.delete(gone)  # twice: nothing left to delete
    for f in files:
        if f.exists():
            assert SECRET.encode() not in f.read_bytes(), f.name
    assert [j.id for j in store.list()] == [keep]


def test_the_vectors_are_read_once_per_revision(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _add(store, model_id="m", question_vec=[3.0, 4.0], passage_vec=[1.0, 0.0])
    _add(store, chunk_id="c2", model_id="other", question_vec=[1.0, 0.0, 0.0])
    found = store.vectors("m")
    assert found.questions.shape == (2, 2)
    assert found.questions[0].tolist() == pytest.approx([0.6, 0.8])  # unit length
    assert found.questions[1].tolist() == [0.0, 0.0]  # another model's vector is not compared
    assert store.vectors("m") is found  # nothing written: the cached read
    _add(store, chunk_id="c3")
    assert len(store.vectors("m").judgements) == 3


def test_a_damaged_file_is_reported_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite"
    garbage = b"this is not a database, but a user's file" * 100
    path.write_bytes(garbage)
    store = FeedbackStore(path)
    with pytest.raises(FeedbackUnavailable, match="damaged"):
        store.open()
    with pytest.raises(FeedbackUnavailable):
        store.list()
    assert path.read_bytes() == garbage


def test_a_locked_database_is_reported_without_waiting_long(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _add(store)
    holder = sqlite3.connect(store.path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE meta SET value = value WHERE key = 'revision'")
        with pytest.raises(FeedbackUnavailable, match="locked"):
            store.vectors("m", wait_s=0.05)
        holder.execute("COMMIT")
    finally:
        holder.close()
    assert len(store.vectors("m").judgements) == 1  # free again: nothing was lost


def test_a_newer_schema_is_not_written_over(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(FeedbackUnavailable, match="newer version"):
        FeedbackStore(store.path).open()
