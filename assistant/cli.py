"""Command line: ``jeugdakkoord ingest | search`` (scripting, evaluation, set-up)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from assistant.core.settings import Settings

EXIT_OK, EXIT_FAILED_FILES, EXIT_ERROR = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    changes: dict[str, Any] = {}
    if getattr(args, "index", None):
        changes["index_dir"] = Path(args.index).resolve()
    if getattr(args, "corpus", None):
        changes["corpus_dirs"] = tuple(Path(c).resolve() for c in args.corpus)
    if getattr(args, "embedder", None):
        changes["embedder"] = args.embedder
    return settings.with_(**changes) if changes else settings


class RichProgress:
    """Ingest progress as rich progress bars: one over files, one over embedding batches."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.bars = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[item]}"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self._files: Any = None
        self._embed: Any = None

    def __enter__(self) -> RichProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def files(self, total: int) -> None:
        self._files = self.bars.add_task("files", total=total, item="")

    def file_done(self, key: str, status: str) -> None:
        self.bars.update(self._files, advance=1, item=f"{key[-40:]} ({status[:40]})")

    def embedding(self, total: int) -> None:
        self._embed = self.bars.add_task("embedding", total=max(total, 0), item="passages")

    def embedded(self, n: int) -> None:
        self.bars.update(self._embed, advance=n)

    def message(self, text: str) -> None:
        self.console.print(text)


def cmd_ingest(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from ingest.pipeline import ingest

    settings = _settings(args)
    with RichProgress() as progress:
        summary = ingest(settings, rebuild=args.rebuild, progress=progress)  # type: ignore[arg-type]
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
        return EXIT_OK if summary.ok else EXIT_FAILED_FILES
    console = Console()
    table = Table(title=f"Ingest summary — index generation {summary.generation}")
    table.add_column("")
    table.add_column("", justify="right")
    for label, value in (
        ("files in index", summary.files),
        ("pages", summary.pages),
        ("chunks", summary.chunks),
        ("unchanged files", summary.unchanged),
        ("new files", summary.added),
        ("changed files", summary.changed),
        ("removed files", summary.removed),
        ("passages embedded", summary.embedded),
        ("skipped files", len(summary.skipped)),
        ("failed files", len(summary.failed)),
        ("seconds", f"{summary.seconds:.1f}"),
    ):
        table.add_row(label, str(value))
    console.print(table)
    if summary.up_to_date:
        console.print("[green]Index is up to date; nothing was re-embedded.[/green]")
    for key, reason in summary.failed:
        console.print(f"[red]FAILED[/red] {key}: {reason}")
    for key, reason in summary.skipped:
        console.print(f"[yellow]skipped[/yellow] {key}: {reason}")
    for w in summary.warnings:
        console.print(f"[yellow]warning[/yellow] {w}")
    return EXIT_OK if summary.ok else EXIT_FAILED_FILES


def _questions(args: argparse.Namespace, attr: str = "query") -> Iterator[str]:
    if args.batch:
        stream: TextIO = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
        with stream:
            for line in stream:
                if line.strip():
                    yield line.rstrip("\n")
    else:
        yield getattr(args, attr)


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.answering.evidence import scoped_search
    from assistant.retrieval.retriever import QueryError, Retriever
    from assistant.retrieval.scope import Scope

    if not args.batch and args.query is None:
        print("error: give a QUERY or --batch FILE", file=sys.stderr)
        return EXIT_ERROR
    settings = _settings(args)
    retriever = Retriever(settings)
    status = EXIT_OK
    for query in _questions(args):
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        scope = Scope()
        try:
            hits, scope = scoped_search(retriever, query, args.k, args.doc, timings)
            error = ""
        except QueryError as exc:
            hits, error = (
                [],
                f"{exc}: type a question, e.g. 'Wat schrijven we op over marktwerking?'",
            )
            status = EXIT_ERROR if not args.batch else status
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        if args.json:
            out: dict[str, Any] = {
                "query": query,
                "results": [h.to_dict() for h in hits],
                "scope": scope.to_dict(),
                "timings_ms": {k: round(v, 1) for k, v in timings.items()},
            }
            if error:
                out["error"] = error
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            _print_hits(query, hits, error)
    return status


def _print_hits(query: str, hits: list[Any], error: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    if error:
        console.print(f"[yellow]{escape(error)}[/yellow]")
        return
    table = Table(title=f"Search: {escape(query)}", show_lines=True)
    for col in ("#", "score", "document", "where", "text"):
        table.add_column(col)
    for i, h in enumerate(hits, 1):
        c = h.chunk
        where = ", ".join(x for x in (c.location(), c.section[:40]) if x)
        snippet = " ".join(c.text.split())
        table.add_row(
            str(i),
            f"{h.score:.4f}",
            escape(c.title[:40]),
            escape(where),
            escape(snippet[:300] + ("…" if len(snippet) > 300 else "")),
        )
    console.print(table)


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.answering.answer import Assistant

    if not args.batch and args.question is None:
        print("error: give a QUESTION or --batch FILE", file=sys.stderr)
        return EXIT_ERROR
    settings = _settings(args)
    if args.generator:
        settings = settings.with_(generator=args.generator)
    assistant = Assistant(settings)
    for question in _questions(args, attr="question"):
        answer = assistant.ask(question, filters=args.doc or None)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            _print_answer(answer)
        if args.docx and answer.clause:
            from assistant.answering.export import clause_docx

            Path(args.docx).write_bytes(clause_docx(answer))
        if args.markdown and answer.clause:
            from assistant.answering.export import clause_markdown

            Path(args.markdown).write_text(clause_markdown(answer), encoding="utf-8")
    return EXIT_OK


def _print_answer(answer: Any) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    if answer.notice:
        console.print(f"[yellow]{escape(answer.notice)}[/yellow]")
    console.print(escape(answer.answer))
    if answer.clause:
        console.print(
            "\n[bold]Conceptclausule[/bold]"
            + (f" ({escape(answer.clause_note)})" if answer.clause_note else "")
        )
        console.print(escape(answer.clause))
    if answer.citations:
        console.print("\n[bold]Bronnen[/bold]")
        for c in answer.citations:
            where = ", ".join(
                x
                for x in (f"p. {c.page}" if c.page else "", f"item {c.item}" if c.item else "")
                if x
            )
            console.print(f"[{c.n}] {escape(c.title)}" + (f" ({where})" if where else ""))
    elif answer.refused and answer.hits:
        for h in answer.hits[:3]:
            console.print(
                f"- {escape(h.chunk.title)} ({escape(h.chunk.location() or h.chunk.section)}): "
                f"{escape(' '.join(h.chunk.text.split())[:160])}…"
            )


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.serve.server import serve

    return serve(_settings(args), host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jeugdakkoord",
        description="Grounded answers and clause drafts for coalition negotiations on youth care.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--index", metavar="DIR", help="index folder (overrides $JEUGDAKKOORD_INDEX)"
        )
        p.add_argument("--embedder", help="embedding model (overrides $JEUGDAKKOORD_EMBEDDER)")

    def questions(p: argparse.ArgumentParser, use: str) -> None:
        """The options ``search`` and ``ask`` share: document filter, JSON, batch input."""
        p.add_argument(
            "--doc", action="append", metavar="DOC_ID", help=f"only {use} these documents"
        )
        p.add_argument("--json", action="store_true", help="one JSON object per question")
        p.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")

    p = sub.add_parser("ingest", help="bring the index up to date with the corpus folder(s)")
    common(p)
    p.add_argument(
        "--corpus",
        metavar="DIR",
        action="append",
        help="corpus folder; repeat for several (default: $JEUGDAKKOORD_CORPUS or corpus/)",
    )
    p.add_argument("--rebuild", action="store_true", help="re-process every file")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="show the passages that best match a question")
    common(p)
    p.add_argument("query", nargs="?", help="the question")
    p.add_argument("--k", type=int, default=None, help="number of passages (default 5)")
    questions(p, "search")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited passages and a draft clause")
    common(p)
    p.add_argument("question", nargs="?", help="the question, in Dutch or English")
    questions(p, "use")
    p.add_argument(
        "--generator",
        choices=["extractive", "openai", "ollama"],
        help="who drafts the answer (overrides $JEUGDAKKOORD_GENERATOR)",
    )
    p.add_argument("--docx", metavar="PATH", help="also write the clause with sources as .docx")
    p.add_argument("--markdown", metavar="PATH", help="also write the clause with sources as .md")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="the chat UI in the browser (default http://127.0.0.1:7860)")
    common(p)
    p.add_argument(
        "--host",
        help="address to listen on (default $JEUGDAKKOORD_HOST or 127.0.0.1); "
        "a non-loopback address requires $JEUGDAKKOORD_AUTH=user:password",
    )
    p.add_argument("--port", type=int, help="port (default $JEUGDAKKOORD_PORT or 7860)")
    p.set_defaults(func=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    from assistant.providers.embeddings import EmbeddingError
    from assistant.providers.stores import StoreError
    from assistant.store.index import IndexError_
    from ingest.errors import IngestError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (IndexError_, EmbeddingError, StoreError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; the index is unchanged unless the ingest had finished", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
