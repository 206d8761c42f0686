"""Write small real PDFs for tests (text in Helvetica, one string per page)."""

from __future__ import annotations

from pathlib import Path

from evals.docgen import pdf_escape, write_pdf


def make_pdf(path: Path, pages: list[str | None], title: str = "", author: str = "") -> Path:
    """A valid PDF whose page ``i`` shows the lines of ``pages[i]`` as extractable text; a
    ``None`` page is a scan: a full-page grey image and no text at all."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    info_id = font_id + 1
    image_id = info_id + 1
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, text in enumerate(pages):
        if text is None:
            content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
            resources = f"<< /XObject << /Im1 {image_id} 0 R >> >>"
        else:
            content = b"BT /F1 11 Tf 14 TL 50 780 Td "
            for line in text.split("\n"):
                content += b"(" + pdf_escape(line) + b") Tj T* "
            content += b"ET"
            resources = f"<< /Font << /F1 {font_id} 0 R >> >>"
        page = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources {resources} /Contents {4 + 2 * i} 0 R >>"
        )
        objects.append(page.encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects.append(
        b"<< /Title (" + pdf_escape(title) + b") /Author (" + pdf_escape(author) + b") >>"
    )
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(64) for x in range(48))  # "scanned" grey
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 48 /Height 64 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    )
    write_pdf(path, objects, trailer=f"/Info {info_id} 0 R")
    return path


def encrypt_pdf(src: Path, dst: Path, user_password: str, owner_password: str = "owner") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    with open(dst, "wb") as fh:
        writer.write(fh)
    return dst
