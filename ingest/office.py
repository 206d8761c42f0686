"""What Word and OpenDocument files share: recognising a file that is not what its name says
(encrypted, the old binary format, a zip of something else) and numbering list items."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.errors import CorruptFile, EncryptedDocument

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
    return archive


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
