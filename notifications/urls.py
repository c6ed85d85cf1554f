"""Mail to learners and managers: a manager's nudge, unsubscribing, and one's mail choices."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("teams/<slug:team>/members/<int:membership>/nudge/", views.nudge, name="nudge"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/email/", views.preferences, name="preferences"),
]
