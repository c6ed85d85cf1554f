from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cards/<int:card>/answer/", views.answer, name="answer"),
    path("cards/<int:card>/snooze/", views.snooze, name="snooze"),
    path("snooze/", views.snooze, name="snooze_all"),
    path("settings/", views.settings, name="settings"),
]
