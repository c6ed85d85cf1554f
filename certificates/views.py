"""The public pages of a certificate: verification, PDF, credential; and the revocation list.

Anyone with the code may see them: the code is the secret (128 random bits), and the learner
shares it by sharing the link, as they would the PDF. They show only what the certificate
holds (the chosen name, the course, the dates and whether it is valid), never an email or a
username. A malformed or unknown code gets a plain "not found" page (404); the PDF and the
credential of a revoked certificate are no longer given out (410, with the revoked page).

Caching: the verification page goes through the shared page cache for visitors, keyed by the
certificate's own state (``selectors.state_of``), so a revocation shows on the next request.
The PDF, credential and revocation list have no per-request values and are sent with
``Cache-Control: public, max-age=60``: a revocation reaches every copy within a minute.
"""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from config.page_cache import shared_page

from . import credentials, selectors
from .pdf import certificate_pdf

PUBLIC_SECONDS = 60


def _certificate(request):
    """The certificate of the requested code, read once per request: by the page cache's key
    (so a kept page is served for the certificate's current state) and by the view."""
    if not hasattr(request, "_certificate"):
        request._certificate = selectors.by_code(request.resolver_match.kwargs["code"])
    return request._certificate


def _state(request) -> str:
    return selectors.state_of(_certificate(request))


def _not_found(request):
    return render(request, "certificates/not_found.html", status=404)


def _revoked(request, certificate):
    return render(request, "certificates/verify.html", {"certificate": certificate}, status=410)


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    return response


@require_GET
@shared_page(key=_state)
def verify(request, code):
    certificate = _certificate(request)
    if certificate is None:
        return _not_found(request)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "verify_url": credentials.absolute(request.path)},
    )


def _download(request, code, make, *, content_type: str, filename: str):
    """A valid certificate's file, ``make(certificate)``, as an attachment named ``filename``
    (formatted with the certificate's fields); not found (404) or revoked (410) otherwise."""
    certificate = selectors.by_code(code)
    if certificate is None:
        return _not_found(request)
    if certificate.is_revoked:
        return _revoked(request, certificate)
    response = HttpResponse(make(certificate), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.format(c=certificate)}"'
    return _public(response)


@require_GET
def pdf(request, code):
    return _download(
        request, code,
        lambda c: certificate_pdf(c, verify_url=credentials.absolute(c.get_absolute_url())),
        content_type="application/pdf", filename="certificate-{c.course_slug}.pdf",
    )  # fmt: skip


@require_GET
def credential(request, code):
    return _download(
        request, code,
        lambda c: json.dumps(credentials.signed_credential(c), indent=2),
        content_type="application/json", filename="credential-{c.course_slug}.json",
    )  # fmt: skip


@require_GET
def status_list(request):
    response = HttpResponse(credentials.signed_status_list(), content_type="application/vc+jwt")
    return _public(response)
