package dev.sluice.job.local;

import dev.sluice.job.JobEnvironment;
import dev.sluice.job.config.ApplicationProperties;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Test support for the job's integration tests: writing the property groups a user writes for MSF
 * (built for the embedded stack by {@link dev.sluice.localstack.StackPropertyGroups}), and a
 * MiniCluster that binds to loopback only.
 *
 * <p>It lives in the job's tests, not in the job: the job jar must not reference the emulated
 * stack, and the job's tests must not depend on the {@code tools} module (which depends on the
 * job). The tools module's tests see this class through the job's test jar.
 */
public final class LocalConfig {

    private LocalConfig() {}

    /** Writes the groups in the MSF runtime-properties shape, as {@code --config} reads them. */
    public static void write(Map<String, Properties> groups, Path file) throws IOException {
        ApplicationProperties.write(groups, file);
    }

    /** A MiniCluster that binds to 127.0.0.1 only and restarts failed tasks after 1 s. */
    public static Configuration loopbackCluster() {
        return JobEnvironment.loopbackCluster();
    }
}
