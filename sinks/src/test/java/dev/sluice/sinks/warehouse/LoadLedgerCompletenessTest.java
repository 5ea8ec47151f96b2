package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as a completeness record: job id, checkpoint, rows, bytes, timestamps and the
 * event-time watermark per load, and the {@code sluice_completeness} view over them.
 */
class LoadLedgerCompletenessTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path tempDir;

    private EventsTable table;
    private String schema;
    private StagedFiles staged;
    private WarehouseLoader loader;

    @BeforeEach
    void createTable() throws Exception {
        table = EventsTable.create(POSTGRES, "complete");
        schema = table.schema();
        staged = new StagedFiles(tempDir.resolve("data"));
        loader = new WarehouseLoader(table.loaderConfig(tempDir.resolve("manifests")).build());
    }

    @Test
    void theViewSaysTheTableIsCompleteThroughTheLatestLoadedWatermark() throws Exception {
        Instant first = Instant.parse("2026-11-22T05:00:00Z");
        Instant second = Instant.parse("2026-11-22T05:01:00Z");
        loader.load(new LoadMetadata(1, "job-a", first), List.of(staged.rows("a.json.gz", 0, 3)));
        loader.load(new LoadMetadata(2, "job-a", second), List.of(staged.rows("b.json.gz", 3, 4)));
        loader.load(LoadMetadata.of(3), List.of(staged.rows("c.json.gz", 7, 1)));

        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT target_table, complete_through, loads, row_count,"
                                        + " last_checkpoint_id FROM "
                                        + schema
                                        + ".sluice_completeness")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(schema + ".events");
            assertThat(rs.getTimestamp(2).toLocalDateTime().toString())
                    .isEqualTo("2026-11-22T05:01");
            assertThat(rs.getLong(3)).isEqualTo(3);
            assertThat(rs.getLong(4)).isEqualTo(8);
            assertThat(rs.getLong(5)).isEqualTo(3);
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT job_id, started_at <= loaded_at, byte_count > 0 FROM "
                                        + schema
                                        + ".sluice_load_ledger WHERE checkpoint_id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("job-a");
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }

    @Test
    void aLedgerFromBeforeTheCompletenessColumnsIsUpgradedInPlace() throws Exception {
        execute(
                "CREATE TABLE "
                        + schema
                        + ".sluice_load_ledger (load_id varchar(64) NOT NULL, target_table"
                        + " varchar(300) NOT NULL, manifest_url varchar(2048) NOT NULL,"
                        + " checkpoint_id bigint NOT NULL, file_count integer NOT NULL, row_count"
                        + " bigint NOT NULL, byte_count bigint NOT NULL, loaded_at timestamp NOT"
                        + " NULL, PRIMARY KEY (target_table, load_id))");
        createFirstFilesTable();

        loader.load(
                new LoadMetadata(1, "job-b", Instant.parse("2026-11-22T06:00:00Z")),
                List.of(staged.rows("a.json.gz", 0, 2)));

        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT complete_through FROM "
                                        + schema
                                        + ".sluice_completeness")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp(1)).isNotNull();
        }
    }

    @Test
    void aLedgerOfThePreviousSchemaGainsTheRejectedRowCountAndLoadsGoOn() throws Exception {
        // The ledger, files table and view exactly as the previous Sluice created them.
        execute(
                "CREATE TABLE "
                        + schema
                        + ".sluice_load_ledger (load_id varchar(64) NOT NULL, target_table"
                        + " varchar(300) NOT NULL, manifest_url varchar(2048) NOT NULL,"
                        + " checkpoint_id bigint NOT NULL, file_count integer NOT NULL, row_count"
                        + " bigint NOT NULL, byte_count bigint NOT NULL, loaded_at timestamp NOT"
                        + " NULL, job_id varchar(64), started_at timestamp, event_time_watermark"
                        + " timestamp, PRIMARY KEY (target_table, load_id))");
        createFirstFilesTable();
        execute(
                "CREATE VIEW "
                        + schema
                        + ".sluice_completeness AS SELECT target_table,"
                        + " max(event_time_watermark) AS complete_through, max(loaded_at) AS"
                        + " last_loaded_at, max(checkpoint_id) AS last_checkpoint_id, count(*) AS"
                        + " loads, sum(row_count) AS row_count, sum(byte_count) AS byte_count FROM "
                        + schema
                        + ".sluice_load_ledger GROUP BY target_table");
        StagedFile old = staged.rows("old.json.gz", 0, 2);
        execute(
                "INSERT INTO "
                        + schema
                        + ".sluice_load_ledger VALUES ('old-load', '"
                        + schema
                        + ".events', 'file:///m', 1, 1, 2, 10, now(), 'job-a', now(), NULL)");
        execute(
                "INSERT INTO "
                        + schema
                        + ".sluice_loaded_files VALUES ('"
                        + schema
                        + ".events', '"
                        + old.url()
                        + "', 'old-load', "
                        + old.sizeBytes()
                        + ")");

        LoadResult skipped = loader.load(2, List.of(old));
        LoadResult loaded =
                loader.load(
                        3,
                        List.of(
                                staged.gzip(
                                        "new.json.gz",
                                        "{\"id\":5,\"name\":\"five\"}",
                                        "{\"id\":\"not-a-number\"}")));

        assertThat(skipped.loaded()).as("the old ledger's files are still known").isFalse();
        assertThat(loaded.rows()).isEqualTo(1);
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT load_id, rejected_row_count FROM "
                                        + schema
                                        + ".sluice_load_ledger ORDER BY checkpoint_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("old-load");
            assertThat(rs.getObject(2)).as("unknown for loads before the column").isNull();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT loads, row_count, rejected_row_count FROM "
                                        + schema
                                        + ".sluice_completeness")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2);
            assertThat(rs.getLong(2)).isEqualTo(3);
            assertThat(rs.getLong(3)).isEqualTo(1);
        }
    }

    /** The files table as every earlier Sluice created it. */
    private void createFirstFilesTable() throws Exception {
        execute(
                "CREATE TABLE "
                        + schema
                        + ".sluice_loaded_files (target_table varchar(300) NOT NULL, file_url"
                        + " varchar(2048) NOT NULL, load_id varchar(64) NOT NULL, size_bytes"
                        + " bigint NOT NULL, PRIMARY KEY (target_table, file_url))");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
