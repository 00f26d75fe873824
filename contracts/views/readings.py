"""Placeholder: submitting readings is built on its own branch (i-readings), whose file replaces this one."""

from django.http import Http404


def reading_submit(request, meter_id):
    raise Http404
