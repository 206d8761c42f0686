"""A user's own coalition agreement, ingested with the real embedder: named by its
municipality in every form, kept in a comparison, and answered from for a quantity written in
words (issue #25, items 3, 4, 5 and 7)."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.retrieval.scope import resolve
from tests.conftest import CORPUS

JN = "jeugdzorg-nederland-coalitieakkoord-2026-04"
OWN = "hoogwolde-coalitieakkoord-2022-2026"
NATIONAL = "landelijk"

#: An invented municipality's agreement that speaks of itself adjectivally.
AGREEMENT = """# Samen verder. Coalitieakkoord Hoogwolde 2022-2026

De Hoogwoldse coalitie van Lokaal Belang, GroenLinks en VVD presenteert het Hoogwolder
akkoord voor de komende vier jaar.

## Jeugdhulp

Het college beslist binnen zes weken op een aanvraag voor jeugdhulp. Gezinnen hoeven niet
langer te wachten dan nodig is. De Hoogwoldse wijkteams krijgen daarvoor twaalf extra
medewerkers.

## Preventie

Wij investeren in preventie: in het jongerenwerk, de schoolmaatschappelijk werker en
opvoedondersteuning in de wijk, zodat minder kinderen zware jeugdhulp nodig hebben.
"""

#: A short stand-in for the national agreement, named by the bundled manifest's own entry.
NATIONAL_TEXT = """# Coalitieakkoord 2021-2025

## Jeugdzorg

Goede, tijdige en passende jeugdzorg is van groot belang. We zetten in op preventie en
normaliseren, zodat minder kinderen zware jeugdzorg nodig hebben.
"""


def _entry(fields: dict[str, object]) -> str:
    """A manifest entry; TOML's basic strings and arrays read JSON's spelling of them."""
    return "\n[[document]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The Jeugdzorg Nederland letter, the user's agreement and the national stand-in, each
    with a manifest entry (the national one with the bundled entry's publisher and aliases)."""
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("user-scope")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{JN}.txt", corpus)
    (corpus / f"{OWN}.md").write_text(AGREEMENT, encoding="utf-8")
    (corpus / f"{NATIONAL}.md").write_text(NATIONAL_TEXT, encoding="utf-8")
    bundled = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
    by_file = {d["file"]: d for d in bundled}
    national = dict(by_file["coalitieakkoord-2021-2025.pdf"], file=f"{NATIONAL}.md")
    manifest = (
        _entry(by_file[f"{JN}.txt"])
        + _entry(national)
        + _entry(
            {
                "file": f"{OWN}.md",
                "title": "Samen verder. Coalitieakkoord Hoogwolde 2022-2026",
                "publisher": "Gemeente Hoogwolde",
                "type": "agreement",
                "date": "2022-06-01",
            }
        )
    )
    (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
    out = Settings(corpus_dirs=(corpus,), index_dir=base / "index")
    summary = ingest(out)
    assert summary.ok, summary.failed
    return out


@pytest.fixture(scope="module")
def assistant(settings: Settings) -> Assistant:
    return Assistant(settings)


def _groups(assistant: Assistant, question: str) -> list[tuple[str, ...]]:
    return resolve(question, assistant.retriever.snapshot().documents().values()).groups


@pytest.mark.parametrize(
    ("question", "groups"),
    [
        ("Wat staat er in het Hoogwolder coalitieakkoord over preventie?", [(OWN,)]),
        ("Wat wil de Hoogwoldse coalitie met de wijkteams?", [(OWN,)]),
        ("Wat wil de coalitie in Hoogwolde met jeugdhulp?", [(OWN,)]),
        ("Wat staat in het akkoord van Hoogwolde over preventie?", [(OWN,)]),
        ("Wat doet de gemeente Hoogwolde aan preventie?", [(OWN,)]),
        ("Wat zegt Hoogwolde over preventie?", [(OWN,)]),
        ("Wat zeggen Hoogwolde en Jeugdzorg Nederland over preventie?", [(OWN,), (JN,)]),
        ("Wat moeten we in het coalitieakkoord opnemen over preventie?", []),
        ("What should the coalition agreement say about prevention?", []),
        ("Wat zegt het landelijke coalitieakkoord over preventie?", [(NATIONAL,)]),
        ("Wat staat in het regeerakkoord over jeugdzorg?", [(NATIONAL,)]),
        ("What does the national agreement say about prevention?", [(NATIONAL,)]),
        ("Wat zegt het coalitieakkoord over preventie?", [(OWN, NATIONAL)]),
    ],
)
def test_scope_over_the_ingested_documents(
    assistant: Assistant, question: str, groups: list[tuple[str, ...]]
) -> None:
    assert _groups(assistant, question) == groups


def test_a_writing_question_is_answered_from_all_documents(assistant: Assistant) -> None:
    answer = assistant.ask("Wat moeten we in het coalitieakkoord opnemen over preventie?")
    assert answer.scope.get("doc_ids", []) == []
    assert not answer.refused


def test_a_comparison_cites_the_users_document(assistant: Assistant) -> None:
    answer = assistant.ask("Wat zeggen Hoogwolde en Jeugdzorg Nederland over preventie?")
    assert answer.scope["groups"] == [[OWN], [JN]]
    assert OWN in {c.doc_id for c in answer.citations}
    assert "Gemeente Hoogwolde" in answer.answer


def test_a_period_in_words_answers_a_quantity_question(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Binnen hoeveel weken beslist het college van Hoogwolde op een aanvraag voor jeugdhulp?"
    )
    assert answer.question_type == "quantity"
    assert not answer.refused, answer.reason
    first = answer.citations[0]
    assert first.doc_id == OWN and "binnen zes weken" in first.quote
    assert answer.answer.startswith("Gemeente Hoogwolde") and " schrijft: " in answer.answer


def test_the_corpus_manifest_names_the_national_agreement_only_when_qualified() -> None:
    bundled = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["document"]
    aliases = {a.lower() for d in bundled for a in d.get("aliases", [])}
    assert not aliases & {"coalitieakkoord", "coalition agreement", "akkoord", "agreement"}
    assert {"het landelijke coalitieakkoord", "regeerakkoord", "national agreement"} <= aliases


def test_fixture_paths_stay_outside_the_repository(settings: Settings) -> None:
    assert not Path(settings.corpus_dirs[0]).is_relative_to(CORPUS.parent)
