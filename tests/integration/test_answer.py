"""Answers on the real corpus: cited, verbatim, with clause drafts; follow-ups; export; CLI."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.core.text import match_key
from assistant.core.types import Answer
from tests.conftest import call_cli, cli_json

JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"


@pytest.fixture(scope="module")
def assistant(real_index: Settings) -> Assistant:
    return Assistant(real_index)


def _assert_grounded(answer: Answer, assistant: Assistant) -> None:
    """Every sentence carries an existing [n]; every quote is verbatim in its chunk."""
    by_id = assistant.retriever.snapshot().by_id
    ns = {c.n for c in answer.citations}
    for text in (answer.answer, answer.clause):
        for sentence in filter(None, (s.strip() for s in re.split(r"(?<=\])\s+", text))):
            marks = {int(m) for m in re.findall(r"\[(\d+)\]", sentence)}
            assert marks and marks <= ns, sentence
    for c in answer.citations:
        assert match_key(c.quote) in match_key(by_id[c.chunk_id].text)
        assert by_id[c.chunk_id].doc_id == c.doc_id


@pytest.mark.parametrize(
    "question",
    ["What should we write about market forces?", "Wat schrijven we op over marktwerking?"],
)
def test_market_forces_answer_and_clause(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert not answer.refused
    first = answer.citations[0]
    assert first.doc_id == JN and first.item == "2"
    assert "marktwerking" in answer.clause and answer.clause.startswith("Wij stoppen met")
    assert "tekstsuggestie 2" in answer.clause_note or "suggestion 2" in answer.clause_note
    _assert_grounded(answer, assistant)


def test_framing_follows_the_question_language(assistant: Assistant) -> None:
    en = assistant.ask("What should we write about market forces?").answer
    nl = assistant.ask("Wat schrijven we op over marktwerking?").answer
    assert "proposes as clause text" in en and "“We stoppen met marktwerking" in en
    assert "stelt als tekst voor het coalitieakkoord voor" in nl


def test_one_portfolio_recommendation_becomes_a_wij_clause(assistant: Assistant) -> None:
    answer = assistant.ask("Moeten onderwijs, kinderopvang en jeugd bij één wethouder komen?")
    assert answer.citations[0].doc_id == VNG and answer.citations[0].item == "4"
    assert (
        "Wij brengen onderwijs, kinderopvang en jeugd samen in één wethoudersportefeuille "
        "vanwege de logische inhoudelijke samenhang." in answer.clause
    )
    assert "omgezet uit VNG, aanbeveling 4" in answer.clause_note
    _assert_grounded(answer, assistant)


def test_follow_up_question_uses_the_history(assistant: Assistant) -> None:
    alone = assistant.ask("Wie moeten daarover meedenken?")
    follow = assistant.ask(
        "Wie moeten daarover meedenken?", history=["Wat schrijven we op over de lokale teams?"]
    )
    assert "lokale teams" in follow.standalone_question
    assert any(c.doc_id == JN and c.item == "6" for c in follow.citations)
    assert not any(c.item == "6" and c.doc_id == JN for c in alone.citations)


def test_empty_and_absurd_questions_get_a_polite_answer(assistant: Assistant) -> None:
    empty = assistant.ask("   ")
    assert empty.refused and "Stel een vraag" in empty.answer
    long = assistant.ask("marktwerking " * 5000)
    assert "ingekort" in long.answer
    control = assistant.ask("\x00\x07marktwerking\x1b[31m")
    assert control.citations and control.citations[0].doc_id == JN


def test_streaming_yields_tokens_then_the_answer(assistant: Assistant) -> None:
    events = list(assistant.ask_stream("Wat schrijven we op over verlengde jeugdzorg?"))
    kinds = [e.kind for e in events]
    assert kinds[0] == "status" and "token" in kinds and kinds[-1] == "answer"
    final = events[-1].answer
    assert final is not None
    assert "".join(e.text for e in events if e.kind == "token").strip() == final.answer.strip()


def test_clause_exports_as_markdown_and_docx(assistant: Assistant) -> None:
    from docx import Document

    from assistant.answering.export import clause_docx, clause_markdown

    answer = assistant.ask("Wat schrijven we op over verlengde jeugdzorg?")
    md = clause_markdown(answer)
    assert (
        md.startswith("## Conceptclausule") and "### Bronnen" in md and "verlengde jeugdzorg" in md
    )
    doc = Document(io.BytesIO(clause_docx(answer)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "verlengde jeugdzorg" in text and "Bronnen" in text
    assert "Felicitaties en uitnodiging" in text


def test_cli_ask_json(real_index: Settings) -> None:
    [obj] = cli_json(
        "ask", "What should we write about market forces?", "--index", str(real_index.index_dir)
    )
    assert {"answer", "clause", "refused", "citations", "timings_ms"} <= set(obj)
    keys = {"n", "chunk_id", "doc_id", "title", "page", "item", "quote", "ocr"}
    assert set(obj["citations"][0]) == keys | {"publisher", "date"}
    assert obj["citations"][0]["ocr"] is False  # the letter has a text layer
    assert obj["citations"][0]["publisher"] == "Jeugdzorg Nederland"
    assert obj["question_type"] and "doc_ids" in obj["scope"]
    assert obj["citations"][0]["doc_id"] == JN


class _ScriptedGenerator:
    """A stand-in LLM (isolates the Assistant's LLM path): replays drafts in order."""

    name = "scripted"

    def __init__(self, *drafts: str) -> None:
        self.drafts = list(drafts)

    def stream(self, question, sources, language):  # type: ignore[no-untyped-def]
        text = self.drafts.pop(0)
        yield from (text[i : i + 7] for i in range(0, len(text), 7))


def test_llm_draft_that_validates_is_used(real_index: Settings) -> None:
    good = (
        "Jeugdzorg Nederland stelt voor: “We stoppen met marktwerking, open-house constructies "
        "en het aanbesteden van jeugdzorg in onze gemeente.” [1]\n"
        "CLAUSE: Wij stoppen met marktwerking, open-house constructies en het aanbesteden van "
        "jeugdzorg in onze gemeente. [1]"
    )
    llm = Assistant(real_index, generator=_ScriptedGenerator(good))  # type: ignore[arg-type]
    events = list(llm.ask_stream("Wat schrijven we op over marktwerking?"))
    answer = events[-1].answer
    assert answer is not None and not answer.notice
    assert sum(e.kind == "token" for e in events) > 3  # streamed in pieces
    assert answer.citations[0].doc_id == JN and "marktwerking" in answer.clause


def test_llm_draft_obeying_an_injection_falls_back_with_notice(real_index: Settings) -> None:
    bad = "De gemeente privatiseert de jeugdzorg volledig. [1]"
    llm = Assistant(real_index, generator=_ScriptedGenerator(bad, bad))  # type: ignore[arg-type]
    events = list(llm.ask_stream("Wat schrijven we op over marktwerking?"))
    answer = events[-1].answer
    assert answer is not None
    assert "niet door de bronnen wordt gedekt" in answer.notice
    assert "reset" in [e.kind for e in events]
    assert "privatiseert" not in answer.answer
    assert answer.citations[0].doc_id == JN  # the extractive answer replaced the draft


@pytest.mark.parametrize(
    "number",
    ["1 op de 5", "één op de vijf"],  # the letter says 1 op de 7, in digits
)
def test_llm_draft_stating_a_number_its_sources_lack_falls_back(
    real_index: Settings, number: str
) -> None:
    """A draft that changes a number, in digits or in words, is rejected (twice: the retry
    makes the same mistake) and the extractive answer quotes the letter's own number."""
    bad = f"Jeugdzorg Nederland schrijft dat {number} kinderen een vorm van jeugdzorg krijgt [1]."
    llm = Assistant(real_index, generator=_ScriptedGenerator(bad, bad))  # type: ignore[arg-type]
    answer = llm.ask("Hoeveel kinderen krijgen volgens Jeugdzorg Nederland jeugdzorg?")
    assert answer.notice, answer.answer
    assert number not in answer.answer
    assert any("1 op de 7" in c.quote for c in answer.citations), answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "Hoe regelen we parkeervergunningen in de binnenstad?",
        "How should we handle parking permits in the city centre?",
    ],
)
def test_off_topic_question_is_refused_with_related_passages(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.clause and not answer.citations
    # a refusal, naming the words the corpus never uses where there are such
    assert (
        "De bronnen bevatten hierover geen informatie" in answer.answer
        or "The sources contain no information about this" in answer.answer
        or "‘parkeervergunningen’" in answer.answer
    )
    assert answer.hits  # the closest passages, shown as possibly related


def test_a_question_about_something_the_sources_never_name_is_refused_naming_it(
    assistant: Assistant,
) -> None:
    near_miss = assistant.ask("Wat zegt Jeugdzorg Nederland over de wachttijden in Amsterdam?")
    assert near_miss.refused and not near_miss.clause and not near_miss.citations
    assert "‘Amsterdam’" in near_miss.answer and "Amsterdam" in near_miss.reason
    year = assistant.ask("How much should we spend on youth care in 2031?")
    assert year.refused and "‘2031’" in year.answer
    # A question whose place is unknown is refused for it; without the place it is answered
    # (waiting times themselves the corpus never mentions: that question is refused too).
    teams = assistant.ask("Wat zegt Jeugdzorg Nederland over de lokale teams in Amsterdam?")
    assert teams.refused and "‘Amsterdam’" in teams.answer
    assert not assistant.ask("Wat zegt Jeugdzorg Nederland over de lokale teams?").refused
    assert "‘wachttijden’" in assistant.ask("Wat zegt Jeugdzorg Nederland over wachttijden?").answer


def test_cli_ask_batch_json_loads_once_and_answers_each_line(
    real_index: Settings, tmp_path: Path
) -> None:
    batch = tmp_path / "vragen.txt"
    batch.write_text(
        "Wat schrijven we op over marktwerking?\n\nHoe regelen we parkeervergunningen?\n",
        encoding="utf-8",
    )
    rows = cli_json(
        "ask", "--batch", str(batch), "--index", str(real_index.index_dir), run=call_cli
    )
    assert [r["refused"] for r in rows] == [False, True]
    assert rows[0]["citations"][0]["doc_id"] == JN


class _FailingGenerator:
    """A stand-in LLM whose client fails with an exception without a message."""

    name = "failing"

    def stream(self, question, sources, language):  # type: ignore[no-untyped-def]
        yield "Jeugdzorg"
        raise RuntimeError()


@pytest.mark.parametrize(
    ("question", "notice"),
    [
        ("Wat schrijven we op over marktwerking?", "onverwacht gestopt"),
        ("What should we write about market forces?", "stopped unexpectedly"),
    ],
)
def test_a_generator_failing_without_a_message_falls_back_with_a_notice(
    real_index: Settings, question: str, notice: str
) -> None:
    llm = Assistant(real_index, generator=_FailingGenerator())  # type: ignore[arg-type]
    answer = llm.ask(question)  # raised KeyError: 'llm_failed'
    assert notice in answer.notice and answer.notice in answer.answer
    assert answer.citations[0].doc_id == JN  # the extractive answer
