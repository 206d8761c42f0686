"""Tables as text: one Markdown pipe row per line, header first, so a table chunk keeps its rows
and header (never a flat run of numbers) and the UI can draw it again as a table."""

from __future__ import annotations

import re
from collections.abc import Sequence

_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


def _cell(value: object) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    return text.replace("|", "/")


def pipe_table(rows: Sequence[Sequence[object]]) -> str:
    """``rows`` (header first) as pipe rows; empty rows and columns dropped; '' if no content."""
    cells = [[_cell(c) for c in row] for row in rows]
    cells = [row for row in cells if any(row)]
    if not cells:
        return ""
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    keep = [j for j in range(width) if any(row[j] for row in cells)]
    cells = [[row[j] for j in keep] for row in cells]
    if len(cells) < 2 or not keep:
        return ""  # one row is a line of text, not a table
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "| " + " | ".join("---" for _ in keep) + " |")
    return "\n".join(lines)


def is_table_line(line: str) -> bool:
    s = line.strip()
    return len(s) >= 3 and s.startswith("|") and s.endswith("|")


def split_row(line: str) -> list[str]:
    return [c.strip() for c in line.strip()[1:-1].split("|")]


def parse_pipe_table(text: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a table chunk's text; the header is empty for a continuation chunk."""
    lines = [ln for ln in text.splitlines() if is_table_line(ln)]
    header: list[str] = []
    if len(lines) >= 2 and all(_SEPARATOR_CELL.match(c) for c in split_row(lines[1])):
        header, lines = split_row(lines[0]), lines[2:]
    return header, [split_row(ln) for ln in lines]
