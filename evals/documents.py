"""The documents municipalities have, in ``make eval``: questions over a scanned letter (no text
layer; Tesseract reads it) and over tables in a Word file and a PDF, asked of the real corpus
plus those documents (``evals/datasets/documents.json``).

Reported per group (scan, table): recall@5 of the gold passage (its file, its page, holding the
gold snippet) and how often the answer cites the gold file on the gold page, marked "(OCR)" for
the scan. Run: ``python -m evals.documents``; ``make eval`` runs it too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from evals.docgen import scanned_pdf, table_pdf, word_file

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "datasets" / "documents.json"
WORK = ROOT / "var" / "eval" / "documents"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def build_corpus(folder: Path, data: dict[str, Any]) -> None:
    """The real corpus plus the scanned letter, the Word budget and the PDF monitor."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "corpus", folder)
    scanned_pdf(folder / "brief-zuidhaven-scan.pdf", data["scan"])
    word_file(
        folder / "begroting-jeugdhulp.docx",
        "Begroting jeugdhulp Zuidhaven",
        "De tabel geeft het budget voor jeugdhulp en het aantal cliënten per jaar.",
        ["Het budget groeit mee met het aantal cliënten."],
        data["word_table"],
        title="Begroting jeugdhulp 2023-2025",
        author="Gemeente Zuidhaven",
    )
    table_pdf(
        folder / "jeugdmonitor-wijken.pdf",
        "Jeugdmonitor Zuidhaven: jeugdigen met jeugdhulp per wijk",
        data["pdf_table"],
        "Bron: gemeentelijke jeugdmonitor.",
    )


def _is_gold(q: dict[str, Any], chunk: Any) -> bool:
    """The passage comes from the gold file, covers the gold page and holds the snippet."""
    page = q["page"]
    on_page = not page or chunk.page_start <= page <= (chunk.page_end or chunk.page_start)
    return bool(
        chunk.source == q["source"] and on_page and _norm(q["snippet"]) in _norm(chunk.text)
    )


def evaluate(embedder: str | None = None) -> dict[str, Any]:
    from assistant.answering.answer import Assistant
    from assistant.core.settings import Settings
    from assistant.retrieval.retriever import Retriever
    from ingest.ocr import missing_reason
    from ingest.pipeline import ingest

    reason = missing_reason("nld")
    if reason:
        return {"error": f"not measured: {reason}"}
    data = json.loads(DATA.read_text(encoding="utf-8"))
    corpus = WORK / "corpus"
    build_corpus(corpus, data)
    settings = Settings(corpus_dirs=(corpus,), index_dir=WORK / "index")
    if embedder:
        settings = settings.with_(embedder=embedder)
    summary = ingest(settings)
    retriever = Retriever(settings)
    assistant = Assistant(settings, retriever)
    rows: list[dict[str, Any]] = []
    for q in data["questions"]:
        hits = retriever.search(q["question"], k=5)
        found = any(_is_gold(q, h.chunk) for h in hits)
        answer = assistant.ask(q["question"])
        docs = {h.chunk.doc_id: h.chunk.source for h in answer.hits}
        cited = [
            c
            for c in answer.citations
            if docs.get(c.doc_id) == q["source"] and (c.page or 0) == q["page"]
        ]
        scan = q["id"].startswith("scan")
        rows.append(
            {
                "id": q["id"],
                "group": "scan" if scan else "table",
                "recall@5": found,
                "page_cited": bool(cited) and (not scan or all(c.ocr for c in cited)),
                "refused": answer.refused,
            }
        )
    out: dict[str, Any] = {
        "ocr_pages": summary.ocr_pages,
        "tables": summary.tables,
        "questions": rows,
    }
    for group in ("scan", "table"):
        mine = [r for r in rows if r["group"] == group]
        out[group] = {
            "questions": len(mine),
            "recall@5": round(sum(r["recall@5"] for r in mine) / len(mine), 2),
            "page_cited": round(sum(r["page_cited"] for r in mine) / len(mine), 2),
        }
    return out


def main() -> None:
    report = evaluate()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
