"""Chart.js is served from our own static files: the npm package's build with its licence, the version pinned."""

import json

from django.conf import settings

VENDOR = settings.BASE_DIR / "static" / "vendor" / "chart.js"


def test_the_vendored_build_matches_the_pinned_package_and_carries_its_licence():
    pinned = json.loads((settings.BASE_DIR / "package.json").read_text())["devDependencies"]["chart.js"]
    build = (VENDOR / "chart.umd.min.js").read_text(encoding="utf-8")
    assert f"Chart.js v{pinned}" in build[:200]
    # No map is shipped, so no reference to one (manifest storage would refuse it at collectstatic).
    assert "sourceMappingURL" not in build
    assert "MIT" in (VENDOR / "LICENSE.md").read_text(encoding="utf-8")
    lock = json.loads((settings.BASE_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/chart.js"]["version"] == pinned
