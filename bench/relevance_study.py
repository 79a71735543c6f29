"""Relevance study for search/analysis.py on the XQuAD Arabic/English retrieval set.

Usage (from the repository root):

    .venv/bin/python bench/relevance_study.py                 # the main table
    .venv/bin/python bench/relevance_study.py --explore       # plus ablations and the BM25 k1/b grid
    .venv/bin/python bench/relevance_study.py --halves        # MRR@10 on two halves of the topics
    .venv/bin/python bench/relevance_study.py --opensearch http://127.0.0.1:9200   # the proposed index
    .venv/bin/python bench/relevance_study.py --data /path/to/xquad-ar-en

Arabic queries are run against the Arabic text of the 240 documents, English queries against the English
text. Scoring is BM25 with Lucene's idf (log(1 + (N - df + 0.5) / (df + 0.5))), k1 = 1.2, b = 0.75, which
is what OpenSearch uses; a method with several fields sums the weighted per-field BM25 scores, like an
OpenSearch ``multi_match`` of type ``most_fields`` with field boosts. The data is read in place and never
copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.relevance_opensearch import evaluate_opensearch  # noqa: E402
from search import analysis  # noqa: E402
from search.analysis import (  # noqa: E402
    ARABIC_STOPWORDS,
    ENGLISH_STOPWORDS,
    normalize_arabic,
    stem_arabic,
    stem_english,
    tokenize,
)

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "xquad-ar-en"
LANGUAGES = ("ar", "en")
QUESTION_WORDS_EN = "what who when where which how why whom whose did does do"

Analyzer = Callable[[str], list[str]]


# --- BM25 ----------------------------------------------------------------------------------------------


class BM25Index:
    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.size = len(docs)
        lengths = [len(d) for d in docs]
        avg = sum(lengths) / len(lengths)
        self.norm = [k1 * (1 - b + b * n / avg) for n in lengths]
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, tokens in enumerate(docs):
            for term, tf in Counter(tokens).items():
                self.postings[term].append((doc_id, tf))

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: Iterable[str]) -> list[float]:
        out = [0.0] * self.size
        for term in query:  # repeated query terms count again, as in Lucene's BooleanQuery
            idf = self.idf(term)
            for doc_id, tf in self.postings.get(term, ()):
                out[doc_id] += idf * tf * (self.k1 + 1) / (tf + self.norm[doc_id])
        return out


# --- Methods -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    analyzer: Analyzer
    weight: float = 1.0
    query_analyzer: Analyzer | None = None  # defaults to ``analyzer``


@dataclass(frozen=True)
class Method:
    name: str
    fields: tuple[Field, ...]
    k1: float = 1.2
    b: float = 0.75


WORD_RE = re.compile(r"[^\W_]+")


def whitespace(text: str) -> list[str]:
    """The README baseline: lower-cased word tokens, punctuation dropped, nothing else."""
    return WORD_RE.findall(text.lower())


def pipeline(
    normalise: Callable[[str], str] = normalize_arabic,
    stem_ar: Callable[[str], str] | None = stem_arabic,
    stem_en: Callable[[str], str] | None = stem_english,
    stop: bool = False,
    keep_surface: bool = False,
) -> Analyzer:
    """Build an analyzer from the parts in search/analysis.py."""

    def run(text: str) -> list[str]:
        out: list[str] = []
        for token, is_arabic in tokenize(normalise(text)):
            if stop and token in (ARABIC_STOPWORDS if is_arabic else ENGLISH_STOPWORDS):
                continue
            stem = stem_ar if is_arabic else stem_en
            stemmed = stem(token) if stem else token
            if keep_surface and stemmed != token:
                out.append(token)
            out.append(stemmed)
        return out

    return run


def ngrams(size: int, base: Analyzer, edge: bool = False, max_size: int | None = None) -> Analyzer:
    """Character n-grams of each token of ``base``, as OpenSearch's ngram/edge_ngram token filters make
    them: tokens shorter than ``size`` produce nothing (no preserve_original)."""
    sizes = range(size, (max_size or size) + 1)

    def run(text: str) -> list[str]:
        out: list[str] = []
        for token in base(text):
            for n in sizes:
                starts = [0] if edge else range(len(token) - n + 1)
                out.extend(token[i : i + n] for i in starts if i + n <= len(token))
        return out

    return run


def stems_and_arabic_trigrams(text: str) -> list[str]:
    """One field for the database path: stems, plus 3-grams of every Arabic word longer than 3 letters."""
    out: list[str] = []
    for token, is_arabic in tokenize(normalize_arabic(text)):
        if token in (ARABIC_STOPWORDS if is_arabic else ENGLISH_STOPWORDS):
            continue
        out.append(stem_arabic(token) if is_arabic else stem_english(token))
        if is_arabic and len(token) > 3:
            out.extend(token[i : i + 3] for i in range(len(token) - 2))
    return out


_snowball_ar = snowballstemmer.stemmer("arabic")


def stem_snowball_arabic(token: str) -> str:
    return str(_snowball_ar.stemWord(token))


def normalise_keep_hamza_seats(text: str) -> str:
    """Lucene's arabic_normalization: like ours but ؤ and ئ are left as they are."""
    return text.translate({**analysis._TABLE, 0x0624: "\u0624", 0x0626: "\u0626"}).lower()


def normalise_hamza_seats_to_letters(text: str) -> str:
    """The other common choice: ؤ -> و and ئ -> ي."""
    return text.translate({**analysis._TABLE, 0x0624: "\u0648", 0x0626: "\u064a"}).lower()


def fold_lone_prefix(base: Analyzer, vocabulary: set[str]) -> Analyzer:
    """Query side: also try a token without a single-letter proclitic (ب ل ك ف و) when the rest is a word
    the index knows. Light10 only strips these together with the article."""

    def run(text: str) -> list[str]:
        out: list[str] = []
        for token in base(text):
            out.append(token)
            rest = token[1:]
            if token[:1] in "بلكفو" and len(rest) >= 3 and rest in vocabulary:
                out.append(stem_arabic(rest))
        return out

    return run


def main_methods() -> list[Method]:
    surface = pipeline(stem_ar=None, stem_en=None)
    surface_stop = pipeline(stem_ar=None, stem_en=None, stop=True)
    light = pipeline()
    light_stop = pipeline(stop=True)
    return [
        Method("1 whitespace tokens (README baseline)", (Field(whitespace),)),
        Method("2 normalisation only", (Field(surface),)),
        Method("3 norm + Snowball ar/en (README baseline)", (Field(pipeline(stem_ar=stem_snowball_arabic)),)),
        Method("4 norm + light10 ar / Snowball en", (Field(light),)),
        Method("5 = 4 + stopwords", (Field(light_stop),)),
        Method(
            "6 OpenSearch `arabic`/`english` emulation",
            (Field(pipeline(normalise=normalise_keep_hamza_seats, stop=True)),),
        ),
        Method("7 = 5, stem + surface in one field", (Field(pipeline(stop=True, keep_surface=True)),)),
        Method("8 = 5 + surface field x0.5", (Field(light_stop), Field(surface_stop, 0.5))),
        Method(
            "9 = 5 + 3..4-gram field x0.5",
            (Field(light_stop), Field(ngrams(3, surface_stop, max_size=4), 0.5)),
        ),
        Method(
            "10 = 8 + 3..4-gram field x0.5",
            (Field(light_stop), Field(surface_stop, 0.5), Field(ngrams(3, surface_stop, max_size=4), 0.5)),
        ),
        Method("11 production analyse() (database path)", (Field(lambda t: analysis.analyse(t, "ar")),)),
    ]


def explore_methods(docs: list[dict[str, str]]) -> list[Method]:
    surface_stop = pipeline(stem_ar=None, stem_en=None, stop=True)
    light_stop = pipeline(stop=True)
    vocabulary = {t for d in docs for t in surface_stop(d["ar"])}
    methods = [
        Method(
            "x = 5, normalisation keeps ؤ ئ",
            (Field(pipeline(normalise=normalise_keep_hamza_seats, stop=True)),),
        ),
        Method(
            "x = 5, normalisation ؤ ئ -> و ي",
            (Field(pipeline(normalise=normalise_hamza_seats_to_letters, stop=True)),),
        ),
        Method("x norm, Snowball ar + stopwords", (Field(pipeline(stem_ar=stem_snowball_arabic, stop=True)),)),
        Method(
            "x = 5 + query-side lone-prefix folding",
            (Field(light_stop, query_analyzer=fold_lone_prefix(light_stop, vocabulary)),),
        ),
        Method("x = 5 + edge 3..6-grams x0.5", (Field(light_stop), Field(ngrams(3, surface_stop, True, 6), 0.5))),
        Method("x = 5 + 3-grams x0.5", (Field(light_stop), Field(ngrams(3, surface_stop), 0.5))),
        Method("x = 5 + 2..3-grams x0.5", (Field(light_stop), Field(ngrams(2, surface_stop, max_size=3), 0.5))),
        Method("x = 5 + 4-grams x0.5", (Field(light_stop), Field(ngrams(4, surface_stop), 0.5))),
        Method("x 3..4-grams alone", (Field(ngrams(3, surface_stop, max_size=4)),)),
    ]
    interrogatives_ar = {
        normalize_arabic(w) for w in ("كم", "ماذا", "متى", "أين", "كيف", "لماذا", "هل", "ما", "من", "أي")
    }
    interrogatives_en = set(QUESTION_WORDS_EN.split())

    def stop_questions(text: str) -> list[str]:
        return [t for t in light_stop(text) if t not in interrogatives_en and t not in interrogatives_ar]

    methods.append(Method("x = 5 + interrogatives as stopwords", (Field(stop_questions),)))
    methods.append(Method("x stems + Arabic 3-grams, one field", (Field(stems_and_arabic_trigrams),)))
    for weight in (0.25, 1.0):
        methods.append(Method(f"x = 8, surface x{weight}", (Field(light_stop), Field(surface_stop, weight))))
        methods.append(
            Method(
                f"x = 9, n-grams x{weight}",
                (Field(light_stop), Field(ngrams(3, surface_stop, max_size=4), weight)),
            )
        )
    for k1 in (0.9, 1.2, 1.5, 2.0):
        for b in (0.4, 0.75, 0.9):
            methods.append(Method(f"x = 5 k1={k1} b={b}", (Field(light_stop),), k1, b))
    return methods


# --- Evaluation ----------------------------------------------------------------------------------------


def evaluate(method: Method, docs: list[dict[str, str]], queries: list[dict[str, str]], lang: str) -> tuple[float, ...]:
    indexes = [(BM25Index([f.analyzer(d[lang]) for d in docs], method.k1, method.b), f) for f in method.fields]
    ids = [d["id"] for d in docs]
    reciprocal = hit1 = hit5 = 0.0
    selected = [q for q in queries if q["lang"] == lang]
    for q in selected:
        total = [0.0] * len(docs)
        for index, field in indexes:
            analyzer = field.query_analyzer or field.analyzer
            for i, s in enumerate(index.scores(analyzer(q["query"]))):
                total[i] += field.weight * s
        ranking = sorted(range(len(docs)), key=lambda i: -total[i])  # stable: ties keep corpus order
        rank = [ids[i] for i in ranking].index(q["relevant"]) + 1
        reciprocal += 1 / rank if rank <= 10 else 0
        hit1 += rank == 1
        hit5 += rank <= 5
    n = len(selected)
    return reciprocal / n, hit1 / n, hit5 / n


def load(path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    def read(name: str) -> list[dict[str, str]]:
        with (path / name).open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    return read("corpus.jsonl"), read("dev_queries.jsonl")


def print_halves(methods: list[Method], docs: list[dict[str, str]], queries: list[dict[str, str]]) -> None:
    """MRR@10 separately for queries on even- and odd-numbered topics: a gain that holds on both halves is
    less likely to be tuned to a handful of dev queries."""
    topics = sorted({d["topic"] for d in docs})
    first = set(topics[::2])
    topic_of = {d["id"]: d["topic"] for d in docs}
    halves = [[q for q in queries if (topic_of[q["relevant"]] in first) == side] for side in (True, False)]
    print(f"{'method':48} | {'ar half A':>9} {'ar half B':>9} | {'en half A':>9} {'en half B':>9}")
    for method in methods:
        cells = [f"{evaluate(method, docs, half, lang)[0]:.3f}" for lang in LANGUAGES for half in halves]
        print(f"{method.name:48} | {cells[0]:>9} {cells[1]:>9} | {cells[2]:>9} {cells[3]:>9}")


def format_row(name: str, ar: tuple[float, ...], en: tuple[float, ...]) -> str:
    cells = (f"{mrr:>9.3f} {r1:>6.3f} {r5:>6.3f}" for mrr, r1, r5 in (ar, en))
    return f"{name:48} | " + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--explore", action="store_true", help="also run ablations and the k1/b grid")
    parser.add_argument("--halves", action="store_true", help="MRR@10 on two halves of the topics (overfitting check)")
    parser.add_argument("--opensearch", metavar="URL", help="measure the proposed OpenSearch index on a node instead")
    args = parser.parse_args()
    docs, queries = load(args.data)
    methods = main_methods() + (explore_methods(docs) if args.explore else [])
    if args.opensearch:
        ar, en = evaluate_opensearch(args.opensearch.rstrip("/"), docs, queries).values()
        print(format_row("OpenSearch tawasul_text + ar.ngram x0.5", ar, en))
        return
    if args.halves:
        print_halves(methods, docs, queries)
        return
    print(f"{'method':48} | {'ar MRR@10':>9} {'R@1':>6} {'R@5':>6} | {'en MRR@10':>9} {'R@1':>6} {'R@5':>6}")
    for method in methods:
        print(format_row(method.name, *(evaluate(method, docs, queries, lang) for lang in LANGUAGES)))


if __name__ == "__main__":
    main()
