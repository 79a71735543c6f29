"""The matching core: an in-memory index of approved lines, and the text functions the check needs.

Nothing here touches the database. The API and the admin page build lines from the messages a caller may
see; the evaluation command builds them from corpus documents. Both then ask the same index.

Similarity is a weighted sum of two TF-IDF cosines, so a score is always between 0 and 1 and thresholds
mean the same thing for every index: one over ``search.analysis`` stems (the search engine's tokens) and
one over character n-grams of the normalised words, which survives spelling variants, clitics the light
stemmer leaves on, and inflections it does not know. Across languages the only shared ground is lexical:
digits, Latin-script names inside Arabic text, and a consonant skeleton that lets a transliterated name
(بانثرز / Panthers) meet its original.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import (
    ARABIC_STOPWORDS,
    ENGLISH_STOPWORDS,
    analyse,
    normalize_arabic,
    stem_arabic,
    stem_english,
    tokenize,
)

WORD_WEIGHT = 0.40
CHAR_WEIGHT = 0.30
SKELETON_WEIGHT = 0.30
CHAR_NGRAM = 3
SKELETON_MIN_LENGTH = 3


@dataclass(frozen=True)
class Line:
    """One approved line: a key message, pillar title, talking point, Q&A part or fact statement."""

    message_id: str
    language: str
    block_type: str
    block_index: int
    item_index: int | None
    field: str
    text: str
    version: int = 0

    @property
    def position(self) -> tuple[str, str, int, int | None, str]:
        """The same place in the message house whatever the language row."""
        return self.message_id, self.block_type, self.block_index, self.item_index, self.field


@dataclass(frozen=True)
class Match:
    line: Line
    score: float


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: int
    end: int


# --- Sentences -----------------------------------------------------------------------------------------

# Terminal punctuation in Latin and Arabic script (؟ question mark, ؛ semicolon, ۔ full stop), ellipsis,
# and line breaks. A full stop between digits is a decimal point, not the end of a sentence.
_SENTENCE_END_RE = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[!?;؟؛۔…])+[\"'”’»)\]]*|\n+")


def split_sentences(text: str) -> list[Sentence]:
    """Split a draft into sentences with their character offsets; pieces without a word are dropped."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        _append_sentence(sentences, text, start, match.end())
        start = match.end()
    _append_sentence(sentences, text, start, len(text))
    return sentences


def _append_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not any(ch.isalnum() for ch in stripped):
        return
    offset = start + piece.index(stripped)
    sentences.append(Sentence(index=len(sentences), text=stripped, start=offset, end=offset + len(stripped)))


# --- Numbers -------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"\d+(?:[.,٫٬]\d+)*")


def numbers_in(text: str) -> list[str]:
    """Numbers written with digits (Latin or Arabic-Indic), in a canonical form: ``١٬٢٠٠`` and ``1,200``
    are both ``1200``, ``٣٫٥`` and ``3.5`` are both ``3.5``."""
    found: list[str] = []
    for raw in _NUMBER_RE.findall(normalize_arabic(text)):
        value = _canonical_number(raw)
        if value not in found:
            found.append(value)
    return found


def _canonical_number(raw: str) -> str:
    parts = re.split(r"([.,٫٬])", raw)
    digits, separators = parts[0::2], parts[1::2]
    integer, fraction = digits[0], ""
    for separator, group in zip(separators, digits[1:], strict=True):
        if separator in ",٬" and len(group) == 3 and not fraction:
            integer += group
        else:
            fraction = group
    # Written out digit by digit: `int()` refuses strings over 4,300 digits and `Decimal.normalize` rounds to 28.
    integer = "".join(str(unicodedata.decimal(digit)) for digit in integer).lstrip("0") or "0"
    fraction = "".join(str(unicodedata.decimal(digit)) for digit in fraction).rstrip("0")
    return f"{integer}.{fraction}" if fraction else integer


# --- Containment (lines to avoid) ----------------------------------------------------------------------


def surface_tokens(text: str) -> list[str]:
    """Every word, normalised and light-stemmed but with no stopword removed: a negation such as لا or
    "not" must not vanish from a line to avoid."""
    return [
        stem_arabic(token) if is_arabic else stem_english(token)
        for token, is_arabic in tokenize(normalize_arabic(text))
    ]


def contains_tokens(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    first, size = needle[0], len(needle)
    return any(
        haystack[i] == first and list(haystack[i : i + size]) == list(needle) for i in range(len(haystack) - size + 1)
    )


# --- Features ------------------------------------------------------------------------------------------

# Letters folded into consonant classes that Arabic and English spellings of the same name share; vowels
# and the letters Arabic writes as long vowels are dropped.
_ARABIC_SKELETON = str.maketrans(
    {
        "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "د": "t", "ض": "t", "ذ": "t", "ج": "j", "چ": "j",
        "ح": "h", "ه": "h", "خ": "k", "ك": "k", "ق": "k", "گ": "k", "غ": "k", "ر": "r", "ز": "s", "س": "s",
        "ص": "s", "ش": "j", "ظ": "s", "ف": "f", "ڤ": "f", "ل": "l", "م": "m", "ن": "n",
        "ا": "", "و": "", "ي": "", "ى": "", "ء": "", "ع": "", "ة": "",
    }
)  # fmt: skip
_LATIN_DIGRAPHS = (("sh", "j"), ("ch", "j"), ("th", "t"), ("ph", "f"), ("kh", "k"), ("gh", "k"), ("ck", "k"))
_LATIN_SKELETON = str.maketrans(
    {
        "p": "b", "d": "t", "g": "j", "c": "k", "q": "k", "x": "ks", "z": "s", "v": "f", "w": "", "y": "",
        "a": "", "e": "", "i": "", "o": "", "u": "",
    }
)  # fmt: skip


def consonant_skeleton(token: str, *, is_arabic: bool) -> str:
    if is_arabic:
        skeleton = token.translate(_ARABIC_SKELETON)
    else:
        for digraph, replacement in _LATIN_DIGRAPHS:
            token = token.replace(digraph, replacement)
        skeleton = token.translate(_LATIN_SKELETON)
    return re.sub(r"(.)\1+", r"\1", skeleton)


_STOPWORDS = ARABIC_STOPWORDS | ENGLISH_STOPWORDS


def _content_tokens(text: str) -> list[tuple[str, bool]]:
    return [(token, is_arabic) for token, is_arabic in tokenize(normalize_arabic(text)) if token not in _STOPWORDS]


def features(text: str, language: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Word stems, character n-grams and consonant skeletons of a text."""
    words = Counter(analyse(text, language))
    chars: Counter[str] = Counter()
    skeletons: Counter[str] = Counter()
    for token, is_arabic in _content_tokens(text):
        padded = f"#{token}#"
        chars.update(padded[i : i + CHAR_NGRAM] for i in range(len(padded) - CHAR_NGRAM + 1))
        if token.isdigit():
            skeletons[token] += 1
            continue
        skeleton = consonant_skeleton(token, is_arabic=is_arabic)
        if len(skeleton) >= SKELETON_MIN_LENGTH:
            skeletons[skeleton] += 1
    return words, chars, skeletons


# --- The index -----------------------------------------------------------------------------------------


class _CosineSpace:
    """TF-IDF (sublinear tf) cosine over one feature family, with an inverted index."""

    def __init__(self, documents: Sequence[Counter[str]]) -> None:
        df: Counter[str] = Counter()
        for document in documents:
            df.update(document.keys())
        size = len(documents)
        self.idf = {term: math.log((1 + size) / (1 + count)) + 1 for term, count in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc_id, document in enumerate(documents):
            for term, weight in self._vector(document).items():
                self.postings[term].append((doc_id, weight))

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {
            term: (1 + math.log(tf)) * self.idf[term] for term, tf in counts.items() if term in self.idf and tf > 0
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {term: w / norm for term, w in weights.items()} if norm else {}

    def add_scores(self, query: Counter[str], weight: float, into: dict[int, float]) -> None:
        for term, query_weight in self._vector(query).items():
            factor = weight * query_weight
            for doc_id, doc_weight in self.postings[term]:
                into[doc_id] = into.get(doc_id, 0.0) + factor * doc_weight


@lru_cache(maxsize=16384)
def _line_features(text: str, language: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    return features(text, language)


@lru_cache(maxsize=32)
def line_index_for(lines: tuple[Line, ...]) -> LineIndex:
    """The index of exactly these lines, built once: any edit or new version changes the key. Indexes are
    read-only once built, so requests may share them."""
    return LineIndex(lines)


class LineIndex:
    """Approved lines ready to be matched against draft sentences."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.lines: list[Line] = list(lines)
        analysed = [_line_features(line.text, line.language) for line in self.lines]
        self._spaces = [
            (_CosineSpace([a[0] for a in analysed]), WORD_WEIGHT),
            (_CosineSpace([a[1] for a in analysed]), CHAR_WEIGHT),
            (_CosineSpace([a[2] for a in analysed]), SKELETON_WEIGHT),
        ]

    def __len__(self) -> int:
        return len(self.lines)

    def scores(self, text: str, language: str) -> dict[int, float]:
        """Similarity of ``text`` to every line it shares a feature with, by line position in ``lines``."""
        query = features(text, language)
        scores: dict[int, float] = {}
        for (space, weight), counts in zip(self._spaces, query, strict=True):
            space.add_scores(counts, weight, scores)
        return scores

    def search(
        self,
        text: str,
        language: str,
        *,
        limit: int = 3,
        min_score: float = 0.0,
        where: Callable[[Line], bool] | None = None,
    ) -> list[Match]:
        ranked = sorted(self.scores(text, language).items(), key=lambda item: (-item[1], item[0]))
        matches: list[Match] = []
        for line_id, score in ranked:
            if score < min_score or len(matches) >= limit:
                break
            line = self.lines[line_id]
            if where is None or where(line):
                matches.append(Match(line=line, score=round(min(score, 1.0), 4)))
        return matches
