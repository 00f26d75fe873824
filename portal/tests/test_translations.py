"""The translation catalogues are complete and consistent.

Msgids are Russian (the product's language), so the Russian catalogue keeps
empty msgstr except for plural entries, which need all three Russian forms.
The English catalogue must translate every entry, with nothing fuzzy and the
same placeholders (%(name)s, %s, {name}, HTML tags) as the Russian original.
The committed .mo files must match the .po files: `make run` uses them as they
are when gettext is not installed.

After `makemessages`, run this file to see what is left to translate.
"""

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
RU_PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"

EN_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index -> text; 0 for singular entries

    @property
    def label(self):
        ctx = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctx}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A minimal PO reader: enough for makemessages' output. Obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation line without a keyword"
            _append(entry, target, _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
            if keyword == "msgctxt":
                entry.msgctxt = ""
            elif keyword == "msgid_plural":
                entry.msgid_plural = ""
            elif target[0] == "msgstr":
                entry.msgstr[target[1]] = ""
            _append(entry, target, _unquote(rest))
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def split_catalogue(path: Path) -> tuple[dict[str, str], list[Entry]]:
    entries = parse_po(path)
    assert entries and entries[0].msgid == "" and entries[0].msgctxt is None, f"{path}: no header entry"
    header_entry, messages = entries[0], entries[1:]
    header = dict(line.split(": ", 1) for line in header_entry.msgstr[0].splitlines() if ": " in line)
    assert "fuzzy" not in header_entry.flags, f"{path}: the header is marked fuzzy"
    assert messages, f"{path}: no messages"
    return header, messages


# printf-style: %(name)s, %s, %d, %.2f; "%%" is a literal percent sign.
_PRINTF = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACES = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_TAG = re.compile(r"</?\s*([a-zA-Z][\w-]*)[^<>]*>")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def placeholders(text: str, flags: set[str]) -> tuple:
    """What must survive translation: printf and brace placeholders, HTML tags, template syntax."""
    named, positional = Counter(), []
    if "python-format" in flags or "c-format" in flags:
        for m in _PRINTF.finditer(text):
            if m.group("conv") == "%":
                continue
            if m.group("name") is not None:
                named[(m.group("name"), m.group("conv"))] += 1
            else:
                positional.append(m.group("conv"))
    braces = Counter(m.group("name") for m in _BRACES.finditer(text)) if "python-brace-format" in flags else Counter()
    tags = Counter(tag.lower() for tag in _TAG.findall(text))
    template = Counter(re.sub(r"\s+", "", t) for t in _TEMPLATE.findall(text))
    # A named placeholder may be used more or fewer times in a translation, never renamed or dropped.
    return set(named), positional, set(braces), tags, template


def placeholder_problems(entry: Entry, translations: dict[int, str]) -> list[str]:
    problems = []
    for index, text in translations.items():
        source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
        expected, got = placeholders(source, entry.flags), placeholders(text, entry.flags)
        if index == 0 and entry.msgid_plural is not None:
            # The singular may spell the number out ("one day"), but adds nothing new.
            ok = (got[0] <= expected[0] and got[1:] == expected[1:]) or got == expected
        else:
            ok = got == expected
        if not ok:
            problems.append(f"{entry.label} msgstr[{index}] {text!r}: placeholders {got} != {expected}")
    return problems


def test_english_catalogue_is_complete():
    header, messages = split_catalogue(EN_PO)
    assert header.get("Language") == "en"
    assert header.get("Plural-Forms") == EN_PLURAL_FORMS
    problems = []
    for entry in messages:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label}: fuzzy")
        forms = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(forms)):
            problems.append(f"{entry.label}: expected {forms} msgstr, found indexes {sorted(entry.msgstr)}")
        problems.extend(f"{entry.label}: msgstr[{i}] is empty" for i, text in entry.msgstr.items() if not text.strip())
    assert not problems, "English catalogue is incomplete:\n" + "\n".join(problems)


def test_english_catalogue_keeps_placeholders():
    _, messages = split_catalogue(EN_PO)
    problems = []
    for entry in messages:
        problems.extend(placeholder_problems(entry, {i: t for i, t in entry.msgstr.items() if t}))
    assert not problems, "Placeholders differ between msgid and msgstr:\n" + "\n".join(problems)


def test_english_catalogue_has_no_russian_left():
    _, messages = split_catalogue(EN_PO)
    # Endonyms are meant to stay in their own language (the language switcher).
    allowed = {"Русский"}
    problems = [
        f"{entry.label}: {text!r}"
        for entry in messages
        for text in entry.msgstr.values()
        if re.search("[А-Яа-яЁё]", text) and text not in allowed
    ]
    assert not problems, "Cyrillic in English translations:\n" + "\n".join(problems)


def test_russian_catalogue_plurals():
    header, messages = split_catalogue(RU_PO)
    assert header.get("Language") == "ru"
    assert header.get("Plural-Forms") == RU_PLURAL_FORMS
    problems = []
    for entry in messages:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label}: fuzzy")
        if entry.msgid_plural is None:
            continue
        # The msgid and msgid_plural give two forms; Russian needs three ("1 день", "2 дня", "5 дней").
        if sorted(entry.msgstr) != [0, 1, 2] or not all(t.strip() for t in entry.msgstr.values()):
            problems.append(f"{entry.label}: Russian plural needs msgstr[0], [1] and [2] filled in")
        problems.extend(placeholder_problems(entry, {i: t for i, t in entry.msgstr.items() if t}))
    assert not problems, "Russian catalogue:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", [EN_PO, RU_PO], ids=["en", "ru"])
def test_compiled_catalogue_matches_po(po_path):
    """The committed .mo is compiled from the current .po (run compilemessages after editing)."""
    with open(po_path.with_suffix(".mo"), "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    _, messages = split_catalogue(po_path)
    stale = []
    for entry in messages:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        for index, text in entry.msgstr.items():
            if not text:
                continue
            compiled = catalog.get((key, index) if entry.msgid_plural is not None else key)
            if compiled != text:
                stale.append(f"{entry.label} msgstr[{index}]: .mo has {compiled!r}")
    assert not stale, f"{po_path.with_suffix('.mo')} is stale, run compilemessages:\n" + "\n".join(stale)


def test_django_uses_the_catalogues():
    with translation.override("en"):
        assert translation.gettext("Личный кабинет") == "Customer account"
        assert (
            translation.ngettext("Ссылка действует %(days)s день.", "Ссылка действует %(days)s дня.", 1) % {"days": 1}
            == "The link is valid for 1 day."
        )
    with translation.override("ru"):
        texts = [
            translation.ngettext("Ссылка действует %(days)s день.", "Ссылка действует %(days)s дня.", n) % {"days": n}
            for n in (1, 3, 5, 11, 21, 22, 25)
        ]
        assert texts == [
            "Ссылка действует 1 день.",
            "Ссылка действует 3 дня.",
            "Ссылка действует 5 дней.",
            "Ссылка действует 11 дней.",
            "Ссылка действует 21 день.",
            "Ссылка действует 22 дня.",
            "Ссылка действует 25 дней.",
        ]


@pytest.mark.parametrize(
    ("minutes", "russian", "english"),
    [
        (1, "на 1 минуту.", "for 1 minute."),
        (3, "на 3 минуты.", "for 3 minutes."),
        (30, "на 30 минут.", "for 30 minutes."),
        (21, "на 21 минуту.", "for 21 minutes."),
    ],
)
def test_lockout_minutes_agree_with_the_number(minutes, russian, english):
    context = {"failure_limit": 5, "cooloff_minutes": minutes}
    with translation.override("ru"):
        assert russian in render_to_string("accounts/lockout.html", context)
    with translation.override("en"):
        assert english in render_to_string("accounts/lockout.html", context)
