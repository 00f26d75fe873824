"""Load script for the appeals: the customer's list, one appeal, filing an appeal, and the staff queue.

Run headless against a server filled by `bench/seed_bench.py` (see bench/README.md):

    .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 5 -t 60s --host http://127.0.0.1:8000

Environment: BENCH_CUSTOMERS (how many bench customers exist, default 10000),
BENCH_OPERATORS (default 10), BENCH_PASSWORD (default as in seed_bench),
BENCH_WAIT_MIN / BENCH_WAIT_MAX (think time in seconds, default 0.2-1.0; 0 for throughput).
"""

import os
import random
import re
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_totp

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "10000"))
OPERATORS = int(os.environ.get("BENCH_OPERATORS", "10"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-Password-2026")
NUMBER = re.compile(r"/appeals/(\d{4}-\d{6})/")
ADMIN_ROW = re.compile(r'href="/admin/appeals/appeal/(\d+)/change/[^"]*"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
# Think time between a user's requests; 0 and 0 measure the server's throughput.
WAIT = (float(os.environ.get("BENCH_WAIT_MIN", "0.2")), float(os.environ.get("BENCH_WAIT_MAX", "1.0")))
SECOND_FACTOR = "/staff/second-factor/?next=/admin/"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _plain_cookies(client):
    # Production settings mark cookies Secure; the bench talks plain HTTP to gunicorn on
    # localhost (no TLS proxy in front), so send them back anyway.
    for cookie in client.cookies:
        cookie.secure = False


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.headers["Referer"] = self.host + "/"

    def form_token(self, path, name):
        response = self.client.get(path, name=name)
        _plain_cookies(self.client)
        match = CSRF.search(response.text)
        return match.group(1) if match else "", response

    def log_in(self, path, email):
        token, _ = self.form_token(path, f"{path} [GET]")
        with self.client.post(path, {"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
                              name=f"{path} [POST]", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login failed for {email}: {response.status_code}")
        _plain_cookies(self.client)

    def pass_second_factor(self, email):
        """Staff type the bench authenticator's code (bench_totp.py); a code is good once, so a
        colleague's login in the same 30-second step makes this one wait for the next step."""
        for _attempt in range(3):
            token, _ = self.form_token(SECOND_FACTOR, "second factor [GET]")
            with self.client.post(SECOND_FACTOR, {"csrfmiddlewaretoken": token, "code": bench_totp.code(email)},
                                  name="second factor [POST]", allow_redirects=False,
                                  catch_response=True) as response:
                if response.status_code == 302:
                    _plain_cookies(self.client)
                    return
                response.success()  # a reused code: not the server's failure
            time.sleep(bench_totp.seconds_to_next_step() + 1)


class Customer(PortalUser):
    weight = 9

    def on_start(self):
        super().on_start()
        self.log_in("/accounts/login/", f"bench-customer-{random.randrange(CUSTOMERS)}@example.ru")
        self.numbers = NUMBER.findall(self.client.get("/appeals/", name="/appeals/").text)

    @task(5)
    def appeal_list(self):
        self.client.get("/appeals/", name="/appeals/")

    @task(4)
    def appeal_page(self):
        if self.numbers:
            self.client.get(f"/appeals/{random.choice(self.numbers)}/", name="/appeals/[number]/")

    @task(1)
    def file_appeal(self):
        token, page = self.form_token("/appeals/new/", "/appeals/new/ [GET]")
        key = KEY.search(page.text)
        data = {
            "csrfmiddlewaretoken": token,
            "idempotency_key": key.group(1) if key else str(uuid.uuid4()),
            "kind": random.choice(["request", "complaint", "claim", "application"]),
            "topic": random.choice(["billing", "metering", "contract", "other"]),
            "subject": "Нагрузочный тест",
            "text": "Прошу проверить начисления за прошлый месяц, сумма выше обычной.",
            "answer_channel": "cabinet",
            "organisation": "",
        }
        files = {"files": ("квитанция.pdf", PDF, "application/pdf")} if random.random() < 0.3 else None
        with self.client.post("/appeals/new/", data=data, files=files, name="/appeals/new/ [POST]",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"filing failed: {response.status_code}")
            else:
                found = NUMBER.search(response.headers.get("Location", ""))
                if found:
                    self.numbers.append(found.group(1))


class Operator(PortalUser):
    weight = 1

    def on_start(self):
        super().on_start()
        email = ("bench-supervisor@example.ru" if random.random() < 0.3
                 else f"bench-operator-{random.randrange(OPERATORS)}@example.ru")
        self.log_in("/admin/login/", email)
        self.pass_second_factor(email)
        self.ids = []

    @task(3)
    def queue(self):
        query = random.choice(["", "?deadline=overdue", "?deadline=soon", "?assigned=mine", "?status=in_progress"])
        response = self.client.get(f"/admin/appeals/appeal/{query}", name="/admin/appeals/appeal/ (queue)")
        self.ids = ADMIN_ROW.findall(response.text) or self.ids

    @task(1)
    def search(self):
        term = random.choice(["Морозов", "квитанц", "2026-000123", "9000000001", "bench-customer-7@example.ru"])
        self.client.get("/admin/appeals/appeal/", params={"q": term}, name="/admin/appeals/appeal/?q= (search)")

    @task(1)
    def appeal_in_admin(self):
        if self.ids:
            self.client.get(f"/admin/appeals/appeal/{random.choice(self.ids)}/change/",
                            name="/admin/appeals/appeal/[id]/change/")


@events.quitting.add_listener
def print_summary(environment, **kwargs):
    stats = environment.stats
    print(f"\n{'request':45} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name[:45]:45} {entry.num_requests:7d} {entry.num_failures:5d} {entry.total_rps:7.1f} "
              f"{entry.get_response_time_percentile(0.5):7.0f} {entry.get_response_time_percentile(0.99):7.0f}")
    total = stats.total
    print(f"{'TOTAL':45} {total.num_requests:7d} {total.num_failures:5d} {total.total_rps:7.1f} "
          f"{total.get_response_time_percentile(0.5):7.0f} {total.get_response_time_percentile(0.99):7.0f}")
