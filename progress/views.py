"""Read-only progress pages: the learner's own dashboard, the list of teams one may see, a
team's dashboard, a member's page and the team's CSV.

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
from config.compression import never_compressed
from config.personal_pages import personal_page

from . import bars, charts, exports, selectors
from .selectors.member import member_detail
from .selectors.team_export import team_export
from .team_link import remember_team_link


@require_GET
@login_required
@personal_page()
def mine(request):
    dashboard = selectors.learner_dashboard(user=request.user)
    context = {"dashboard": dashboard}
    if dashboard.has_activity:
        context["activity"] = bars.activity_bars(dashboard.weeks)
    return render(request, "progress/mine.html", context)


@require_GET
@login_required
def teams(request):
    found = list(viewable_teams(request.user).order_by("name"))
    remember_team_link(request.user, found)
    return render(request, "progress/teams.html", {"teams": found})


def _team_and_course(request, slug):
    team = get_object_or_404(viewable_teams(request.user), slug=slug)
    course = request.GET.get("course") or None
    return team, course


@require_GET
@login_required
@never_compressed  # a manager's copy shows the invite link
def team(request, team):
    team, course = _team_and_course(request, team)
    # ?attention=<page> lists everyone who needs attention, a page at a time; without it the
    # first screen shows the most pressing few.
    dashboard = selectors.team_dashboard(
        team=team, course_slug=course, page_number=request.GET.get("page"),
        attention_page=request.GET.get("attention", "1") if "attention" in request.GET else None,
    )  # fmt: skip
    if course and not dashboard.data.courses:
        raise Http404("That course is not assigned to this team.")
    context = {
        "team": team,
        "dashboard": dashboard,
        "selected_course": course,
        "attention": dashboard.attention_rows,
        "attention_page": dashboard.attention_paging,
        "invite_url": absolute_url(team.get_invite_path()) if team.can_manage else "",
        "charts": charts.team_charts(dashboard),
    }
    return render(request, "progress/team.html", context)


@require_GET
@login_required
def member(request, team, membership):
    team = get_object_or_404(viewable_teams(request.user), slug=team)
    detail = member_detail(team=team, membership_id=membership)
    if detail is None:
        raise Http404("No such member in this team.")
    return render(request, "progress/member.html", {"team": team, "detail": detail})


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
