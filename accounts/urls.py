"""Sign-up and one's account page, under /accounts/ beside Django's log-in and password URLs
(accounts/auth_urls.py). The mail preferences are /account/email/ (notifications)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.account, name="account"),
]
