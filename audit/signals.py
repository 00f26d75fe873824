"""Where the journals listen: the history rows' address, and the security events.

Security events come from Django's and axes' own signals and from the user model's save, so every
path (the cabinet, the admin, a management command) is covered without each remembering to call.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_init, post_save, pre_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from accounts.security import client_ip

from .models import SecurityEvent
from .services import current_request, security_event_record

User = get_user_model()
WATCHED = ("email", "is_staff", "is_superuser", "is_active")


@receiver(pre_create_historical_record)
def _history_address(sender, history_instance, **kwargs):
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = client_ip(current_request())


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_event_record(SecurityEvent.Kind.LOGIN, user=user, actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_event_record(SecurityEvent.Kind.LOGOUT, user=user, actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or (credentials or {}).get("email") or "").strip().lower()
    user = User.objects.filter(email=username).first() if username else None
    security_event_record(SecurityEvent.Kind.LOGIN_FAILED, user=user, username=username, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    username = (username or "").strip().lower()
    user = User.objects.filter(email=username).first() if username else None
    security_event_record(SecurityEvent.Kind.LOCKOUT, user=user, username=username, request=request)


@receiver(post_init, sender=User)
def _remember_watched(sender, instance, **kwargs):
    instance._audit_initial = {name: instance.__dict__.get(name) for name in WATCHED}


@receiver(pre_save, sender=User)
def _note_changes(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding:
        instance._audit_changes = []
        return
    initial = getattr(instance, "_audit_initial", {})
    changes = []
    # set_password() keeps the raw password until the save; nothing else changes the hash.
    if getattr(instance, "_password", None) is not None:
        changes.append((SecurityEvent.Kind.PASSWORD_CHANGED, ""))
    if initial.get("email") is not None and initial["email"] != instance.email:
        # Not the addresses themselves: the journal outlives the account and its anonymising.
        changes.append((SecurityEvent.Kind.EMAIL_CHANGED, ""))
    flags = [
        f"{name}: {initial.get(name)} → {getattr(instance, name)}"
        for name in ("is_staff", "is_superuser", "is_active")
        if initial.get(name) is not None and initial[name] != getattr(instance, name)
    ]
    if flags:
        changes.append((SecurityEvent.Kind.STAFF_FLAGS_CHANGED, "; ".join(flags)))
    instance._audit_changes = changes


@receiver(post_save, sender=User)
def _record_changes(sender, instance, created, raw=False, **kwargs):
    request = current_request()
    for kind, detail in getattr(instance, "_audit_changes", []):
        security_event_record(kind, user=instance, request=request, detail=detail)
    instance._audit_changes = []
    _remember_watched(sender, instance)


def _names(model, pk_set) -> str:
    return ", ".join(sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or ())))[:400]


def _membership_changed(kind, instance, action, model, pk_set, reverse):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    sign = {"post_add": "+", "post_remove": "−", "post_clear": "− все"}[action]
    request = current_request()
    if isinstance(instance, User):
        security_event_record(kind, user=instance, request=request, detail=f"{sign} {_names(model, pk_set)}")
    else:
        # From the other side (a group's members, a group's or permission's holders): who was touched.
        detail = f"{instance}: {sign} {_names(model, pk_set)}"
        security_event_record(kind, request=request, detail=detail)


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _membership_changed(SecurityEvent.Kind.GROUPS_CHANGED, instance, action, model, pk_set, reverse)


@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_permissions_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _membership_changed(SecurityEvent.Kind.PERMISSIONS_CHANGED, instance, action, model, pk_set, reverse)


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _membership_changed(SecurityEvent.Kind.PERMISSIONS_CHANGED, instance, action, model, pk_set, reverse)
