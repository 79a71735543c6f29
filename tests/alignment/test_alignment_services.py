# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""alignment.services.alignment_check: coverage, lines to avoid, figures, visibility."""

import pytest

from alignment.services import MessageNotVisible, alignment_check
from messaging.models import Message
from messaging.selectors import visible_messages_for
from tests.factories import InstitutionFactory, MessageFactory

pytestmark = pytest.mark.django_db


def _check(text: str, language: str = "ar", message=None, messages=None):
    return alignment_check(
        text=text,
        language=language,
        messages=messages if messages is not None else Message.objects.live_now(),
        message_id=message.translation_key if message else None,
    )


def test_alignment_check_reports_covered_and_missing_talking_points(digital_message):
    report = _check(
        "سنطلق منصة الخدمات الحكومية الموحدة للمواطنين قريباً. وسننشر تقارير الأداء الفصلية.", message=digital_message
    )

    points = {point.text: point for pillar in report.coverage.pillars for point in pillar.talking_points}
    assert points["إطلاق منصة الخدمات الحكومية الموحدة للمواطنين"].covered
    assert points["إطلاق منصة الخدمات الحكومية الموحدة للمواطنين"].sentence == 0
    assert points["نشر تقارير الأداء الفصلية للجمهور"].covered
    assert not points["تدريب الموظفين على المهارات الرقمية الحديثة"].covered
    assert [p.text for p in report.coverage.missing if p.item_index is not None] == [
        "تدريب الموظفين على المهارات الرقمية الحديثة"
    ]
    assert (report.coverage.covered_count, report.coverage.total_count) == (2, 3)
    assert all(pillar.covered for pillar in report.coverage.pillars)


def test_alignment_check_reports_a_pillar_missing_when_nothing_of_it_is_said(digital_message):
    report = _check("سنطلق منصة الخدمات الحكومية الموحدة للمواطنين.", message=digital_message)

    assert [pillar.covered for pillar in report.coverage.pillars] == [True, False]


def test_alignment_check_english_draft_covers_the_arabic_message_through_its_translation(digital_english):
    report = _check("We are launching the unified government services platform for citizens.", "en", digital_english)

    assert report.coverage.title == "Digital services"
    assert report.coverage.pillars[0].talking_points[0].covered
    top = report.sentences[0].matches[0]
    assert top.line.message_id == str(digital_english.translation_key)
    assert (top.line.language, top.line.block_type, top.line.block_index, top.line.item_index) == ("en", "pillar", 0, 0)


def test_alignment_check_lists_each_line_once_whatever_language_rows_match(digital_english):
    report = _check("Launching the unified government services platform for citizens", "en")

    positions = [match.line.position for match in report.sentences[0].matches]
    assert len(positions) == len(set(positions))


def test_alignment_check_flags_a_line_to_avoid_written_with_orthographic_variants(digital_message):
    draft = "نعمل على المنصة. لاَ تـعليقَ عَلى ميزانيه المشروع حالياً."

    report = _check(draft, message=digital_message)

    assert [(hit.line, hit.sentence) for hit in report.lines_to_avoid] == [("لا تعليق على ميزانية المشروع", 1)]


def test_alignment_check_does_not_flag_a_line_to_avoid_without_its_negation(digital_message):
    report = _check("تعليق على ميزانية المشروع", message=digital_message)

    assert report.lines_to_avoid == []


def test_alignment_check_flags_a_figure_that_differs_from_the_matching_fact(digital_message):
    report = _check("استفاد ٣٠٠ ألف مواطن من المنصة في عامها الأول.")

    [mismatch] = report.number_mismatches
    assert mismatch.draft_numbers == ["300"]
    assert mismatch.fact_numbers == ["250"]
    assert mismatch.fact.line.block_type == "fact"


def test_alignment_check_accepts_the_approved_figure_in_arabic_indic_digits(digital_message):
    report = _check("استفاد ٢٥٠ ألف مواطن من المنصة في عامها الأول.")

    assert report.number_mismatches == []


def test_alignment_check_compares_figures_of_an_english_draft_with_the_english_fact(digital_english):
    report = _check("300 thousand citizens used the platform in its first year.", "en")

    assert [(m.draft_numbers, m.fact_numbers) for m in report.number_mismatches] == [(["300"], ["250"])]


def test_alignment_check_never_matches_a_message_the_institution_cannot_see(digital_message):
    moi, other = InstitutionFactory(slug="moi"), InstitutionFactory(slug="other")
    restricted = MessageFactory.create_published(
        title="سري",
        key_message="خطة الطوارئ السرية للموانئ البحرية",
        body=digital_message.body.raw_data,
        audience_of=[moi],
    )

    report = _check("خطة الطوارئ السرية للموانئ البحرية", messages=visible_messages_for(other))

    matched = {m.line.message_id for s in report.sentences for m in s.matches}
    assert str(restricted.translation_key) not in matched
    with pytest.raises(MessageNotVisible):
        _check("أي نص", message=restricted, messages=visible_messages_for(other))


def test_alignment_check_ignores_drafts_and_outdated_translations(digital_message, english_row):
    MessageFactory(title="مسودة", key_message="مبادرة المسودة غير المعتمدة بعد")
    english = english_row(digital_message, key_message="An obsolete translated key message")
    Message.objects.filter(pk=digital_message.pk).update(version=english.version + 1)

    report = _check("An obsolete translated key message. مبادرة المسودة غير المعتمدة بعد", "en")

    assert all(not s.matches or s.matches[0].score < 0.4 for s in report.sentences)
