from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("login/setup/", views.otp_setup, name="otp_setup"),
    path("logout/", views.logout, name="logout"),
    path("account/confirm/", views.reauthenticate, name="reauthenticate"),
    path("account/api-token/", views.api_token, name="api_token"),
    path("account/agency/", views.switch_agency, name="switch_agency"),
]
