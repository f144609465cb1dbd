"""The authentication backend: Django's, with the signed-in user's person loaded in the same query.

Every page shows the user's name (from ``Person``); loading it with the user saves one query per request.
"""
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._user_for(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _user_for(user_id):
        from .models import User

        try:
            return User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
