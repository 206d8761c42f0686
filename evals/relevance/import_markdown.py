"""Policy prose for training, converted from a documentation site's Markdown into the law-like
layout :func:`~evals.relevance.sources.parse_markdown` reads: ``python -m
evals.relevance.import_markdown SRC_DIR OUT_DIR``.

Why: the laws of the scale corpus dominate the training pairs, while users ask about letters,
advice and policy texts. The Algoritmekader of the Dutch government (MinBZK, EUPL-1.2) is
Dutch policy prose with headings and bold key phrases: every ``##``/``###`` section becomes a
passage titled by its heading. Front matter, admonition markers, HTML comments, macros, image
and link-only lines, tables' rules and the sections that only list sources are dropped.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

#: Sections with no prose of their own (links, tags, a feedback request).
_SKIPPED = re.compile(r"^(bronnen|van toepassing op|help ons|meer informatie|links?)\b", re.I)
_NOISE = re.compile(r"^\s*(<!--.*-->|\{[{%].*[}%]\}|!\[.*|\|?\s*:?-{3,}.*|<[^>]+>\s*)$")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?)\s*\w+(?:\s+"([^"]*)")?\s*$')
_LINK_ONLY = re.compile(r"^\s*[-*]?\s*\[[^\]]*\]\([^)]*\)\s*$")
_TAG = re.compile(r"<[^>]*>")
_ICON = re.compile(r":(?:material|octicons|fontawesome)-[\w-]+:(?:\{[^}]*\})?")
#: A heading inside a list item (a "grid card"): the item's text.
_CARD = re.compile(r"^[-*]\s+#{1,6}\s+")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def convert(text: str, fallback_title: str) -> str:
    """One Markdown page as a law-like document (empty when it holds no section)."""
    front = _FRONT.match(text)
    title = fallback_title
    if front:
        found = re.search(r"^title:\s*(.+)$", front.group(1), re.M)
        title = found.group(1).strip().strip("'\"") if found else title
        text = text[front.end() :]
    out = [f"##{title}", ""]
    n, heading, skipping = 0, title, False
    body: list[str] = []

    def close() -> None:
        nonlocal n
        lines = [ln for ln in body if ln.strip()]
        if not skipping and sum(len(ln) for ln in lines) >= 80:
            n += 1
            out.extend([f"### § {n}", "", f"####{heading}", "", *lines, ""])

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("# "):
            title = heading = line[2:].strip() or title
            out[0] = f"##{title}"
            continue
        if re.match(r"^#{2,6}\s", line):
            close()
            heading = line.lstrip("#").strip()
            body, skipping = [], bool(_SKIPPED.match(heading))
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            if admonition.group(1) and " " in admonition.group(1).strip():
                body.append(admonition.group(1) + ".")
            continue
        if _NOISE.match(line) or _LINK_ONLY.match(line):
            continue
        line = _CARD.sub("- ", _ICON.sub("", _TAG.sub("", line))).strip()
        if not line or line in ("-", "*"):
            continue
        body.append(line.strip("|").replace(" | ", "; ") if line.startswith("|") else line)
    close()
    return "\n".join(out) if n else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(p for p in args.src.rglob("*.md") if p.is_file()):
        converted = convert(path.read_text(encoding="utf-8"), path.stem.replace("-", " "))
        if converted:
            name = "-".join(path.relative_to(args.src).with_suffix("").parts)
            (args.out / f"{name}.md").write_text(converted + "\n", encoding="utf-8")
            written += 1
    print(f"{written} documents written to {args.out}")


if __name__ == "__main__":
    main()
