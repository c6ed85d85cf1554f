"""The printable certificate: a landscape A4 PDF with a QR code to the verification page.

Drawn by fpdf2 with DejaVu Sans (``fonts/DejaVuSans.ttf``, shipped with the app under its
licence in ``fonts/LICENSE.txt``), because names are typed by people and the PDF core fonts
hold Latin-1 only: "Łukasz" would not print. DejaVu has no CJK glyphs; such a name shows
as empty boxes (a known gap, see README). The QR code (segno) is vector SVG, so it stays
sharp when printed, and the same area is a link for readers who open the PDF on screen.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from fpdf import FPDF

from .models import Certificate

FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
INK = (33, 37, 41)
ACCENT = (13, 71, 161)


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as PDF bytes; ``verify_url`` is the absolute verification address."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Certificate: {certificate.course_title}")
    pdf.set_author("Generalist vs specialist courses")
    pdf.set_creator("certificates/pdf.py")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    width, height = pdf.w, pdf.h

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)

    pdf.set_text_color(*INK)
    pdf.set_y(32)
    _line(pdf, "Certificate of completion", size=30, height=16)
    _line(pdf, "This certifies that", size=14, height=12)
    _line(pdf, certificate.display_name or "(name not given)", size=28, height=18)
    _line(pdf, "completed the course", size=14, height=12)
    _line(pdf, certificate.course_title, size=22, height=16)
    completed = certificate.completed_at.strftime("%d %B %Y").lstrip("0")
    _line(pdf, f"on {completed}", size=14, height=12)

    pdf.set_xy(20, height - 48)
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(
        190,
        6,
        f"Certificate code: {certificate.code}\nVerify at: {verify_url}\n"
        "Scan the code or open the address to check that this certificate is valid.",
        new_x="LMARGIN",
    )

    svg = io.BytesIO()
    segno.make(verify_url, error="m").save(
        svg, kind="svg", scale=4, border=2, svgclass=None, omitsize=True
    )
    svg.seek(0)
    size = 40
    x, y = width - 20 - size, height - 20 - size
    pdf.image(svg, x=x, y=y, w=size, h=size)
    pdf.link(x, y, size, size, verify_url)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, *, size: int, height: float) -> None:
    pdf.set_font("DejaVu", size=size)
    pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
