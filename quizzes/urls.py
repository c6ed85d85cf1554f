"""Quiz URLs: take a quiz, preview it as staff, and see one graded attempt."""

from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("<slug:quiz>/", views.take, name="take"),
    path("<slug:quiz>/preview/", views.preview, name="preview"),
    path("<slug:quiz>/attempts/<int:attempt>/", views.attempt, name="attempt"),
]
