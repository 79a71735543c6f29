# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""alignment.matching: pure text functions and the line index, no database."""

from alignment.matching import (
    Line,
    LineIndex,
    consonant_skeleton,
    contains_tokens,
    numbers_in,
    split_sentences,
    surface_tokens,
)


def _line(message_id: str, text: str, language: str = "ar") -> Line:
    return Line(message_id, language, "pillar", 0, 0, "talking_point", text)


def test_split_sentences_cuts_at_arabic_and_latin_punctuation_and_newlines() -> None:
    text = "ما الهدف؟ رسائل متسقة؛ توجه موحد. Is it clear! Yes\nالسطر الأخير"
    assert [s.text for s in split_sentences(text)] == [
        "ما الهدف؟",
        "رسائل متسقة؛",
        "توجه موحد.",
        "Is it clear!",
        "Yes",
        "السطر الأخير",
    ]


def test_split_sentences_keeps_decimal_numbers_whole_and_reports_offsets() -> None:
    text = "  Growth was 3.5 percent.  Next…"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Growth was 3.5 percent.", "Next…"]
    assert text[sentences[0].start : sentences[0].end] == sentences[0].text


def test_split_sentences_drops_pieces_without_words() -> None:
    assert split_sentences(" ... ؟ \n\n !") == []


def test_numbers_in_reads_arabic_indic_digits_and_separators_like_latin_ones() -> None:
    assert numbers_in("بلغ ١٬٢٠٠ مستفيد بنسبة ٣٫٥ في ٢٠٢٥") == ["1200", "3.5", "2025"]
    assert numbers_in("1,200 people, 3.50 percent, in 2025") == ["1200", "3.5", "2025"]


def test_contains_tokens_matches_orthographic_variants_but_keeps_negation() -> None:
    needle = surface_tokens("لا تعليق على ميزانية المشروع")
    assert contains_tokens(surface_tokens("قال: لاَ تـعليق عَلى ميزانيه المشروع اليوم"), needle)
    assert not contains_tokens(surface_tokens("تعليق على ميزانية المشروع"), needle)


def test_consonant_skeleton_meets_across_scripts_for_a_transliterated_name() -> None:
    assert consonant_skeleton("بانثرز", is_arabic=True) == consonant_skeleton("panthers", is_arabic=False)


def test_line_index_ranks_the_closest_line_first_with_a_bounded_score() -> None:
    index = LineIndex(
        [
            _line("a", "إطلاق منصة الخدمات الحكومية الموحدة"),
            _line("b", "تدريب الموظفين على المهارات الرقمية"),
            _line("c", "Training employees in digital skills", "en"),
        ]
    )
    top = index.search("سنطلق منصة الخدمات الحكومية", "ar", limit=1)
    assert top[0].line.message_id == "a"
    assert 0 < top[0].score <= 1
    assert index.search("training of employees", "en", limit=1)[0].line.message_id == "c"


def test_line_index_scores_identical_text_as_one() -> None:
    index = LineIndex([_line("a", "نشر تقارير الأداء الفصلية للجمهور")])
    assert index.search("نشر تقارير الأداء الفصلية للجمهور", "ar")[0].score == 1.0
