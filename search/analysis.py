"""Arabic-aware text analysis shared by indexing and querying.

The database search backend indexes ``analysed_text(text, language)`` and runs every query through the
same function, so both sides always agree on tokens. The choices below (normalisation rules, the light
stemmer, the stopword lists) were picked by measurement on
the XQuAD Arabic/English retrieval set; see ``bench/relevance_study.py`` and its report.

The Arabic stemmer deliberately mirrors Lucene's ``ArabicStemmer`` (the ``arabic_stem`` token filter of
OpenSearch/Elasticsearch), so the database path and the search-engine path produce the same stems.
"""

# Arabic letters are this module's subject matter, not look-alikes of Latin ones.
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

__all__ = [
    "ARABIC_STOPWORDS",
    "ENGLISH_STOPWORDS",
    "QUESTION_WORDS",
    "SUPPORTED_LANGUAGES",
    "analyse",
    "analyse_query",
    "analysed_query",
    "analysed_text",
    "normalize_arabic",
    "stem_arabic",
    "stem_english",
    "tokenize",
]

SUPPORTED_LANGUAGES = frozenset({"ar", "en"})

# --- Normalisation -------------------------------------------------------------------------------------

_DELETED = [
    *range(0x0610, 0x061B),  # Quranic annotation marks
    # Tanwin (fathatan, dammatan, kasratan), fatha, damma, kasra, shadda, sukun, then the combining
    # maddah/hamza above/below and the rarer marks up to U+065F.
    *range(0x064B, 0x0660),
    0x0670,  # superscript (dagger) alef
    0x0640,  # tatweel (kashida)
    *range(0x06D6, 0x06DD),  # Quranic small high ligatures and marks
    *range(0x06DF, 0x06E5),
    0x06E7,
    0x06E8,
    *range(0x06EA, 0x06EE),
    # Invisible format characters that editors paste into Arabic text; left in, they split words.
    *(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF),
]

_REPLACED = {
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0622": "\u0627",  # آ alef with madda -> ا
    "\u0671": "\u0627",  # ٱ alef wasla -> ا
    "\u0649": "\u064a",  # ى alef maqsura -> ي
    "\u0629": "\u0647",  # ة taa marbuta -> ه
    # Hamza on a waw or yeh seat -> bare hamza, so the accepted spelling pairs مسؤول/مسئول and شؤون/شئون
    # (Levantine/Gulf vs Egyptian convention) meet. Folding to و/ي instead keeps those pairs apart; on the
    # XQuAD set all three options score within 0.001 (bench/relevance_study.py --explore).
    "\u0624": "\u0621",  # ؤ -> ء
    "\u0626": "\u0621",  # ئ -> ء
    # Persian-keyboard look-alikes that show up in Arabic text.
    "\u06cc": "\u064a",  # ی farsi yeh -> ي
    "\u06a9": "\u0643",  # ک keheh -> ك
    # Lam-alef presentation ligatures (legacy encodings, PDF copy-paste).
    "\ufef5": "\u0644\u0627",
    "\ufef6": "\u0644\u0627",
    "\ufef7": "\u0644\u0627",
    "\ufef8": "\u0644\u0627",
    "\ufef9": "\u0644\u0627",
    "\ufefa": "\u0644\u0627",
    "\ufefb": "\u0644\u0627",
    "\ufefc": "\u0644\u0627",
}

_TABLE: dict[int, str | None] = {
    **dict.fromkeys(_DELETED),
    **{ord(k): v for k, v in _REPLACED.items()},
    # Arabic-Indic (U+0660..) and extended/Persian (U+06F0..) digits -> ASCII.
    **{0x0660 + i: str(i) for i in range(10)},
    **{0x06F0 + i: str(i) for i in range(10)},
}


def normalize_arabic(text: str) -> str:
    """Orthographic normalisation: drop diacritics and tatweel, unify letter variants, ASCII digits,
    lower-case Latin. Safe on any text; non-Arabic characters other than case are left as they are."""
    return text.translate(_TABLE).lower()


# --- Tokenisation --------------------------------------------------------------------------------------

_ARABIC_LETTERS = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
# An Arabic run, or any other run of letters/digits (excluding "_" and Arabic); so "كوفيد19" splits in two
# and each part gets the treatment of its own script.
_TOKEN_RE = re.compile(rf"(?P<ar>[{_ARABIC_LETTERS}]+)|(?P<other>[^\W_{_ARABIC_LETTERS}]+)")


# English possessive "'s" (Lucene's english_possessive filter); otherwise the apostrophe leaves a lone "s".
_POSSESSIVE_RE = re.compile(r"(?<=[a-z])['\u2019]s\b")


def tokenize(text: str) -> Iterator[tuple[str, bool]]:
    """Yield ``(token, is_arabic)`` from already normalised text."""
    for match in _TOKEN_RE.finditer(text):
        yield match.group(), match.lastgroup == "ar"


# --- Stemming ------------------------------------------------------------------------------------------

# Lucene ArabicStemmer (light10, Larkey et al. 2007). The prefix list is tried in order and at most one
# prefix is removed; each suffix is then tried once, in order. Taa marbuta is already normalised to heh,
# which makes Lucene's "ية"/"ة" entries equal to "يه"/"ه".
_AR_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


@lru_cache(maxsize=131072)
def stem_arabic(token: str) -> str:
    """Light-stem a normalised Arabic token (definite article, conjunction + article, common suffixes)."""
    token = _strip_arabic_prefix(token)
    for suffix in _AR_SUFFIXES:
        if len(token) >= len(suffix) + 2 and token.endswith(suffix):
            token = token[: -len(suffix)]
    return token


def _strip_arabic_prefix(token: str) -> str:
    for prefix in _AR_PREFIXES:
        # A lone و needs 3 letters left, so roots such as ورد/وقت survive; the others need 2.
        min_len = 4 if len(prefix) == 1 else len(prefix) + 2
        if len(token) >= min_len and token.startswith(prefix):
            return token[len(prefix) :]
    return token


_english_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem_english(token: str) -> str:
    """Snowball (Porter 2) English stem of a lower-cased token."""
    return str(_english_stemmer.stemWord(token))


# --- Stopwords -----------------------------------------------------------------------------------------

# Lucene's Arabic stopword list (Savoy); normalised below so it matches normalised tokens.
_LUCENE_ARABIC_STOPWORDS = """
من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن ما وما كما فما
عن مع اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى التي الذى الذي الذين الى
الي إلى إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن هى هي هو وهى وهي وهو فهى فهي فهو انت
أنت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان
الآن خلال بعد قبل حتى عند عندما لدى جميع
"""

# Lucene's English stopword list (the ``_english_`` set of OpenSearch/Elasticsearch).
_LUCENE_ENGLISH_STOPWORDS = """
a an and are as at be but by for if in into is it no not of on or such that the their then there these they
this to was will with
"""

ARABIC_STOPWORDS: frozenset[str] = frozenset(normalize_arabic(w) for w in _LUCENE_ARABIC_STOPWORDS.split())
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_LUCENE_ENGLISH_STOPWORDS.split())


# Interrogatives: in a search box they carry no topic, yet "what" or "كيف" match many paragraphs. Dropped from
# queries only (never from indexed text); measured in bench/relevance_study.py (+0.005 MRR@10 en).
_QUESTION_WORDS = """
what who when where which how why whom whose did does do
كم ماذا متى أين كيف لماذا هل ما من أي
"""
QUESTION_WORDS: frozenset[str] = frozenset(normalize_arabic(w) for w in _QUESTION_WORDS.split())


# --- Analysis ------------------------------------------------------------------------------------------


def analyse(text: str, language: str) -> list[str]:
    """Tokenise, normalise, drop stopwords and stem ``text``.

    Each token is treated by its own script: Arabic words are light-stemmed even inside English text and
    Latin words get English stemming inside Arabic text, so ``language`` only has to be a supported one.
    """
    _check_language(language)
    tokens: list[str] = []
    for token, is_arabic in tokenize(_POSSESSIVE_RE.sub("", normalize_arabic(text))):
        if is_arabic:
            if token not in ARABIC_STOPWORDS:
                tokens.append(stem_arabic(token))
        elif token not in ENGLISH_STOPWORDS:
            tokens.append(stem_english(token))
    return tokens


def analysed_text(text: str, language: str) -> str:
    """``analyse`` joined with spaces: the string the database backend indexes and queries with."""
    return " ".join(analyse(text, language))


def _check_language(language: str) -> None:
    if language.split("-")[0].lower() not in SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported analysis language: {language!r}")


def analyse_query(text: str, language: str) -> list[str]:
    """``analyse`` for a query: interrogatives are dropped before stemming, as the engine's query analyzer does."""
    _check_language(language)
    kept = " ".join(t for t, _ in tokenize(_POSSESSIVE_RE.sub("", normalize_arabic(text))) if t not in QUESTION_WORDS)
    return analyse(kept, language)


def analysed_query(text: str, language: str) -> str:
    return " ".join(analyse_query(text, language))
