"""The catalog and course overviews, under the ``courses`` namespace of DESIGN.md's URL map.

The views live in ``lessons`` (they list lessons and the learner's standing), the names stay
``courses:catalog`` and ``courses:overview``.
"""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("courses/<slug:course>/", views.overview, name="overview"),
]
