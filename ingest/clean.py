"""Turn raw extracted page text into clean paragraphs, headings and numbered items.

PDF text extraction gives lines, not paragraphs: lines wrap mid-sentence (sometimes with
blank lines between them), words are hyphenated at line ends, page numbers and running
headers repeat on every page, and letters interleave a letterhead block ("Onderwerp / Datum /
Ons kenmerk / Telefoon") with the body. This module undoes that and records where every
character came from (page), so chunks can be cited precisely.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.core.divisions import division_rank, opens_unit
from assistant.core.passages import REDACTION_MARK
from assistant.core.wordlists import DUTCH_MONTHS, LETTERHEAD_LABELS
from ingest.tables import is_table_line

if TYPE_CHECKING:
    from ingest.document import Part

_LABEL_RE = re.compile(
    r"^(" + "|".join(re.escape(x) for x in LETTERHEAD_LABELS) + r")(?::|\s|$)\s*(.*)$", re.I
)
#: Woo redaction grounds ("5.1.2e" = privacy) stand where personal data was removed.
REDACTION_RE = re.compile(r"(?<![\w.])5\.[12]\.\d[a-i]?(?![\w.]*\d)")
_BULLET_RE = re.compile(r"^\s*(?:[•●▪◦■□‣∙·*]|[-–—](?=\s))\s*")
_NUMBERED_RE = re.compile(r"^\s*\(?(\d{1,2})[.)]\s+(?=\S)")
_PAGE_NUM_RE = re.compile(
    r"^\s*(?:-\s*)?(?:pagina\s+|page\s+)?(\d{1,4})(?:\s*(?:/|van|of)\s*\d+)?\s*(?:-)?\s*$", re.I
)
_TERMINAL = ".!?:;"


@dataclass
class Block:
    """A structural unit of the cleaned text: heading, numbered item, bullet, paragraph or
    table (pipe rows, one per line)."""

    kind: str  # heading | item | paragraph | bullet | table | toc
    start: int
    end: int
    number: str = ""


@dataclass
class CleanDocument:
    text: str
    blocks: list[Block]
    page_offsets: list[tuple[int, int]]  # (offset where a page starts in text, page number)
    letterhead: dict[str, str] = field(default_factory=dict)
    bold_phrases: list[str] = field(default_factory=list)
    page_labels: dict[int, str] = field(default_factory=dict)
    redactions: int = 0
    removed_furniture: list[str] = field(default_factory=list)
    title_hint: str = ""  # the first Markdown heading, a title for files without metadata
    #: The source states its structure (Word, OpenDocument, HTML): lists are lists for sure.
    structured: bool = False

    def page_at(self, offset: int) -> int:
        if not self.page_offsets:
            return 0
        starts = [o for o, _ in self.page_offsets]
        i = bisect.bisect_right(starts, offset) - 1
        return self.page_offsets[max(i, 0)][1]


@dataclass
class _Line:
    text: str
    page: int
    blank_before: bool = False
    heading: bool = False  # a Markdown heading: a heading whatever it looks like


_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_HTML_ONLY_RE = re.compile(r"^\s*(<[^>]+>\s*)+$")


def normalize_line(line: str, bold: list[str]) -> str:
    """Character-level fixes: odd spaces, ligatures, bullets, Markdown bold, ``18^e``."""
    line = unicodedata.normalize("NFKC", line)
    line = line.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"[\uf000-\uf8ff]", "•", line)  # private-use glyphs are bullets in Word PDFs
    line = line.replace("\t", " ")
    for m in re.finditer(r"\*\*(.+?)\*\*", line):
        bold.append(m.group(1).strip())
    line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
    line = re.sub(r"(\d)\^([a-z]{1,3})\b", r"\1\2", line)
    line = re.sub(r"[ \u00a0\u2000-\u200a\u202f\u3000]+", " ", line)
    return line.strip()


def _furniture_key(line: str) -> str:
    """A line with its numbers blanked: a running header keeps its key while its print time,
    page number or date changes ("07-12-2026 14:03", "3/12", "Pagina 3 van 12")."""
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


#: How many lines at the top and at the bottom of a page may be furniture (a browser print
#: has two at each end: date and title, address and page count; a report adds its own).
FURNITURE_LINES = 3


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indexes of the first and the last few non-empty lines of a page, outermost first: up
    to :data:`FURNITURE_LINES`, and no more than a third of the page (one line of a page of
    up to five, so a short page's text is not taken for its header)."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    k = min(FURNITURE_LINES, max(1, len(idx) // 3))
    return idx[:k], idx[::-1][:k]


def _repeated(pages: list[tuple[int, list[str]]]) -> set[tuple[str, str]]:
    """(edge, key) of lines that stand at the same edge of a large share of the pages: at
    least two pages of two, three of three, else 30% (odd and even pages may differ)."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, lines in pages:
        top, bottom = _edges(lines)
        for edge, idx in (("top", top), ("bottom", bottom)):
            counts.update({(edge, _furniture_key(lines[i])) for i in idx if len(lines[i]) < 160})
    n = len(pages)
    need = n if n <= 3 else max(3, math.ceil(0.3 * n))
    return {k for k, c in counts.items() if n >= 2 and c >= need and k[1].strip("# ")}


def _remove_furniture(
    pages: list[tuple[int, list[str]]],
) -> tuple[list[tuple[int, list[str]]], dict[int, str], list[str]]:
    """Drop page numbers and running headers/footers that repeat across pages: what repeats
    at a page's edges, numbers blanked, is furniture (no site or format is named here)."""
    labels: dict[int, str] = {}
    repeated = _repeated(pages)
    n = len(pages)
    out: list[tuple[int, list[str]]] = []
    removed: list[str] = []
    for number, lines in pages:
        kept = list(lines)
        idx = [i for i, ln in enumerate(kept) if ln.strip()]
        top, bottom = _edges(kept)
        drop: set[int] = set()
        for edge, positions in (("top", top), ("bottom", bottom)):
            for i in positions:  # from the edge inwards, up to the first line of content
                if is_table_line(kept[i]):
                    break  # a table's header row repeated on each page is content
                m = _PAGE_NUM_RE.match(kept[i])
                if m and n > 1:
                    labels.setdefault(number, m.group(1))
                elif (edge, _furniture_key(kept[i])) not in repeated:
                    break
                drop.add(i)
        if all(i in drop for i in idx):
            # A page that is nothing but "repeated" lines is content (a form, a one-line
            # page per record), not a header: keep it, less its page number.
            drop = {i for i in drop if _PAGE_NUM_RE.match(kept[i])}
        removed.extend(kept[i].strip() for i in sorted(drop) if not _PAGE_NUM_RE.match(kept[i]))
        out.append((number, [ln for i, ln in enumerate(kept) if i not in drop]))
    return out, labels, sorted(set(removed))


#: A letterhead stands on a letter's first pages; further on, "Bijlage II" heads an annex.
LETTERHEAD_PAGES = 2


def _extract_letterhead(lines: list[_Line]) -> tuple[list[_Line], dict[str, str]]:
    """Cut the letterhead block (label lines with their values) out of the running text: on
    the first pages only, and never a table row (an annex's rows between its "Bijlage"
    headings are content)."""
    first = lines[0].page if lines else 0
    label_idx = [
        i
        for i, ln in enumerate(lines)
        if _LABEL_RE.match(ln.text) and len(ln.text) < 120 and ln.page < first + LETTERHEAD_PAGES
    ]
    # A block is two or more label lines close together; a lone "Datum" in prose is not one.
    groups: list[list[int]] = []
    for i in label_idx:
        if groups and i - groups[-1][-1] <= 4:
            groups[-1].append(i)
        else:
            groups.append([i])
    letterhead: dict[str, str] = {}
    drop: set[int] = set()
    for g in groups:
        if len(g) < 2:
            continue
        start, end = g[0], g[-1]
        for i in g:
            m = _LABEL_RE.match(lines[i].text)
            assert m is not None
            label, value = m.group(1).lower(), m.group(2).strip()
            j = i + 1
            # The value follows on the label's line or on the next one or two short lines.
            while (
                not value and j < len(lines) and j <= i + 3 and not _LABEL_RE.match(lines[j].text)
            ):
                value = lines[j].text.strip()
                end = max(end, j)
                j += 1
                if (
                    j < len(lines)
                    and not _LABEL_RE.match(lines[j].text)
                    and len(lines[j].text) < 60
                    and j not in g
                    and lines[j].text
                    and not lines[j].text[0].isupper()
                ):
                    value += " " + lines[j].text.strip()
                    end = max(end, j)
                    j += 1
            letterhead[label] = value
            end = max(end, i)
        # An addressee line right before the labels ("Geachte griffiers ...") belongs to it.
        if (
            start > 0
            and re.match(r"^(geachte|aan)\b", lines[start - 1].text, re.I)
            and not lines[start - 1].text.rstrip().endswith(",")
        ):
            start -= 1
            letterhead["aan"] = lines[start].text.strip()
        drop.update(i for i in range(start, end + 1) if not is_table_line(lines[i].text))
    kept = [ln for i, ln in enumerate(lines) if i not in drop]
    return kept, letterhead


_MONTHS = "|".join(DUTCH_MONTHS)
_DATE_LINE_RE = re.compile(rf"^[\w\s'-]*,?\s*(\d{{1,2}}\s+)?({_MONTHS})\s+\d{{4}}$", re.I)
_TOC_LINE_RE = re.compile(r"^\S.{2,90}\s\d{1,3}$")


def _is_heading(text: str, width: int = 120) -> bool:
    """A short line without final punctuation that starts with a capital (or a number)."""
    if not text or len(text) > min(90, 0.75 * width) or text[-1] in _TERMINAL + ",":
        return False
    if _DATE_LINE_RE.match(text) or REDACTION_RE.fullmatch(text):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if _BULLET_RE.match(text):
        return False
    return len(text.split()) <= 12


def _join(left: str, right: str) -> str:
    """Join two wrapped lines, repairing a word hyphenated at the line end."""
    m = re.search(r"(\w+)-$", left)
    if m and right[:1].islower():
        head, tail = m.group(1), re.match(r"\w+", right)
        tail_s = tail.group(0) if tail else ""
        suspended = tail_s in {"en", "of", "als", "tot", "noch"}
        vowel_clash = head[-1:].lower() in "aeiou" and tail_s[:1].lower() in "aeiou"
        acronym = head.isupper() or len(head) <= 3
        if not (suspended or vowel_clash or acronym):
            return left[:-1] + right
        return left + ("" if not suspended else " ") + right
    return left + " " + right


#: A block before assembly: (kind, item number, its lines).
RawBlock = tuple[str, str, list[_Line]]


def clean(pages: list[tuple[int, str]]) -> CleanDocument:
    """Clean a document given as (page number, raw text) pairs; page 0 means 'no pages'."""
    bold: list[str] = []
    split_pages = [(n, [normalize_line(ln, bold) for ln in t.splitlines()]) for n, t in pages]
    labels: dict[int, str] = {}
    removed: list[str] = []
    if len(split_pages) > 1:
        split_pages, labels, removed = _remove_furniture(split_pages)
    lines, title_hint = _page_lines(split_pages)
    lines, letterhead = _extract_letterhead(lines)
    raw_blocks = _demote_orphan_headings(_group_blocks(lines))
    full, blocks, page_offsets, redactions = _assemble(raw_blocks)
    marked = {k: _mark(v) for k, v in letterhead.items()}
    redactions += sum(n for _, n in marked.values())
    return CleanDocument(
        text=full,
        blocks=blocks,
        page_offsets=page_offsets,
        letterhead={k: v for k, (v, _) in marked.items()},
        bold_phrases=bold,
        page_labels=labels,
        redactions=redactions,
        removed_furniture=removed,
        title_hint=title_hint,
    )


def _page_lines(split_pages: list[tuple[int, list[str]]]) -> tuple[list[_Line], str]:
    """The text lines with their page and a blank-line-before flag (paragraph breaks), and
    the first Markdown heading as a title hint; HTML-only lines and empty headings go."""
    lines: list[_Line] = []
    title_hint = ""
    for page_no, page_lines in split_pages:
        blank = True
        for raw_line in page_lines:
            if not raw_line or _HTML_ONLY_RE.match(raw_line):
                blank = True
                continue
            md = _MD_HEADING_RE.match(raw_line) if raw_line.startswith("#") else None
            if md:
                heading_text = md.group(2).strip()
                if not heading_text:
                    continue
                title_hint = title_hint or heading_text
                # "Hoofdstuk 1" + its name is one heading; a heading that opens a division or
                # an article starts its own.
                if (
                    lines
                    and lines[-1].heading
                    and len(lines[-1].text) < 40
                    and not opens_unit(heading_text)
                ):
                    lines[-1].text = f"{lines[-1].text} {heading_text}"
                else:
                    lines.append(_Line(heading_text, page_no, True, heading=True))
                blank = True
                continue
            lines.append(_Line(raw_line, page_no, blank))
            blank = False
    return lines, title_hint


def _group_blocks(lines: list[_Line]) -> list[RawBlock]:
    """Group lines into blocks by their shape, since PDF text has lines, not paragraphs."""
    width = _typical_width([ln.text for ln in lines])
    toc = _toc_lines(lines)
    raw_blocks: list[RawBlock] = []
    for ln in lines:
        if _place_marked_line(raw_blocks, ln, toc[id(ln)]):
            continue
        if raw_blocks and _continues_block(raw_blocks, ln, width):
            continue
        raw_blocks.append(("heading" if _is_heading(ln.text, width) else "paragraph", "", [ln]))
    return raw_blocks


def _place_marked_line(raw_blocks: list[RawBlock], ln: _Line, in_toc: bool) -> bool:
    """Place a line whose kind its own form tells (Markdown heading, table row, contents
    line, numbered item, bullet); False for plain text, whose kind depends on its context."""
    text = ln.text
    if ln.heading:
        raw_blocks.append(("heading", "", [ln]))
        return True
    if is_table_line(text):
        if raw_blocks and raw_blocks[-1][0] == "table" and not ln.blank_before:
            raw_blocks[-1][2].append(ln)
        else:
            raw_blocks.append(("table", "", [ln]))
        return True
    if in_toc:
        if raw_blocks and raw_blocks[-1][0] == "toc":
            raw_blocks[-1][2].append(ln)
        else:
            raw_blocks.append(("toc", "", [ln]))
        return True
    num = _NUMBERED_RE.match(text)
    if num:
        raw_blocks.append(("item", num.group(1), [ln]))
        return True
    if _BULLET_RE.match(text):
        raw_blocks.append(("bullet", "", [ln]))
        return True
    return False


def _continues_block(raw_blocks: list[RawBlock], ln: _Line, width: int) -> bool:
    """Append a plain line to the last block when it is a wrapped continuation of it (no
    final punctuation, or a full-width line with no blank before); False starts a new block."""
    text = ln.text
    kind, number, blines = raw_blocks[-1]
    last = blines[-1].text
    ended = last[-1] in _TERMINAL
    short = len(last) < 0.7 * width
    if kind == "table":
        return False
    block_is_title = kind in ("item", "heading") and len(blines) == 1 and _is_heading(last, width)
    salutation = last.lower().startswith("geachte") and last.endswith(",")
    if block_is_title and text[:1].islower():
        # What looked like a title continues on the next line: it was a wrapped line.
        raw_blocks[-1] = ("paragraph" if kind == "heading" else kind, number, blines)
        blines.append(ln)
        return True
    if block_is_title or salutation or kind == "toc":
        return False  # a heading or item title stands alone; the text below starts a new block
    if not ended:
        if not (short and ln.blank_before and _is_heading(text, width)):
            blines.append(ln)
            return True
        return False
    if not ln.blank_before and not short and kind != "heading":
        blines.append(ln)
        return True
    return False


def clean_parts(parts: list[Part]) -> CleanDocument:
    """Clean a structured document: its parts are the blocks (no guessing from line shapes)."""
    bold: list[str] = []
    raw_blocks: list[RawBlock] = []
    for part in parts:
        if part.kind == "table":
            lines = [normalize_line(row, bold) for row in part.text.splitlines()]
            raw_blocks.append(("table", "", [_Line(row, part.page) for row in lines if row]))
            continue
        text = normalize_line(part.text.replace("\n", " "), bold)
        if text:
            raw_blocks.append((part.kind, part.number, [_Line(text, part.page)]))
    full, blocks, page_offsets, redactions = _assemble(raw_blocks)
    title = next((full[b.start : b.end] for b in blocks if b.kind == "heading"), "")
    return CleanDocument(
        text=full,
        blocks=blocks,
        page_offsets=page_offsets,
        bold_phrases=bold,
        redactions=redactions,
        title_hint=title,
        structured=True,
    )


def _mark(text: str) -> tuple[str, int]:
    """``text`` with Woo redaction grounds marked, and how many there were."""
    found = REDACTION_RE.findall(text)
    return REDACTION_RE.sub(lambda m: REDACTION_MARK.format(m.group(0)), text), len(found)


def _assemble(
    raw_blocks: list[RawBlock],
) -> tuple[str, list[Block], list[tuple[int, int]], int]:
    """The document text from its blocks: blocks apart by a blank line, a table's rows by a
    newline, wrapped lines joined; with each block's span and where each page starts."""
    out: list[str] = []
    blocks: list[Block] = []
    page_offsets: list[tuple[int, int]] = []
    redactions = 0
    pos = 0
    for kind, number, blines in raw_blocks:
        if out:
            out.append("\n\n")
            pos += 2
        start = pos
        text = ""
        for ln in blines:
            piece, n = _mark(ln.text)
            redactions += n
            if not page_offsets or page_offsets[-1][1] != ln.page:
                page_offsets.append((start + len(text) + (1 if text else 0), ln.page))
            if not text:
                text = piece
            elif kind == "toc":
                text = text + "; " + piece
            elif kind == "table":
                text = text + "\n" + piece
            else:
                text = _join(text, piece)
        out.append(text)
        pos += len(text)
        blocks.append(Block(kind=kind, start=start, end=pos, number=number))
    return "".join(out), blocks, page_offsets, redactions


def _typical_width(texts: list[str]) -> int:
    lengths = sorted(len(t) for t in texts if len(t) > 20)
    if not lengths:
        return 80
    return max(40, lengths[int(len(lengths) * 0.8)])


def _toc_lines(lines: list[_Line]) -> dict[int, bool]:
    """Lines of a table of contents: three or more in a row ending in a page number."""
    flags = [bool(_TOC_LINE_RE.match(ln.text)) for ln in lines]
    out = dict.fromkeys((id(ln) for ln in lines), False)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and flags[j]:
            j += 1
        if j - i >= 3:
            for ln in lines[i:j]:
                out[id(ln)] = True
        i = max(j, i + 1)
    return out


def _demote_orphan_headings(
    blocks: list[RawBlock],
) -> list[RawBlock]:
    """A 'heading' with no text below it (a signature, a run of names) is just a line, unless
    it opens a division of legislation: "Hoofdstuk 2. Vormen van jeugdhulp" is followed by
    its first article's heading."""
    out: list[RawBlock] = []
    for i, (kind, number, lines) in enumerate(blocks):
        nxt = blocks[i + 1][0] if i + 1 < len(blocks) else None
        opens = nxt == "heading" and division_rank(" ".join(ln.text for ln in lines)) is not None
        if kind == "heading" and nxt in (None, "heading") and not opens:
            kind = "paragraph"
        out.append((kind, number, lines))
    return out
