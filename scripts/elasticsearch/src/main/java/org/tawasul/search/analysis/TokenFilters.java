package org.tawasul.search.analysis;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;

/** Token filters over their Lucene classes; the character-level ones also apply to normalizers, as in Elasticsearch. */
final class TokenFilters {

    private TokenFilters() {}

    record Factory(String name, UnaryOperator<TokenStream> wrap) implements TokenFilterFactory {
        @Override
        public TokenStream create(TokenStream stream) {
            return wrap.apply(stream);
        }
    }

    record Normalizing(String name, UnaryOperator<TokenStream> wrap) implements NormalizingTokenFilterFactory {
        @Override
        public TokenStream create(TokenStream stream) {
            return wrap.apply(stream);
        }
    }

    /** `preserve_original` (default false). */
    static TokenFilterFactory asciiFolding(IndexSettings index, Environment env, String name, Settings settings) {
        boolean preserve = settings.getAsBoolean("preserve_original", false);
        return new Normalizing(name, stream -> new ASCIIFoldingFilter(stream, preserve));
    }

    static TokenFilterFactory decimalDigit(IndexSettings index, Environment env, String name, Settings settings) {
        return new Normalizing(name, DecimalDigitFilter::new);
    }

    static TokenFilterFactory arabicNormalization(IndexSettings index, Environment env, String name, Settings settings) {
        return new Normalizing(name, ArabicNormalizationFilter::new);
    }

    /**
     * `language` (or `name`): the stemmers our settings name, and the default (porter), which Elasticsearch builds
     * for every index so that a bare "stemmer" filter works; any other fails index creation with a clear message.
     */
    static TokenFilterFactory stemmer(IndexSettings index, Environment env, String name, Settings settings) {
        String language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
        UnaryOperator<TokenStream> wrap = switch (language) {
            case "arabic" -> ArabicStemFilter::new;
            case "porter2" -> stream -> new SnowballFilter(stream, new EnglishStemmer());
            case "possessive_english" -> EnglishPossessiveFilter::new;
            case "porter", "english" -> PorterStemFilter::new;
            default -> throw new IllegalArgumentException(
                "stemmer [" + name + "]: language [" + language + "] is not provided by the tawasul-analysis plugin"
                    + " (supported: arabic, english, porter, porter2, possessive_english)"
            );
        };
        return new Factory(name, wrap);
    }

    /** `min_gram` (default 1), `max_gram` (default 2), `preserve_original` (default false). */
    static TokenFilterFactory ngram(IndexSettings index, Environment env, String name, Settings settings) {
        int min = settings.getAsInt("min_gram", 1);
        int max = settings.getAsInt("max_gram", 2);
        boolean preserve = settings.getAsBoolean("preserve_original", false);
        checkNgramDiff(index, "NGram Token Filter", min, max);
        return new Factory(name, stream -> new NGramTokenFilter(stream, min, max, preserve));
    }

    /** `min_gram` (default 1), `max_gram` (default 2), `preserve_original` (default false); front edge only. */
    static TokenFilterFactory edgeNgram(IndexSettings index, Environment env, String name, Settings settings) {
        int min = settings.getAsInt("min_gram", 1);
        int max = settings.getAsInt("max_gram", 2);
        boolean preserve = settings.getAsBoolean("preserve_original", false);
        String side = settings.get("side", "front");
        if (side.equals("front") == false) {
            throw new IllegalArgumentException("edge_ngram [" + name + "]: side [" + side + "] is not supported (front only)");
        }
        return new Factory(name, stream -> new EdgeNGramTokenFilter(stream, min, max, preserve));
    }

    /** Elasticsearch refuses n-gram ranges wider than the index's `index.max_ngram_diff` (default 1). */
    static void checkNgramDiff(IndexSettings index, String what, int min, int max) {
        int allowed = index.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in " + what + " must be less than or equal to: ["
                    + allowed + "] but was [" + (max - min) + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }
}
