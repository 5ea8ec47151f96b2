package dev.sluice.job;

import dev.sluice.job.FailingConnectionProvider.FailurePoint;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on the real local stack: 50,000 records in kinesalite across 4 shards, a
 * MiniCluster at parallelism 2 checkpointing every 2 s, staging in S3Proxy and loads into
 * PostgreSQL. Each scenario checks that every record arrives exactly once, that S3 holds exactly
 * the files and manifests the ledger names, and that the ledger has one row per load — with and
 * without a failure injected at the awkward moments around the load.
 */
class ExactlyOnceDeliveryITCase extends LocalStackTestBase {

    private static final int RECORDS = 50_000;
    private static final int SHARDS = 4;
    private static final int PARALLELISM = 2;
    private static final long CHECKPOINT_INTERVAL_MS = 2_000L;
    private static final String BUCKET = "sluice-it";
    private static final long TIMEOUT_SECONDS = 240;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void deliversEveryRecordExactlyOnce() throws Exception {
        Scenario scenario = new Scenario("no_failure");
        scenario.run(null);
        scenario.assertExactlyOnce();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FailurePoint.class)
    void deliversEveryRecordExactlyOnceDespiteAFailureAroundTheLoad(FailurePoint point)
            throws Exception {
        Scenario scenario = new Scenario(point.name().toLowerCase(Locale.ROOT));
        scenario.run(point);
        assertThat(FailingConnectionProvider.fired(scenario.name))
                .as("the injected failure happened")
                .isTrue();
        scenario.assertExactlyOnce();
    }

    /** One stream, S3 prefix, schema (table and ledger) per scenario, so scenarios don't mix. */
    private static final class Scenario {

        final String name;
        final String stream;
        final String prefix;
        final String schema;
        final String table;
        final Set<String> producedIds = new HashSet<>();

        Scenario(String name) {
            this.name = name;
            this.stream = "events-" + name.replace('_', '-');
            this.prefix = name + "/";
            this.schema = name;
            this.table = name + ".user_events";
        }

        void run(FailurePoint failure) throws Exception {
            POSTGRES.execute("CREATE SCHEMA " + schema);
            POSTGRES.execute(DemoEvents.createTableSql(table));
            List<ProducerRecord> records = generate();
            KINESIS.streams().createStream(stream, SHARDS);
            // Half before the job starts, half while it runs, so the injected failure (on the
            // second load) hits a job that is busy reading, writing and loading.
            put(records.subList(0, RECORDS / 2));

            Map<String, Properties> groups =
                    demoJobConfig(stream, BUCKET, prefix, schema, CHECKPOINT_INTERVAL_MS);
            SluiceConfig config = SluiceConfig.from(groups);
            WarehouseLoaderConfig loader = config.loader();
            if (failure != null) {
                loader =
                        loader.withConnectionProvider(
                                new FailingConnectionProvider(
                                        loader.connectionProvider(), failure, name, 2));
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
            SluicePipeline.build(env, config, loader);
            JobClient job = env.executeAsync("exactly-once " + name);
            try {
                awaitRows(job, 1);
                put(records.subList(RECORDS / 2, RECORDS));
                awaitRows(job, RECORDS);
                // Two more checkpoints: a duplicate load, had there been one, would show now.
                Thread.sleep(2 * CHECKPOINT_INTERVAL_MS + 1_000);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }

        private List<ProducerRecord> generate() {
            List<ProducerRecord> records = new ArrayList<>(RECORDS);
            DemoEvents events = new DemoEvents(RECORDS, name.hashCode());
            while (events.hasNext()) {
                DemoEvents.Event e = events.next();
                producedIds.add(e.eventId());
                records.add(new ProducerRecord(e.partitionKey(), e.json()));
            }
            assertThat(producedIds).hasSize(RECORDS);
            return records;
        }

        private void put(List<ProducerRecord> records) {
            assertThat(KINESIS.streams().producer().putAll(stream, records))
                    .isEqualTo(records.size());
        }

        private void awaitRows(JobClient job, long atLeast) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                assertThat(status.isGloballyTerminalState())
                        .as("job status while loading: %s", status)
                        .isFalse();
                if (POSTGRES.queryLong("SELECT count(*) FROM " + table) >= atLeast) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError(
                    String.format(
                            "only %d of %d rows loaded after %d s",
                            POSTGRES.queryLong("SELECT count(*) FROM " + table),
                            atLeast,
                            TIMEOUT_SECONDS));
        }

        void assertExactlyOnce() throws Exception {
            assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + table)).isEqualTo(RECORDS);
            assertThat(POSTGRES.querySet("SELECT event_id FROM " + table)).isEqualTo(producedIds);

            String ledger = schema + ".sluice_load_ledger";
            String files = schema + ".sluice_loaded_files";
            long loads = POSTGRES.queryLong("SELECT count(*) FROM " + ledger);
            assertThat(loads).isPositive();
            assertThat(POSTGRES.queryLong("SELECT count(DISTINCT load_id) FROM " + ledger))
                    .as("one ledger row per load")
                    .isEqualTo(loads);
            assertThat(POSTGRES.queryLong("SELECT sum(row_count) FROM " + ledger))
                    .isEqualTo(RECORDS);

            List<String> keys = S3.listKeys(BUCKET, prefix);
            Set<String> dataFiles =
                    keys.stream()
                            .filter(k -> k.endsWith(".json.gz"))
                            .map(k -> "s3://" + BUCKET + "/" + k)
                            .collect(Collectors.toSet());
            Set<String> manifests =
                    keys.stream()
                            .filter(k -> k.startsWith(prefix + "manifests/"))
                            .map(k -> "s3://" + BUCKET + "/" + k)
                            .collect(Collectors.toSet());
            assertThat(POSTGRES.querySet("SELECT file_url FROM " + files))
                    .as("every committed data file was loaded, and only those")
                    .isEqualTo(dataFiles);
            assertThat(POSTGRES.querySet("SELECT manifest_url FROM " + ledger))
                    .as("every load's manifest is in S3")
                    .isSubsetOf(manifests)
                    .hasSize((int) loads);
        }

    }
}
