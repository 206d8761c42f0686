"""Policy prose imported for training: the converter keeps the prose of each section and drops
what is not prose (front matter, macros, admonition markers, link lists, source lists)."""

from __future__ import annotations

from pathlib import Path

from evals.relevance.import_markdown import convert
from evals.relevance.sources import imported_documents, own_documents, parse_markdown

PAGE = """---
title: Toezicht op de uitvoering
id: urn:nl:test:01
---

<!-- tags -->

## Vereiste

De raad **controleert twee keer per jaar** of het college de regeling uitvoert zoals afgesproken.
Daarvoor ontvangt de raad een rapportage met de wachttijden en de uitgaven per wijk.

!!! tip "Let op bij de planning"

    Plan de rapportage vóór de begrotingsbehandeling, zodat de raad kan bijsturen.

[Naar het register](https://example.org/register)

## Bronnen

[Artikel 3 van de regeling](https://example.org/regeling)

## Risico

Zonder rapportage <a href="#">ziet</a> de raad :material-alert: problemen in de jeugdhulp
pas laat, wanneer bijsturen duur en moeilijk is.
"""


def test_a_page_becomes_one_passage_per_section_of_prose() -> None:
    doc = parse_markdown("test:page", convert(PAGE, "fallback"))
    assert doc.title == "toezicht op de uitvoering"
    assert [p.title for p in doc.passages] == ["Vereiste", "Risico"]  # "Bronnen" only links
    first, second = (p.text for p in doc.passages)
    assert "twee keer per jaar" in first and "Let op bij de planning." in first
    assert "vóór de begrotingsbehandeling" in first
    assert "register" not in first and "urn:nl" not in first and "tags" not in first
    assert "<a" not in second and ":material" not in second and "ziet de raad" in second


def test_a_page_without_prose_converts_to_nothing() -> None:
    assert convert("---\ntitle: Leeg\n---\n\n## Bronnen\n\n[x](y)\n", "leeg") == ""


def test_imported_documents_are_named_by_their_source_and_kept_apart(tmp_path: Path) -> None:
    (tmp_path / "bron").mkdir()
    (tmp_path / "bron" / "toezicht.md").write_text(convert(PAGE, "x"), encoding="utf-8")
    (tmp_path / "eigen.md").write_text(convert(PAGE, "x"), encoding="utf-8")
    assert [d.doc_id for d in imported_documents(tmp_path)] == ["bron:toezicht"]
    assert [d.doc_id for d in own_documents(tmp_path)] == ["own:eigen"]
