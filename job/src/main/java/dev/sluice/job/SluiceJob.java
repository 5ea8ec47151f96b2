package dev.sluice.job;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.StartupChecks;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;
import java.util.Properties;

/**
 * Entry point of the job jar. On Amazon Managed Service for Apache Flink it reads the application's
 * runtime properties; elsewhere pass {@code --config path/to/properties.json} with the same
 * property groups (see {@code conf/}). Submitted to a cluster it runs there; started as a plain
 * Java program it runs on a local MiniCluster configured by {@link JobEnvironment}.
 */
public final class SluiceJob {

    private SluiceJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, Properties> groups = ApplicationProperties.load(args);
        SluiceConfig config = SluiceConfig.from(groups);
        StartupChecks.check(groups);
        StreamExecutionEnvironment env = JobEnvironment.create(groups, config);
        SluicePipeline.build(env, config);
        env.execute("Sluice: " + config.streamName());
    }
}
