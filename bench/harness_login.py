#!/usr/bin/env python
"""The shared harness's login (../shared/bench/portal_vs_anchor/login.py), with the staff's second factor.

That script predates the staff's second factor: after the password, /admin/ now sends staff to
/staff/second-factor/, where this one types the code of the bench authenticator (bench_totp.py;
`seed_bench.py --second-factors` gives an already filled database those authenticators).
Same arguments and output, so a copy of the harness runs with it in place of its own:

  cp -r ../shared/bench/portal_vs_anchor $WORK/harness && cp bench/harness_login.py $WORK/harness/login.py
  cp bench/bench_totp.py $WORK/harness/

Only talks to the loopback base URL it is given. Standard library only.
"""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_totp

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-Password-2026")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SECOND_FACTOR = "/staff/second-factor/?next=/admin/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def _request(url, cookies, data=None):
    req = urllib.request.Request(url, data=data)  # noqa: S310 - main() allows loopback http only
    if cookies:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in sorted(cookies.items())))
    try:
        resp = OPENER.open(req, timeout=60)
    except urllib.error.HTTPError as e:  # a 302 surfaces as HTTPError without redirects
        resp = e
    for header in resp.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return getattr(resp, "status", None) or resp.code, resp.read().decode(errors="replace")


def _post_form(base, path, cookies, fields):
    status, html = _request(f"{base}{path}", cookies)
    token = CSRF.search(html)
    if status != 200 or not token:
        raise SystemExit(f"no form at {path}: {status}")
    data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}).encode()
    return _request(f"{base}{path}", cookies, data)[0]


def login(base, path, email, staff):
    cookies = {}
    if _post_form(base, path, cookies, {"username": email, "password": PASSWORD}) != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login for {email} at {path} failed")
    if staff:
        # A code is accepted once: a second login within the same 30-second step waits for the next one.
        for _attempt in range(3):
            if _post_form(base, SECOND_FACTOR, cookies, {"code": bench_totp.code(email)}) == 302:
                break
            time.sleep(bench_totp.seconds_to_next_step() + 1)
        else:
            raise SystemExit(f"second factor for {email} failed")
    return {"cookie": "; ".join(f"{k}={v}" for k, v in sorted(cookies.items())), "csrf": cookies["csrftoken"]}


def main():
    base = sys.argv[1].rstrip("/")
    if urllib.parse.urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("refusing a non-loopback target")
    with open(sys.argv[2]) as pages:
        users = json.load(pages)["users"]
    out = {"anon": {"cookie": "", "csrf": ""}}
    for role, user in users.items():
        staff = role in ("operator", "supervisor")
        out[role] = login(base, "/admin/login/" if staff else "/accounts/login/", user["email"], staff)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
