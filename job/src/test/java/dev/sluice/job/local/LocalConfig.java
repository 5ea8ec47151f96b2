package dev.sluice.job.local;

import dev.sluice.job.JobEnvironment;
import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.localstack.S3ProxyServer;

import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Test support for the job's integration tests: the property groups a user writes for MSF, pointed
 * at the embedded stack, and a MiniCluster that binds to loopback only.
 *
 * <p>It lives in the job's tests, not in the job: the job jar must not reference the emulated
 * stack, and the job's tests must not depend on the {@code tools} module (which depends on the
 * job). {@code ./sluice local} builds the same groups in {@code tools}' {@code LocalRunConfig}; the
 * tools module's tests see this class through the job's test jar.
 */
public final class LocalConfig {

    private LocalConfig() {}

    public static Map<String, Properties> propertyGroups(
            KinesisEmulator kinesis,
            S3ProxyServer s3,
            PostgresServer postgres,
            String stream,
            String bucket,
            String prefix,
            String table,
            String columns,
            long checkpointIntervalMs) {
        Map<String, Properties> groups = new LinkedHashMap<>();

        Properties source = new Properties();
        source.setProperty(SourceOptions.STREAM_NAME.key(), stream);
        source.setProperty("aws.region", kinesis.region());
        source.setProperty("aws.endpoint", kinesis.endpoint());
        source.setProperty("aws.credentials.provider", "BASIC");
        source.setProperty("aws.credentials.provider.basic.accesskeyid", kinesis.accessKey());
        source.setProperty("aws.credentials.provider.basic.secretkey", kinesis.secretKey());
        source.setProperty("flink.stream.initpos", "TRIM_HORIZON");
        groups.put(SourceOptions.GROUP, source);

        Properties staging = new Properties();
        staging.setProperty(StagingOptions.BUCKET.key(), bucket);
        staging.setProperty(StagingOptions.PREFIX.key(), prefix);
        staging.setProperty(
                StagingOptions.BUFFERING_INTERVAL_S.key(),
                Integer.toString(CheckpointInterval.secondsOf(checkpointIntervalMs)));
        s3.flinkS3Configuration().forEach(staging::setProperty);
        groups.put(StagingOptions.GROUP, staging);

        Properties warehouse = new Properties();
        warehouse.setProperty(WarehouseOptions.DIALECT.key(), "postgres");
        warehouse.setProperty(WarehouseOptions.JDBC_URL.key(), postgres.jdbcUrl());
        warehouse.setProperty(WarehouseOptions.USERNAME.key(), postgres.user());
        warehouse.setProperty(WarehouseOptions.PASSWORD.key(), postgres.password());
        warehouse.setProperty(WarehouseOptions.TABLE.key(), table);
        warehouse.setProperty(WarehouseOptions.COLUMNS.key(), columns);
        groups.put(WarehouseOptions.GROUP, warehouse);

        return groups;
    }

    /** Writes the groups in the MSF runtime-properties shape, as {@code --config} reads them. */
    public static void write(Map<String, Properties> groups, Path file) throws IOException {
        ApplicationProperties.write(groups, file);
    }

    /** A MiniCluster that binds to 127.0.0.1 only and restarts failed tasks after 1 s. */
    public static Configuration loopbackCluster() {
        return JobEnvironment.loopbackCluster();
    }
}
