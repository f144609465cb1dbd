import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import LAST_SEEN, STARTED


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now
        # Elder mode chosen before signing in carries over to the account.
        if request.COOKIES.get("elder_mode") == "1" and not user.elder_mode:
            user.elder_mode = True
            user.save(update_fields=["elder_mode"])
