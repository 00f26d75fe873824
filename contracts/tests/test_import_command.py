"""manage.py import_billing: the report on stdout, the exit code says whether anything was refused."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from contracts.models import Contract

from .factories_import import CONTRACT_HEADER, EXAMPLES, csv_file, resident_row

pytestmark = pytest.mark.django_db


def test_a_good_file_imports_and_says_so(capsys):
    call_command("import_billing", str(EXAMPLES / "contracts.csv"))
    out = capsys.readouterr().out
    assert "Файл загружен" in out and "создано: 4" in out
    assert Contract.objects.count() == 4
    call_command("import_billing", str(EXAMPLES / "contracts.csv"), "--all-rows")
    out = capsys.readouterr().out
    assert "без изменений: 4" in out and "строка 2\tLS-0001\tбез изменений" in out


def test_refused_rows_are_printed_and_the_exit_code_is_1(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(CONTRACT_HEADER, [resident_row(1), resident_row(2, tariff="x")]).getvalue())
    with pytest.raises(CommandError) as error:
        call_command("import_billing", str(path), "--entity", "contracts")
    assert error.value.returncode == 1
    assert "Ничего не сохранено" in str(error.value)
    assert "строка 3\tLS-0002\tотклонена\ttariff: неизвестный тариф «x»" in capsys.readouterr().out
    assert Contract.objects.count() == 0


def test_dry_run_saves_nothing(capsys):
    call_command("import_billing", str(EXAMPLES / "contracts.csv"), "--dry-run")
    assert "ничего не сохранено" in capsys.readouterr().out
    assert Contract.objects.count() == 0


def test_an_unreadable_or_missing_file_exits_2(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CommandError) as error:
        call_command("import_billing", str(junk))
    assert error.value.returncode == 2 and "не является таблицей" in str(error.value)
    with pytest.raises(CommandError, match="Не удалось открыть файл"):
        call_command("import_billing", str(tmp_path / "missing.csv"))


def test_the_exit_code_reaches_the_shell(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"foo;bar\n1;2\n")
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "import_billing", str(junk), "--dry-run"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "По заголовку не понять" in result.stderr
