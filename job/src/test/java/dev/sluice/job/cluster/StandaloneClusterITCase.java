package dev.sluice.job.cluster;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.EmulatedStackTestBase;
import dev.sluice.localstack.FlinkRestClient;
import dev.sluice.localstack.FlinkSessionCluster;
import dev.sluice.localstack.FlinkSessionClusterExtension;
import dev.sluice.localstack.JobJar;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.StackPropertyGroups;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar on a real standalone Flink 1.19.3 session cluster — a JobManager and a
 * TaskManager in JVMs of their own ({@link FlinkSessionCluster}), S3 through the {@code
 * s3-fs-hadoop} plugin configured in the cluster's {@code config.yaml} — operated only through the
 * REST API, as a user's CI or the Flink Kubernetes Operator does.
 *
 * <p>What it proves, step by step on one job (the steps build on each other, in this order):
 *
 * <ol>
 *   <li>the jar uploaded over REST runs with {@code --config <file>} and delivers;
 *   <li>stop-with-savepoint and a resubmission from the savepoint at the same parallelism;
 *   <li>a TaskManager killed with SIGKILL while events flow, and started again: the job restores
 *       its latest checkpoint;
 *   <li>rescaling from a savepoint up to parallelism 4;
 *   <li>and down to 1.
 * </ol>
 *
 * <p>After each step every event produced so far is in the table exactly once (row count = distinct
 * ids = the ids produced), and the table grew during the step, so delivery went on. The
 * same-parallelism steps come first, so a rescaling defect cannot mask them; to run only those:
 * {@code -Dit.test='StandaloneClusterITCase#theJar*+stopWith*+aTaskManager*'}.
 *
 * <p>Events come from kinesalite (4 shards), files are staged in S3Proxy and loaded into embedded
 * PostgreSQL. The job's own configuration carries no S3 settings: the cluster's do, and its
 * checkpoints and savepoints go to S3 through the plugin too. Each step prints what it measured
 * (time to running, to delivery, to recovery).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterITCase extends EmulatedStackTestBase {

    private static final String BUCKET = "sluice-cluster";
    private static final String STREAM = "cluster-events";
    private static final String SCHEMA = "cluster";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final int SHARDS = 4;
    private static final int EVENTS_PER_STEP = 4_000;
    private static final long CHECKPOINT_INTERVAL_MS = 2_000L;
    private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SAVEPOINT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Exponential-delay restarts, the strategy the chaos suite gets from Flink 1.19's default
     * (there from 1 s, ×1.5, up to 1 min, unbounded), here capped at 10 s and bounded. A fixed 2-s
     * delay with 10 attempts can run out while a replaced TaskManager registers on a loaded machine
     * (the chaos suite saw 24 restarts fail for want of slots in the 58 s one took). 40 attempts
     * from 1 s up to 10 s span over 5 minutes, beyond {@link #JOB_START_TIMEOUT}: a job that cannot
     * recover fails the test by that timeout, not by running out of attempts.
     */
    private static final Map<String, String> RESTART_STRATEGY =
            Map.of(
                    "restart-strategy.type", "exponential-delay",
                    "restart-strategy.exponential-delay.initial-backoff", "1 s",
                    "restart-strategy.exponential-delay.backoff-multiplier", "1.5",
                    "restart-strategy.exponential-delay.max-backoff", "10 s",
                    "restart-strategy.exponential-delay.attempts-before-reset-backoff", "40");

    /**
     * How often a stop-with-savepoint is tried: under heavy load a stop can fail (a task not yet
     * running, a savepoint that does not complete) and the job then runs on or restarts; each retry
     * waits until every task runs again and is printed.
     */
    private static final int STOP_ATTEMPTS = 3;

    @RegisterExtension
    @Order(FLINK_ORDER)
    static final FlinkSessionClusterExtension FLINK =
            new FlinkSessionClusterExtension(
                    cluster ->
                            cluster.slots(4)
                                    .set(S3.flinkS3Configuration())
                                    .set(
                                            "state.checkpoints.dir",
                                            "s3://" + BUCKET + "/flink/checkpoints")
                                    .set(
                                            "state.savepoints.dir",
                                            "s3://" + BUCKET + "/flink/savepoints")
                                    .set(RESTART_STRATEGY)
                                    // kinesalite speaks JSON only; the connector's SDK must not use
                                    // CBOR.
                                    .environment("AWS_CBOR_DISABLE", "true"));

    @TempDir static Path workDir;

    private static FlinkSessionCluster cluster;
    private static Path configFile;
    private static String jarId;
    private static String jobId;
    private static final Set<String> produced = new HashSet<>();
    private static int batches;

    @BeforeAll
    static void prepareTheStackAndUploadTheJar() throws Exception {
        S3.createBucket(BUCKET);
        KINESIS.streams().createStream(STREAM, SHARDS);
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute(DemoEvents.createTableSql(TABLE));

        Map<String, Properties> groups =
                StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                        .stream(STREAM)
                        .bucket(BUCKET)
                        .table(TABLE)
                        .bufferingIntervalSeconds(
                                CheckpointInterval.secondsOf(CHECKPOINT_INTERVAL_MS))
                        .build();
        groups.get(WarehouseOptions.GROUP)
                .setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), SCHEMA);
        // S3 is the cluster's business here, as on a real cluster: its config.yaml has the
        // endpoint.
        Properties staging = groups.get(StagingOptions.GROUP);
        S3.flinkS3Configuration().keySet().forEach(staging::remove);
        configFile = workDir.resolve("sluice.json");
        LocalConfig.write(groups, configFile);

        cluster = FLINK.cluster();
        long uploadingAt = System.nanoTime();
        Path jar = jobJar();
        jarId = cluster.rest().uploadJar(jar);
        System.out.printf(
                "uploaded %s (%d MB) in %d ms%n",
                jar.getFileName(), Files.size(jar) >> 20, millisSince(uploadingAt));
    }

    @Test
    @Order(1)
    void theJarUploadedOverRestRunsWithItsConfigFileAndDeliversEveryEventOnce() throws Exception {
        jobId = submit(2, null);
        long before = rows();
        produce(EVENTS_PER_STEP);
        awaitEveryEventExactlyOnce("first submission at parallelism 2", before);
    }

    @Test
    @Order(2)
    void stopWithSavepointAndResumingAtTheSameParallelismLosesAndRepeatsNothing() throws Exception {
        resumeFromSavepointAt(2, "resumed from a savepoint at parallelism 2");
    }

    @Test
    @Order(3)
    void aTaskManagerKilledWhileEventsFlowIsSurvivedByRestoringTheLatestCheckpoint()
            throws Exception {
        long before = rows();
        long restartsBefore = cluster.rest().numRestarts(jobId);
        // About 20 s of events, so the kill lands while they are read, staged and loaded, even
        // when the first of them take long to arrive on a busy machine.
        CompletableFuture<Void> producing =
                CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 40; i++) {
                                produce(EVENTS_PER_STEP / 40);
                                sleep(500);
                            }
                        });
        awaitRows("the first rows produced in this step", before + 1);
        assertThat(producing.isDone())
                .as("events still flowing when the TaskManager is killed")
                .isFalse();

        long rowsAtKill = rows();
        long killedAt = System.nanoTime();
        long killedPid = cluster.taskManager().pid();
        cluster.killTaskManager();
        cluster.startTaskManager();
        System.out.printf(
                "TaskManager pid %d killed with SIGKILL at %d rows of %d; new TaskManager pid %d"
                        + " registered after %d ms%n",
                killedPid,
                rowsAtKill - before,
                EVENTS_PER_STEP,
                cluster.taskManager().pid(),
                millisSince(killedAt));

        FlinkRestClient.await(
                "job " + jobId + " to restart after losing its TaskManager",
                () -> cluster.rest().get("/jobs/" + jobId + "/metrics?get=numRestarts"),
                metrics ->
                        metrics.findValuesAsText("value").stream()
                                .anyMatch(restarts -> Long.parseLong(restarts) > restartsBefore),
                JOB_START_TIMEOUT);
        cluster.rest().awaitAllTasksRunning(jobId, JOB_START_TIMEOUT);
        System.out.printf("job running again %d ms after the kill%n", millisSince(killedAt));
        producing.get(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitEveryEventExactlyOnce("TaskManager killed and restarted", before);

        JsonNode restored = cluster.rest().checkpoints(jobId).path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean(true))
                .as(
                        "the job restored a checkpoint, not the savepoint it started from: %s",
                        restored)
                .isFalse();
    }

    @Test
    @Order(4)
    void rescalingUpToFourFromASavepointLosesAndRepeatsNothing() throws Exception {
        resumeFromSavepointAt(4, "rescaled from a savepoint to parallelism 4");
    }

    @Test
    @Order(5)
    void rescalingDownToOneFromASavepointLosesAndRepeatsNothing() throws Exception {
        resumeFromSavepointAt(1, "rescaled from a savepoint to parallelism 1");
    }

    /**
     * Stops the running job with a savepoint, runs the jar from it at {@code parallelism},
     * delivers.
     */
    private static void resumeFromSavepointAt(int parallelism, String step) throws Exception {
        assertThat(jobId).as("a job from the previous step").isNotNull();
        long stoppingAt = System.nanoTime();
        String savepoint = stopWithSavepoint();
        System.out.printf(
                "stop-with-savepoint took %d ms: %s%n", millisSince(stoppingAt), savepoint);
        assertThat(savepoint).startsWith("s3://" + BUCKET + "/flink/savepoints/");

        long before = rows();
        jobId = submit(parallelism, savepoint);
        JsonNode restored = cluster.rest().checkpoints(jobId).path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean())
                .as("the new job restored the savepoint: %s", restored)
                .isTrue();
        assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);
        int highest = 0;
        for (JsonNode vertex : cluster.rest().job(jobId).path("vertices")) {
            highest = Math.max(highest, vertex.path("parallelism").asInt());
        }
        assertThat(highest)
                .as("the job's parallelism after the resubmission")
                .isEqualTo(parallelism);

        produce(EVENTS_PER_STEP);
        awaitEveryEventExactlyOnce(step, before);
    }

    /** Stop-with-savepoint of the running job, tried up to {@link #STOP_ATTEMPTS} times. */
    private static String stopWithSavepoint() {
        for (int attempt = 1; ; attempt++) {
            try {
                return cluster.rest()
                        .stopWithSavepoint(
                                jobId, "s3://" + BUCKET + "/flink/savepoints", SAVEPOINT_TIMEOUT);
            } catch (FlinkRestClient.RestException | IllegalStateException e) {
                if (attempt == STOP_ATTEMPTS) {
                    throw e;
                }
                System.out.printf(
                        "stop-with-savepoint of job %s failed (attempt %d of %d), trying again"
                                + " once every task runs: %s%n",
                        jobId, attempt, STOP_ATTEMPTS, e.getMessage());
                cluster.rest().awaitAllTasksRunning(jobId, JOB_START_TIMEOUT);
            }
        }
    }

    private static String submit(int parallelism, String savepoint) {
        long submittedAt = System.nanoTime();
        String id =
                cluster.rest()
                        .runJar(
                                jarId,
                                List.of("--config", configFile.toString()),
                                parallelism,
                                savepoint);
        cluster.rest().awaitAllTasksRunning(id, JOB_START_TIMEOUT);
        System.out.printf(
                "job %s at parallelism %d running %d ms after submission%n",
                id, parallelism, millisSince(submittedAt));
        return id;
    }

    /** Puts {@code count} new demo events (ids never used before) into the stream. */
    private static void produce(int count) {
        List<ProducerRecord> records = new ArrayList<>(count);
        Set<String> ids = new HashSet<>();
        DemoEvents events = new DemoEvents(count, 7919L * ++batches);
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            ids.add(e.eventId());
            records.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        assertThat(KINESIS.streams().producer().putAll(STREAM, records)).isEqualTo(count);
        synchronized (produced) {
            produced.addAll(ids);
        }
    }

    /**
     * Waits until the table holds every event produced so far, waits two more checkpoints (a
     * duplicate load would show then), and checks: as many rows as events, each id once, the ids
     * produced, and more rows than {@code before}.
     */
    private static void awaitEveryEventExactlyOnce(String step, long before) throws Exception {
        Set<String> expected;
        synchronized (produced) {
            expected = new HashSet<>(produced);
        }
        long startedAt = System.nanoTime();
        awaitRows(step + ": all " + expected.size() + " events in " + TABLE, expected.size());
        System.out.printf(
                "%s: %d rows after %d ms%n", step, expected.size(), millisSince(startedAt));
        Thread.sleep(2 * CHECKPOINT_INTERVAL_MS + 1_000);

        long rows = rows();
        assertThat(rows).as("%s: rows grew during the step", step).isGreaterThan(before);
        assertThat(rows).as("%s: one row per event produced", step).isEqualTo(expected.size());
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT event_id) FROM " + TABLE))
                .as("%s: no event twice", step)
                .isEqualTo(expected.size());
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + TABLE))
                .as("%s: exactly the events produced", step)
                .isEqualTo(expected);
    }

    /** Polls the row count until it reaches {@code atLeast}; fails early if the job ends. */
    private static void awaitRows(String what, long atLeast) throws Exception {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        long rows = rows();
        String state = "";
        while (rows < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        String.format(
                                "Timed out after %s waiting for %s: %d of %d rows; job %s is %s, checkpoints %s",
                                DELIVERY_TIMEOUT,
                                what,
                                rows,
                                atLeast,
                                jobId,
                                state,
                                counts(jobId)));
            }
            state = jobState(jobId);
            assertThat(state)
                    .as("state of job %s while waiting for %s", jobId, what)
                    .isNotIn("FAILED", "CANCELED", "FINISHED");
            Thread.sleep(250);
            rows = rows();
        }
    }

    private static String jobState(String id) {
        try {
            return cluster.rest().job(id).path("state").asText();
        } catch (FlinkRestClient.RestException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String counts(String id) {
        try {
            return cluster.rest().checkpoints(id).path("counts").toString();
        } catch (FlinkRestClient.RestException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + TABLE);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The shaded jar {@code package} just built, as ShadedJarITCase finds it. */
    private static Path jobJar() {
        return JobJar.find(Path.of("target"));
    }
}
