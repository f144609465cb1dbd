"""The authentication backend: Django's, signing in by mobile number or login name, with the signed-in user's
person loaded in the same query.

Every page shows the user's name (from ``Person``); loading it with the user saves one query per request.
A mobile number (already normalised by ``communities.forms.signin.LoginForm``, so the lockout of django-axes
counts "138 0013 8000" and "13800138000" as one) signs in as the account of the one person registered with it;
an unknown or ambiguous number fails like a wrong password.
"""
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        from .selectors.signin import MOBILE, user_for_phone

        if username and password and MOBILE.match(username):
            user = user_for_phone(phone=username)
            if user is None:
                self._run_hasher(password)
                return None
            return user if user.check_password(password) and self.user_can_authenticate(user) else None
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _run_hasher(password):
        # As long as a real check, so the answer's timing does not tell an unknown number apart (as Django does).
        from .models import User

        User().set_password(password)

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
