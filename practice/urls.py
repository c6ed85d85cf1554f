from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("<slug:slug>/", views.block, name="block"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
]
