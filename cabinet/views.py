from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cabinet.sections import sections_for


@require_GET
@login_required
def cabinet_home(request):
    """The personal account's home: who you are and what needs your attention."""
    return render(request, "cabinet/home.html", {"sections": sections_for(request.user)})
