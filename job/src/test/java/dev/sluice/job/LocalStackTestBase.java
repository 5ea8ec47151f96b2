package dev.sluice.job;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.EmulatedStackTestBase;
import dev.sluice.localstack.StackPropertyGroups;
import dev.sluice.operators.source.position.SourcePositionFilter;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The real local stack for whole-job tests: embedded PostgreSQL, S3Proxy, kinesalite and a
 * MiniCluster of four slots bound to loopback, started once per test class in that order and
 * stopped after it. Flink's S3 file system is pointed at S3Proxy before any test runs; each test
 * class creates its own bucket and keeps its streams, prefixes and schemas apart.
 */
abstract class LocalStackTestBase extends EmulatedStackTestBase {

    /** The parallelism most tests run at. */
    static final int SLOTS = 2;

    /** Slots of the MiniCluster, enough for the rescaling tests' parallelism 4. */
    static final int CLUSTER_SLOTS = 4;

    @RegisterExtension
    @Order(FLINK_ORDER)
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(CLUSTER_SLOTS)
                            .setConfiguration(RetainedCounters.addTo(LocalConfig.loopbackCluster()))
                            .build());

    /**
     * The property groups of a job that reads the demo events from {@code stream}, stages them
     * under {@code s3://bucket/prefix} and loads them into {@code <schema>.user_events}, with the
     * ledger in {@code schema} too; tests adjust groups from there.
     */
    static Map<String, Properties> demoJobConfig(
            String stream, String bucket, String prefix, String schema, long checkpointIntervalMs) {
        Map<String, Properties> groups =
                StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                        .stream(stream)
                        .bucket(bucket)
                        .prefix(prefix)
                        .table(schema + ".user_events")
                        .bufferingIntervalSeconds(
                                CheckpointInterval.secondsOf(checkpointIntervalMs))
                        .build();
        groups.get(WarehouseOptions.GROUP)
                .setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), schema);
        return groups;
    }

    /**
     * Makes {@code groups} read {@code stream} with {@code type}; the FLIP-27 source also gets the
     * stream's ARN, by which it addresses the stream.
     */
    static void readWith(Map<String, Properties> groups, SourceType type, String stream) {
        Properties source = groups.get(SourceOptions.GROUP);
        source.setProperty(SourceOptions.SOURCE_TYPE.key(), type.name());
        if (type == SourceType.FLIP27) {
            source.setProperty(SourceOptions.STREAM_ARN.key(), streamArn(stream));
        }
    }

    /** The ARN the emulator gave {@code stream}. */
    static String streamArn(String stream) {
        return KINESIS.streams().streamArn(stream);
    }

    /** How many records the job's position filter dropped as already loaded. */
    static long recordsAlreadyLoaded(JobClient job) {
        return RetainedCounters.sum(
                SourcePositionFilter.RECORDS_ALREADY_LOADED, Set.of(job.getJobID().toHexString()));
    }

    @BeforeAll
    static void connectFlinkToTheStack() throws Exception {
        Configuration s3 = new Configuration();
        S3.flinkS3Configuration().forEach(s3::setString);
        FileSystem.initialize(s3, null);
    }
}
