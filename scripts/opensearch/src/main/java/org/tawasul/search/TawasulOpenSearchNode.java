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
 * An OpenSearch node for development and tests, with the modules loaded from the classpath.
 * Usage: TawasulOpenSearchNode HOME_DIR [HTTP_PORT [NODE_NAME TRANSPORT_PORT SEED_HOSTS INITIAL_MANAGERS]]
 * (port falls back to $OPENSEARCH_PORT, then 9200). Without the cluster arguments it is a single-node cluster;
 * with them it is NODE_NAME in cluster "tawasul-cluster", found by the others at SEED_HOSTS (comma-separated
 * host:port transport addresses); INITIAL_MANAGERS (comma-separated node names) hold the first election.
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

        String nodeName = args.length > 2 ? args[2] : "tawasul-node";
        Settings.Builder builder = Settings.builder();
        if (args.length > 5) {
            builder.put("cluster.name", "tawasul-cluster")
                .put("transport.port", args[3])
                .putList("discovery.seed_hosts", List.of(args[4].split(",")))
                .putList("cluster.initial_cluster_manager_nodes", List.of(args[5].split(",")))
                // A replica's recovery from its primary once a killed node is back was seen to hang at its start
                // (stage INIT, nothing running on either node): a recovery request unanswered this long fails,
                // and the recovery is tried again, instead of waiting the default 15 min (30 min for the start).
                .put("indices.recovery.internal_action_timeout", "10s")
                .put("indices.recovery.internal_action_long_timeout", "20s");
        } else {
            builder.put("cluster.name", "tawasul").put("discovery.type", "single-node");
        }
        Settings settings = builder
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("node.store.allow_mmap", false)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("logger.level", "INFO") // without it log4j's default configuration prints errors only
            .build();
        LogConfigurator.configureWithoutConfig(settings); // log4j to stdout; the caller redirects it to a file
        // The map holds extra settings (like -E flags), not the process environment.
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> nodeName);
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
