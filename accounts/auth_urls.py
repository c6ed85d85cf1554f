"""Django's log-in, log-out and password URLs, with this site's password forms.

The same names and paths as ``django.contrib.auth.urls`` (templates and tests reverse
"password_reset", "login", ...); only the views that need our forms are replaced.
"""

from django.contrib.auth import urls as django_auth_urls
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import SiteLinkPasswordResetForm

replaced = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=SiteLinkPasswordResetForm),
        name="password_reset",
    ),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
]
replaced_names = {pattern.name for pattern in replaced}

urlpatterns = replaced + [
    pattern for pattern in django_auth_urls.urlpatterns if pattern.name not in replaced_names
]
