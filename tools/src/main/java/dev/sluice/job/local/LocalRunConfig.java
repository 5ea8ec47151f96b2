package dev.sluice.job.local;

import dev.sluice.job.JobEnvironment;
import dev.sluice.job.config.SluiceConfig;

import org.apache.flink.configuration.Configuration;

/**
 * The Flink side of a local run: a MiniCluster that binds to loopback only. The property groups,
 * the same a user writes for MSF pointed at the embedded stack, come from {@link
 * dev.sluice.localstack.StackPropertyGroups}, which the job's integration tests and the chaos suite
 * ({@code dev.sluice.tools.chaos}) use too.
 */
public final class LocalRunConfig {

    private LocalRunConfig() {}

    /** MiniCluster settings: loopback only, quick restarts, and the S3 endpoint of the stack. */
    static Configuration miniCluster(SluiceConfig config) {
        Configuration conf = JobEnvironment.loopbackCluster();
        conf.addAll(config.s3FileSystem());
        return conf;
    }
}
