package org.tawasul.search;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch for development and tests, with the modules loaded from the classpath.
 * Usage: TawasulOpenSearchNode HOME_DIR [HTTP_PORT]  (port falls back to $OPENSEARCH_PORT, then 9200).
 * A plain Node skips the bootstrap checks, which is why this runs as root.
 */
public final class TawasulOpenSearchNode extends Node {

    private TawasulOpenSearchNode(Environment environment) {
        super(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class), true);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "var/opensearch").toAbsolutePath();
        String envPort = System.getenv("OPENSEARCH_PORT");
        String port = args.length > 1 ? args[1] : (envPort != null && !envPort.isEmpty() ? envPort : "9200");

        Settings settings = Settings.builder()
            .put("cluster.name", "tawasul")
            .put("node.name", "tawasul-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("node.store.allow_mmap", false)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("logger.level", "INFO") // without it log4j's default configuration prints errors only
            .build();
        LogConfigurator.configureWithoutConfig(settings); // log4j to stdout; the caller redirects it to a file
        // The map holds extra settings (like -E flags), not the process environment.
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "tawasul-node");
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            Node node = new TawasulOpenSearchNode(environment);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.close(); // flushes shards and releases the data-dir lock on SIGTERM
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
        stopped.await(); // like OpenSearch's Bootstrap keep-alive thread: live until SIGTERM has closed the node
    }
}
