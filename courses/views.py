"""The catalog of tracks and each course's overview."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.page_cache import shared_page

from . import selectors


@require_GET
@shared_page()
def catalog(request):
    entries = selectors.catalog(user=request.user)
    return render(request, "courses/catalog.html", {"entries": entries})


@require_GET
@shared_page()
def overview(request, course):
    overview = selectors.course_overview(course_slug=course, user=request.user)
    return render(request, "courses/overview.html", {"overview": overview})
