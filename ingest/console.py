"""How ``jeugdakkoord ingest`` shows its progress and summary on a terminal or in a log.

Every file name and reason is user data: it is escaped before rich reads it as markup
(a file called ``rich[/x].pdf`` must print as itself, not crash the summary).
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingest.pipeline import IngestSummary, Progress


class RichProgress(Progress):
    """Ingest progress as rich progress bars: one over files, one over embedding batches."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bars

        self.console = Console(stderr=True)
        self.bars = Bars(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[item]}"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self._files: Any = None
        self._embed: Any = None
        self._ocr: Any = None

    def __enter__(self) -> RichProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def files(self, total: int) -> None:
        self._files = self.bars.add_task("files", total=total, item="")

    def file_done(self, key: str, status: str) -> None:
        item = escape(f"{key[-40:]} ({status[:40]})")
        self.bars.update(self._files, advance=1, item=item)

    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        if self._ocr is None:
            self._ocr = self.bars.add_task("OCR", total=total, item="")
        elif done == 1:
            self.bars.reset(self._ocr, total=total)
        self.bars.update(self._ocr, completed=done, item=escape(f"{key[-40:]} p. {page}"))

    def embedding(self, total: int) -> None:
        self._embed = self.bars.add_task("embedding", total=max(total, 0), item="passages")

    def embedded(self, n: int) -> None:
        self.bars.update(self._embed, advance=n)

    def message(self, text: str) -> None:
        self.console.print(escape(text))


class PlainProgress(Progress):
    """One plain line per file (and per tenth of the embedding work) for logs and CI, where
    progress bars would print nothing."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.to_embed = 0
        self.embedded_n = 0
        self._next_report = 0

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()

    def _line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def files(self, total: int) -> None:
        self.total = total
        self._line(f"ingest: {total} file{'s' if total != 1 else ''}")

    def file_done(self, key: str, status: str) -> None:
        self.done += 1
        self._line(f"[{self.done}/{self.total}] {key}: {status}")

    def ocr_page(self, key: str, page: int, done: int, total: int) -> None:
        self._line(f"OCR {key}: page {page} ({done}/{total})")

    def embedding(self, total: int) -> None:
        self.to_embed = total
        self._next_report = max(1, total // 10)
        if total:
            self._line(f"embedding {total} passages")

    def embedded(self, n: int) -> None:
        self.embedded_n += n
        if self.embedded_n >= self._next_report or self.embedded_n >= self.to_embed:
            self._line(f"embedded {self.embedded_n}/{self.to_embed} passages")
            self._next_report = self.embedded_n + max(1, self.to_embed // 10)

    def message(self, text: str) -> None:
        self._line(text)


def progress_for(json_output: bool) -> RichProgress | PlainProgress:
    """Bars in an interactive terminal; plain lines when the output goes to a file or pipe
    (on stdout, or on stderr when stdout carries the JSON summary)."""
    if sys.stdout.isatty() and sys.stderr.isatty():
        return RichProgress()
    return PlainProgress(sys.stderr if json_output else sys.stdout)


#: What each kind of truncation note (``ingest.limits``, the embedders' window) means for a
#: user, keyed by a phrase of the note: (what was cut, whether it matters).
_TRUNCATION_MEANING = (
    (
        "longer than the window",
        "a passage longer than an embedding model's window has only its beginning in that "
        "model's vector",
        "harmless: keyword search and quotes still use the whole passage",
    ),
    (
        "unbroken",
        "an unbroken string of inline data (such as an embedded image) was shortened",
        "harmless: it is no text anyone searches for",
    ),
    (
        "only the first",
        "a file gave more passages than the limit per file, and the rest is not indexed",
        "this matters: split the file if its end should be searchable",
    ),
)


def truncation_sentence(truncated: list[tuple[str, str]]) -> str:
    """One plain sentence on the summary's "truncated files": what was cut and whether it
    matters ("" when nothing was)."""
    if not truncated:
        return ""
    files = len({key for key, _ in truncated})
    notes = [what for _, what in truncated]
    kinds = [m for m in _TRUNCATION_MEANING if any(m[0] in note for note in notes)]
    head = f"Truncated ({files} file{'s' if files != 1 else ''}, listed below): "
    if not kinds:
        return head + "part of the text is not indexed; see each line for what."
    return head + "; ".join(f"{what} ({matters})" for _, what, matters in kinds) + "."


def print_summary(summary: IngestSummary) -> None:
    """The summary table and one line per failed, skipped or truncated file (not wrapped:
    a log keeps each on one line)."""
    console = Console()
    table = Table(title=f"Ingest summary — index generation {summary.generation}")
    table.add_column("")
    table.add_column("", justify="right")
    for label, value in (
        ("files in index", summary.files),
        ("pages", summary.pages),
        ("pages read by OCR", summary.ocr_pages),
        ("tables", summary.tables),
        ("chunks", summary.chunks),
        ("unchanged files", summary.unchanged),
        ("new files", summary.added),
        ("changed files", summary.changed),
        ("metadata updated", summary.metadata_updated),
        ("removed files", summary.removed),
        ("passages embedded", summary.embedded),
        ("skipped files", len(summary.skipped)),
        ("failed files", len(summary.failed)),
        ("truncated files", len({key for key, _ in summary.truncated})),
        ("seconds", f"{summary.seconds:.1f}"),
    ):
        table.add_row(label, str(value))
    for key, pages in summary.pages_without_text.items():
        table.add_row(f"pages without text: {escape(key)}", ", ".join(map(str, pages)))
    console.print(table)
    if summary.up_to_date:
        console.print("[green]Index is up to date; nothing was re-embedded.[/green]")
    for key, reason in summary.failed:
        console.print(f"[red]FAILED[/red] {escape(key)}: {escape(reason)}", soft_wrap=True)
    for key, reason in summary.skipped:
        console.print(f"[yellow]skipped[/yellow] {escape(key)}: {escape(reason)}", soft_wrap=True)
    for key, fields in summary.inferred:
        found = ", ".join(f"{name} {value!r}" for name, value in fields.items())
        console.print(
            f"[cyan]inferred[/cyan] {escape(key)}: {escape(found)} (set them with "
            "`jeugdakkoord docs set`)",
            soft_wrap=True,
        )
    if sentence := truncation_sentence(summary.truncated):
        console.print(escape(sentence), soft_wrap=True)
    for key, what in summary.truncated:
        console.print(f"[yellow]truncated[/yellow] {escape(key)}: {escape(what)}", soft_wrap=True)
    for w in summary.warnings:
        console.print(f"[yellow]warning[/yellow] {escape(w)}", soft_wrap=True)
