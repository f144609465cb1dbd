import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from . import policy

STARTED = "_session_started"
LAST_SEEN = "_last_seen"


class SessionLimitsMiddleware:
    """Every session ends after 12 hours; staff, Party secretaries and town roles after 30 minutes idle."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED)
            if started is None:
                request.session[STARTED] = started = now
            last_seen = request.session.get(LAST_SEEN, now)
            too_old = now - started > settings.SESSION_ABSOLUTE_SECONDS
            idle = policy.is_privileged(user) and now - last_seen > settings.SESSION_PRIVILEGED_IDLE_SECONDS
            if too_old or idle:
                logout(request)
                messages.info(request, _("您已长时间未操作，为保护居民信息，请重新登录。"))
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute so that not every request saves the session.
            if now - last_seen >= 60 or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every HTML response.

    Every script, style sheet, font and image is served from this site (vendored under ``static/``), and no
    template carries an inline ``<script>``, ``<style>``, ``style="…"`` or ``on…=`` handler, so the policy can
    be strict: ``default-src 'self'``. Bootstrap's form controls draw their check marks and arrows with
    ``data:`` SVG images in its style sheet, hence ``img-src 'self' data:``. The policy is the setting
    ``CONTENT_SECURITY_POLICY``; a view that already set the header keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if self.policy and content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
