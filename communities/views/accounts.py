from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import LoginForm, PreferencesForm
from ..forms.passwords import PlainPasswordChangeForm
from ..policy import SELF, guard, public
from ..selectors.registrations import registrations_of
from ..selectors.titles import titles_of_user

login_view = public(auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True))
logout_view = guard(SELF)(auth_views.LogoutView.as_view())
password_change = guard(SELF)(auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", form_class=PlainPasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done")))
password_change_done = guard(SELF)(auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"))


@guard(SELF)
def registration_status(request):
    return render(request, "accounts/registration_status.html",
                  {"registrations": registrations_of(user=request.user)})


@guard(SELF)
def profile(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("设置已保存。"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "my_titles": titles_of_user(user=request.user)})


@public
@require_POST
def elder_mode_toggle(request):
    """Switch elder mode once; it stays on for the account (and this browser before signing in)."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        request.user.elder_mode = on
        request.user.save(update_fields=["elder_mode"])
    target = request.POST.get("next") or "/"
    # A bare prefix test lets "/\\evil.example" through, which browsers read as "//evil.example".
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie("elder_mode", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response
