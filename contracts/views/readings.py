"""Placeholder: submitting readings is built on its own branch (i-readings), whose file replaces this one."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def reading_submit(request, meter_id):
    raise Http404
