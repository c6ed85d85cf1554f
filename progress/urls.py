"""Progress pages: /progress/, and a team's dashboard and CSV under /teams/<team>/."""

from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("progress/", views.mine, name="mine"),
    path("teams/<slug:team>/", views.team, name="team"),
    path("teams/<slug:team>/export.csv", views.export_csv, name="export"),
]
