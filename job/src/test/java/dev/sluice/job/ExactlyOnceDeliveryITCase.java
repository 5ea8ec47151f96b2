package dev.sluice.job;

import dev.sluice.job.FailingConnectionProvider.FailurePoint;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
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
 *
 * <h2>What the failure scenarios prove</h2>
 *
 * <p>There are two kinds, and each scenario also asserts which kind it was, from the job's
 * execution graph:
 *
 * <ul>
 *   <li><b>Retried and survived</b> ({@link
 *       #aLoadFailureTheLoaderRetriesLosesAndDuplicatesNothing}): the injected {@link
 *       java.sql.SQLException} is transient to {@code RetryingLoader}, which retries the whole load
 *       transaction on the load thread. The task never fails and Flink never restores; what is
 *       proven is that the retried transaction consults the ledger (a commit whose acknowledgement
 *       was lost is not loaded twice) and that a failed connection or commit loses nothing.
 *   <li><b>Task failed and restored</b> ({@link
 *       #aLoadFailureThatFailsTheTaskIsRestoredFromACheckpointWithoutLossOrDuplicates}): the load
 *       commits in PostgreSQL, then the load thread throws an {@link IllegalStateException}, which
 *       {@code RetryingLoader} does not retry; the loader operator fails the task through its
 *       mailbox and Flink restores the whole job from the last completed checkpoint. The restored
 *       loader is handed the just-loaded files again (from its own state, or replayed by FileSink's
 *       committers), and the ledger must make it skip them. This proves the recovery path of the
 *       loader's "Why this is still exactly once", and that Kinesis positions, S3 files and the
 *       warehouse agree after a real restore.
 * </ul>
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

    /** Without any failure: the baseline, and the job never restores. */
    @Test
    void deliversEveryRecordExactlyOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Scenario scenario = new Scenario("no_failure");
        scenario.run(null, cluster);
        assertThat(scenario.restoredFrom).as("no restore without a failure").isNull();
        scenario.assertExactlyOnce();
    }

    /**
     * Retried and survived: a failure before, during or after the load's database commit that
     * {@code RetryingLoader} retries on the load thread. Passes when the failure fired, the job
     * never failed or restored (so the retry, not a restore, did the recovering), and every record
     * is in the table once.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = FailurePoint.class,
            names = {
                "AFTER_S3_COMMIT_BEFORE_LOAD",
                "DURING_LOAD_BEFORE_DB_COMMIT",
                "AFTER_DB_COMMIT"
            })
    void aLoadFailureTheLoaderRetriesLosesAndDuplicatesNothing(
            FailurePoint point, @InjectMiniCluster MiniCluster cluster) throws Exception {
        assertThat(point.escapesRetry()).isFalse();
        Scenario scenario = new Scenario(point.name().toLowerCase(Locale.ROOT));
        scenario.run(point, cluster);
        assertThat(FailingConnectionProvider.fired(scenario.name))
                .as("the injected failure happened")
                .isTrue();
        assertThat(scenario.restoredFrom)
                .as("the loader retried on its own thread; the job did not restore")
                .isNull();
        assertThat(scenario.maxAttempt).as("no task was restarted").isZero();
        scenario.assertExactlyOnce();
    }

    /**
     * Task failed and restored: the second load commits in PostgreSQL, then the load thread throws
     * an exception that escapes every retry, so the task fails before the loader learns of the
     * commit. Passes when the failure fired, Flink really restored the job from a completed
     * checkpoint (the checkpoint statistics name the restored checkpoint and the tasks run a later
     * attempt), and afterwards every record is in the table once and the ledger names each file
     * once: the restored loader skipped the files the failed attempt had loaded.
     */
    @Test
    void aLoadFailureThatFailsTheTaskIsRestoredFromACheckpointWithoutLossOrDuplicates(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        FailurePoint point = FailurePoint.AFTER_DB_COMMIT_FAILING_THE_TASK;
        assertThat(point.escapesRetry()).isTrue();
        Scenario scenario = new Scenario(point.name().toLowerCase(Locale.ROOT));
        scenario.run(point, cluster);
        assertThat(FailingConnectionProvider.fired(scenario.name))
                .as("the injected failure happened")
                .isTrue();
        assertThat(scenario.restoredFrom)
                .as("Flink restored the job from a completed checkpoint")
                .isNotNull();
        assertThat(scenario.maxAttempt).as("the tasks were restarted").isPositive();
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

        /** The checkpoint the job was last restored from while it ran, or null. */
        RestoredCheckpointStats restoredFrom;

        /** The highest execution attempt number of any task: 0 unless a task was restarted. */
        int maxAttempt;

        Scenario(String name) {
            this.name = name;
            this.stream = "events-" + name.replace('_', '-');
            this.prefix = name + "/";
            this.schema = name;
            this.table = name + ".user_events";
        }

        void run(FailurePoint failure, MiniCluster cluster) throws Exception {
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
                recordRestores(cluster, job.getJobID());
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }

        private void recordRestores(MiniCluster cluster, JobID jobId) throws Exception {
            AccessExecutionGraph graph = cluster.getExecutionGraph(jobId).get(30, TimeUnit.SECONDS);
            restoredFrom = graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
            for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
                maxAttempt =
                        Math.max(
                                maxAttempt, vertex.getCurrentExecutionAttempt().getAttemptNumber());
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
            // A recovery that works loads nothing twice and writes nothing off: a re-load of
            // files the ledger holds would, on PostgreSQL, hit the ledger's primary key, give up
            // and land in errors/load-failed/ with the rows still there once, hiding the defect
            // from the row counts alone (and on Redshift, which enforces no keys, duplicate rows).
            assertThat(keys)
                    .as("no load was written off to errors/")
                    .noneMatch(k -> k.startsWith(prefix + "errors/"));
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
            assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + files))
                    .as("the ledger names each file once")
                    .isEqualTo(POSTGRES.queryLong("SELECT count(DISTINCT file_url) FROM " + files));
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
