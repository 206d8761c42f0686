"""Build the documents municipalities have, for tests, the eval and the bench: a scan (page
images, no text layer), a PDF with a ruled table, a Word file, an OpenDocument file and a saved
web page."""

from __future__ import annotations

import zipfile
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def pdf_escape(text: str) -> bytes:
    """``text`` as a PDF literal string body (WinAnsi, delimiters escaped)."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(path: Path, objects: list[bytes], trailer: str = "") -> Path:
    """Write numbered ``objects`` (object 1 the catalog) as a PDF with a correct xref table;
    ``trailer`` adds entries to the trailer dictionary (e.g. ``/Info 7 0 R``)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    extra = f" {trailer}" if trailer else ""
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{extra} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(out))
    return path


def scanned_pdf(path: Path, pages: list[list[str]], size: int = 42) -> Path:
    """A PDF whose pages are images of the given lines of text (300 dpi A4, no text layer)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, size) if Path(FONT).exists() else ImageFont.load_default(size)
    images = []
    for lines in pages:
        img = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            draw.text((220, 300 + i * round(size * 1.8)), line, fill=0, font=font)
        images.append(img)
    images[0].save(path, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return path


def table_pdf(
    path: Path, intro: str, rows: list[list[str]], outro: str = "", in_form: bool = False
) -> Path:
    """A one-page PDF: a line of text, a table drawn with ruled cells, another line of text.
    ``in_form``: the ruling is drawn by a form XObject the page paints (as some generators do)."""
    x0, y0, cw, rh = 60, 700, 150, 22
    ruling = b"0.5 w "
    for r, row in enumerate(rows):
        for c, _ in enumerate(row):
            ruling += f"{x0 + c * cw} {y0 - (r + 1) * rh} {cw} {rh} re S ".encode()
    content = b"/Fm1 Do " if in_form else ruling
    content += b"BT /F1 11 Tf 60 760 Td (" + pdf_escape(intro) + b") Tj ET "
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            x, y = x0 + c * cw + 4, y0 - (r + 1) * rh + 7
            content += f"BT /F1 10 Tf {x} {y} Td (".encode() + pdf_escape(cell) + b") Tj ET "
    if outro:
        y = y0 - (len(rows) + 2) * rh
        content += f"BT /F1 11 Tf 60 {y} Td (".encode() + pdf_escape(outro) + b") Tj ET "
    xobject = b" /XObject << /Fm1 6 0 R >>" if in_form else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >>" + xobject + b" >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if in_form:
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d >>\nstream\n"
            % len(ruling)
            + ruling
            + b"\nendstream"
        )
    return write_pdf(path, objects)


def word_file(
    path: Path,
    heading: str,
    intro: str,
    items: list[str],
    table: list[list[str]],
    title: str = "Verkiezingsprogramma Jeugd",
    author: str = "Partij voor de Jeugd",
) -> Path:
    """A .docx with a heading, a paragraph, a numbered list, a bullet and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    document.add_heading(heading, level=1)
    document.add_paragraph(intro)
    for item in items:
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("Een los opsommingsteken over de sportvereniging.", style="List Bullet")
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.save(str(path))
    return path


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odt_file(path: Path, heading: str, items: list[str], bullets: list[str]) -> Path:
    """An .odt built as the zip it is: a heading, a numbered and a bulleted list, a table."""
    numbered = "".join(f"<text:list-item><text:p>{i}</text:p></text:list-item>" for i in items)
    bulleted = "".join(f"<text:list-item><text:p>{b}</text:p></text:list-item>" for b in bullets)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS}>'
        "<office:automatic-styles>"
        '<text:list-style style:name="L1"><text:list-level-style-number text:level="1"/>'
        "</text:list-style>"
        '<text:list-style style:name="L2"><text:list-level-style-bullet text:level="1"/>'
        "</text:list-style></office:automatic-styles>"
        "<office:body><office:text>"
        f'<text:h text:outline-level="1">{heading}</text:h>'
        "<text:p>Deze notitie<text:s/>beschrijft de inzet van de gemeente.</text:p>"
        f'<text:list text:style-name="L1">{numbered}</text:list>'
        f'<text:list text:style-name="L2">{bulleted}</text:list>'
        "<table:table><table:table-row><table:table-cell><text:p>Wijk</text:p></table:table-cell>"
        "<table:table-cell><text:p>Jongerenwerkers</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Noord</text:p></table:table-cell>"
        "<table:table-cell><text:p>3</text:p></table:table-cell></table:table-row></table:table>"
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODT_NS}><office:meta>'
        "<dc:title>Notitie jongerenwerk</dc:title><meta:initial-creator>Gemeente Zuidhaven"
        "</meta:initial-creator><meta:creation-date>2024-03-05T10:00:00</meta:creation-date>"
        "</office:meta></office:document-meta>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("meta.xml", meta)
    return path


def web_page(path: Path, title: str, paragraphs: list[str], nav: str, footer: str) -> Path:
    """A saved web page: navigation menu, main text with a heading, a footer, a script."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="DCTERMS.issued" content="2024-06-12">'
        "<script>var tracking = 'analytics';</script></head><body>"
        f'<header><nav><ul><li><a href="/">{nav}</a></li><li><a href="/zoek">Zoeken</a></li>'
        f"</ul></nav></header><main><article><h1>{title}</h1>{body}"
        "<h2>Vervolg</h2><p>Het kabinet informeert de Kamer voor de zomer over de voortgang "
        "van de afspraken met gemeenten over de jeugdzorg.</p></article></main>"
        f"<footer><p>{footer}</p></footer></body></html>"
    )
    path.write_text(html, encoding="utf-8")
    return path
