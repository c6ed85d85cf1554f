"""The matrix URLs: the widget's own page, the advisor beside it (htmx), and predictions."""

from django.urls import path

from . import views

app_name = "matrix"

urlpatterns = [
    path("<slug:matrix>/", views.detail, name="detail"),
    path("<slug:matrix>/advisor/", views.advisor, name="advisor"),
    path("<slug:matrix>/predict/", views.predict, name="predict"),
]
