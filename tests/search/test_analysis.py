# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""search.analysis: pure text functions, no database."""

import pytest

from search.analysis import (
    ARABIC_STOPWORDS,
    ENGLISH_STOPWORDS,
    analyse,
    analysed_text,
    normalize_arabic,
    stem_arabic,
    stem_english,
    tokenize,
)

FATHA, DAMMA, KASRA = "\u064e", "\u064f", "\u0650"
FATHATAN, DAMMATAN, KASRATAN = "\u064b", "\u064c", "\u064d"
SHADDA, SUKUN, SUPERSCRIPT_ALEF, TATWEEL = "\u0651", "\u0652", "\u0670", "\u0640"


# --- normalize_arabic: letter variants -----------------------------------------------------------------


def test_normalize_arabic_hamza_above_alef_becomes_bare_alef() -> None:
    assert normalize_arabic("أحمد") == "احمد"


def test_normalize_arabic_hamza_below_alef_becomes_bare_alef() -> None:
    assert normalize_arabic("إسلام") == "اسلام"


def test_normalize_arabic_madda_alef_becomes_bare_alef() -> None:
    assert normalize_arabic("آمن") == "امن"


def test_normalize_arabic_wasla_alef_becomes_bare_alef() -> None:
    assert normalize_arabic("ٱلكتاب") == "الكتاب"


def test_normalize_arabic_alef_maqsura_becomes_yeh() -> None:
    assert normalize_arabic("مستشفى") == "مستشفي"


def test_normalize_arabic_taa_marbuta_becomes_heh() -> None:
    assert normalize_arabic("مدرسة") == "مدرسه"


def test_normalize_arabic_hamza_on_waw_becomes_bare_hamza() -> None:
    assert normalize_arabic("مؤتمر") == "مءتمر"


def test_normalize_arabic_hamza_on_yeh_becomes_bare_hamza() -> None:
    assert normalize_arabic("رئيس") == "رءيس"


def test_normalize_arabic_hamza_seat_spelling_variants_meet() -> None:
    assert normalize_arabic("مسئول") == normalize_arabic("مسؤول")
    assert normalize_arabic("شئون") == normalize_arabic("شؤون")


def test_normalize_arabic_lam_alef_ligature_is_decomposed() -> None:
    assert normalize_arabic("\ufefb") == "لا"


def test_normalize_arabic_farsi_yeh_and_keheh_become_arabic_letters() -> None:
    assert normalize_arabic("کرسی") == "كرسي"


# --- normalize_arabic: diacritics and tatweel, one kind at a time --------------------------------------


def test_normalize_arabic_removes_fatha() -> None:
    assert normalize_arabic(f"ك{FATHA}تب") == "كتب"


def test_normalize_arabic_removes_damma() -> None:
    assert normalize_arabic(f"ك{DAMMA}تب") == "كتب"


def test_normalize_arabic_removes_kasra() -> None:
    assert normalize_arabic(f"ب{KASRA}نت") == "بنت"


def test_normalize_arabic_removes_sukun() -> None:
    assert normalize_arabic(f"مد{SUKUN}رسه") == "مدرسه"


def test_normalize_arabic_removes_shadda() -> None:
    assert normalize_arabic(f"مدر{SHADDA}س") == "مدرس"


def test_normalize_arabic_removes_shadda_with_vowel() -> None:
    assert normalize_arabic(f"مدر{SHADDA}{FATHA}س") == "مدرس"


def test_normalize_arabic_removes_tanwin_fath() -> None:
    assert normalize_arabic(f"شكرا{FATHATAN}") == "شكرا"


def test_normalize_arabic_removes_tanwin_damm() -> None:
    assert normalize_arabic(f"كتاب{DAMMATAN}") == "كتاب"


def test_normalize_arabic_removes_tanwin_kasr() -> None:
    assert normalize_arabic(f"كتاب{KASRATAN}") == "كتاب"


def test_normalize_arabic_removes_superscript_alef() -> None:
    assert normalize_arabic(f"ه{SUPERSCRIPT_ALEF}ذا") == "هذا"


def test_normalize_arabic_removes_tatweel() -> None:
    assert normalize_arabic(f"مر{TATWEEL}{TATWEEL}حبا") == "مرحبا"


def test_normalize_arabic_removes_full_vocalisation() -> None:
    vocalised = f"ال{FATHA}م{SUKUN}د{FATHA}ر{SUKUN}س{FATHA}ة{DAMMA}"
    assert normalize_arabic(vocalised) == normalize_arabic("المدرسة")


def test_normalize_arabic_removes_zero_width_non_joiner_inside_word() -> None:
    assert normalize_arabic("مدر\u200cسة") == "مدرسه"


# --- normalize_arabic: digits, case, everything else ---------------------------------------------------


def test_normalize_arabic_arabic_indic_digits_become_ascii() -> None:
    assert normalize_arabic("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_normalize_arabic_persian_digits_become_ascii() -> None:
    assert normalize_arabic("۲۰۲۵") == "2025"


def test_normalize_arabic_lower_cases_latin() -> None:
    assert normalize_arabic("COVID Ministry") == "covid ministry"


def test_normalize_arabic_keeps_punctuation_and_spaces() -> None:
    assert normalize_arabic("مرحبا، يا عالم؟") == "مرحبا، يا عالم؟"


def test_normalize_arabic_empty_string() -> None:
    assert normalize_arabic("") == ""


# --- stem_arabic ---------------------------------------------------------------------------------------


def test_stem_arabic_strips_definite_article() -> None:
    assert stem_arabic("الكتاب") == "كتاب"


def test_stem_arabic_strips_waw_and_article() -> None:
    assert stem_arabic("والكتاب") == "كتاب"


def test_stem_arabic_strips_beh_and_article() -> None:
    assert stem_arabic("بالكتاب") == "كتاب"


def test_stem_arabic_strips_kaf_and_article() -> None:
    assert stem_arabic("كالبحر") == "بحر"


def test_stem_arabic_strips_feh_and_article() -> None:
    assert stem_arabic("فالطالب") == "طالب"


def test_stem_arabic_strips_lam_lam() -> None:
    assert stem_arabic("للطلاب") == "طلاب"


def test_stem_arabic_strips_conjunction_waw() -> None:
    assert stem_arabic("وكتاب") == "كتاب"


def test_stem_arabic_keeps_waw_of_short_word() -> None:
    assert stem_arabic("ورد") == "ورد"


def test_stem_arabic_keeps_article_when_too_little_would_remain() -> None:
    assert stem_arabic("ال") == "ال"


def test_stem_arabic_strips_feminine_plural() -> None:
    assert stem_arabic("كتابات") == "كتاب"


def test_stem_arabic_strips_masculine_plural_nominative() -> None:
    assert stem_arabic("معلمون") == "معلم"


def test_stem_arabic_strips_masculine_plural_oblique() -> None:
    assert stem_arabic("معلمين") == "معلم"


def test_stem_arabic_strips_possessive_suffix() -> None:
    assert stem_arabic("كتابها") == "كتاب"


def test_stem_arabic_strips_prefix_and_suffix() -> None:
    assert stem_arabic("والمعلمون") == "معلم"


def test_stem_arabic_conflates_definite_and_indefinite_normalised_forms() -> None:
    assert stem_arabic(normalize_arabic("المدرسة")) == stem_arabic(normalize_arabic("مدرسة"))


# --- stem_english --------------------------------------------------------------------------------------


def test_stem_english_conflates_communication_inflections() -> None:
    stems = {stem_english(w) for w in ("communications", "communicating", "communicate", "communication")}
    assert len(stems) == 1


def test_stem_english_conflates_plural_and_singular() -> None:
    assert stem_english("ministries") == stem_english("ministry")


def test_stem_english_conflates_verb_tenses() -> None:
    assert stem_english("announced") == stem_english("announcing") == stem_english("announces")


def test_stem_english_leaves_numbers_alone() -> None:
    assert stem_english("2025") == "2025"


# --- tokenize ------------------------------------------------------------------------------------------


def test_tokenize_marks_script_of_each_token() -> None:
    assert list(tokenize("وزاره covid 19")) == [("وزاره", True), ("covid", False), ("19", False)]


def test_tokenize_splits_arabic_glued_to_digits() -> None:
    assert list(tokenize("كوفيد19")) == [("كوفيد", True), ("19", False)]


def test_tokenize_drops_punctuation_and_underscores() -> None:
    assert [t for t, _ in tokenize("مرحبا، (hello)_world؟")] == ["مرحبا", "hello", "world"]


# --- analyse / analysed_text ---------------------------------------------------------------------------


def test_analyse_vocalised_and_plain_arabic_match() -> None:
    vocalised = f"ال{FATHA}م{SUKUN}د{FATHA}ر{SUKUN}س{FATHA}ة{DAMMA}"
    assert analyse(vocalised, "ar") == analyse("المدرسة", "ar") == analyse("مدرسة", "ar")


def test_analyse_hamza_variants_match() -> None:
    assert analyse("أعلنت الوزارة", "ar") == analyse("اعلنت الوزاره", "ar")


def test_analyse_drops_arabic_stopwords() -> None:
    assert analyse("في المدرسة", "ar") == analyse("المدرسة", "ar")


def test_analyse_drops_english_stopwords() -> None:
    assert analyse("the school of the city", "en") == ["school", "citi"]


def test_analyse_english_inflections_match() -> None:
    assert analyse("Communications", "en") == analyse("communicating", "en")


def test_analyse_english_possessive_leaves_no_stray_s() -> None:
    assert analyse("the ministry's plan", "en") == analyse("ministry plan", "en")


def test_analyse_latin_inside_arabic_gets_english_stemming() -> None:
    tokens = analyse("حملة vaccinations في المدارس", "ar")
    assert stem_english("vaccinations") in tokens
    assert "vaccinations" not in tokens


def test_analyse_arabic_inside_english_gets_arabic_stemming() -> None:
    assert analyse("Statement from الوزارة today", "en") == ["statement", "from", "وزار", "today"]


def test_analyse_mixed_text_is_language_independent() -> None:
    text = "أعلنت وزارة الصحة عن حملة COVID-19 vaccinations"
    assert analyse(text, "ar") == analyse(text, "en")


def test_analyse_arabic_indic_digits_match_ascii() -> None:
    assert analyse("عام ٢٠٢٥", "ar") == analyse("عام 2025", "ar")


def test_analyse_empty_string() -> None:
    assert analyse("", "ar") == []
    assert analyse("", "en") == []


def test_analyse_punctuation_only() -> None:
    assert analyse(" ،؟!...  ", "ar") == []


def test_analyse_accepts_region_subtag() -> None:
    assert analyse("المدرسة", "ar-SA") == analyse("المدرسة", "ar")


def test_analyse_rejects_unsupported_language() -> None:
    with pytest.raises(ValueError, match="fr"):
        analyse("bonjour", "fr")


def test_analysed_text_joins_tokens_with_spaces() -> None:
    assert analysed_text("الكتب والمدارس", "ar") == " ".join(analyse("الكتب والمدارس", "ar"))


def test_analysed_text_empty_string() -> None:
    assert analysed_text("", "en") == ""


def test_analysed_text_query_matches_indexed_variant() -> None:
    indexed = set(analysed_text("أعلنت وزارةُ الصّحّة عن المستشفيات الجديدة", "ar").split())
    query = set(analysed_text("مستشفيات", "ar").split())
    assert query <= indexed


# --- stopword lists ------------------------------------------------------------------------------------


def test_arabic_stopwords_are_normalised() -> None:
    assert all(normalize_arabic(word) == word for word in ARABIC_STOPWORDS)
    assert "الي" in ARABIC_STOPWORDS  # from إلى


def test_english_stopwords_are_lowercase() -> None:
    assert all(word == word.lower() for word in ENGLISH_STOPWORDS)


# --- analyse_query: interrogatives dropped from queries only -------------------------------------------


def test_analyse_query_drops_english_question_words() -> None:
    from search.analysis import analyse_query

    assert analyse_query("What did the Panthers defense give up?", "en") == ["panther", "defens", "give", "up"]


def test_analyse_query_drops_arabic_question_words_in_any_spelling() -> None:
    from search.analysis import analyse_query

    assert analyse_query("كيف أين لماذا اين", "ar") == []


def test_analyse_keeps_question_words_in_indexed_text() -> None:
    assert "what" in analyse("what matters", "en")
