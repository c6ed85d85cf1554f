"""The catalog of tracks and each course's overview."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def catalog(request):
    entries = selectors.catalog(user=request.user)
    return render(request, "courses/catalog.html", {"entries": entries})


@require_GET
def overview(request, course):
    overview = selectors.course_overview(course_slug=course, user=request.user)
    return render(request, "courses/overview.html", {"overview": overview})
