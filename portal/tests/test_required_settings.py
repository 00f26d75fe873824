"""With DEBUG off, a production machine must not start on the embedded development defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://portal@db.example.ru/portal",
    "CELERY_BROKER_URL": "redis://redis.example.ru:6379/0",
    "ALLOWED_HOSTS": "portal.example.ru",
}


def start(env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "CACHE_URL"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); django.setup()",
        ],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_start():
    result = start(PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"])
def test_missing_required_setting_stops_start_up(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = start(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr
