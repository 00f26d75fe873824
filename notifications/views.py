from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.forms import PreferencesForm

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk):
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        raise Http404
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Все уведомления отмечены прочитанными."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    rows = selectors.preference_rows_for(request.user)
    language = selectors.notification_language_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, rows=rows, language=language)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user, choices=form.choices(), language=form.cleaned_data["language"]
        )
        messages.success(request, _("Настройки уведомлений сохранены."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "rows": rows})
