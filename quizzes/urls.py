"""Quiz URLs: take a quiz, answer a practice step, preview it as staff, see a graded attempt."""

from django.urls import path

from . import practice_views, views

app_name = "quizzes"

urlpatterns = [
    path("<slug:quiz>/", views.take, name="take"),
    path("<slug:quiz>/preview/", views.preview, name="preview"),
    path("<slug:quiz>/answer/", practice_views.answer, name="answer"),
    path("<slug:quiz>/attempts/<int:attempt>/", views.attempt, name="attempt"),
]
