package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.warehouse.FaultInjectingConnectionProvider.Fault;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load protocol against a real PostgreSQL: every scenario in which the loader operator may call
 * the loader (first time, replays, regrouped files, failures at each step, concurrent loaders) must
 * leave each file's rows in the table exactly once.
 */
class WarehouseLoaderTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path directory;

    private StagedFiles staged;
    private EventsTable table;
    private String schema;

    @BeforeEach
    void createTargetTable() throws SQLException {
        staged = new StagedFiles(directory.resolve("data"));
        table = EventsTable.create(POSTGRES, "loader");
        schema = table.schema();
    }

    @Test
    void loadsEachFileOnceAndWritesOneLedgerRowPerLoad() throws Exception {
        StagedFile a = staged.rows("a.gz", 1, 3);
        StagedFile b = staged.rows("b.gz", 4, 2);
        StagedFile c = staged.rows("c.gz", 6, 4);
        WarehouseLoader loader = loader(postgres());

        LoadResult first = loader.load(1, List.of(b, a));
        LoadResult second = loader.load(2, List.of(c));

        assertThat(first.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(first.files()).containsExactly(a, b);
        assertThat(first.skippedFiles()).isEmpty();
        assertThat(first.rows()).isEqualTo(5);
        assertThat(first.bytes()).isEqualTo(a.sizeBytes() + b.sizeBytes());
        assertThat(first.loadId()).isEqualTo(LoadId.forFiles(List.of(a, b)).value());
        assertThat(second.rows()).isEqualTo(4);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        assertThat(
                        query(
                                "SELECT load_id, target_table, manifest_url, checkpoint_id,"
                                        + " file_count, row_count, byte_count FROM "
                                        + schema
                                        + ".sluice_load_ledger ORDER BY checkpoint_id"))
                .containsExactly(
                        List.of(
                                first.loadId(),
                                schema + ".events",
                                first.manifestUrl(),
                                "1",
                                "2",
                                "5",
                                String.valueOf(first.bytes())),
                        List.of(
                                second.loadId(),
                                schema + ".events",
                                second.manifestUrl(),
                                "2",
                                "1",
                                "4",
                                String.valueOf(c.sizeBytes())));
        assertThat(
                        query(
                                "SELECT file_url, load_id, size_bytes FROM "
                                        + schema
                                        + ".sluice_loaded_files ORDER BY file_url"))
                .containsExactly(
                        List.of(a.url(), first.loadId(), String.valueOf(a.sizeBytes())),
                        List.of(b.url(), first.loadId(), String.valueOf(b.sizeBytes())),
                        List.of(c.url(), second.loadId(), String.valueOf(c.sizeBytes())));

        String manifest =
                Files.readString(
                        Paths.get(URI.create(first.manifestUrl())), StandardCharsets.UTF_8);
        assertThat(first.manifestUrl()).endsWith("/manifests/" + first.loadId() + ".manifest");
        assertThat(Manifest.parse(manifest)).isEqualTo(Manifest.of(List.of(a, b)));
    }

    @Test
    void callingAgainWithTheSameFilesLoadsNothing() throws Exception {
        StagedFile a = staged.rows("a.gz", 1, 3);
        StagedFile b = staged.rows("b.gz", 4, 2);
        loader(postgres()).load(7, List.of(a, b));

        LoadResult sameLoader = loader(postgres()).load(7, List.of(a, b));
        // A job restored from a savepoint builds a new loader and may replay in any order.
        LoadResult restoredJob = new WarehouseLoader(config(postgres())).load(8, List.of(b, a, b));

        for (LoadResult replay : List.of(sameLoader, restoredJob)) {
            assertThat(replay.status()).isEqualTo(LoadResult.Status.SKIPPED);
            assertThat(replay.loadId()).isNull();
            assertThat(replay.files()).isEmpty();
            assertThat(replay.skippedFiles()).containsExactly(a, b);
            assertThat(replay.rows()).isZero();
        }
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
    }

    @Test
    void overlappingAndRegroupedFilesLoadOnlyTheFilesNotLoadedBefore() throws Exception {
        StagedFile a = staged.rows("a.gz", 1, 1);
        StagedFile b = staged.rows("b.gz", 2, 2);
        StagedFile c = staged.rows("c.gz", 4, 3);
        StagedFile d = staged.rows("d.gz", 7, 4);
        WarehouseLoader loader = loader(postgres());

        loader.load(1, List.of(a, b));
        LoadResult overlapping = loader.load(2, List.of(b, c));
        LoadResult merged = loader.load(3, List.of(d, c, b, a));

        assertThat(overlapping.files()).containsExactly(c);
        assertThat(overlapping.skippedFiles()).containsExactly(b);
        assertThat(overlapping.rows()).isEqualTo(3);
        assertThat(overlapping.loadId()).isEqualTo(LoadId.forFiles(List.of(c)).value());
        assertThat(merged.files()).containsExactly(d);
        assertThat(merged.skippedFiles()).containsExactly(a, b, c);
        assertThat(merged.rows()).isEqualTo(4);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(count("sluice_load_ledger")).isEqualTo(3);
        assertThat(count("sluice_loaded_files")).isEqualTo(4);
    }

    @Test
    void failedCommitRollsBackAndTheRetryLoadsEveryRowExactlyOnce() throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 3), staged.rows("b.gz", 4, 3));
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(postgres(), Fault.BEFORE_COMMIT);
        WarehouseLoader loader = loader(failing);

        assertThatThrownBy(() -> loader.load(1, files))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Injected: commit failed");
        assertThat(failing.fired()).isTrue();
        assertThat(ids()).isEmpty();
        assertThat(count("sluice_load_ledger")).isZero();

        LoadResult retry = loader.load(1, files);

        assertThat(retry.status()).isEqualTo(LoadResult.Status.LOADED);
        assertThat(retry.rows()).isEqualTo(6);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
    }

    @Test
    void failureAfterTheDatabaseCommittedMakesTheRetryLoadNothing() throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 3), staged.rows("b.gz", 4, 3));
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(postgres(), Fault.AFTER_COMMIT);
        WarehouseLoader loader = loader(failing);

        assertThatThrownBy(() -> loader.load(1, files))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Injected: connection lost after commit");
        LoadResult retry = loader.load(1, files);

        assertThat(retry.status()).isEqualTo(LoadResult.Status.SKIPPED);
        assertThat(retry.skippedFiles()).containsExactlyElementsOf(files);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
    }

    @Test
    void failureWhileRecordingTheLedgerRollsBackTheCopiedRows() throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 2));
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(postgres(), Fault.ON_LEDGER_INSERT);
        WarehouseLoader loader = loader(failing);

        assertThatThrownBy(() -> loader.load(1, files))
                .hasMessageContaining("Injected: ledger insert failed");
        assertThat(ids()).isEmpty();

        assertThat(loader.load(1, files).rows()).isEqualTo(2);
        assertThat(ids()).containsExactly(1L, 2L);
    }

    @Test
    void theStepListenerHearsEveryStepInOrderAndTheLastOneHeardIsTheOneThatFailed()
            throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 2));
        List<LoadStep> heard = new ArrayList<>();
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(postgres(), Fault.ON_LEDGER_INSERT);

        assertThatThrownBy(() -> loader(failing).load(LoadMetadata.of(1), files, heard::add))
                .hasMessageContaining("Injected: ledger insert failed");
        assertThat(heard)
                .containsExactly(
                        LoadStep.CONNECT,
                        LoadStep.LEDGER_TABLES,
                        LoadStep.LEDGER_CHECK,
                        LoadStep.MANIFEST,
                        LoadStep.LOCK,
                        LoadStep.COPY,
                        LoadStep.LEDGER_RECORD);
        assertThat(ids()).as("the copied rows were rolled back").isEmpty();

        heard.clear();
        LoadResult retry = loader(postgres()).load(LoadMetadata.of(1), files, heard::add);

        assertThat(retry.rows()).isEqualTo(2);
        assertThat(heard).endsWith(LoadStep.COPY, LoadStep.LEDGER_RECORD, LoadStep.COMMIT);
        assertThat(ids()).containsExactly(1L, 2L);
    }

    @Test
    void failureToConnectChangesNothingAndTheRetryLoads() throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 2));
        WarehouseLoader loader =
                loader(new FaultInjectingConnectionProvider(postgres(), Fault.ON_OPEN));

        assertThatThrownBy(() -> loader.load(1, files)).hasMessageContaining("cannot connect");
        assertThat(loader.load(1, files).rows()).isEqualTo(2);
        assertThat(ids()).containsExactly(1L, 2L);
    }

    @Test
    void twoLoadersRacingOnTheSameFilesLoadThemOnce() throws Exception {
        List<StagedFile> files = List.of(staged.rows("a.gz", 1, 3), staged.rows("b.gz", 4, 3));
        // Each loader passes the lock-free pre-check before either takes the lock, so only the
        // check under the lock can keep the second from loading the files again.
        CyclicBarrier bothCheckedTheLedger = new CyclicBarrier(2);
        Runnable awaitTheOther =
                () -> {
                    try {
                        bothCheckedTheLedger.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new IllegalStateException(e);
                    }
                };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<LoadResult>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                WarehouseLoader loader =
                        loader(
                                new FaultInjectingConnectionProvider(
                                        postgres(), Fault.NONE, awaitTheOther));
                results.add(threads.submit(() -> loader.load(1, files)));
            }
            List<LoadResult.Status> statuses = new ArrayList<>();
            for (Future<LoadResult> result : results) {
                statuses.add(result.get(60, TimeUnit.SECONDS).status());
            }

            assertThat(statuses)
                    .containsExactlyInAnyOrder(LoadResult.Status.LOADED, LoadResult.Status.SKIPPED);
        } finally {
            threads.shutdownNow();
        }
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
        assertThat(count("sluice_loaded_files")).isEqualTo(2);
    }

    @Test
    void aMalformedLineIsRejectedAloneAndTheRestOfTheLoadCommits() throws Exception {
        StagedFile good = staged.rows("a.gz", 1, 3);
        StagedFile bad =
                staged.gzip(
                        "b.gz", "{\"id\":4,\"name\":\"ok\"}", "{\"id\":5,\"name\":", "{\"id\":6}");

        LoadResult result = loader(postgres()).load(1, List.of(good, bad));

        assertThat(result.rows()).isEqualTo(5);
        assertThat(result.rejectedRows()).isEqualTo(1);
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 6L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
        assertThat(count("sluice_loaded_files")).isEqualTo(2);
    }

    @Test
    void aRowTheTableRejectsIsLeftOutAndTheRestOfTheLoadCommits() throws Exception {
        StagedFile good = staged.rows("a.gz", 1, 3);
        StagedFile bad = staged.gzip("b.gz", "{\"id\":\"four\",\"name\":\"x\"}");

        LoadResult result = loader(postgres()).load(1, List.of(good, bad));

        assertThat(result.rows()).isEqualTo(3);
        assertThat(result.rejectedRows()).isEqualTo(1);
        assertThat(ids()).containsExactly(1L, 2L, 3L);
        assertThat(count("sluice_load_ledger")).isEqualTo(1);
    }

    @Test
    void missingStagedFileFailsTheLoadAndCommitsNothing() throws Exception {
        StagedFile good = staged.rows("a.gz", 1, 3);
        StagedFile gone = new StagedFile(directory.resolve("data/gone.gz").toUri().toString(), 10);

        assertThatThrownBy(() -> loader(postgres()).load(1, List.of(good, gone)))
                .hasMessageContaining(gone.url());
        assertThat(ids()).isEmpty();
        assertThat(count("sluice_loaded_files")).isZero();
    }

    @Test
    void emptyFileListLoadsNothingWithoutConnecting() throws Exception {
        WarehouseLoader loader =
                loader(
                        () -> {
                            throw new AssertionError("must not connect");
                        });

        LoadResult result = loader.load(3, List.of());

        assertThat(result.status()).isEqualTo(LoadResult.Status.SKIPPED);
        assertThat(result.skippedFiles()).isEmpty();
    }

    @Test
    void ledgerTablesHavePrimaryKeysOnPostgresAndTolerateBeingCreatedAhead() throws Exception {
        WarehouseLoader loader = loader(postgres());
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement()) {
            for (String ddl : loader.ledger().createStatements()) {
                statement.execute(ddl);
            }
        }

        loader.load(1, List.of(staged.rows("a.gz", 1, 1)));

        assertThat(
                        query(
                                "SELECT table_name, column_name FROM"
                                        + " information_schema.key_column_usage WHERE table_schema"
                                        + " = '"
                                        + schema
                                        + "' ORDER BY table_name, ordinal_position"))
                .containsExactly(
                        List.of("sluice_load_ledger", "target_table"),
                        List.of("sluice_load_ledger", "load_id"),
                        List.of("sluice_loaded_files", "target_table"),
                        List.of("sluice_loaded_files", "file_url"));
    }

    @Test
    void configurationSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        WarehouseLoaderConfig config = config(postgres());

        WarehouseLoaderConfig copy = InstantiationUtil.clone(config, getClass().getClassLoader());
        LoadResult result = new WarehouseLoader(copy).load(1, List.of(staged.rows("a.gz", 1, 2)));

        assertThat(copy.target().dialect()).isSameAs(WarehouseDialect.POSTGRES);
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(result.rows()).isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------

    private WarehouseLoader loader(JdbcConnectionProvider provider) {
        return new WarehouseLoader(config(provider));
    }

    private WarehouseLoaderConfig config(JdbcConnectionProvider provider) {
        return table.loaderConfig(directory.resolve("manifests"))
                .target(table.target().copyOptions("JSON 'auto' GZIP TIMEFORMAT 'auto'").build())
                .connectionProvider(provider)
                .build();
    }

    private static JdbcConnectionProvider postgres() {
        String password = POSTGRES.password();
        return new DriverManagerConnectionProvider(
                POSTGRES.jdbcUrl(), POSTGRES.user(), () -> password);
    }

    private List<Long> ids() throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (List<String> row : query("SELECT id FROM " + schema + ".events ORDER BY id")) {
            ids.add(Long.parseLong(row.get(0)));
        }
        return ids;
    }

    private long count(String ledgerTable) throws SQLException {
        return Long.parseLong(
                query("SELECT count(*) FROM " + schema + "." + ledgerTable).get(0).get(0));
    }

    private static List<List<String>> query(String sql) throws SQLException {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
