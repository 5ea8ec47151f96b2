package dev.sluice.job;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.EmulatedStackTestBase;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.StackPropertyGroups;
import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.operators.transform.TransformMetrics;
import dev.sluice.sinks.s3.OutputRowFunction;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sluice's metrics as a real metric reporter sees them on a MiniCluster running the whole job on
 * the local stack: every metric of the transform stage, the S3 output and the warehouse loader sits
 * in the scope {@code …kinesisanalytics.sluice}, the group MSF forwards to CloudWatch, and the
 * counters count.
 *
 * <p>Its own MiniCluster rather than {@link LocalStackTestBase}'s, because the MiniCluster needs
 * the reporter in its configuration.
 */
class MsfMetricScopeITCase extends EmulatedStackTestBase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final int RECORDS = 200;
    private static final String BUCKET = "sluice-metrics";
    private static final String SCHEMA = "metrics";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final String STREAM = "events-metrics";

    @RegisterExtension
    @Order(FLINK_ORDER)
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .setConfiguration(
                                    REPORTER.addToConfiguration(LocalConfig.loopbackCluster()))
                            .build());

    @BeforeAll
    static void connectFlinkToTheStack() {
        Configuration s3 = new Configuration();
        S3.flinkS3Configuration().forEach(s3::setString);
        FileSystem.initialize(s3, null);
        S3.createBucket(BUCKET);
    }

    @Test
    void everySluiceMetricIsReportedInTheKinesisAnalyticsGroupThatMsfForwards() throws Exception {
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute(DemoEvents.createTableSql(TABLE));
        KINESIS.streams().createStream(STREAM, 1);
        List<ProducerRecord> records = new ArrayList<>();
        DemoEvents events = new DemoEvents(RECORDS, 7);
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            records.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        assertThat(KINESIS.streams().producer().putAll(STREAM, records)).isEqualTo(RECORDS);

        Map<String, Properties> groups =
                StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                        .stream(STREAM)
                        .bucket(BUCKET)
                        .prefix("metrics/")
                        .table(TABLE)
                        .bufferingIntervalSeconds(CheckpointInterval.secondsOf(1_000L))
                        .build();
        groups.get(WarehouseOptions.GROUP)
                .setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), SCHEMA);
        SluiceConfig config = SluiceConfig.from(groups);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(1_000L);
        SluicePipeline.build(env, config, config.loader());
        JobClient job = env.executeAsync("metric scope");
        Map<String, Scoped> sluiceMetrics;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (POSTGRES.queryLong("SELECT count(*) FROM " + TABLE) < RECORDS) {
                assertThat(System.nanoTime()).as("all rows loaded in time").isLessThan(deadline);
                Thread.sleep(200);
            }
            sluiceMetrics = sluiceMetricsByName();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(sluiceMetrics)
                .containsKeys(
                        TransformMetrics.INCOMING_RECORDS,
                        TransformMetrics.OK,
                        TransformMetrics.DROPPED,
                        TransformMetrics.PROCESSING_FAILED,
                        OutputRowFunction.DELIVERY_RECORDS,
                        OutputRowFunction.DELIVERY_BYTES,
                        "DeliveryToRedshift.Success",
                        "DeliveryToRedshift.Records",
                        "DeliveryToRedshift.Bytes",
                        "DeliveryToRedshift.Failed",
                        "DeliveryToRedshift.DataFreshness",
                        "PendingLoadFiles");
        sluiceMetrics.forEach(
                (name, scoped) ->
                        assertThat(scoped.scope)
                                .as("scope of %s", name)
                                .endsWith(
                                        SluiceMetricGroups.MSF_GROUP,
                                        SluiceMetricGroups.SLUICE_GROUP));
        assertThat(count(sluiceMetrics, TransformMetrics.INCOMING_RECORDS)).isEqualTo(RECORDS);
        assertThat(count(sluiceMetrics, TransformMetrics.OK)).isEqualTo(RECORDS);
        assertThat(count(sluiceMetrics, OutputRowFunction.DELIVERY_RECORDS)).isEqualTo(RECORDS);
        assertThat(count(sluiceMetrics, "DeliveryToRedshift.Records")).isEqualTo(RECORDS);
        assertThat(count(sluiceMetrics, "DeliveryToRedshift.Success")).isPositive();
        assertThat(sluiceMetrics.get("PendingLoadFiles").metric).isInstanceOf(Gauge.class);
    }

    /**
     * Every metric whose scope holds a {@value SluiceMetricGroups#SLUICE_GROUP} component, by name;
     * names registered by several operators (none at parallelism 1 with one output) would make the
     * map keep the last.
     */
    private static Map<String, Scoped> sluiceMetricsByName() {
        Map<String, Scoped> byName = new HashMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                REPORTER.getMetricsByGroup().entrySet()) {
            List<String> scope = Arrays.asList(group.getKey().getScopeComponents());
            if (!scope.contains(SluiceMetricGroups.SLUICE_GROUP)) {
                continue;
            }
            group.getValue().forEach((name, metric) -> byName.put(name, new Scoped(scope, metric)));
        }
        return byName;
    }

    private static long count(Map<String, Scoped> metrics, String name) {
        return ((Counter) metrics.get(name).metric).getCount();
    }

    private static final class Scoped {
        final List<String> scope;
        final Metric metric;

        Scoped(List<String> scope, Metric metric) {
            this.scope = scope;
            this.metric = metric;
        }
    }
}
