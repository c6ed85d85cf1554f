from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("<slug:course>/<slug:lesson>/", views.detail, name="detail"),
    path("<slug:course>/<slug:lesson>/complete/", views.complete, name="complete"),
]
