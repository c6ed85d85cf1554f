"""Team pages under /teams/: joining by invite link, and the managers' members page and
courses page (each assigned course's due date).

The team dashboard and its CSV (/teams/<team>/ and /teams/<team>/export.csv) live in
progress/urls.py; "join" is a reserved team slug, so the paths never collide.
"""

from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("join/<str:invite_code>/", views.join, name="join"),
    path("<slug:team>/members/", views.members, name="members"),
    path("<slug:team>/invite/renew/", views.renew_invite, name="renew_invite"),
    path("<slug:team>/members/<int:membership>/remove/", views.remove, name="remove_member"),
    path("<slug:team>/courses/", views.courses, name="courses"),
]
