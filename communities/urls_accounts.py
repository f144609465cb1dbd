from django.urls import path

from .views import accounts, signin, signup

app_name = "accounts"

urlpatterns = [
    path("login/", accounts.login_view, name="login"),
    path("login/code/", signin.login_code, name="login_code"),
    path("password/reset/", signin.password_reset, name="password_reset"),
    path("logout/", accounts.logout_view, name="logout"),
    path("register/", signup.register, name="register"),
    path("register/status/", accounts.registration_status, name="registration_status"),
    path("password/", accounts.password_change, name="password_change"),
    path("password/done/", accounts.password_change_done, name="password_change_done"),
    path("profile/", accounts.profile, name="profile"),
    path("elder-mode/", accounts.elder_mode_toggle, name="elder_mode"),
]
