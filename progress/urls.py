"""Progress pages: /progress/, the teams one may see, and under /teams/<team>/ a team's
dashboard, a member's page and the CSV.

``teams/<team>/members/<int>/`` is a member's page; the accounts app's
``teams/<team>/members/`` (the managers' list) and ``.../<int>/remove/`` sit beside it.
"""

from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("progress/", views.mine, name="mine"),
    path("teams/", views.teams, name="teams"),
    path("teams/<slug:team>/", views.team, name="team"),
    path("teams/<slug:team>/members/<int:membership>/", views.member, name="member"),
    path("teams/<slug:team>/export.csv", views.export_csv, name="export"),
]
