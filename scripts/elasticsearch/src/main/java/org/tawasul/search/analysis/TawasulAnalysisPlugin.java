package org.tawasul.search.analysis;

import java.util.Map;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The analysis components Tawasul's index settings use (search/engine.py) and modelsearch's defaults it merges in,
 * under the names Elasticsearch's analysis-common module gives them, so the same settings work unchanged on a
 * standard distribution. Each is a thin factory over the Lucene class that implements it (lucene-analysis-common,
 * a dependency of the server jar). `standard`, `lowercase` and `stop` are in the server itself.
 *
 * Elastic does not publish analysis-common to Maven Central; this stands in for it on a node assembled from
 * Maven Central jars (scripts/services). Anything not listed here fails index creation with "unknown type".
 */
public final class TawasulAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of(
            "pattern_replace", AnalysisPlugin.requiresAnalysisSettings(CharFilters::patternReplace),
            "mapping", AnalysisPlugin.requiresAnalysisSettings(CharFilters::mapping)
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("ngram", Tokenizers::ngram, "edge_ngram", Tokenizers::edgeNgram);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", TokenFilters::asciiFolding,
            "decimal_digit", TokenFilters::decimalDigit,
            "arabic_normalization", TokenFilters::arabicNormalization,
            "stemmer", TokenFilters::stemmer,
            "ngram", TokenFilters::ngram,
            "edge_ngram", TokenFilters::edgeNgram
        );
    }
}
