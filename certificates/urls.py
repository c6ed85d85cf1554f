"""Certificates: the public verification page, its PDF and credential, and the revocation list.

``status/revocation/`` comes first: ``status`` is not a code (codes are 22 characters).
"""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("status/revocation/", views.status_list, name="status_list"),
    path("<str:code>/", views.verify, name="verify"),
    path("<str:code>/certificate.pdf", views.pdf, name="pdf"),
    path("<str:code>/credential.json", views.credential, name="credential"),
]
