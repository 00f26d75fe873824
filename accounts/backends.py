"""The backend that checks passwords and brings back the logged-in person on every request.

It is Django's `ModelBackend` in all but two queries, which Django builds anew on every request and which
are read here through `core.prepared` (compiled once per process):
- the person's row, read by `get_user` on every page of a logged-in person (`_default_manager.get(pk=…)`:
  about 1 ms of CPU on the bench machine, bench/README.md);
- a staff member's permissions, read on every admin page: Django asks twice, for those granted to the person
  and for those of their groups; here one query asks for both. A superuser's are still every permission,
  an inactive person's none, as Django's.

Sessions store the dotted path of the backend that logged the person in, and Django logs out a session
whose backend is not in AUTHENTICATION_BACKENDS. The session store (`accounts.sessions`) therefore keeps
writing Django's `ModelBackend` path, which this backend continues, and reads it as this one: sessions
from before the switch stay logged in, and so would sessions from after it if the switch were undone.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.prepared import prepared

PATH = "accounts.backends.UserBackend"
# The path sessions store for this backend: the one it continues (the same users, the same rules).
STORED_AS = "django.contrib.auth.backends.ModelBackend"


@prepared
def _user(*, pk):
    return get_user_model()._default_manager.filter(pk=pk)


@prepared
def _permissions(*, user_id):
    """(app_label, codename) of every permission granted to the person or to a group of theirs."""
    granted = get_user_model().user_permissions.through.objects.filter(user_id=user_id)
    of_groups = Group.permissions.through.objects.filter(group__user__id=user_id)
    either = Q(pk__in=granted.values("permission_id")) | Q(pk__in=of_groups.values("permission_id"))
    return Permission.objects.filter(either).values_list("content_type__app_label", "codename").order_by()


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        rows = _user(pk=user_id)
        if not rows:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_superuser or obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            rows = _permissions(user_id=user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
