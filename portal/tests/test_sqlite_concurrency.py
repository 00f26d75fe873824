"""The development default (SQLite) takes a few people filing at once.

The test database is in memory, which behaves differently under locks, so the
filings run in a subprocess against a temporary file database, configured by
portal.settings exactly as `make run` configures var/db.sqlite3.
"""

import os
import subprocess
import sys

from django.conf import settings

FILINGS = 12


def test_sqlite_options_ask_for_wal_a_busy_timeout_and_immediate_transactions():
    options = settings.SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_twelve_parallel_filings_all_succeed_on_a_file_sqlite_database(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "portal.tests.sqlite_filings", str(FILINGS)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes = result.stdout.split()
    assert outcomes.count("ok") == FILINGS, result.stdout
