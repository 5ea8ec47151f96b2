package dev.sluice.job;

import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.builtin.DedupTransform;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dedup} on the whole job and the real local stack: producer retries removed exactly once
 * across a task failure and a restore at another parallelism.
 *
 * <h2>How it works</h2>
 *
 * <p>{@value #EVENTS} events go into kinesalite (4 shards); every 10th is put again as a new
 * Kinesis record 1–30 s after its first copy, as a producer retrying {@code PutRecords} would: same
 * partition key and payload, new sequence number. The chain is {@code json,dedup,user} keyed by
 * {@code event_id}, the user step being {@link FailOnceTransform} with {@code
 * on.exception=FAIL_JOB}.
 *
 * <ol>
 *   <li>Run 1 at parallelism 2 reads the first {@value #FIRST_BATCH} events. Once rows are loaded
 *       (so a checkpoint completed), the user step is armed and throws: the task fails and Flink
 *       restores the latest checkpoint, which the test checks in the execution graph's checkpoint
 *       statistics. No repeat is put before that restore, so the failed attempt counts no
 *       duplicates.
 *   <li>The rest of the events and all repeats then arrive over about 40 s. A few seconds in, run 1
 *       is stopped with a savepoint and run 2 restores it at parallelism 3: the seen keys move
 *       between subtasks with their key groups.
 * </ol>
 *
 * <p>Passes when the table holds every {@code event_id} exactly once, the ledger counts {@value
 * #EVENTS} rows, and the {@code DuplicateRecords} counters of every attempt and run add up to the
 * number of repeats. Attempts count separately because Flink metrics restart with each attempt;
 * that they still add up exactly holds because the failed attempt saw no repeats and the
 * stop-with-savepoint cuts cleanly between run 1 and run 2.
 */
class DedupITCase extends LocalStackTestBase {

    private static final int EVENTS = 50_000;
    private static final int REPEAT_EVERY = 10;
    private static final int FIRST_BATCH = 15_000;
    private static final int TRIGGER_BATCH = 500;
    private static final long SECOND_BATCH_SPREAD_MS = 10_000L;
    private static final int SHARDS = 4;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-dedup";
    private static final String SCHEMA = "dedup";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final String STREAM = "events-dedup";
    private static final long TIMEOUT_SECONDS = 120;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void everyEventIdIsLoadedOnceAcrossAFailureAndARestoreAtAnotherParallelism(
            @InjectMiniCluster MiniCluster miniCluster, @TempDir Path dir) throws Exception {
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute(DemoEvents.createTableSql(TABLE));
        KINESIS.streams().createStream(STREAM, SHARDS);
        Timeline timeline = new Timeline();
        FailOnceTransform.arm(Long.MAX_VALUE);

        timeline.putOriginals(0, FIRST_BATCH);
        JobClient run1 = submit(2, null, "dedup run 1 at parallelism 2");
        await("run 1 loads rows", run1, () -> rows() > 0);
        FailOnceTransform.arm(1);
        timeline.putOriginals(FIRST_BATCH, FIRST_BATCH + TRIGGER_BATCH);
        await("the injected failure", run1, FailOnceTransform::fired);
        await(
                "run 1 restores a checkpoint",
                run1,
                () -> restored(miniCluster, run1.getJobID()) != null);
        assertThat(restored(miniCluster, run1.getJobID()).getProperties().isSavepoint()).isFalse();

        Thread producer = new Thread(timeline::putTheRest, "dedup-producer");
        producer.setDaemon(true);
        producer.start();
        Thread.sleep(4_000);
        String savepoint = stopWithSavepoint(run1, dir.resolve("savepoints"));
        JobClient run2 = submit(3, savepoint, "dedup run 2 at parallelism 3");
        try {
            await(
                    "run 2 restores the savepoint",
                    run2,
                    () -> restored(miniCluster, run2.getJobID()) != null);
            assertThat(restored(miniCluster, run2.getJobID()).getExternalPath())
                    .contains(savepoint.replace("file:", ""));
            producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertThat(timeline.failure).as("producing failed").isNull();
            assertThat(timeline.repeatsPut).isEqualTo(EVENTS / REPEAT_EVERY);
            await("every event loaded", run2, () -> rows() >= EVENTS);
            await(
                    "DuplicateRecords reach the repeats",
                    run2,
                    () -> {
                        assertThat(rows()).as("rows loaded").isLessThanOrEqualTo(EVENTS);
                        return duplicates(run1.getJobID(), run2.getJobID()) >= timeline.repeatsPut;
                    });
            // A duplicate row or count, had there been one, would show within two checkpoints.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        } finally {
            run2.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(timeline.minDelayMs)
                .as("repeats come at least 1 s later")
                .isGreaterThanOrEqualTo(1_000);
        assertThat(rows()).isEqualTo(EVENTS);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + TABLE)).isEqualTo(timeline.ids);
        assertThat(
                        POSTGRES.queryLong(
                                "SELECT sum(row_count) FROM " + SCHEMA + ".sluice_load_ledger"))
                .as("the ledger counts every row once")
                .isEqualTo(EVENTS);
        if (failedStops == 0) {
            assertThat(duplicates(run1.getJobID(), run2.getJobID()))
                    .as("DuplicateRecords of all attempts and runs")
                    .isEqualTo(timeline.repeatsPut);
        } else {
            // The failed stop restarted run 1 from a checkpoint: the repeats it had counted since
            // then are counted again (metrics, unlike state, are not rewound). Rows stay exact.
            assertThat(duplicates(run1.getJobID(), run2.getJobID()))
                    .as(
                            "DuplicateRecords of all attempts and runs, after %d failed stops",
                            failedStops)
                    .isGreaterThanOrEqualTo(timeline.repeatsPut);
        }
        System.out.printf(
                "DedupITCase: %d events, %d repeats %d-%d ms after their first copy (scheduled"
                        + " 1-30 s; at most %d ms behind schedule)%n",
                EVENTS,
                timeline.repeatsPut,
                timeline.minDelayMs,
                timeline.maxDelayMs,
                timeline.maxLateMs);
    }

    /** Stops that failed and were retried; see {@link JobClients#stopWithSavepoint}. */
    private int failedStops;

    private String stopWithSavepoint(JobClient job, Path directory) throws Exception {
        JobClients.Stopped stopped =
                JobClients.stopWithSavepoint(job, directory, Duration.ofSeconds(120));
        failedStops += stopped.failedStops();
        return stopped.savepoint();
    }

    private static JobClient submit(int parallelism, String savepoint, String name)
            throws Exception {
        Map<String, Properties> groups =
                demoJobConfig(STREAM, BUCKET, "dedup/", SCHEMA, CHECKPOINT_INTERVAL_MS);
        Properties transform = new Properties();
        transform.setProperty(TransformOptions.CHAIN.key(), "json,dedup,user");
        transform.setProperty(TransformOptions.DEDUP_KEY_FIELD.key(), "event_id");
        transform.setProperty(TransformOptions.DEDUP_TTL.key(), "1 h");
        transform.setProperty(TransformOptions.CLASS.key(), FailOnceTransform.class.getName());
        transform.setProperty(TransformOptions.ON_EXCEPTION.key(), ExceptionPolicy.FAIL_JOB.name());
        groups.put(TransformOptions.GROUP, transform);
        return JobClients.submit(groups, parallelism, CHECKPOINT_INTERVAL_MS, savepoint, name);
    }

    private static RestoredCheckpointStats restored(MiniCluster miniCluster, JobID job)
            throws Exception {
        var stats =
                miniCluster
                        .getExecutionGraph(job)
                        .get(10, TimeUnit.SECONDS)
                        .getCheckpointStatsSnapshot();
        return stats == null ? null : stats.getLatestRestoredCheckpoint();
    }

    /** The sum of every DuplicateRecords counter these jobs registered, in every attempt. */
    private static long duplicates(JobID... jobs) {
        Set<String> ids = new HashSet<>();
        for (JobID job : jobs) {
            ids.add(job.toString());
        }
        return RetainedCounters.sum(DedupTransform.DUPLICATE_RECORDS, ids);
    }

    private static long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + TABLE);
    }

    private static void await(String what, JobClient job, JobClients.Check condition)
            throws Exception {
        JobClients.await(what, job, Duration.ofSeconds(TIMEOUT_SECONDS), condition);
    }

    /**
     * The events, when each is put, and the repeats: every {@value #REPEAT_EVERY}th event again,
     * 1–30 s (seeded) after its first copy, and never before run 1's restore.
     */
    private static final class Timeline {

        final List<DemoEvents.Event> events = new ArrayList<>(EVENTS);
        final Set<String> ids = new HashSet<>();
        final long[] putAt = new long[EVENTS];
        final long[] delayMs = new long[EVENTS];
        volatile int repeatsPut;
        volatile long minDelayMs = Long.MAX_VALUE;
        volatile long maxDelayMs;

        /** How far behind its schedule the latest repeat was put (the producer falls behind). */
        volatile long maxLateMs;

        volatile Throwable failure;

        Timeline() {
            DemoEvents demo = new DemoEvents(EVENTS, 16L);
            Random random = new Random(16L);
            for (int i = 0; demo.hasNext(); i++) {
                DemoEvents.Event e = demo.next();
                events.add(e);
                ids.add(e.eventId());
                delayMs[i] = i % REPEAT_EVERY == 0 ? 1_000 + random.nextInt(29_001) : -1;
            }
            assertThat(ids).hasSize(EVENTS);
        }

        void putOriginals(int from, int to) {
            List<ProducerRecord> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(record(events.get(i)));
            }
            put(batch);
            long now = System.currentTimeMillis();
            for (int i = from; i < to; i++) {
                putAt[i] = now;
            }
        }

        /** The remaining originals spread over 10 s, and every repeat when it is due. */
        void putTheRest() {
            try {
                int next = FIRST_BATCH + TRIGGER_BATCH;
                long start = System.currentTimeMillis();
                List<Integer> repeats = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    if (delayMs[i] >= 0) {
                        repeats.add(i);
                    }
                }
                while (!repeats.isEmpty() || next < EVENTS) {
                    long now = System.currentTimeMillis();
                    int due =
                            (int)
                                    Math.min(
                                            EVENTS,
                                            FIRST_BATCH
                                                    + TRIGGER_BATCH
                                                    + (EVENTS - FIRST_BATCH - TRIGGER_BATCH)
                                                            * Math.min(
                                                                    1.0,
                                                                    (now - start)
                                                                            / (double)
                                                                                    SECOND_BATCH_SPREAD_MS));
                    if (due > next) {
                        putOriginals(next, due);
                        next = due;
                    }
                    List<ProducerRecord> batch = new ArrayList<>();
                    List<Integer> sent = new ArrayList<>();
                    for (int i : repeats) {
                        if (i < next && putAt[i] + delayMs[i] <= now) {
                            batch.add(record(events.get(i)));
                            sent.add(i);
                        }
                    }
                    if (!batch.isEmpty()) {
                        put(batch);
                        long at = System.currentTimeMillis();
                        for (int i : sent) {
                            long delay = at - putAt[i];
                            minDelayMs = Math.min(minDelayMs, delay);
                            maxDelayMs = Math.max(maxDelayMs, delay);
                            maxLateMs = Math.max(maxLateMs, delay - delayMs[i]);
                        }
                        repeats.removeAll(sent);
                        repeatsPut += sent.size();
                    }
                    Thread.sleep(100);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private static ProducerRecord record(DemoEvents.Event e) {
            return new ProducerRecord(e.partitionKey(), e.json());
        }

        private static void put(List<ProducerRecord> batch) {
            Collections.shuffle(batch, new Random(batch.size()));
            assertThat(KINESIS.streams().producer().putAll(STREAM, batch)).isEqualTo(batch.size());
        }
    }
}
