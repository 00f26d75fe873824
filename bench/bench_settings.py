"""Bench-only settings: the production settings plus the floor page (bench/bench_urls.py).

Never used by the portal itself. Run the bench server with
`DJANGO_SETTINGS_MODULE=bench_settings gunicorn portal.wsgi --pythonpath bench …` (bench/README.md).
"""

from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import TEMPLATES

ROOT_URLCONF = "bench_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
