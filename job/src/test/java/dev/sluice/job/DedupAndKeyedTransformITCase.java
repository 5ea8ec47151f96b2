package dev.sluice.job;

import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.operators.transform.builtin.DedupTransform;

import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dedup} and a keyed user transform in one chain, on the whole job and the real local stack:
 * both act, under one {@code keyBy} by the user's key, across a stop-with-savepoint and a restore
 * at another parallelism.
 *
 * <h2>How it works</h2>
 *
 * <p>The chain is {@code json,dedup} plus {@link EventsPerUserTransform}, keyed by {@code
 * key.field=user_id}, with {@code dedup.key.field=event_id}: {@code dedup} remembers event ids
 * within each user's key, and the user transform counts each user's events in keyed state and emits
 * a summary row from a processing-time timer. {@value #EVENTS} events go into kinesalite (4
 * shards); every {@value #REPEAT_EVERY}th is put again a second later as a new Kinesis record (same
 * partition key and payload, new sequence number), as a producer retry would. Run 1 at parallelism
 * 2 reads the first half and is stopped with a savepoint once summaries are loaded (timers still
 * pending are in the savepoint); run 2 restores it at parallelism 3 and reads the second half.
 *
 * <p>Passes when every event id is a row exactly once (dedup acted), the summary rows' counts add
 * up to exactly {@value #EVENTS} (the user's state and timers acted, and no repeat reached them,
 * before or after the restore), every summary row is distinct, every user has one, and the {@code
 * DuplicateRecords} counters of both runs add up to the repeats.
 */
class DedupAndKeyedTransformITCase extends LocalStackTestBase {

    private static final int EVENTS = 10_000;
    private static final int REPEAT_EVERY = 10;
    private static final int SHARDS = 4;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-dedup-keyed";
    private static final String SCHEMA = "dedup_keyed";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final String STREAM = "events-dedup-keyed";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void duplicatesAreDroppedBeforeTheUsersStateAndTimersAcrossARestoreAtAnotherParallelism(
            @TempDir Path dir) throws Exception {
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute(DemoEvents.createTableSql(TABLE));
        KINESIS.streams().createStream(STREAM, SHARDS);
        List<DemoEvents.Event> events = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (DemoEvents demo = new DemoEvents(EVENTS, 17L); demo.hasNext(); ) {
            DemoEvents.Event e = demo.next();
            events.add(e);
            ids.add(e.eventId());
            users.add(e.partitionKey());
        }

        int repeats = putWithRepeats(events.subList(0, EVENTS / 2));
        JobClient run1 = submit(2, null, "dedup + keyed transform, run 1 at parallelism 2");
        JobClients.await("run 1 loads summaries", run1, TIMEOUT, () -> summaryCount() > 0);
        JobClients.Stopped stopped =
                JobClients.stopWithSavepoint(run1, dir.resolve("savepoints"), TIMEOUT);

        JobClient run2 =
                submit(3, stopped.savepoint(), "dedup + keyed transform, run 2 at parallelism 3");
        try {
            repeats += putWithRepeats(events.subList(EVENTS / 2, EVENTS));
            JobClients.await(
                    "every event and every count loaded",
                    run2,
                    TIMEOUT,
                    () -> eventRows() >= EVENTS && summedCounts() >= EVENTS);
            // A duplicate row or a late summary, had there been one, would show within two
            // checkpoints and a timer.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS + EventsPerUserTransform.DELAY_MS);
        } finally {
            run2.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(eventRows()).as("event rows").isEqualTo(EVENTS);
        assertThat(
                        POSTGRES.querySet(
                                "SELECT event_id FROM " + TABLE + " WHERE event_type <> 'summary'"))
                .isEqualTo(ids);
        assertThat(summedCounts())
                .as("the user's counts: every distinct event once, no repeat")
                .isEqualTo(EVENTS);
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT event_id) FROM " + TABLE + SUMMARIES))
                .as("summary rows are distinct")
                .isEqualTo(summaryCount());
        assertThat(POSTGRES.querySet("SELECT user_id FROM " + TABLE + SUMMARIES))
                .as("every user has a summary")
                .isEqualTo(users);
        long duplicates =
                RetainedCounters.sum(
                        DedupTransform.DUPLICATE_RECORDS,
                        Set.of(run1.getJobID().toString(), run2.getJobID().toString()));
        if (stopped.failedStops() == 0) {
            assertThat(duplicates).as("DuplicateRecords of both runs").isEqualTo(repeats);
        } else {
            // A failed stop restarted run 1 from a checkpoint: repeats read again are counted
            // again (metrics are not rewound); the rows above stay exact.
            assertThat(duplicates).isGreaterThanOrEqualTo(repeats);
        }
        System.out.printf(
                "DedupAndKeyedTransformITCase: %d events, %d repeats, %d summary rows for %d"
                        + " users, %d failed stops%n",
                EVENTS, repeats, summaryCount(), users.size(), stopped.failedStops());
    }

    private static final String SUMMARIES = " WHERE event_type = 'summary'";

    /** Puts the events, then every {@value #REPEAT_EVERY}th again a second later; the repeats. */
    private static int putWithRepeats(List<DemoEvents.Event> batch) throws InterruptedException {
        List<ProducerRecord> originals = new ArrayList<>();
        List<ProducerRecord> repeats = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ProducerRecord record =
                    new ProducerRecord(batch.get(i).partitionKey(), batch.get(i).json());
            originals.add(record);
            if (i % REPEAT_EVERY == 0) {
                repeats.add(record);
            }
        }
        assertThat(KINESIS.streams().producer().putAll(STREAM, originals))
                .isEqualTo(originals.size());
        Thread.sleep(1_000);
        assertThat(KINESIS.streams().producer().putAll(STREAM, repeats)).isEqualTo(repeats.size());
        return repeats.size();
    }

    private static JobClient submit(int parallelism, String savepoint, String name)
            throws Exception {
        Map<String, Properties> groups =
                demoJobConfig(STREAM, BUCKET, "dedup-keyed/", SCHEMA, CHECKPOINT_INTERVAL_MS);
        Properties transform = new Properties();
        transform.setProperty(TransformOptions.CHAIN.key(), "json,dedup");
        transform.setProperty(TransformOptions.DEDUP_KEY_FIELD.key(), "event_id");
        transform.setProperty(TransformOptions.CLASS.key(), EventsPerUserTransform.class.getName());
        transform.setProperty(TransformOptions.KEY_FIELD.key(), "user_id");
        groups.put(TransformOptions.GROUP, transform);
        return JobClients.submit(groups, parallelism, CHECKPOINT_INTERVAL_MS, savepoint, name);
    }

    private static long eventRows() throws Exception {
        return POSTGRES.queryLong(
                "SELECT count(*) FROM " + TABLE + " WHERE event_type <> 'summary'");
    }

    private static long summaryCount() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + TABLE + SUMMARIES);
    }

    private static long summedCounts() throws Exception {
        return POSTGRES.queryLong(
                "SELECT coalesce(sum(substr(page_url, 7)::bigint), 0) FROM " + TABLE + SUMMARIES);
    }
}
