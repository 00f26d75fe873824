from django.contrib.auth.decorators import login_required
from django.shortcuts import render
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
        "appeals_section": appeal_selectors.cabinet_section(request.user),
    }
    return render(request, "cabinet/home.html", context)
