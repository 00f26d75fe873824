"""A withdrawn consent (accounts' ClosureRequest) goes the same way as a deletion request: within 30 days,
ending in erasure and an act. accounts sits below privacy and cannot call it, so privacy listens."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import ClosureRequest


@receiver(post_save, sender=ClosureRequest)
def _closure_to_request(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from . import services
    from .models import SubjectRequest

    # In the same transaction as the withdrawal: both are kept, or neither.
    services.subject_request_file(
        user=instance.user, kind=SubjectRequest.Kind.WITHDRAWAL, received_at=instance.created_at,
        now=instance.created_at,
    )
