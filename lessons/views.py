"""The catalog, a course's overview, the lesson page, and marking a lesson complete."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.page_cache import shared_page
from config.personal_pages import personal_page
from config.security import is_subresource
from core import embeds

from . import assessments, selectors, services
from . import catalog as catalogs


@require_GET
@shared_page()  # for visitors; a learner's (their progress, due dates) is kept for them
@personal_page()
def catalog(request):
    entries = catalogs.catalog(user=request.user)
    return render(request, "lessons/catalog.html", {"entries": entries})


@require_GET
@shared_page()
@personal_page()
def overview(request, course):
    overview = catalogs.course_overview(course_slug=course, user=request.user)
    return render(request, "lessons/overview.html", {"overview": overview})


@require_GET
# The lesson reads no parameter itself; its embedded widgets read theirs.
@shared_page(params=embeds.page_params)
def detail(request, course, lesson):
    if request.user.is_authenticated and not is_subresource(request):
        # Before the page, which a learner's cache may answer without running its view.
        services.record_visit(user=request.user, course_slug=course, lesson_slug=lesson)
    return _lesson(request, course, lesson)


@personal_page(params=embeds.page_params)
def _lesson(request, course, lesson):
    page = selectors.lesson_page(
        course_slug=course, lesson_slug=lesson, user=request.user, request=request
    )
    body = embeds.render_embeds(request, page.lesson.body_html)
    panels = assessments.lesson_panels(user=request.user, lesson=page.lesson, request=request)
    return render(request, "lessons/detail.html", {"page": page, "body": body, "panels": panels})


@require_POST
def complete(request, course, lesson):
    target = selectors.published_lesson(course_slug=course, lesson_slug=lesson, user=request.user)
    if not request.user.is_authenticated:
        messages.info(request, "Log in to mark lessons complete. You will come back to the lesson.")
        login_url = (
            resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": target.get_absolute_url()})
        )
        return HttpResponseClientRedirect(login_url) if request.htmx else redirect(login_url)
    services.complete_lesson(user=request.user, lesson=target)
    if request.htmx:
        page = selectors.lesson_page(
            course_slug=course, lesson_slug=lesson, user=request.user, lesson=target
        )
        context = {"page": page, "just_completed": True}
        return render(request, "lessons/detail.html#completion", context)
    messages.success(request, f"Marked “{target.title}” complete.")
    return redirect(target.get_absolute_url() + "#completion")
