"""The load-test generator fills a consistent volume (run as `python bench/seed_bench.py`)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Membership, User
from appeals import services
from appeals.models import Appeal, AppealEvent, AppealNumberCounter
from bench.seed_bench import Command as SeedBench

pytestmark = pytest.mark.django_db


def test_seed_bench_fills_a_consistent_volume(settings):
    settings.DEBUG = True
    call_command(SeedBench(), customers=40, appeals=400, operators=2, batch_size=150, verbosity=0)
    assert User.objects.filter(email__startswith="bench-customer-").count() == 40
    assert Membership.objects.exists()
    assert Appeal.objects.count() == 400
    assert AppealEvent.objects.filter(to_status="registered").count() == 400
    assert set(Appeal.objects.values_list("status", flat=True)) >= {"closed", "answered"}
    # Numbers are unique and the counters continue after them.
    year, last = AppealNumberCounter.objects.order_by("-year").values_list("year", "last_value").first()
    assert Appeal.objects.filter(number=f"{year}-{last:06d}").exists()
    customer = User.objects.get(email="bench-customer-0@example.ru")
    appeal, _ = services.appeal_submit(author=customer, kind="request", topic="other", subject="Ещё",
                                       text="Проверка счётчика номеров")
    assert appeal.number == f"{year}-{last + 1:06d}"
    with pytest.raises(CommandError):
        call_command(SeedBench(), customers=1, appeals=1, verbosity=0)


def test_it_runs_as_a_script():
    script = Path(__file__).resolve().parent.parent / "seed_bench.py"
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--appeals" in result.stdout


def test_bench_staff_pass_the_second_factor_with_the_derived_code(settings, unverified_client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench import bench_totp

    settings.DEBUG = True
    call_command(SeedBench(), customers=3, appeals=5, operators=1, verbosity=0)
    TOTPDevice.objects.all().delete()
    call_command(SeedBench(), second_factors=True, verbosity=0)  # the step for an already filled database
    email = "bench-operator-0@example.ru"
    client = unverified_client
    client.force_login(User.objects.get(email=email))
    assert client.get("/admin/appeals/appeal/").status_code == 302
    response = client.post("/staff/second-factor/?next=/admin/", {"code": bench_totp.code(email)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/appeals/appeal/").status_code == 200
