import time

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import LAST_SEEN, STARTED
from .services.teams import sublandlord_team_enrol, sublandlord_team_sync


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


# --- the sublandlords' team follows the sublandlord role ----------------------------------------------
# Roles are granted in many places (registration approval, the admin, imports, the demo, tests' factories);
# following the Membership rows themselves keeps 蓉治社 in step with every one of them.

@receiver(post_save, sender="communities.Membership", dispatch_uid="communities.sublandlord_team_on_save")
def sublandlord_role_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sublandlord_team_sync(user_id=instance.user_id, community_id=instance.community_id)


@receiver(post_delete, sender="communities.Membership", dispatch_uid="communities.sublandlord_team_on_delete")
def sublandlord_role_deleted(sender, instance, **kwargs):
    sublandlord_team_sync(user_id=instance.user_id, community_id=instance.community_id)


@receiver(post_save, sender="communities.Team", dispatch_uid="communities.sublandlord_team_created")
def sublandlord_team_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        sublandlord_team_enrol(team=instance)
