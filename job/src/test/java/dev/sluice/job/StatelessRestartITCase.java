package dev.sluice.job;

import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.format.OutputFormat;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once without Flink state: the job is killed with SIGKILL halfway through, its checkpoints
 * are thrown away, and a new job starts with no state at all, as after a new deployment, a lost
 * savepoint or a changed job graph. The source re-reads the stream from {@code TRIM_HORIZON}; the
 * ledger's source positions ({@code sluice_source_positions}) make the new job skip everything the
 * first one loaded and deliver the rest once.
 *
 * <p>{@link #aStatelessRestartAfterAKillLoadsEveryEventExactlyOnce}:
 *
 * <ol>
 *   <li>25,000 events are put on a 4-shard stream; run 1 ({@code SluiceJob --config} in a JVM of
 *       its own, checkpoints in a directory of its own) loads them;
 *   <li>while the other 25,000 are put at about 5,000 a second, run 1 is killed with SIGKILL once
 *       more than 30,000 rows are in the table (so its last checkpoints' files are staged and not
 *       loaded, and the rest is not yet produced); its checkpoint directory is deleted;
 *   <li>run 2 starts on the test's MiniCluster from a new job graph with no restore settings (its
 *       checkpoint statistics show no restored checkpoint) and must end with exactly 50,000 rows,
 *       50,000 distinct event ids, and a {@code RecordsAlreadyLoaded} count above 0;
 *   <li>run 3 starts the same way after everything is loaded: it drops all 50,000 records and adds
 *       no row.
 * </ol>
 *
 * <p>Subclasses run the same steps with another source type for the runs without state ({@code
 * StatelessSourceSwitchITCase}, {@code StatelessSourceSwitchBackITCase}) and with CSV staging
 * ({@code StatelessRestartCsvITCase}); every loaded file must have the staging format's extension.
 *
 * <p>Restores <em>with</em> state stay covered by {@code ExactlyOnceDeliveryITCase} and {@code
 * RescaleRestoreITCase}, which run with the position filter in place.
 */
class StatelessRestartITCase extends LocalStackTestBase {

    private static final int SHARDS = 4;
    private static final int EVENTS = 50_000;
    private static final int FIRST_HALF = EVENTS / 2;
    private static final int KILL_AFTER_ROWS = 30_000;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    private final String name =
            (firstSourceType() == restartSourceType()
                                    ? restartSourceType().name()
                                    : firstSourceType() + "-to-" + restartSourceType())
                            .toLowerCase(Locale.ROOT)
                    + (stagingFormat() == OutputFormat.JSON
                            ? ""
                            : "-" + stagingFormat().extension());
    private final String bucket = "sluice-stateless-" + name;
    private final String stream = "stateless-restart-" + name;
    private final String schema = "stateless_" + name.replace('-', '_');
    private final String table = schema + ".user_events";

    /** The source type of run 1, the one killed. */
    SourceType firstSourceType() {
        return SourceType.POLLING;
    }

    /**
     * The source type of the runs without state (2 and 3). A subclass picks another type than
     * {@link #firstSourceType()}: a stateless start is also how one switches to a source whose
     * state the old one cannot read.
     */
    SourceType restartSourceType() {
        return SourceType.POLLING;
    }

    /** The staging format of every run; a subclass picks CSV, whose rows take another encoder. */
    OutputFormat stagingFormat() {
        return OutputFormat.JSON;
    }

    @Test
    void aStatelessRestartAfterAKillLoadsEveryEventExactlyOnce(
            @TempDir Path dir, @InjectMiniCluster MiniCluster cluster) throws Exception {
        S3.createBucket(bucket);
        POSTGRES.execute("CREATE SCHEMA " + schema);
        POSTGRES.execute(DemoEvents.createTableSql(table));
        KINESIS.streams().createStream(stream, SHARDS);
        DemoEvents events = new DemoEvents(EVENTS, 13L);
        Set<String> produced = new HashSet<>(put(events, FIRST_HALF, 0));

        // Run 1: its own JVM, its own checkpoint directory, killed mid-stream.
        Path checkpoints = dir.resolve("run-1-checkpoints");
        Map<String, Properties> groups = groups(firstSourceType());
        Properties flink = new Properties();
        flink.setProperty("parallelism.default", "2");
        flink.setProperty("state.checkpoints.dir", checkpoints.toUri().toString());
        groups.put(JobEnvironment.FLINK_GROUP, flink);
        Path config = dir.resolve("run-1.json");
        LocalConfig.write(groups, config);
        long rowsAtKill;
        try (SluiceJobProcess run1 = SluiceJobProcess.start(config, dir, "run-1")) {
            await("run 1 loads the first " + FIRST_HALF, run1, () -> rows() >= FIRST_HALF);
            Thread producer =
                    new Thread(
                            () -> {
                                try {
                                    produced.addAll(put(events, EVENTS - FIRST_HALF, 100));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            "second-half");
            producer.start();
            await("run 1 loads " + KILL_AFTER_ROWS, run1, () -> rows() >= KILL_AFTER_ROWS);
            run1.kill();
            rowsAtKill = rows();
            producer.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(run1.logText()).doesNotContain("Restoring job");
        }
        assertThat(rowsAtKill).as("run 1 was killed halfway").isBetween(30_000L, 49_999L);
        assertThat(produced).hasSize(EVENTS);
        deleteRecursively(checkpoints);
        assertThat(positions()).as("the ledger knows every shard").isEqualTo(SHARDS);

        // Run 2: no state; must finish delivery exactly once.
        JobClient run2 = startWithoutState("stateless run 2");
        JobClients.await(
                "run 2 loads all " + EVENTS,
                run2,
                TIMEOUT,
                () -> rows() >= EVENTS && recordsAlreadyLoaded(run2) > 0);
        Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        assertStartedWithoutState(cluster, run2);
        assertThat(recordsAlreadyLoaded(run2))
                .as("run 2 skipped what run 1 loaded, and only that")
                .isBetween(rowsAtKill, (long) EVENTS - 1);
        run2.cancel().get(60, TimeUnit.SECONDS);
        assertExactlyOnce(produced);

        // Run 3: everything is loaded; a stateless start adds nothing.
        JobClient run3 = startWithoutState("stateless run 3");
        JobClients.await(
                "run 3 reads the whole stream again",
                run3,
                TIMEOUT,
                () -> recordsAlreadyLoaded(run3) >= EVENTS);
        Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        assertStartedWithoutState(cluster, run3);
        assertThat(recordsAlreadyLoaded(run3)).isEqualTo(EVENTS);
        run3.cancel().get(60, TimeUnit.SECONDS);
        assertExactlyOnce(produced);
    }

    private Map<String, Properties> groups(SourceType type) {
        Map<String, Properties> groups =
                demoJobConfig(stream, bucket, "data/", schema, CHECKPOINT_INTERVAL_MS);
        readWith(groups, type, stream);
        groups.get(StagingOptions.GROUP)
                .setProperty(OutputOptions.FORMAT.key(), stagingFormat().name());
        return groups;
    }

    private JobClient startWithoutState(String jobName) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(SLOTS);
        SluicePipeline.build(env, SluiceConfig.from(groups(restartSourceType())));
        return env.executeAsync(jobName);
    }

    /** The job's checkpoint statistics: it checkpointed, and restored none. */
    private static void assertStartedWithoutState(MiniCluster cluster, JobClient job)
            throws Exception {
        CheckpointStatsSnapshot stats =
                cluster.getExecutionGraph(job.getJobID())
                        .get(30, TimeUnit.SECONDS)
                        .getCheckpointStatsSnapshot();
        assertThat(stats.getCounts().getNumberOfCompletedCheckpoints()).isPositive();
        assertThat(stats.getLatestRestoredCheckpoint()).as("restored checkpoint").isNull();
    }

    private long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + table);
    }

    private long positions() throws Exception {
        return POSTGRES.queryLong(
                "SELECT count(*) FROM "
                        + schema
                        + ".sluice_ledger_positions WHERE stream_name = '"
                        + stream
                        + "'");
    }

    private void assertExactlyOnce(Set<String> produced) throws Exception {
        assertThat(rows()).isEqualTo(EVENTS);
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT event_id) FROM " + table))
                .isEqualTo(EVENTS);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + table)).isEqualTo(produced);
        assertThat(POSTGRES.querySet("SELECT file_url FROM " + schema + ".sluice_loaded_files"))
                .as("loaded files are in the staging format")
                .isNotEmpty()
                .allMatch(url -> url.endsWith("." + stagingFormat().extension() + ".gz"));
    }

    /** Puts {@code count} events in batches of 500, pausing {@code pauseMs} between batches. */
    private List<String> put(DemoEvents events, int count, long pauseMs) throws Exception {
        List<String> ids = new ArrayList<>(count);
        while (ids.size() < count) {
            int size = Math.min(500, count - ids.size());
            List<ProducerRecord> batch = new ArrayList<>(size);
            List<String> batchIds = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                DemoEvents.Event e = events.next();
                batch.add(new ProducerRecord(e.partitionKey(), e.json()));
                batchIds.add(e.eventId());
            }
            int put = KINESIS.streams().producer().putAll(stream, batch);
            if (put != size) {
                throw new IllegalStateException(put + " of " + size + " events put");
            }
            ids.addAll(batchIds);
            if (pauseMs > 0) {
                Thread.sleep(pauseMs);
            }
        }
        return ids;
    }

    private static void await(String what, SluiceJobProcess job, Check condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.holds()) {
            if (!job.isAlive()) {
                throw new AssertionError(what + ": the job's JVM died\n" + job.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + TIMEOUT + "\n" + job.logTail());
            }
            Thread.sleep(100);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
