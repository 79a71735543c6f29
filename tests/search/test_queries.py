import pytest

from search.queries import MAX_QUERY_LENGTH, InvalidQuery, query_parse


def test_query_parse_keeps_text_and_language() -> None:
    query = query_parse("  vaccination campaign ", "en")
    assert (query.text, query.language) == ("vaccination campaign", "en")


def test_query_parse_detects_arabic_without_locale() -> None:
    assert query_parse("حملة التطعيم").language == "ar"
    assert query_parse("vaccination").language == "en"


@pytest.mark.parametrize(
    ("text", "locale", "field"),
    [
        ("", None, "q"),
        ("   ", None, "q"),
        ("x" * (MAX_QUERY_LENGTH + 1), None, "q"),
        ("vacc\x00ine", None, "q"),
        ("\x1b[31m", None, "q"),
        ("?!…", None, "q"),
        ("vaccine", "fr", "locale"),
    ],
)
def test_query_parse_refuses_malformed_queries(text: str, locale: str | None, field: str) -> None:
    with pytest.raises(InvalidQuery) as error:
        query_parse(text, locale)
    assert error.value.field == field
    assert error.value.message


def test_query_parse_accepts_the_longest_query() -> None:
    assert query_parse("x" * MAX_QUERY_LENGTH).text
