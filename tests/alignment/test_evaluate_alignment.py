# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""manage.py evaluate_alignment on a small corpus of its own."""

import json

import pytest
from django.core.management import CommandError, call_command

from messaging.models import Message

DOCUMENTS = [
    {
        "id": "d1",
        "ar": "أطلقت الوزارة منصة الخدمات الرقمية. استفاد منها 250 ألف مواطن.",
        "en": "The ministry launched the digital services platform. 250 thousand citizens used it.",
    },
    {
        "id": "d2",
        "ar": "افتتح المتحف الوطني جناحاً جديداً للآثار. يضم الجناح مخطوطات نادرة.",
        "en": "The national museum opened a new antiquities wing. The wing holds rare manuscripts.",
    },
    {
        "id": "d3",
        "ar": "هطلت أمطار غزيرة على المناطق الجبلية. حذرت الأرصاد من السيول.",
        "en": "Heavy rain fell on the mountain areas. The weather service warned of floods.",
    },
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCUMENTS), encoding="utf-8")
    return path


def test_evaluate_alignment_reports_accuracy_per_direction_as_json(corpus, capsys):
    call_command("evaluate_alignment", corpus=str(corpus), json=True)

    payload = json.loads(capsys.readouterr().out)
    results = {(r["direction"], r["drafts"]): r for r in payload["results"]}
    assert payload["documents"] == 3
    assert set(results) == {(d, k) for d in ("ar->ar", "en->en", "ar->en", "en->ar") for k in ("verbatim", "reworded")}
    assert results[("ar->ar", "verbatim")]["accuracy_at_1"] == 1.0
    assert results[("en->en", "verbatim")]["accuracy_at_1"] == 1.0
    assert results[("ar->ar", "verbatim")]["count"] == 6


def test_evaluate_alignment_prints_a_table(corpus, capsys):
    call_command("evaluate_alignment", corpus=str(corpus))

    out = capsys.readouterr().out
    assert "accuracy@1" in out and "en->ar" in out


def test_evaluate_alignment_never_writes_to_the_project_database(corpus, db):
    call_command("evaluate_alignment", corpus=str(corpus), json=True)

    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json\n", "line 1: not JSON"),
        ('{"id": "x", "ar": "نص"}\n', "line 1: missing or empty en"),
        ('["a list"]\n', "line 1: expected an object"),
        ('{"id": "x", "ar": "نص", "en": "text"}\n{"id": "x", "ar": "نص", "en": "text"}\n', "line 2: duplicate id"),
        ("\n\n", "no documents"),
    ],
)
def test_evaluate_alignment_refuses_a_malformed_corpus(tmp_path, content, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=reason):
        call_command("evaluate_alignment", corpus=str(path))


def test_evaluate_alignment_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate_alignment", corpus=str(tmp_path / "absent.jsonl"))
