"""The catalog of tracks and each course's overview."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Course


@require_GET
def catalog(request):
    courses = Course.objects.filter(is_published=True)
    return render(request, "courses/catalog.html", {"courses": courses})


@require_GET
def overview(request, course):
    course = get_object_or_404(Course, slug=course, is_published=True)
    return render(request, "courses/overview.html", {"course": course})
