package dev.sluice.job;

import dev.sluice.job.config.InvalidConfigurationException;
import dev.sluice.job.config.SluiceConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Where {@link SluiceJob} runs: on the cluster it was submitted to (MSF, the Flink Kubernetes
 * Operator, {@code flink run}), or, started as a plain Java program with {@code --config}, on a
 * MiniCluster in its own JVM.
 *
 * <h2>Why a local run needs more than the cluster's defaults</h2>
 *
 * <p>A cluster brings its own configuration: the S3 file system settings, where checkpoints go and
 * whether they are retained, the parallelism, the savepoint to start from. A MiniCluster has none
 * of that, so for a local run this class takes them from the same configuration file:
 *
 * <ul>
 *   <li>the {@code S3} group's {@code s3.*} keys initialise Flink's S3 file system (on a cluster
 *       they are the cluster's to set, and Flink's file systems are initialised before any job code
 *       runs);
 *   <li>the {@value #FLINK_GROUP} group holds Flink configuration keys, as a cluster's {@code
 *       config.yaml} would ({@code parallelism.default}, {@code state.checkpoints.dir}, {@code
 *       execution.checkpointing.externalized-checkpoint-retention}, {@code
 *       execution.savepoint.path}, …). A cluster refuses it: there these settings belong to the
 *       cluster's configuration, and a job silently overriding them would be worse.
 * </ul>
 *
 * <p>The MiniCluster binds to 127.0.0.1 only and restarts failed tasks 20 times, 1 s apart, unless
 * the {@value #FLINK_GROUP} group says otherwise.
 */
public final class JobEnvironment {

    /** The property group of Flink configuration keys for a local run. */
    public static final String FLINK_GROUP = "Flink";

    private JobEnvironment() {}

    /**
     * The environment to build the job in: the cluster's, or a configured local one.
     *
     * @throws InvalidConfigurationException when a cluster is given a {@value #FLINK_GROUP} group
     */
    public static StreamExecutionEnvironment create(
            Map<String, Properties> groups, SluiceConfig config) {
        Properties flink = groups.getOrDefault(FLINK_GROUP, new Properties());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(env instanceof LocalStreamEnvironment)) {
            if (!flink.isEmpty()) {
                throw new InvalidConfigurationException(
                        "Property group '"
                                + FLINK_GROUP
                                + "' configures a local run only; on a cluster set "
                                + flink.stringPropertyNames()
                                + " in the cluster's configuration (FlinkDeployment"
                                + " flinkConfiguration, config.yaml, or the MSF application's"
                                + " settings)");
            }
            return env;
        }
        Configuration conf = loopbackCluster();
        flink.stringPropertyNames().forEach(key -> conf.setString(key, flink.getProperty(key)));
        conf.addAll(config.s3FileSystem());
        FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }

    /** A MiniCluster that binds to 127.0.0.1 only and restarts failed tasks after 1 s. */
    public static Configuration loopbackCluster() {
        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        // Hadoop's S3A registers a JVM shutdown hook that reads its configuration through the
        // job's (by then closed) class loader; harmless in a MiniCluster, noisy at exit.
        conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return conf;
    }
}
