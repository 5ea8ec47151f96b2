package dev.sluice.localstack;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts one {@link FlinkSessionCluster} per test class in a temporary directory, and stops it and
 * deletes the directory afterwards. When a test fails, the JobManager's and TaskManagers' logs are
 * kept in {@code target/cluster-logs/<test class>/<test method>/} and their tails printed, since
 * that is where a cluster says why. With {@code -Dsluice.flink.keepLogs=true} they are kept after
 * every test class, in {@code target/cluster-logs/<test class>/}, failed or not.
 *
 * <p>The configuration is applied in {@code beforeAll}, so it can name servers that extensions
 * registered before this one have started:
 *
 * <pre>{@code
 * @RegisterExtension @Order(2)
 * static final S3ProxyExtension S3 = new S3ProxyExtension();
 *
 * @RegisterExtension @Order(3)
 * static final FlinkSessionClusterExtension FLINK =
 *         new FlinkSessionClusterExtension(cluster -> cluster.set(S3.flinkS3Configuration()));
 * }</pre>
 */
public final class FlinkSessionClusterExtension
        implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private static final Path KEPT_LOGS = Path.of("target", "cluster-logs");
    private static final String KEEP_LOGS_PROPERTY = "sluice.flink.keepLogs";

    private final Consumer<FlinkSessionCluster.Builder> configuration;
    private Path workDir;
    private FlinkSessionCluster cluster;

    public FlinkSessionClusterExtension(Consumer<FlinkSessionCluster.Builder> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        workDir = TempDirectories.create("sluice-flink-");
        FlinkSessionCluster.Builder builder = FlinkSessionCluster.builder(workDir);
        configuration.accept(builder);
        cluster = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (cluster != null) {
                cluster.close();
                if (Boolean.getBoolean(KEEP_LOGS_PROPERTY)) {
                    cluster.copyLogsTo(
                            KEPT_LOGS
                                    .resolve(context.getRequiredTestClass().getSimpleName())
                                    .toAbsolutePath());
                }
            }
        } finally {
            cluster = null;
            TempDirectories.deleteQuietly(workDir);
            workDir = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (cluster == null) {
            return;
        }
        Path kept =
                KEPT_LOGS
                        .resolve(context.getRequiredTestClass().getSimpleName())
                        .resolve(context.getRequiredTestMethod().getName())
                        .toAbsolutePath();
        cluster.copyLogsTo(kept);
        System.err.println(
                context.getDisplayName()
                        + " failed; the cluster's logs are kept in "
                        + kept
                        + cluster.logTails());
    }

    /** The running cluster; only valid between {@code beforeAll} and {@code afterAll}. */
    public FlinkSessionCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "The Flink cluster is not running: register the extension as a static field with"
                            + " @RegisterExtension");
        }
        return cluster;
    }

    public FlinkRestClient rest() {
        return cluster().rest();
    }
}
