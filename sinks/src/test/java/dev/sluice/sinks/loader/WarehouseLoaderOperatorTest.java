package dev.sluice.sinks.loader;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.warehouse.EventsTable;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.StagedFiles;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.sluice.sinks.loader.LoaderHarness.awaitLoads;
import static dev.sluice.sinks.loader.LoaderHarness.send;
import static dev.sluice.sinks.loader.LoaderHarness.sendSubtask;
import static dev.sluice.sinks.loader.LoaderHarness.sendWithoutWaiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The loader as Flink runs it: {@link WarehouseLoaderOperator} driven through an operator test
 * harness the way Apache Iceberg tests its files committer — checkpoints arriving complete,
 * incomplete, out of order and repeated, snapshots taken while a load runs, restores — against the
 * real embedded PostgreSQL. Each staged file's rows must land exactly once, each load must be one
 * COPY with one ledger row, and the ledger must record the right checkpoint and watermark.
 */
class WarehouseLoaderOperatorTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path tempDir;

    private StagedFiles staged;
    private EventsTable table;
    private String schema;
    private WarehouseLoaderConfig config;

    @BeforeEach
    void createTable() throws Exception {
        table = EventsTable.create(POSTGRES, "loader");
        schema = table.schema();
        staged = new StagedFiles(tempDir.resolve("data"));
        config = table.loaderConfig(tempDir.resolve("manifests")).build();
    }

    @Test
    void loadsACheckpointOnceEverySubtaskSentItsFilesAndNotAgainWhenTheyAreReplayed()
            throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 100);
        StagedFile b = staged.rows("b.json.gz", 100, 50);
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            sendSubtask(
                    harness, 1, 0, 2, List.of(file(1, a, 0, 2, null), carrier(1, 0, 2, null, 1)));
            awaitLoads(harness);
            assertThat(rows()).as("committer subtask 1 has not reported yet").isZero();

            sendSubtask(
                    harness, 1, 1, 2, List.of(file(1, b, 1, 2, null), carrier(1, 1, 2, null, 1)));
            awaitLoads(harness);
            assertThat(rows()).isEqualTo(150);

            // After a recovery FileSink's committers may hand the same checkpoint over again.
            send(harness, 1, a, b);
            assertThat(rows()).isEqualTo(150);
        }
        assertLedger(1, 150);
    }

    @Test
    void anIncompleteOlderCheckpointHoldsBackANewerOneUntilItsLastWriterReports() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, executor)) {
            harness.open();
            // Writer subtask 0 of 2 reports checkpoints 1 and 2; subtask 1 is slower.
            sendSubtask(
                    harness, 1, 0, 2, List.of(file(1, a, 0, 2, null), carrier(1, 0, 2, null, 1)));
            sendSubtask(
                    harness, 2, 0, 2, List.of(file(2, b, 0, 2, null), carrier(2, 0, 2, null, 1)));
            assertThat(executor.queued()).as("checkpoint 1 waits for writer subtask 1").isZero();

            sendSubtask(harness, 1, 1, 2, List.of(carrier(1, 1, 2, null, 0)));
            assertThat(executor.queued()).isEqualTo(1);
            sendSubtask(harness, 2, 1, 2, List.of(carrier(2, 1, 2, null, 0)));
            executor.runNext(harness);
            executor.runNext(harness);
        }
        assertLedger(2, 30);
        assertThat(ledgerLong("file_count", 1)).isEqualTo(1);
        assertThat(ledgerLong("file_count", 2)).isEqualTo(1);
    }

    @Test
    void aWriterWhoseFilesHaveNotAllArrivedHoldsItsCheckpointBack() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            // Its carrier counts two files and one arrived: another committer carries the other.
            sendSubtask(
                    harness, 1, 0, 1, List.of(file(1, a, 0, 1, null), carrier(1, 0, 1, null, 2)));
            awaitLoads(harness);
            assertThat(rows()).isZero();

            sendSubtask(harness, 1, 3, 4, List.of(file(1, b, 0, 1, null)));
            awaitLoads(harness);
        }
        assertLedger(1, 30);
    }

    @Test
    void aCheckpointWithoutCountingCarriersLoadsWithTheNextCompleteOneInOneCopy() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            // Committables of an earlier Sluice: the carrier says nothing about files.
            sendSubtask(
                    harness,
                    1,
                    0,
                    2,
                    List.of(file(1, a, 0, 2, null), new CommittedFile(1, null, "job", null, 0, 2)));
            awaitLoads(harness);
            assertThat(rows()).isZero();

            send(harness, 2, b);
        }
        assertLedger(1, 30);
        assertThat(ledgerLong("file_count", 2)).isEqualTo(2);
    }

    @Test
    void mergesTheCheckpointsThatCompletedWhileALoadRanIntoOneCopyAndOneLedgerRow()
            throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        StagedFile c = staged.rows("c.json.gz", 30, 30);
        StagedFile d = staged.rows("d.json.gz", 60, 40);
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, a);
            sendWithoutWaiting(harness, 2, b);
            sendWithoutWaiting(harness, 3, c, d);
            assertThat(executor.queued()).as("never more than one load in flight").isEqualTo(1);

            executor.runNext(harness);
            assertThat(rows()).isEqualTo(10);
            assertThat(executor.queued()).isEqualTo(1);

            sendWithoutWaiting(harness, 4);
            executor.runNext(harness);
            assertThat(executor.queued()).as("checkpoint 4 has no files").isZero();
        }
        assertLedger(2, 100);
        assertThat(ledgerLong("file_count", 3)).isEqualTo(3);
        assertThat(ledgerLong("row_count", 3)).isEqualTo(90);
    }

    @Test
    void restoringASnapshotTakenWhileALoadRanLoadsNothingTwiceAndLosesNothing() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 40);
        StagedFile b = staged.rows("b.json.gz", 40, 25);
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        OperatorSubtaskState snapshot;
        try (var harness = LoaderHarness.of(config, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, a);
            sendWithoutWaiting(harness, 2, b);
            // The load of checkpoint 1 is in flight and 2 waits: the snapshot must hold both.
            snapshot = harness.snapshot(3, 3);
            executor.runNext(harness);
            assertThat(rows()).isEqualTo(40);
            // The task dies with the load of checkpoint 2 queued but not run.
            assertThat(executor.queued()).isEqualTo(1);
        }

        try (var restored = LoaderHarness.of(config)) {
            restored.setRestoredCheckpointId(3);
            restored.initializeState(snapshot);
            restored.open();
            awaitLoads(restored);
            assertThat(rows()).isEqualTo(65);

            // FileSink's committers hand checkpoint 2 over once more after the recovery.
            send(restored, 2, b);
        }
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT id) FROM " + schema + ".events"))
                .isEqualTo(65);
        assertLedger(2, 65);
    }

    /**
     * A rescale from 2 to 4 writers, as Flink runs it: the snapshot holds checkpoint 2 half
     * delivered (writer subtask 0's part arrived, subtask 1's committer had not been notified), the
     * restored run's FileSink committers re-emit the rest from whichever of their 4 subtasks
     * restored it, with summaries counting 4 committer subtasks of which only one sends anything,
     * and then the new run's checkpoints come from 4 writers. Everything loads, once.
     */
    @Test
    void aStateTakenWithTwoWritersRestoredIntoARunWithFourLoadsEveryFileOnce() throws Exception {
        restoresAcrossARescale(2, 4);
    }

    /** The same, from 4 writers down to 2. */
    @Test
    void aStateTakenWithFourWritersRestoredIntoARunWithTwoLoadsEveryFileOnce() throws Exception {
        restoresAcrossARescale(4, 2);
    }

    private void restoresAcrossARescale(int before, int after) throws Exception {
        int row = 0;
        OperatorSubtaskState snapshot;
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            for (int writer = 0; writer < before; writer++) {
                StagedFile file = staged.rows("c1-w" + writer + ".json.gz", row, 10);
                row += 10;
                sendSubtask(
                        harness,
                        1,
                        writer,
                        before,
                        List.of(
                                file(1, file, writer, before, 1_000L),
                                carrier(1, writer, before, 1_000L, 1)));
            }
            // Checkpoint 2: every writer but the last has been handed over.
            for (int writer = 0; writer < before - 1; writer++) {
                StagedFile file = staged.rows("c2-w" + writer + ".json.gz", row, 10);
                row += 10;
                sendSubtask(
                        harness,
                        2,
                        writer,
                        before,
                        List.of(
                                file(2, file, writer, before, 2_000L + writer),
                                carrier(2, writer, before, 2_000L + writer, 1)));
            }
            awaitLoads(harness);
            assertThat(rows()).isEqualTo(10L * before);
            snapshot = harness.snapshot(3, 3);
        }

        try (var restored = LoaderHarness.of(config)) {
            restored.setRestoredCheckpointId(3);
            restored.initializeState(snapshot);
            restored.open();
            // The last writer's part of checkpoint 2, re-emitted by committer subtask after-1.
            int last = before - 1;
            StagedFile rest = staged.rows("c2-w" + last + ".json.gz", row, 10);
            row += 10;
            sendSubtask(
                    restored,
                    2,
                    after - 1,
                    after,
                    List.of(
                            file(2, rest, last, before, 1_500L),
                            carrier(2, last, before, 1_500L, 1)));
            awaitLoads(restored);
            assertThat(rows()).as("checkpoint 2 is complete again").isEqualTo(row);
            for (int writer = 0; writer < after; writer++) {
                StagedFile file = staged.rows("c4-w" + writer + ".json.gz", row, 10);
                row += 10;
                sendSubtask(
                        restored,
                        4,
                        writer,
                        after,
                        List.of(
                                file(4, file, writer, after, 4_000L),
                                carrier(4, writer, after, 4_000L, 1)));
            }
            awaitLoads(restored);
        }
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT id) FROM " + schema + ".events"))
                .isEqualTo(row);
        assertLedger(3, row);
        assertThat(watermarkMillis(2))
                .as("the minimum over the writers of checkpoint 2")
                .isEqualTo(1_500L);
        assertThat(watermarkMillis(4)).isEqualTo(4_000L);
    }

    @Test
    void restoredCommittablesOfAnEarlierReleaseLoadWithTheFirstCompleteCheckpoint()
            throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        OperatorSubtaskState snapshot;
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            // An earlier Sluice's committables: carriers that do not count files.
            sendSubtask(
                    harness,
                    5,
                    0,
                    2,
                    List.of(file(5, a, 0, 2, 500L), new CommittedFile(5, null, "job", 500L, 0, 2)));
            snapshot = harness.snapshot(6, 6);
        }
        try (var restored = LoaderHarness.of(config)) {
            restored.setRestoredCheckpointId(6);
            restored.initializeState(snapshot);
            restored.open();
            awaitLoads(restored);
            assertThat(rows()).as("nothing says checkpoint 5 is complete").isZero();

            send(restored, 7, b);
        }
        assertLedger(1, 30);
    }

    @Test
    void committedFilesThatWaitShowInTheOldestPendingFileAge() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        try (var harness = harnessWithMetrics(metrics, new LoaderHarness.ManualExecutor())) {
            harness.open();
            assertThat(gauge(metrics, "OldestPendingLoadFileAgeMs")).isEqualTo(0L);
            // Writer subtask 1 of 2 never reports checkpoint 1.
            sendSubtask(
                    harness,
                    1,
                    0,
                    2,
                    List.of(
                            file(1, staged.rows("a.json.gz", 0, 1), 0, 2, null),
                            carrier(1, 0, 2, null, 1)));
            Thread.sleep(50);
            for (long checkpoint = 2; checkpoint <= 5; checkpoint++) {
                harness.notifyOfCompletedCheckpoint(checkpoint);
            }
            assertThat((Long) gauge(metrics, "OldestPendingLoadFileAgeMs"))
                    .isGreaterThanOrEqualTo(50L);
            assertThat(gauge(metrics, "PendingLoadFiles")).isEqualTo(1);
        }
    }

    @Test
    void rowsTheTableRejectsAreCountedAsRejectedRecordsNotAsRecords() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        StagedFile mixed =
                staged.gzip(
                        "mixed.json.gz",
                        "{\"id\":1,\"name\":\"a\"}",
                        "{\"id\":\"x\",\"name\":\"b\"}",
                        "{\"id\":\"y\",\"name\":\"c\"}");
        try (var harness = harnessWithMetrics(metrics, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, mixed);
            executor.runNext(harness);
            assertThat(counter(metrics, "DeliveryToRedshift.Records")).isEqualTo(1);
            assertThat(counter(metrics, "DeliveryToRedshift.RejectedRecords")).isEqualTo(2);
            assertThat(counter(metrics, "DeliveryToRedshift.Failed")).isZero();
        }
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void endOfInputWaitsUntilEveryPendingLoadHasReturned() throws Exception {
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            sendWithoutWaiting(harness, 1, staged.rows("a.json.gz", 0, 30));
            sendWithoutWaiting(harness, 2, staged.rows("b.json.gz", 30, 20));
            harness.endInput();
            assertThat(LoaderHarness.operator(harness).isLoading()).isFalse();
            assertThat(rows()).isEqualTo(50);
        }
    }

    @Test
    void theMergeLimitsSplitABacklogIntoSeveralLoadsInCheckpointOrder() throws Exception {
        LoaderExecutionOptions limited =
                LoaderExecutionOptions.builder().mergeLimits(MergeLimits.ofMegabytes(2, 1)).build();
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, limited, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, staged.rows("a.json.gz", 0, 1));
            sendWithoutWaiting(
                    harness,
                    2,
                    staged.rows("b.json.gz", 1, 2),
                    staged.rows("c.json.gz", 3, 3),
                    staged.rows("d.json.gz", 6, 4));
            sendWithoutWaiting(harness, 3, staged.rows("e.json.gz", 10, 5));
            while (executor.queued() > 0) {
                executor.runNext(harness);
            }
        }
        assertLedger(3, 15);
        assertThat(POSTGRES.querySet("SELECT file_count || '@' || checkpoint_id FROM " + ledger()))
                .containsExactlyInAnyOrder("1@1", "2@2", "2@3");
    }

    @Test
    void aWriterSubtaskWithoutFilesHoldsTheCompletenessWatermarkBack() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            sendSubtask(
                    harness,
                    1,
                    0,
                    2,
                    List.of(file(1, a, 0, 2, 5_000L), carrier(1, 0, 2, 5_000L, 1)));
            // Writer subtask 1 staged nothing in checkpoint 1: it lags behind at 2 s.
            sendSubtask(harness, 1, 1, 2, List.of(carrier(1, 1, 2, 2_000L, 0)));
            awaitLoads(harness);
        }
        assertThat(watermarkMillis(1)).isEqualTo(2_000L);
        assertThat(
                        POSTGRES.queryLong(
                                "SELECT (extract(epoch FROM complete_through) * 1000)::bigint FROM "
                                        + schema
                                        + ".sluice_completeness"))
                .isEqualTo(2_000L);
    }

    @Test
    void aSubtaskThatHasSeenNoWatermarkMeansTheLoadRecordsNone() throws Exception {
        try (var harness = LoaderHarness.of(config)) {
            harness.open();
            sendSubtask(
                    harness,
                    1,
                    0,
                    2,
                    List.of(
                            file(1, staged.rows("a.json.gz", 0, 3), 0, 2, 5_000L),
                            carrier(1, 0, 2, 5_000L, 1)));
            sendSubtask(harness, 1, 1, 2, List.of(carrier(1, 1, 2, null, 0)));
            awaitLoads(harness);
        }
        assertThat(watermarkMillis(1)).isEqualTo(-1);
    }

    @Test
    void aMergedLoadRecordsTheHighestCheckpointAndTheWatermarkOfTheNewestOne() throws Exception {
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, staged.rows("a.json.gz", 0, 1));
            for (long checkpoint = 2; checkpoint <= 3; checkpoint++) {
                StagedFile file = staged.rows("f" + checkpoint + ".json.gz", (int) checkpoint, 1);
                long watermark = checkpoint * 1_000;
                sendSubtask(
                        harness,
                        checkpoint,
                        0,
                        2,
                        List.of(
                                file(checkpoint, file, 0, 2, watermark + 500),
                                carrier(checkpoint, 0, 2, watermark + 500, 1)));
                sendSubtask(
                        harness,
                        checkpoint,
                        1,
                        2,
                        List.of(carrier(checkpoint, 1, 2, watermark, 0)));
            }
            executor.runNext(harness);
            executor.runNext(harness);
        }
        assertLedger(2, 3);
        assertThat(watermarkMillis(3)).isEqualTo(3_000L);
        assertThat(ledgerLong("file_count", 3)).isEqualTo(2);
    }

    @Test
    void metricsCountLoadsRowsBytesAndTrackPendingFilesAndFreshness() throws Exception {
        Map<String, Metric> metrics = new ConcurrentHashMap<>();
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        long watermark = System.currentTimeMillis() - 60_000;
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = harnessWithMetrics(metrics, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, a);
            sendSubtask(
                    harness,
                    2,
                    0,
                    1,
                    List.of(file(2, b, 0, 1, watermark), carrier(2, 0, 1, watermark, 1)));
            assertThat(gauge(metrics, "PendingLoadFiles")).isEqualTo(2);
            assertThat(gauge(metrics, "DeliveryToRedshift.DataFreshness")).isEqualTo(-1L);

            executor.runNext(harness);
            executor.runNext(harness);

            assertThat(counter(metrics, "DeliveryToRedshift.Success")).isEqualTo(2);
            assertThat(counter(metrics, "DeliveryToRedshift.Records")).isEqualTo(30);
            assertThat(counter(metrics, "DeliveryToRedshift.Bytes"))
                    .isEqualTo(a.sizeBytes() + b.sizeBytes());
            assertThat(counter(metrics, "DeliveryToRedshift.Failed")).isZero();
            assertThat(gauge(metrics, "PendingLoadFiles")).isEqualTo(0);
            assertThat((Long) gauge(metrics, "DeliveryToRedshift.DataFreshness"))
                    .isCloseTo(60_000L, within(30_000L));
        }
    }

    /** A harness whose operator registers its metrics into {@code metrics}, by identifier. */
    private OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void>
            harnessWithMetrics(Map<String, Metric> metrics, LoaderHarness.ManualExecutor executor)
                    throws Exception {
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setRegisterConsumer(
                                (metric, name, group) ->
                                        metrics.put(group.getMetricIdentifier(name), metric))
                        .build();
        TaskMetricGroup task =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "job")
                        .addTask(ExecutionAttemptID.randomId(), "loader");
        return new OneInputStreamOperatorTestHarness<>(
                new WarehouseLoaderOperatorFactory(
                        config, LoaderExecutionOptions.defaults(), () -> executor),
                new MockEnvironmentBuilder().setMetricGroup(task).build());
    }

    private static long counter(Map<String, Metric> metrics, String name) {
        return ((Counter) metric(metrics, name)).getCount();
    }

    private static Object gauge(Map<String, Metric> metrics, String name) {
        return ((Gauge<?>) metric(metrics, name)).getValue();
    }

    /** The metric registered as {@code name} in the operator's {@code sluice} group. */
    private static Metric metric(Map<String, Metric> metrics, String name) {
        List<Metric> found =
                metrics.entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".sluice." + name))
                        .map(Map.Entry::getValue)
                        .toList();
        assertThat(found).as("metric sluice.%s in %s", name, metrics.keySet()).hasSize(1);
        return found.get(0);
    }

    private static CommittedFile file(
            long checkpointId, StagedFile file, int subtask, int subtasks, Long watermark) {
        return new CommittedFile(checkpointId, file, "job", watermark, subtask, subtasks);
    }

    private static CommittedFile carrier(
            long checkpointId, int subtask, int subtasks, Long watermark, int files) {
        return CommittedFile.carrier(checkpointId, "job", watermark, subtask, subtasks, files);
    }

    private void assertLedger(long expectedLoads, long expectedRows) throws Exception {
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + ledger())).isEqualTo(expectedLoads);
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT load_id) FROM " + ledger()))
                .isEqualTo(expectedLoads);
        assertThat(POSTGRES.queryLong("SELECT sum(row_count) FROM " + ledger()))
                .isEqualTo(expectedRows);
        assertThat(rows()).isEqualTo(expectedRows);
    }

    private long ledgerLong(String column, long checkpointId) throws Exception {
        return POSTGRES.queryLong(
                "SELECT "
                        + column
                        + " FROM "
                        + ledger()
                        + " WHERE checkpoint_id = "
                        + checkpointId);
    }

    /** The load's recorded watermark in epoch millis, -1 when none. */
    private long watermarkMillis(long checkpointId) throws Exception {
        return POSTGRES.queryLong(
                "SELECT coalesce((extract(epoch FROM event_time_watermark) * 1000)::bigint, -1)"
                        + " FROM "
                        + ledger()
                        + " WHERE checkpoint_id = "
                        + checkpointId);
    }

    private String ledger() {
        return schema + ".sluice_load_ledger";
    }

    private long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".events");
    }
}
