"""The only way to fetch a data-subject request for a customer: their own, or a 404."""

from django.shortcuts import get_object_or_404

from .models import SubjectRequest


def requests_for_customer(user):
    return SubjectRequest.objects.filter(user=user)


def access_request_for_customer(user, request_id: int) -> SubjectRequest:
    return get_object_or_404(requests_for_customer(user).select_related("deadline_rule"), pk=request_id)
