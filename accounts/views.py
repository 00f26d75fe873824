from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def register_choice(request):
    return render(request, "accounts/register_choice.html")
