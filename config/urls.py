"""The URL map: DESIGN.md's table, one include per app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("lessons.course_urls")),
    path("courses/", include("lessons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("matrix/", include("matrix.urls")),
    path("practice/", include("practice.urls")),
    path("review/", include("review.urls")),
    path("search/", include("search.urls")),
    path("certificates/", include("certificates.urls")),
    path("", include("progress.urls")),
    path("", include("notifications.urls")),
    path("teams/", include("accounts.team_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("accounts.auth_urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.append(path("bench/floor", views.benchmark_floor, name="benchmark_floor"))

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
