package org.tawasul.search;

import java.nio.file.Path;
import java.util.Map;
import org.elasticsearch.plugins.PluginsLoader;

/** The modules and plugins directories' bundles, loaded the way Elasticsearch 9.x's bootstrap does. */
final class PluginBundles {

    private PluginBundles() {}

    static PluginsLoader load(Path modules, Path plugins) {
        return PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(modules, false), // false: a stateful deployment, not serverless
            PluginsLoader.loadPluginsBundles(plugins, false),
            Map.of(), // no plugin needs native access
            false // the server runs from the classpath, not as a named Java module with qualified exports
        );
    }
}
