"""The Arabic project catalogue is complete, keeps its placeholders, and its compiled .mo matches the .po.

Pure Python: the .po is read with a small parser below and the .mo with the standard library's
``gettext.GNUTranslations``, so neither a database nor the gettext binaries are needed.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PO_PATH = REPO / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

ARABIC_NPLURALS = 6

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_STRING = re.compile(r'^"(.*)"\s*$')
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')

# printf-style conversions as Python's % operator reads them: %(name)s, %s, %d, %5.2f, %r ...; %% is a literal.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_NAMED_PRINTF = re.compile(r"%\([^)]*\)[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
# str.format-style named fields: {name}, {name.attr}, {0}; not JSON-ish text such as "{title, answer}".
_BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_][\w.]*|\d+)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


def _unquote(literal: str) -> str:
    match = _STRING.match(literal)
    if match is None:
        raise ValueError(f"not a PO string literal: {literal!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), match.group(1))


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file: multi-line strings, msgctxt, plurals and flags; obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # which field continuation lines extend

    def append(value: str) -> None:
        assert current is not None and target is not None
        name, index = target
        if name == "msgstr" and index is not None:
            current.msgstr_plural[index] += value
        else:
            setattr(current, name, getattr(current, name) + value)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        if keyword:
            name, index, literal = keyword.group(1), keyword.group(2), keyword.group(3)
            value = _unquote(literal)
            # An entry starts at msgctxt, or at a msgid that does not follow its own msgctxt.
            starts_entry = name == "msgctxt" or (name == "msgid" and target != ("msgctxt", None))
            if starts_entry:
                current = Entry(flags=pending_flags, line=number)
                pending_flags = set()
                entries.append(current)
            assert current is not None, f"line {number}: {name} outside an entry"
            if name.startswith("msgstr["):
                current.msgstr_plural[int(index)] = value
                target = ("msgstr", int(index))
            else:
                setattr(current, name, value)
                target = (name, None)
            continue
        if _STRING.match(line):
            assert target is not None, f"line {number}: string outside an entry"
            append(_unquote(line))
            continue
        raise ValueError(f"line {number}: cannot parse {raw!r}")
    return entries


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(entry for entry in entries if entry.is_header)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in header.msgstr.splitlines() if ":" in line)
    )


def _placeholders(text: str, *, python_format: bool) -> Counter[str]:
    found = Counter(_BRACE.findall(text))
    pattern = _PRINTF if python_format else _NAMED_PRINTF
    found.update(p for p in pattern.findall(text) if p != "%%")
    return found


def _label(entry: Entry) -> str:
    return f"{PO_PATH.name}:{entry.line} {entry.msgid!r}"


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if not entry.is_header]


def test_parser_reads_multiline_strings_context_and_plurals():
    sample = r"""
msgid ""
msgstr ""
"Language: ar\n"

#: a.py:1
#, python-format
msgid ""
"A long %(name)s "
"line"
msgstr ""
"سطر طويل "
"%(name)s"

msgctxt "menu"
msgid "Say \"hi\""
msgstr "قل \"مرحبا\""

#, python-format
msgid "%(counter)s item"
msgid_plural "%(counter)s items"
msgstr[0] "zero"
msgstr[1] "one"
msgstr[2] "two"
msgstr[3] "%(counter)s few"
msgstr[4] "%(counter)s many"
msgstr[5] "%(counter)s other"

#~ msgid "old"
#~ msgstr "قديم"
"""
    header, long, ctx, plural = parse_po(sample)
    assert header.is_header and header.msgstr == "Language: ar\n"
    assert long.msgid == "A long %(name)s line" and long.msgstr == "سطر طويل %(name)s"
    assert long.flags == {"python-format"}
    assert ctx.msgctxt == "menu" and ctx.msgid == 'Say "hi"' and ctx.msgstr == 'قل "مرحبا"'
    assert plural.msgid_plural == "%(counter)s items"
    assert plural.translations == ["zero", "one", "two", "%(counter)s few", "%(counter)s many", "%(counter)s other"]


def test_header_is_arabic_with_six_plural_forms(entries):
    header = _header(entries)
    assert header["Language"] == "ar"
    assert "charset=UTF-8" in header["Content-Type"]
    assert re.search(rf"nplurals={ARABIC_NPLURALS};", header["Plural-Forms"])


def test_every_entry_is_translated_and_not_fuzzy(entries, messages):
    assert messages, "the catalogue has no entries"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_label(entry)}")
        if entry.is_header:
            continue
        if entry.msgid_plural is not None and sorted(entry.msgstr_plural) != list(range(ARABIC_NPLURALS)):
            problems.append(
                f"plural forms {sorted(entry.msgstr_plural)}, expected 0..{ARABIC_NPLURALS - 1}: {_label(entry)}"
            )
        if not all(text.strip() for text in entry.translations):
            problems.append(f"untranslated: {_label(entry)}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders(messages):
    problems = []
    for entry in messages:
        python_format = "python-format" in entry.flags
        if entry.msgid_plural is None:
            expected = _placeholders(entry.msgid, python_format=python_format)
            actual = _placeholders(entry.msgstr, python_format=python_format)
            if actual != expected:
                problems.append(f"{_label(entry)}: {sorted(actual.elements())} != {sorted(expected.elements())}")
            continue
        # Arabic forms for exactly 0, 1 or 2 may spell the number out and drop a *named* count; every form may
        # only use the msgid_plural's placeholders, the general form must use all of them, and positional
        # ones (%s, %d) can never be dropped.
        expected = _placeholders(entry.msgid_plural, python_format=python_format)
        for index, text in sorted(entry.msgstr_plural.items()):
            actual = _placeholders(text, python_format=python_format)
            positional = Counter({p: n for p, n in expected.items() if not p.startswith(("%(", "{"))})
            general = index == ARABIC_NPLURALS - 1
            if (general and actual != expected) or (actual - expected) or (positional - actual):
                problems.append(
                    f"{_label(entry)} msgstr[{index}]: {sorted(actual.elements())} vs {sorted(expected.elements())}"
                )
    assert not problems, "\n".join(problems)


def test_compiled_mo_matches_the_po(entries, messages):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run msgfmt --check -o {MO_PATH} {PO_PATH}"
    with MO_PATH.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    plural_index = gettext.c2py(_header(entries)["Plural-Forms"].split("plural=", 1)[1].rstrip(";").strip())

    stale = []
    for entry in messages:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                got = translations.gettext(entry.msgid)
            else:
                got = translations.pgettext(entry.msgctxt, entry.msgid)
            if got != entry.msgstr:
                stale.append(f"{_label(entry)}: .mo has {got!r}, .po has {entry.msgstr!r}")
            continue
        for n in (0, 1, 2, 3, 11, 100, 101, 102):
            if entry.msgctxt is None:
                got = translations.ngettext(entry.msgid, entry.msgid_plural, n)
            else:
                got = translations.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            want = entry.msgstr_plural[plural_index(n)]
            if got != want:
                stale.append(f"{_label(entry)} n={n}: .mo has {got!r}, .po has {want!r}")
    assert not stale, "the .mo is older than the .po; recompile it:\n" + "\n".join(stale)

    # Nothing in the .mo that the .po no longer has (entries removed or msgids reworded since compiling).
    def key(entry: Entry) -> str:
        return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"

    po_keys = {key(entry) for entry in messages}
    mo_keys = {k[0] if isinstance(k, tuple) else k for k in translations._catalog} - {""}
    assert mo_keys == po_keys, f"only in .mo: {sorted(mo_keys - po_keys)}; only in .po: {sorted(po_keys - mo_keys)}"
