"""What Word and OpenDocument files share: recognising a file that is not what its name says
(encrypted, the old binary format, a zip of something else), the bounds on what one may cost
(:mod:`ingest.limits`, checked before parsing) and numbering list items."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ingest.errors import CorruptFile, EncryptedDocument, TooLarge
from ingest.limits import (
    MAX_PARAGRAPHS,
    MAX_PART_BYTES,
    MAX_REPEAT,
    MAX_TABLE_CELLS,
    MAX_ZIP_BYTES,
    mb,
)

#: An OLE compound file: password-protected Office files and the old binary .doc/.xls formats.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(path: Path, kind: str, required: str) -> zipfile.ZipFile:
    """The file as a zip archive holding ``required``, else the specific reason it is not."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument(f"the {kind} file is password-protected")
        raise CorruptFile(f"an old binary Office file, not {kind} (save it as {path.suffix})")
    if not zipfile.is_zipfile(path):
        raise CorruptFile(f"not a {kind} file (not a zip archive)")
    try:
        archive = zipfile.ZipFile(path)
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFile(f"damaged zip archive ({exc})") from exc
    if required not in names:
        archive.close()
        raise CorruptFile(f"a zip archive, but not a {kind} file (no {required})")
    try:
        check_unpacked_size(archive.infolist())
    except TooLarge:
        archive.close()
        raise
    return archive


def check_unpacked_size(members: Iterable[zipfile.ZipInfo]) -> None:
    """TooLarge when the zip's headers declare a part over MAX_PART_BYTES or more than
    MAX_ZIP_BYTES in all (a decompression bomb), before anything is unpacked. ``zipfile``
    never unpacks more than a header declares (it fails on the CRC), and :func:`read_member`
    reads in bounded steps too, so a lying header cannot get past this either."""
    total = 0
    for info in members:
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(
                f"{info.filename[:80]} unpacks to {mb(info.file_size)}; "
                f"the limit is {mb(MAX_PART_BYTES)} per part"
            )
        total += info.file_size
    if total > MAX_ZIP_BYTES:
        raise TooLarge(f"unpacks to {mb(total)}; the limit is {mb(MAX_ZIP_BYTES)} in all")


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_PART_BYTES) -> bytes:
    """One zip member's bytes, read in steps and never more than ``limit`` of them."""
    out = io.BytesIO()
    with archive.open(name) as fh:
        while block := fh.read(1 << 20):
            if out.tell() + len(block) > limit:
                raise TooLarge(f"{name[:80]} unpacks to more than {mb(limit)}, the limit per part")
            out.write(block)
    return out.getvalue()


def check_counts(
    xml: bytes, paragraphs: tuple[str, ...], cells: tuple[str, ...], kind: str
) -> None:
    """TooLarge as soon as a streaming pass over ``xml`` has met more than MAX_PARAGRAPHS
    ``paragraphs`` or MAX_TABLE_CELLS ``cells`` elements (Clark-notation tags), before the
    document is parsed into a tree: python-docx needs ~2 ms a paragraph."""
    from lxml import etree

    n_paragraphs = n_cells = 0
    events = etree.iterparse(
        io.BytesIO(xml),
        events=("end",),
        tag=[*paragraphs, *cells],
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
    )
    try:
        for _, el in events:
            if el.tag in paragraphs:
                n_paragraphs += 1
                if n_paragraphs > MAX_PARAGRAPHS:
                    raise TooLarge(f"more than {MAX_PARAGRAPHS:,} paragraphs, the limit per file")
            else:
                n_cells += 1
                if n_cells > MAX_TABLE_CELLS:
                    raise TooLarge(f"more than {MAX_TABLE_CELLS:,} table cells, the limit per file")
            el.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"{kind} XML not readable ({exc})"[:300]) from exc


def xml_number(value: str, what: str, kind: str) -> int:
    """A whole number from a file's XML; CorruptFile naming the attribute when it is not one
    (``int()`` raised ValueError there and stopped the whole ingest)."""
    digits = value.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise CorruptFile(f"malformed {kind}: {what} is not a number ({value[:20]!r})")
    return int(digits) if len(digits) <= 18 else 10**18


def repeat_count(value: str | None, what: str, kind: str) -> int:
    """A repeat count from a file's XML (``text:c``, ``w:gridSpan``): 1 when absent, clamped
    to MAX_REPEAT (``text:c="300000000"`` spaces allocated 600 MB)."""
    if value is None:
        return 1
    return max(1, min(xml_number(value, what, kind), MAX_REPEAT))


class ListNumbers:
    """Numbers of list items as printed ("2", "2.1"): a counter per list and level, where an
    item resets the deeper levels below it."""

    def __init__(self) -> None:
        self._counts: dict[str, list[int]] = {}

    def next(self, list_id: str, level: int) -> str:
        counts = self._counts.setdefault(list_id, [])
        level = max(0, min(level, 8))
        while len(counts) <= level:
            counts.append(0)
        counts[level] += 1
        del counts[level + 1 :]
        return ".".join(str(max(c, 1)) for c in counts[: level + 1])
