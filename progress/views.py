"""Read-only progress pages: the learner's own dashboard, team dashboards and their CSV.

A team's pages are for its managers and staff instructors only; anyone else gets a 404
(``accounts.selectors.viewable_teams`` decides), anonymous visitors are sent to log in.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from accounts.links import absolute_url
from accounts.selectors import viewable_teams

from . import charts, exports, selectors
from .selectors.team_export import team_export


@require_GET
@login_required
def mine(request):
    dashboard = selectors.learner_dashboard(user=request.user)
    context = {"dashboard": dashboard}
    if dashboard.has_activity:
        context["activity_chart"] = charts.activity_chart(dashboard.weeks)
    return render(request, "progress/mine.html", context)


def _team_and_course(request, slug):
    team = get_object_or_404(viewable_teams(request.user), slug=slug)
    course = request.GET.get("course") or None
    return team, course


@require_GET
@login_required
def team(request, team):
    team, course = _team_and_course(request, team)
    dashboard = selectors.team_dashboard(
        team=team, course_slug=course, page_number=request.GET.get("page")
    )
    if course and not dashboard.data.courses:
        raise Http404("That course is not assigned to this team.")
    context = {
        "team": team,
        "dashboard": dashboard,
        "selected_course": course,
        "invite_url": absolute_url(team.get_invite_path()) if team.can_manage else "",
        "charts": charts.team_charts(dashboard),
        "stuck_after_days": selectors.STUCK_AFTER_DAYS,
    }
    return render(request, "progress/team.html", context)


@require_GET
@login_required
@gzip_page
def export_csv(request, team):
    team, course = _team_and_course(request, team)
    export = team_export(team=team, course_slug=course)
    if course and not export.data.courses:
        raise Http404("That course is not assigned to this team.")
    # Built whole and encoded once (exports.team_csv says why it is fast); not streamed, as
    # the time is in the reads before the first row, not in sending.
    body = exports.team_csv(export.data, export.mastery)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{team.slug}-progress-{stamp}.csv"'
    return response
