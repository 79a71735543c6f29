package org.tawasul.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * A single-node Elasticsearch for development and tests, assembled from Maven Central jars: the server and its
 * libraries on the classpath, and the modules (each a directory with a plugin-descriptor.properties and its jars)
 * in `modules/` beside this class's jar: transport-netty4, tawasul-analysis and tawasul-rest-root (pom.xml).
 * Usage: TawasulElasticsearchNode HOME_DIR [HTTP_PORT]  (port falls back to $ELASTICSEARCH_PORT, then 9201).
 * A plain Node skips the bootstrap checks, the security manager and entitlements, which is why this runs as root.
 */
public final class TawasulElasticsearchNode {

    private TawasulElasticsearchNode() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "var/elasticsearch").toAbsolutePath();
        String envPort = System.getenv("ELASTICSEARCH_PORT");
        String port = args.length > 1 ? args[1] : (envPort != null && !envPort.isEmpty() ? envPort : "9201");
        Path modules = Path.of(TawasulElasticsearchNode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent()
            .resolve("modules");

        Settings settings = Settings.builder()
            .put("cluster.name", "tawasul")
            .put("node.name", "tawasul-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "9400-9499") // clear of OpenSearch's 9300 range
            .put("node.store.allow_mmap", false)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("logger.level", "INFO") // without it log4j's default configuration prints errors only
            .build();
        logToStdout(); // the caller redirects it to a file
        LogConfigurator.configureWithoutConfig(settings); // Elasticsearch's logging API over log4j, and the levels
        Files.createDirectories(home.resolve("plugins"));
        // The map holds extra settings (like -E flags), not the process environment.
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "tawasul-node");
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            PluginsLoader plugins = PluginBundles.load(modules, environment.pluginsDir());
            Node node = new Node(environment, plugins);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.prepareForClose();
                    node.close(); // flushes shards and releases the data-dir lock on SIGTERM
                    node.awaitClose(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    stopped.countDown();
                }
            }));
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // threads the node already started would otherwise keep a broken JVM alive
        }
        stopped.await(); // like Elasticsearch's keep-alive thread: live until SIGTERM has closed the node
    }

    /** log4j's default configuration prints errors only, and Elasticsearch's configureWithoutConfig adds no appender. */
    private static void logToStdout() {
        ConfigurationBuilder<BuiltConfiguration> config = ConfigurationBuilderFactory.newConfigurationBuilder();
        config.add(
            config.newAppender("stdout", "Console")
                .addAttribute("target", "SYSTEM_OUT")
                .add(config.newLayout("PatternLayout").addAttribute("pattern", "%d{ISO8601}{UTC}Z %-5p [%c{1.}] %m%n"))
        );
        config.add(config.newRootLogger(Level.INFO).add(config.newAppenderRef("stdout")));
        Configurator.reconfigure(config.build());
    }
}
