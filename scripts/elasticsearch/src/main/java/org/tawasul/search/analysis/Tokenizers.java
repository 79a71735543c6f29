package org.tawasul.search.analysis;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenizerFactory;

/** `ngram` and `edge_ngram`: `min_gram`, `max_gram`, `token_chars` (letter, digit, whitespace, punctuation, symbol). */
final class Tokenizers {

    private Tokenizers() {}

    static TokenizerFactory ngram(IndexSettings index, Environment env, String name, Settings settings) {
        int min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
        int max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
        TokenFilters.checkNgramDiff(index, "NGram Tokenizer", min, max);
        IntPredicate tokenChar = tokenChars(settings.getAsList("token_chars"));
        return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max) {
            @Override
            protected boolean isTokenChar(int chr) {
                return tokenChar.test(chr);
            }
        });
    }

    static TokenizerFactory edgeNgram(IndexSettings index, Environment env, String name, Settings settings) {
        int min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
        int max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
        IntPredicate tokenChar = tokenChars(settings.getAsList("token_chars"));
        return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max) {
            @Override
            protected boolean isTokenChar(int chr) {
                return tokenChar.test(chr);
            }
        });
    }

    /** The character classes a gram may contain; every character (Lucene's default) when none are given. */
    static IntPredicate tokenChars(List<String> classes) {
        if (classes == null || classes.isEmpty()) {
            return c -> true;
        }
        IntPredicate any = c -> false;
        for (String name : classes) {
            any = any.or(tokenClass(name.toLowerCase(Locale.ROOT).trim()));
        }
        return any;
    }

    private static IntPredicate tokenClass(String name) {
        return switch (name) {
            case "letter" -> Character::isLetter;
            case "digit" -> Character::isDigit;
            case "whitespace" -> Character::isWhitespace;
            case "punctuation" -> c -> switch (Character.getType(c)) {
                case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION -> true;
                default -> false;
            };
            case "symbol" -> c -> switch (Character.getType(c)) {
                case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
                default -> false;
            };
            default -> throw new IllegalArgumentException(
                "Unknown token type: '" + name + "', must be one of [letter, digit, whitespace, punctuation, symbol]"
            );
        };
    }
}
