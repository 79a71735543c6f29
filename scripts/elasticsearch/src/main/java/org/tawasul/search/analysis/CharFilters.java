package org.tawasul.search.analysis;

import java.io.Reader;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;

/** `pattern_replace` and `mapping`: both also apply to normalizers and multi-term queries, as in Elasticsearch. */
final class CharFilters {

    private CharFilters() {}

    record Factory(String name, UnaryOperator<Reader> wrap) implements NormalizingCharFilterFactory {
        @Override
        public Reader create(Reader reader) {
            return wrap.apply(reader);
        }
    }

    /** `pattern` (a Java regex, `flags` like "CASE_INSENSITIVE|COMMENTS"), `replacement` (default ""). */
    static Factory patternReplace(IndexSettings index, Environment env, String name, Settings settings) {
        String regex = settings.get("pattern");
        if (regex == null) {
            throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
        }
        Pattern pattern = Regex.compile(regex, settings.get("flags"));
        String replacement = settings.get("replacement", "");
        return new Factory(name, reader -> new PatternReplaceCharFilter(pattern, replacement, reader));
    }

    private static final Pattern RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    /** `mappings` (or `mappings_path`): rules "source => target", with \\uXXXX, \\n, \\t ... escapes. */
    static Factory mapping(IndexSettings index, Environment env, String name, Settings settings) {
        List<String> rules = Analysis.getWordList(env, settings, "mappings");
        if (rules == null) {
            throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
        }
        NormalizeCharMap.Builder map = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            Matcher m = RULE.matcher(rule);
            if (m.find() == false) {
                throw new IllegalArgumentException("Invalid Mapping Rule : [" + rule + "]");
            }
            map.add(unescape(m.group(1).trim(), rule), unescape(m.group(2).trim(), rule));
        }
        NormalizeCharMap built = map.build();
        return new Factory(name, reader -> new MappingCharFilter(built, reader));
    }

    static String unescape(String s, String rule) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw new IllegalArgumentException("Invalid escaped char in mapping rule [" + rule + "]");
            }
            c = s.charAt(i);
            switch (c) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) { // four hex digits must follow
                        throw new IllegalArgumentException("Invalid escaped char in mapping rule [" + rule + "]");
                    }
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(c); // "\\" and any other escaped character stand for themselves
            }
        }
        return out.toString();
    }
}
