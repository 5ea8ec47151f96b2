package dev.sluice.sinks.loader;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.s3.errors.ErrorEnvelope;
import dev.sluice.sinks.s3.errors.ErrorFiles;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.EventsTable;
import dev.sluice.sinks.warehouse.FailedLoad;
import dev.sluice.sinks.warehouse.FailedLoadReplayer;
import dev.sluice.sinks.warehouse.LoadRetryPolicy;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.StagedFiles;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.sluice.sinks.loader.LoaderHarness.awaitLoads;
import static dev.sluice.sinks.loader.LoaderHarness.send;
import static dev.sluice.sinks.loader.LoaderHarness.sendWithoutWaiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loader's failure handling as Flink runs it, {@link WarehouseLoaderOperator} driven through a
 * test harness: transient failures retried within the window, give-up into {@code
 * errors/load-failed/} with delivery continuing, data errors not retried, and replay of what gave
 * up — each staged row in PostgreSQL exactly once in the end.
 */
class WarehouseLoaderFailureOperatorTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path tempDir;

    private StagedFiles staged;
    private EventsTable table;
    private String schema;
    private Path failedDir;
    private OutageConnectionProvider outage;
    private LoaderExecutionOptions execution;

    @BeforeEach
    void createTable() throws Exception {
        table = EventsTable.create(POSTGRES, "failures");
        schema = table.schema();
        staged = new StagedFiles(tempDir.resolve("data"));
        failedDir = tempDir.resolve("errors/load-failed");
    }

    /** Also sets {@link #execution}: the retry window goes with the outage. */
    private WarehouseLoaderConfig config(Duration retryWindow, int refusedConnections) {
        outage =
                new OutageConnectionProvider(
                        new DriverManagerConnectionProvider(
                                POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password),
                        refusedConnections);
        execution =
                LoaderExecutionOptions.builder()
                        .retryPolicy(
                                LoadRetryPolicy.builder()
                                        .retryDuration(retryWindow)
                                        .initialBackoff(Duration.ofMillis(10))
                                        .maxBackoff(Duration.ofMillis(100))
                                        .build())
                        .build();
        return table.loaderConfig(tempDir.resolve("manifests"))
                .ledger(
                        table.ledger(tempDir.resolve("manifests"))
                                .failedLoadBasePath(failedDir.toUri().toString())
                                .build())
                .connectionProvider(outage)
                .build();
    }

    @Test
    void retriesAConnectionOutageShorterThanTheWindowAndLoadsOnce() throws Exception {
        WarehouseLoaderConfig config = config(Duration.ofSeconds(30), 4);
        StagedFile a = staged.rows("a.json.gz", 0, 100);
        try (var harness = harness(config)) {
            harness.open();
            send(harness, 1, a);
        }
        assertThat(outage.refused()).isEqualTo(4);
        assertThat(rows()).isEqualTo(100);
        assertThat(queryLong("SELECT count(*) FROM " + schema + ".sluice_load_ledger"))
                .isEqualTo(1);
        assertThat(failedManifests()).isEmpty();
    }

    @Test
    void givesUpAfterTheWindowWritesTheLoadToLoadFailedAndLoadsTheNextCheckpoint()
            throws Exception {
        WarehouseLoaderConfig config = config(Duration.ofMillis(300), 0);
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        StagedFile b = staged.rows("b.json.gz", 10, 20);
        StagedFile c = staged.rows("c.json.gz", 30, 5);
        try (var harness = harness(config)) {
            harness.open();
            outage.down().set(true);
            send(harness, 1, a, b);
            assertThat(outage.refused()).as("retried within the window").isGreaterThan(1);
            assertThat(rows()).isZero();

            outage.down().set(false);
            send(harness, 2, c);
            assertThat(rows()).as("delivery goes on with the next checkpoint").isEqualTo(5);
        }

        List<Path> manifests = failedManifests();
        assertThat(manifests).hasSize(1);
        assertThat(tempDir.relativize(manifests.get(0)).toString())
                .matches("errors/load-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/[0-9a-f]{64}\\.manifest");
        assertThat(Files.readString(manifests.get(0))).contains(a.url(), b.url());
        FailedLoad failure = failureOf(manifests.get(0));
        assertThat(failure.reason()).isEqualTo(FailedLoad.RETRIES_EXHAUSTED);
        assertThat(failure.sqlState()).isEqualTo("08001");
        assertThat(failure.checkpointId()).isEqualTo(1);
        assertThat(failure.fileCount()).isEqualTo(2);
        assertThat(failure.attempts()).isGreaterThan(1);
    }

    @Test
    void aLoadThatCanNeitherLoadNorBeWrittenOffFailsTheTaskAndKeepsItsFiles() throws Exception {
        // errors/load-failed/ cannot be created: a regular file stands where its parent should be.
        Path blocker = Files.writeString(tempDir.resolve("blocker"), "not a directory");
        WarehouseLoaderConfig outageConfig = config(Duration.ZERO, 1);
        WarehouseLoaderConfig config =
                outageConfig.toBuilder()
                        .ledger(
                                outageConfig.ledger().toBuilder()
                                        .failedLoadBasePath(
                                                blocker.resolve("load-failed").toUri().toString())
                                        .build())
                        .build();
        StagedFile a = staged.rows("a.json.gz", 0, 10);
        try (var harness = harness(config)) {
            harness.open();
            sendWithoutWaiting(harness, 1, a);
            assertThatThrownBy(() -> awaitLoads(harness))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining(
                            "Loading checkpoints [1] into " + schema + ".events failed");
            OperatorSubtaskState state = harness.snapshot(2, 2);
            try (var restored = harness(config(Duration.ZERO, 0))) {
                restored.initializeState(state);
                restored.open();
                awaitLoads(restored);
            }
        }
        assertThat(rows())
                .as("the files stayed in the state and loaded after the restore")
                .isEqualTo(10);
    }

    @Test
    void noRetryWindowGivesUpAfterOneAttempt() throws Exception {
        WarehouseLoaderConfig config = config(Duration.ZERO, 1);
        try (var harness = harness(config)) {
            harness.open();
            send(harness, 1, staged.rows("a.json.gz", 0, 10));
        }
        assertThat(outage.refused()).isEqualTo(1);
        assertThat(failureOf(failedManifests().get(0)).attempts()).isEqualTo(1);
    }

    @Test
    void aTypeMismatchIsRejectedAloneNamesTheColumnAndTheRestOfItsLoadGoesIn() throws Exception {
        WarehouseLoaderConfig config = config(Duration.ofSeconds(30), 0);
        StagedFile good = staged.rows("good.json.gz", 0, 3);
        StagedFile bad =
                staged.gzip(
                        "bad.json.gz",
                        "{\"id\":10,\"name\":\"x\"}",
                        "{\"id\":\"not-a-number-secret\",\"name\":\"y\"}");
        StagedFile later = staged.rows("later.json.gz", 100, 7);
        try (var harness = harness(config)) {
            harness.open();
            send(harness, 1, good, bad);
            assertThat(rows()).as("every good row of the load").isEqualTo(4);
            send(harness, 2, later);
            assertThat(rows()).isEqualTo(11);
        }
        assertThat(failedManifests()).isEmpty();
        List<ErrorEnvelope> rejected = rejectedEnvelopes();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).errorMessage()).startsWith("column id: ");
        assertThat(new String(rejected.get(0).rawData(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"not-a-number-secret\",\"name\":\"y\"}");
        assertThat(queryLong("SELECT count(*) FROM " + schema + ".events WHERE name = 'y'"))
                .isZero();
    }

    @Test
    void aDataErrorIsolationCannotFixStillWritesTheWholeLoadOff() throws Exception {
        execute("ALTER TABLE " + schema + ".events DROP COLUMN name");
        WarehouseLoaderConfig config = config(Duration.ofSeconds(30), 0);
        try (var harness = harness(config)) {
            harness.open();
            send(harness, 1, staged.rows("a.json.gz", 0, 3));
        }
        FailedLoad failure = failureOf(failedManifests().get(0));
        assertThat(failure.reason()).isEqualTo(FailedLoad.DATA_ERROR);
        assertThat(failure.attempts()).isEqualTo(1);
        assertThat(failure.sqlState()).isEqualTo("42703");
        assertThat(rejectedEnvelopes()).isEmpty();
    }

    @Test
    void restoringASnapshotTakenWhileALoadWithRejectedRowsRanLoadsAndRejectsNothingTwice()
            throws Exception {
        WarehouseLoaderConfig config = config(Duration.ofSeconds(30), 0);
        StagedFile mixed =
                staged.gzip(
                        "mixed.json.gz",
                        "{\"id\":1,\"name\":\"a\"}",
                        "{\"id\":\"bad\",\"name\":\"b\"}",
                        "{\"id\":3,\"name\":\"c\"}");
        OperatorSubtaskState snapshot;
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, execution, executor)) {
            harness.open();
            sendWithoutWaiting(harness, 1, mixed);
            snapshot = harness.snapshot(1, 1);
            executor.runNext(harness);
        }
        assertThat(rows()).isEqualTo(2);
        try (var restored = harness(config)) {
            restored.setRestoredCheckpointId(1);
            restored.initializeState(snapshot);
            restored.open();
            awaitLoads(restored);
        }
        assertThat(rows()).isEqualTo(2);
        assertThat(rejectedEnvelopes()).hasSize(1);
        assertThat(failedManifests()).isEmpty();
        var replayed = new FailedLoadReplayer(new WarehouseLoader(config)).replayAll();
        assertThat(replayed).isEmpty();
    }

    @Test
    void replayOfAGivenUpLoadIsolatesItsRejectedRowsToo() throws Exception {
        WarehouseLoaderConfig config = config(Duration.ZERO, 0);
        StagedFile mixed =
                staged.gzip(
                        "mixed.json.gz",
                        "{\"id\":1,\"name\":\"a\"}",
                        "{\"id\":\"bad\",\"name\":\"b\"}");
        try (var harness = harness(config)) {
            harness.open();
            outage.down().set(true);
            send(harness, 1, mixed);
        }
        outage.down().set(false);
        var replayed = new FailedLoadReplayer(new WarehouseLoader(config)).replayAll();
        assertThat(replayed.get(0).result().rows()).isEqualTo(1);
        assertThat(replayed.get(0).result().rejectedRows()).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
        assertThat(rejectedEnvelopes()).hasSize(1);
    }

    private List<ErrorEnvelope> rejectedEnvelopes() throws Exception {
        Path dir = tempDir.resolve("errors/load-rejected");
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<ErrorEnvelope> out = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().collect(Collectors.toList())) {
                out.addAll(ErrorFiles.read(Files.readAllBytes(file)));
            }
        }
        return out;
    }

    @Test
    void replayLoadsAGivenUpLoadExactlyOnceAndAgainIsANoOp() throws Exception {
        WarehouseLoaderConfig config = config(Duration.ofMillis(200), 0);
        StagedFile a = staged.rows("a.json.gz", 0, 40);
        StagedFile b = staged.rows("b.json.gz", 40, 60);
        try (var harness = harness(config)) {
            harness.open();
            outage.down().set(true);
            send(harness, 1, a, b);
        }
        outage.down().set(false);
        assertThat(rows()).isZero();

        FailedLoadReplayer replayer = new FailedLoadReplayer(new WarehouseLoader(config));
        List<FailedLoadReplayer.Replayed> first = replayer.replayAll();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).result().loaded()).isTrue();
        assertThat(first.get(0).result().rows()).isEqualTo(100);
        assertThat(rows()).isEqualTo(100);

        List<FailedLoadReplayer.Replayed> again = replayer.replayAll();
        assertThat(again.get(0).result().loaded()).isFalse();
        assertThat(rows()).isEqualTo(100);
        assertThat(queryLong("SELECT min(checkpoint_id) FROM " + schema + ".sluice_load_ledger"))
                .as("the ledger keeps the checkpoint the files came from")
                .isEqualTo(1);
    }

    @Test
    void aRestoreAfterAGiveUpThatActuallyLoadedLeavesReplayNothingToLoad() throws Exception {
        // A snapshot is taken while the load of checkpoint 1 runs; the load then gives up, and the
        // job fails and restores that snapshot, which still holds the files; by then the warehouse
        // is back, so they load. A later replay of the load-failed manifest must not load them
        // again.
        WarehouseLoaderConfig config = config(Duration.ofMillis(200), 0);
        StagedFile a = staged.rows("a.json.gz", 0, 12);
        OperatorSubtaskState snapshot;
        LoaderHarness.ManualExecutor executor = new LoaderHarness.ManualExecutor();
        try (var harness = LoaderHarness.of(config, execution, executor)) {
            harness.open();
            outage.down().set(true);
            sendWithoutWaiting(harness, 1, a);
            snapshot = harness.snapshot(1, 1);
            executor.runNext(harness);
            assertThat(failedManifests()).hasSize(1);
        }
        outage.down().set(false);
        try (var restored = harness(config)) {
            restored.setRestoredCheckpointId(1);
            restored.initializeState(snapshot);
            restored.open();
            awaitLoads(restored);
        }
        assertThat(rows()).isEqualTo(12);
        var replayed = new FailedLoadReplayer(new WarehouseLoader(config)).replayAll();
        assertThat(replayed).hasSize(1);
        assertThat(replayed.get(0).result().loaded()).isFalse();
        assertThat(rows()).isEqualTo(12);
    }

    private OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness(
            WarehouseLoaderConfig loaderConfig) throws Exception {
        return LoaderHarness.of(loaderConfig, execution);
    }

    private List<Path> failedManifests() throws Exception {
        if (!Files.exists(failedDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(failedDir)) {
            return files.filter(p -> p.toString().endsWith(".manifest"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static FailedLoad failureOf(Path manifest) throws Exception {
        return FailedLoad.parse(Files.readAllBytes(FailedLoadWriterPaths.error(manifest)));
    }

    /** The error document beside a manifest. */
    private static final class FailedLoadWriterPaths {
        static Path error(Path manifest) {
            String name = manifest.getFileName().toString();
            return manifest.resolveSibling(
                    name.substring(0, name.length() - ".manifest".length()) + ".error.json");
        }
    }

    private long rows() throws Exception {
        return queryLong("SELECT count(*) FROM " + schema + ".events");
    }

    private long queryLong(String sql) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
