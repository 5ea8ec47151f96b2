package dev.sluice.job;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.InvalidConfigurationException;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.StartupChecks;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;
import java.util.Properties;

/**
 * Entry point of the job jar. On Amazon Managed Service for Apache Flink it reads the application's
 * runtime properties; elsewhere pass {@code --config path/to/properties.json} with the same
 * property groups (see {@code conf/}). Submitted to a cluster it runs there; started as a plain
 * Java program it runs on a local MiniCluster configured by {@link JobEnvironment}.
 *
 * <p>Configuration Sluice refuses ends a plain Java run with one line on standard error and exit
 * code {@value #EXIT_INVALID_CONFIGURATION}, as the command-line tools do: the message names the
 * group and key, and a stack trace would only bury it. Submitted to a cluster, the exception is
 * thrown: there the client or the service reports the failed submission, and a job's main method
 * must not end the JVM it shares with the JobManager or the CLI.
 */
public final class SluiceJob {

    /** Exit code of a plain Java run whose configuration is refused. */
    public static final int EXIT_INVALID_CONFIGURATION = 2;

    private SluiceJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env;
        SluiceConfig config;
        try {
            Map<String, Properties> groups = ApplicationProperties.load(args);
            config = SluiceConfig.from(groups);
            StartupChecks.check(groups);
            env = JobEnvironment.create(groups, config);
            SluicePipeline.build(env, config);
        } catch (InvalidConfigurationException e) {
            if (StreamExecutionEnvironment.getExecutionEnvironment()
                    instanceof LocalStreamEnvironment) {
                System.err.println("sluice: invalid configuration: " + e.getMessage());
                System.exit(EXIT_INVALID_CONFIGURATION);
            }
            throw e;
        }
        env.execute("Sluice: " + config.streamName());
    }
}
