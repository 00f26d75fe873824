"""The backend that checks passwords and brings back the logged-in person on every request.

It is Django's `ModelBackend` in all but one query. Every page of a logged-in person reads their row
through `get_user`, and Django's own builds that query anew each time (`_default_manager.get(pk=…)`:
about 1 ms of CPU on the bench machine, bench/README.md). Here the row is read through `core.prepared`.

Sessions store the dotted path of the backend that logged the person in, and Django logs out a session
whose backend is not in AUTHENTICATION_BACKENDS. The session store (`accounts.sessions`) therefore keeps
writing Django's `ModelBackend` path, which this backend continues, and reads it as this one: sessions
from before the switch stay logged in, and so would sessions from after it if the switch were undone.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.prepared import prepared

PATH = "accounts.backends.UserBackend"
# The path sessions store for this backend: the one it continues (the same users, the same rules).
STORED_AS = "django.contrib.auth.backends.ModelBackend"


@prepared
def _user(*, pk):
    return get_user_model()._default_manager.filter(pk=pk)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        rows = _user(pk=user_id)
        if not rows:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None
