"""Run as a script: N customers file an appeal at the same moment against a file SQLite database.

Prints one line per filing ("ok" or the error) and exits 0. Used by
test_sqlite_concurrency in a subprocess, so the settings module reads the
database URL the way `make run` does and applies the same SQLite options.
"""

import os
import sys
import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main(count: int) -> None:
    from accounts.tests.factories import UserFactory
    from appeals.models import Appeal
    from appeals.services import appeal_submit

    call_command("migrate", verbosity=0)
    users = [UserFactory() for _ in range(count)]
    connection.close()
    barrier = threading.Barrier(count)
    results = [None] * count

    def file(index):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            appeal_submit(
                author=users[index],
                kind=Appeal.Kind.COMPLAINT,
                topic=Appeal.Topic.POWER_QUALITY,
                subject=f"Перепады напряжения {index}",
                text="Мигает свет, перепады напряжения по вечерам.",
            )
            results[index] = "ok"
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = f"{type(error).__name__}: {error}"
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=file, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for line in results:
        print(line)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    main(int(sys.argv[1]))
