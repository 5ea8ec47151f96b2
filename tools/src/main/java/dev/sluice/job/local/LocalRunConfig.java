package dev.sluice.job.local;

import dev.sluice.job.JobEnvironment;
import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.localstack.S3ProxyServer;

import org.apache.flink.configuration.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of a local run: the same property groups a user writes for MSF, pointed at the
 * embedded stack, and a MiniCluster that binds to loopback only.
 *
 * <p>The chaos suite ({@code dev.sluice.tools.chaos}) writes the same groups for its cluster runs.
 *
 * <p>The job's integration tests build the same groups with their own {@code LocalConfig} (job's
 * test sources): the job's tests cannot depend on this module, which depends on the job, and the
 * job jar must not reference the emulated stack. Both write the groups with {@link
 * dev.sluice.job.config.ApplicationProperties#write}.
 */
public final class LocalRunConfig {

    private LocalRunConfig() {}

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

    /** MiniCluster settings: loopback only, quick restarts, and the S3 endpoint of the stack. */
    static Configuration miniCluster(SluiceConfig config) {
        Configuration conf = JobEnvironment.loopbackCluster();
        conf.addAll(config.s3FileSystem());
        return conf;
    }
}
