from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("courses/<slug:course>/", views.overview, name="overview"),
]
