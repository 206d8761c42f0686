"""Learning from the negotiators (issue #28) on the real corpus and index: a verdict changes
the next answer to the same or a close question, visibly and reversibly; never makes the
assistant answer what its sources do not say; stale and orphaned verdicts after a re-ingest
and a deletion; an unusable database turns learning off with a notice; and the export is
an evaluation set ``evals.run`` reports on."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.answering.feedback import FeedbackError, FeedbackOff
from assistant.answering.feedback_export import export_rows
from assistant.core.settings import Settings
from evals.relevance.feedback import feedback_pairs
from evals.relevance.split import split_of
from evals.run import evaluate_feedback
from ingest.pipeline import ingest
from tests.conftest import call_cli, run_cli

MARKET_NL = "Wat schrijven we op over marktwerking?"
UNANSWERABLE = "Hoeveel kost de wachtlijst voor jeugdzorg in Amsterdam?"
NOTE = re.compile(r"\[1\] \(eerder als juist gemarkeerd op \d{1,2} [a-z]+ 20\d\d\)")


def _assistant(settings: Settings, tmp_path: Path, **changes: object) -> Assistant:
    """An assistant with its own feedback database (the session's index is shared)."""
    return Assistant(settings.with_(feedback_db=str(tmp_path / "feedback.sqlite"), **changes))


def test_bad_feedback_names_the_field(real_index: Settings, tmp_path: Path) -> None:
    assistant = _assistant(real_index, tmp_path)
    chunk = assistant.retriever.search(MARKET_NL, k=1)[0].chunk.chunk_id
    cases = [
        (("", chunk, "right", ""), "question"),
        ((MARKET_NL, "no-such-chunk", "right", ""), "chunk_id"),
        ((MARKET_NL, chunk, "", ""), "verdict"),
        ((MARKET_NL, chunk, "maybe", ""), "verdict"),
        ((MARKET_NL, chunk, "wrong", "x" * 100_000), "reason"),
        ((MARKET_NL, chunk, "wrong", "because"), "reason"),
    ]
    for args, field in cases:
        with pytest.raises(FeedbackError) as caught:
            assistant.feedback.record(*args)
        assert caught.value.field == field
        assert f"‘{field}’" in caught.value.text("nl") and f"‘{field}’" in str(caught.value)
    assert assistant.feedback.list() == []  # nothing half-recorded


def test_a_verdict_changes_the_next_answer_and_learning_off_restores_it(
    real_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(real_index, tmp_path)
    before = assistant.ask(MARKET_NL)
    assert not before.refused and before.learned == []
    cited = before.citations[0].chunk_id
    other = next(
        h.chunk for h in assistant.retriever.search(MARKET_NL, k=8) if h.chunk.chunk_id != cited
    )
    right = assistant.feedback.record(MARKET_NL, other.chunk_id, "right", user="anna")
    wrong = assistant.feedback.record(MARKET_NL, cited, "wrong", "wrong_passage")
    assert (right.user, right.standalone, wrong.reason) == ("anna", MARKET_NL, "wrong_passage")

    after = assistant.ask(MARKET_NL)
    assert after.citations[0].chunk_id == other.chunk_id  # the confirmed passage first
    assert cited not in {c.chunk_id for c in after.citations}  # the rejected one left out
    assert cited not in {h.chunk.chunk_id for h in after.hits}
    assert NOTE.search(after.answer), after.answer
    learned = {(x["chunk_id"], x["verdict"]) for x in after.learned}
    assert learned == {(other.chunk_id, "right"), (cited, "wrong")}
    assert after.to_dict()["learned"] == after.learned

    # English: the same note in English; a follow-up whose standalone form is the question
    english = assistant.ask(MARKET_NL, language="en")
    assert "(marked right earlier on " in english.answer
    # reversible: per question, by the setting, and by deleting the verdicts
    for original in (
        assistant.ask(MARKET_NL, learn=False),
        _assistant(real_index, tmp_path, feedback=False).ask(MARKET_NL),
    ):
        assert original.answer == before.answer and original.learned == []
    assert assistant.feedback.delete(right.id) and assistant.feedback.delete(wrong.id)
    assert assistant.ask(MARKET_NL).answer == before.answer


def test_a_close_question_learns_an_unrelated_one_does_not(
    real_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(real_index, tmp_path)
    cited = assistant.ask(MARKET_NL).citations[0].chunk_id
    assistant.feedback.record(MARKET_NL, cited, "wrong")
    close = assistant.ask("Wat schrijven we op over de marktwerking?")
    assert [x["chunk_id"] for x in close.learned] == [cited]
    unrelated = assistant.ask("Wat adviseert de VNG over een wethouder voor jeugd?")
    assert unrelated.learned == []


def test_a_confirmed_passage_does_not_make_an_unanswerable_question_answered(
    real_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(real_index, tmp_path)
    assert assistant.ask(UNANSWERABLE).refused
    for hit in assistant.retriever.search(UNANSWERABLE, k=3):
        assistant.feedback.record(UNANSWERABLE, hit.chunk.chunk_id, "right")
    again = assistant.ask(UNANSWERABLE)
    assert again.refused and not again.citations
    assert "eerder als juist" not in again.answer


def test_stale_after_a_changed_passage_orphaned_after_a_deletion(
    live_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(live_index, tmp_path)
    corpus = live_index.corpus_dirs[0]
    changed = next(  # a passage as it stands in its file
        c
        for c in assistant.retriever.snapshot().chunks
        if c.source.endswith(".txt")
        and len(c.text) > 80
        and (corpus / c.source).read_text(encoding="utf-8").count(c.text) == 1
    )
    removed = next(c for c in assistant.retriever.snapshot().chunks if c.doc_id != changed.doc_id)
    for chunk in (changed, removed):
        assistant.feedback.record(f"Vraag over {chunk.doc_id}", chunk.chunk_id, "right")
    assert {j.state for j in assistant.feedback.list()} == {"live"}

    path = corpus / changed.source
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(changed.text, changed.text + " Dit is nu anders."), "utf-8")
    (corpus / removed.source).unlink()
    assert ingest(live_index).ok
    states = {j.chunk_id: j.state for j in assistant.feedback.list()}
    assert states == {changed.chunk_id: "stale", removed.chunk_id: "orphaned"}
    # kept, and never applied to the passage's new text
    answer = assistant.ask(f"Vraag over {changed.doc_id}")
    assert answer.learned == []


def test_a_damaged_database_turns_learning_off_answers_still_come(
    real_index: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "feedback.sqlite"
    garbage = b"not a database " * 500
    path.write_bytes(garbage)
    assistant = Assistant(real_index.with_(feedback_db=str(path)))
    assert not assistant.feedback.available and "damaged" in assistant.feedback.notice
    answer = assistant.ask(MARKET_NL)
    assert not answer.refused and answer.citations
    assert answer.notice.startswith("Leren van feedback staat uit")
    chunk = answer.citations[0].chunk_id
    with pytest.raises(FeedbackOff, match="damaged"):
        assistant.feedback.record(MARKET_NL, chunk, "right")
    assert path.read_bytes() == garbage  # reported, never written over


def test_the_export_is_an_evaluation_set_evals_run_reports_on(
    real_index: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "feedback.sqlite"
    assistant = Assistant(real_index.with_(feedback_db=str(db)))
    hits = assistant.retriever.search(MARKET_NL, k=3)
    assistant.feedback.record(MARKET_NL, hits[0].chunk.chunk_id, "right")
    assistant.feedback.record(MARKET_NL, hits[2].chunk.chunk_id, "wrong", "wrong_passage")
    assistant.feedback.record(UNANSWERABLE, hits[1].chunk.chunk_id, "wrong", "should_refuse")
    out = tmp_path / "feedback.jsonl"
    env = {"JEUGDAKKOORD_FEEDBACK_DB": str(db)}
    index = ("--index", str(real_index.index_dir))
    added = run_cli("feedback", "add", "--question", MARKET_NL, "--chunk",
                    hits[0].chunk.chunk_id, "--verdict", "right", *index, **env)  # fmt: skip
    assert added.returncode == 0 and added.stdout.strip() == "4", added.stderr
    bad = call_cli("feedback", "add", "--question", MARKET_NL, "--chunk", "nope",
                   "--verdict", "right", *index, **env)  # fmt: skip
    assert bad.returncode == 2 and "chunk_id" in bad.stderr
    done = call_cli(
        "feedback", "export", "--jsonl", str(out), "--index", str(real_index.index_dir), **env
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["question"], r["answerable"], len(r["gold"]), len(r["wrong"])) for r in rows] == [
        (MARKET_NL, True, 1, 1),
        (UNANSWERABLE, False, 0, 1),
    ]
    assert all(r["source"] == "feedback" and r["split"] == "feedback" for r in rows)
    listed = call_cli("feedback", "list", "--json", "--index", str(real_index.index_dir), **env)
    assert [json.loads(x)["verdict"] for x in listed.stdout.splitlines()] == [
        "right", "wrong", "wrong", "right",
    ]  # fmt: skip

    report = evaluate_feedback(out, real_index.embedder, settings=real_index)
    summary = report["summary"]
    assert summary["questions"] == 2 and summary["with a confirmed passage"] == 1
    assert summary["cited gold passage"] == 1.0  # the top passage is the market clause
    assert summary["refusal accuracy"] == 1.0
    assert summary["cited a rejected passage"] is not None

    deleted = call_cli("feedback", "delete", "1", "--index", str(real_index.index_dir), **env)
    assert deleted.returncode == 0 and "deleted" in deleted.stdout
    assert [j.id for j in assistant.feedback.list()] == [2, 3, 4]


def test_the_export_gives_relevance_pairs_split_by_document(
    real_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(real_index, tmp_path)
    hits = assistant.retriever.search(MARKET_NL, k=3)
    assistant.feedback.record(MARKET_NL, hits[0].chunk.chunk_id, "right")
    assistant.feedback.record(MARKET_NL, hits[1].chunk.chunk_id, "wrong")
    chunks = assistant.retriever.snapshot().chunks
    out = tmp_path / "feedback.jsonl"
    rows = export_rows(assistant.feedback.list(), {c.chunk_id: c for c in chunks})
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for seed in (13, 14):  # the split follows each document, whatever the seed
        pairs = feedback_pairs(out, chunks, seed, dev_fraction=0.5)
        found = {(p.passage_id, p.label, p.generator) for s in pairs.values() for p in s}
        assert (hits[0].chunk.chunk_id, 1, "feedback:right") in found
        assert (hits[1].chunk.chunk_id, 0, "feedback:wrong") in found
        for split, items in pairs.items():
            assert all(split_of(p.doc_id, seed, 0.5) == split for p in items)
            assert all(p.query == MARKET_NL for p in items)


@pytest.mark.parametrize("reranker", ["none", "relevance"])
def test_a_confirmed_passage_that_does_not_answer_is_not_put_first(
    real_index: Settings, tmp_path: Path, reranker: str
) -> None:
    """The answerability check on the passage alone: the rules' dense similarity, or the
    relevance model's yes. A passage on nitrogen marked right for market forces stays out."""
    assistant = _assistant(real_index, tmp_path, reranker=reranker)
    question = "What should we write about market forces?"
    before = assistant.ask(question)
    assert not before.refused
    nitrogen = assistant.retriever.search("stikstof natuurherstel ammoniak", k=1)[0].chunk
    assistant.feedback.record(question, nitrogen.chunk_id, "right")
    after = assistant.ask(question)
    assert nitrogen.chunk_id not in {c.chunk_id for c in after.citations}
    assert after.learned == [] and after.answer == before.answer
    # a passage that does answer, ranked second, goes first
    second = next(
        h.chunk.chunk_id for h in before.hits if h.chunk.chunk_id != before.citations[0].chunk_id
    )
    assistant.feedback.record(question, second, "right")
    again = assistant.ask(question)
    assert again.citations[0].chunk_id == second and "(marked right earlier on" in again.answer
    assert [x["chunk_id"] for x in again.learned] == [second]


def test_a_locked_database_turns_learning_off_for_that_answer(
    real_index: Settings, tmp_path: Path
) -> None:
    assistant = _assistant(real_index, tmp_path)
    chunk = assistant.retriever.search(MARKET_NL, k=1)[0].chunk.chunk_id
    assistant.feedback.record(MARKET_NL, chunk, "wrong")
    holder = sqlite3.connect(assistant.feedback.store.path, isolation_level=None)
    try:  # another program holds the file exclusively
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE meta SET value = value WHERE key = 'revision'")
        locked = assistant.ask("Wat adviseert de VNG over een wethouder voor jeugd?")
        assert not locked.refused and locked.citations
        assert "in gebruik door een ander programma" in locked.notice
        assert str(assistant.feedback.store.path) not in locked.notice  # no server paths
        assert not assistant.feedback.available
        holder.execute("COMMIT")
    finally:
        holder.close()
    again = assistant.ask(MARKET_NL)  # free again: learning resumes, nothing was lost
    assert [x["chunk_id"] for x in again.learned] == [chunk] and assistant.feedback.available


def test_an_unwritable_place_turns_learning_off(real_index: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assistant = Assistant(real_index.with_(feedback_db=str(blocker / "feedback.sqlite")))
    assert not assistant.feedback.available
    assert "cannot be created" in assistant.feedback.notice
    assert str(blocker) not in assistant.feedback.notice
    assert not assistant.ask(MARKET_NL).refused
