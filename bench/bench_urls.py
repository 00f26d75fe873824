"""Bench-only URLs: the portal's own, plus the floor page every customer page is compared with.

The floor is a bare logged-in Django page on the portal's stack (its middleware, its session, its
database): one indexed query and a tiny template, like the shared harness's `floor_auth`.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from appeals.models import Appeal
from portal.urls import urlpatterns as portal_urlpatterns


@login_required
def floor(request, number):
    appeal = get_object_or_404(Appeal.objects.only("number", "subject", "text"), number=number)
    return render(request, "bench/floor.html", {"item": appeal})


urlpatterns = [path("bench/floor/<str:number>/", floor, name="bench_floor"), *portal_urlpatterns]
