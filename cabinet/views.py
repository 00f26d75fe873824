from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from appeals import selectors as appeal_selectors


@require_GET
@login_required
def cabinet_home(request):
    """The personal account's home: who you are and what needs your attention."""
    context = {
        "memberships": account_selectors.memberships_for(request.user),
        "consents": account_selectors.consents_for(request.user),
        "appeals_summary": appeal_selectors.cabinet_appeals_for(request.user, now=timezone.now()),
    }
    return render(request, "cabinet/home.html", context)
