"""The PDF, read back: its text, its shape and its QR code (certificates/pdf.py)."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from pypdf import PdfReader

from certificates.pdf import certificate_pdf

from .conftest import NAME

pytestmark = pytest.mark.django_db


def download(client, certificate):
    response = client.get(f"/certificates/{certificate.code}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def test_the_pdf_text_holds_the_name_course_and_code(client, certificate):
    page = PdfReader(io.BytesIO(download(client, certificate))).pages[0]
    text = page.extract_text()
    assert NAME in text  # "Dr Zoë Ångström-Łukasz": beyond Latin-1, through the TTF font
    assert "Clinical documentation AI" in text
    assert certificate.code in text
    assert "Certificate of completion" in text


def test_the_pdf_is_one_landscape_a4_page(client, certificate):
    reader = PdfReader(io.BytesIO(download(client, certificate)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 in points


def test_the_qr_code_decodes_to_the_verification_address(client, certificate):
    data = download(client, certificate)
    image = pypdfium2.PdfDocument(data)[0].render(scale=3).to_pil()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert found == [f"{settings.SITE_URL}/certificates/{certificate.code}/"]


def test_a_long_name_and_title_stay_on_one_page(certificate):
    certificate.display_name = "Maximiliana " * 12
    certificate.course_title = "A very long course title " * 6
    data = certificate_pdf(certificate, verify_url="https://example.org/certificates/x/")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_a_certificate_without_a_name_says_so(certificate):
    certificate.display_name = ""
    data = certificate_pdf(certificate, verify_url="https://example.org/certificates/x/")
    assert "(name not given)" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
