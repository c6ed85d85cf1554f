"""Read-only progress pages: the learner's own dashboard and team dashboards."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def mine(request):
    enrollments = request.user.enrollments.select_related("course", "last_lesson")
    return render(request, "progress/mine.html", {"enrollments": enrollments})
