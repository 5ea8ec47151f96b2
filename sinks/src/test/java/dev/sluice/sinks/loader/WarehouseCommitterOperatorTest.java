package dev.sluice.sinks.loader;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.StagedFiles;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.GlobalCommitterOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.sinks.loader.GlobalCommitterHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loader as Flink runs it: {@link WarehouseCommitter} inside Flink's own {@link
 * GlobalCommitterOperator}, driven through an operator test harness the way Apache Iceberg tests
 * its files committer — snapshots, checkpoint-complete notifications, restores, and notifications
 * that repeat or arrive out of order. Each staged file's rows must reach PostgreSQL exactly once.
 */
class WarehouseCommitterOperatorTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @TempDir Path tempDir;

    private StagedFiles staged;
    private String schema;
    private WarehouseLoaderConfig config;

    @BeforeEach
    void createTable() throws Exception {
        // PostgreSQL names are at most 63 bytes: a counter, not the (long) test name.
        schema = "committer_" + SCHEMAS.incrementAndGet();
        POSTGRES.execute("CREATE SCHEMA " + schema);
        POSTGRES.execute("CREATE TABLE " + schema + ".events (id bigint, name text)");
        staged = new StagedFiles(tempDir.resolve("data"));
        config =
                WarehouseLoaderConfig.builder()
                        .dialect("postgres")
                        .targetTable(schema + ".events")
                        .columns("id,name")
                        .ledgerSchema(schema)
                        .manifestBasePath(tempDir.resolve("manifests").toUri().toString())
                        .connectionProvider(
                                new DriverManagerConnectionProvider(
                                        POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password))
                        .build();
    }

    @Test
    void loadsACheckpointsFilesWhenItCompletesAndNotAgainOnARepeatedNotification()
            throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 100);
        StagedFile b = staged.rows("b.json.gz", 100, 50);
        try (var harness = harness(false)) {
            harness.open();
            send(harness, 1, a, b);
            harness.snapshot(1, 1);
            assertThat(rows()).as("nothing before the checkpoint completes").isZero();

            harness.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).isEqualTo(150);

            harness.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).isEqualTo(150);
        }
        assertLedger(1, 150);
    }

    @Test
    void loadsEachCheckpointOnceWhenNotificationsArriveOutOfOrder() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        try (var harness = harness(false)) {
            harness.open();
            send(harness, 1, a);
            harness.snapshot(1, 1);
            send(harness, 2, b);
            harness.snapshot(2, 2);

            // Checkpoint 2 completes first: it subsumes 1, so both are loaded, in order.
            harness.notifyOfCompletedCheckpoint(2);
            assertThat(rows()).isEqualTo(30);
            harness.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).isEqualTo(30);
        }
        assertLedger(2, 30);
    }

    @Test
    void restoringFromACheckpointTakenBeforeTheLoadDoesNotLoadTwice() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 40);
        OperatorSubtaskState beforeLoad;
        try (var harness = harness(false)) {
            harness.open();
            send(harness, 1, a);
            beforeLoad = harness.snapshot(1, 1);
            harness.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).isEqualTo(40);
        }

        // The job fails after the load but restores from a checkpoint that still holds the
        // committables: the restored operator commits them again straight away.
        try (var restored = harness(false)) {
            restored.setRestoredCheckpointId(1);
            restored.initializeState(beforeLoad);
            restored.open();
            restored.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).isEqualTo(40);
        }
        assertLedger(1, 40);
    }

    @Test
    void restoringBeforeTheCheckpointCompletedLoadsTheFilesExactlyOnce() throws Exception {
        StagedFile a = staged.rows("a.json.gz", 0, 25);
        OperatorSubtaskState snapshot;
        try (var harness = harness(false)) {
            harness.open();
            send(harness, 1, a);
            snapshot = harness.snapshot(1, 1);
            // The task dies before the notification: nothing was loaded.
        }
        assertThat(rows()).isZero();

        try (var restored = harness(false)) {
            restored.setRestoredCheckpointId(1);
            restored.initializeState(snapshot);
            restored.open();
            assertThat(rows()).as("recovered committables are committed on restore").isEqualTo(25);
            restored.notifyOfCompletedCheckpoint(2);
            assertThat(rows()).isEqualTo(25);
        }
        assertLedger(1, 25);
    }

    @Test
    void committablesReplayedByTheUpstreamCommitterAfterRecoveryAreNotLoadedAgain()
            throws Exception {
        // In the job the global committer follows FileSink's committer and commits on input.
        StagedFile a = staged.rows("a.json.gz", 0, 30);
        StagedFile b = staged.rows("b.json.gz", 30, 30);
        try (var harness = harness(true)) {
            harness.open();
            send(harness, 1, a, b);
            assertThat(rows()).isEqualTo(60);
        }
        // After recovery FileSink's committer re-emits checkpoint 1, now regrouped with new files.
        StagedFile c = staged.rows("c.json.gz", 60, 5);
        try (var replayed = harness(true)) {
            replayed.open();
            send(replayed, 1, b);
            send(replayed, 2, a, c);
            assertThat(rows()).isEqualTo(65);
        }
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT id) FROM " + schema + ".events"))
                .isEqualTo(65);
        assertLedger(2, 65);
    }

    @Test
    void checkpointsWithoutFilesLoadNothing() throws Exception {
        try (var harness = harness(true)) {
            harness.open();
            harness.processElement(
                    new StreamRecord<>(new CommittableSummary<>(0, 1, 1, 1, 1, 0)));
            harness.processElement(
                    new StreamRecord<>(
                            new CommittableWithLineage<>(new CommittedFile(1, null), 1, 0)));
            assertThat(rows()).isZero();
        }
        assertThat(ledgerExists() ? POSTGRES.queryLong("SELECT count(*) FROM " + ledger()) : 0).isZero();
    }

    private OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness(
            boolean commitOnInput) throws Exception {
        return GlobalCommitterHarness.of(config, commitOnInput);
    }

    private void assertLedger(long expectedLoads, long expectedRows) throws Exception {
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + ledger())).isEqualTo(expectedLoads);
        assertThat(POSTGRES.queryLong("SELECT count(DISTINCT load_id) FROM " + ledger()))
                .isEqualTo(expectedLoads);
        assertThat(POSTGRES.queryLong("SELECT sum(row_count) FROM " + ledger())).isEqualTo(expectedRows);
        assertThat(rows()).isEqualTo(expectedRows);
    }

    private String ledger() {
        return schema + ".sluice_load_ledger";
    }

    private boolean ledgerExists() throws Exception {
        return POSTGRES.queryLong(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                                + schema
                                + "' AND table_name = 'sluice_load_ledger'")
                > 0;
    }

    private long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".events");
    }
}
