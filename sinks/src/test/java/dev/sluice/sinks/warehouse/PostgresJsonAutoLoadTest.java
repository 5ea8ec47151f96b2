package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres dialect reproduces Redshift's {@code JSON 'auto'} against typed columns of a real
 * PostgreSQL table: what lands in each column for each kind of JSON value.
 */
class PostgresJsonAutoLoadTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private static final List<String> COLUMNS =
            List.of("id", "user_name", "active", "score", "attrs", "tags", "note", "created_at");

    @TempDir Path directory;

    private StagedFiles staged;
    private String schema;

    @BeforeEach
    void createTargetTable() throws SQLException {
        staged = new StagedFiles(directory.resolve("data"));
        schema = "json_" + SCHEMAS.incrementAndGet();
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute(
                    "CREATE TABLE "
                            + schema
                            + ".events (id integer, user_name text, active boolean,"
                            + " score numeric(10,2), attrs jsonb, tags text, note text,"
                            + " created_at timestamp, untouched text DEFAULT 'default')");
        }
    }

    @Test
    void scalarsNestedValuesMissingAndExtraKeysLandAsRedshiftJsonAutoLoadsThem() throws Exception {
        StagedFile file =
                staged.gzip(
                        "a.gz",
                        "{\"id\":1,\"user_name\":\"ann\",\"active\":true,\"score\":1.50,"
                                + "\"attrs\":{\"k\":[1,2],\"s\":\"v\"},"
                                + "\"tags\":[\"x\",\"y\"],"
                                + "\"note\":\"said \\\"hi\\\", then\\nleft\","
                                + "\"created_at\":\"2024-05-01T12:34:56Z\","
                                + "\"extra\":{\"ignored\":1}}",
                        "{\"id\":2,\"active\":false,\"note\":\"\"}",
                        "",
                        "{\"id\":3,\"user_name\":null,\"score\":-7,"
                                + "\"note\":\"ünïcödé ✓, \\\\ back\"}");

        LoadResult result = loader("JSON 'auto' GZIP").load(1, List.of(file));

        assertThat(result.rows()).isEqualTo(3);
        assertThat(rows())
                .containsExactly(
                        Arrays.asList(
                                "1",
                                "ann",
                                "t",
                                "1.50",
                                "{\"k\": [1, 2], \"s\": \"v\"}",
                                "[\"x\",\"y\"]",
                                "said \"hi\", then\nleft",
                                "2024-05-01 12:34:56",
                                "default"),
                        Arrays.asList("2", null, "f", null, null, null, "", null, "default"),
                        Arrays.asList(
                                "3",
                                null,
                                null,
                                "-7.00",
                                null,
                                null,
                                "ünïcödé ✓, \\ back",
                                null,
                                "default"));
    }

    @Test
    void autoMatchesKeysCaseSensitivelyAndAutoIgnorecaseDoesNot() throws Exception {
        StagedFile file = staged.gzip("a.gz", "{\"ID\":1,\"User_Name\":\"ann\",\"id\":2}");

        loader("JSON 'auto' GZIP").load(1, List.of(file));
        assertThat(rows())
                .extracting(row -> row.subList(0, 2))
                .containsExactly(Arrays.asList("2", null));

        // Forget the first load entirely, so that the same file can be loaded again.
        execute(
                "TRUNCATE "
                        + schema
                        + ".events, "
                        + schema
                        + ".sluice_loaded_files, "
                        + schema
                        + ".sluice_load_ledger");
        loader("JSON 'auto ignorecase' GZIP").load(1, List.of(file));
        // The later of two keys that match the same column wins, as in a JSON object.
        assertThat(rows())
                .extracting(row -> row.subList(0, 2))
                .containsExactly(List.of("2", "ann"));
    }

    @Test
    void emptyAsNullAndBlanksAsNullTurnEmptyAndBlankStringsIntoNull() throws Exception {
        StagedFile file =
                staged.gzip("a.gz", "{\"id\":1,\"user_name\":\"\",\"note\":\"  \",\"tags\":\"x\"}");

        loader("JSON 'auto' GZIP EMPTYASNULL BLANKSASNULL").load(1, List.of(file));

        assertThat(rows().get(0).subList(0, 7))
                .containsExactly("1", null, null, null, null, "x", null);
    }

    @Test
    void uncompressedFilesLoadWhenNeitherTheNameNorTheOptionsSayGzip() throws Exception {
        StagedFile file = staged.plain("a.json", "{\"id\":1}\r\n{\"id\":2}");

        LoadResult result = loader("JSON 'auto'").load(1, List.of(file));

        assertThat(result.rows()).isEqualTo(2);
    }

    @Test
    void aLineOfInvalidUtf8IsRejectedAlone() throws Exception {
        byte[] content =
                "{\"id\":1}\n{\"id\":2,\"note\":\"\u00ff\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(content, content.length);
        int at = new String(content, StandardCharsets.ISO_8859_1).indexOf("\u00c3");
        broken[at] = (byte) 0xff;
        StagedFile file = staged.bytes("a.json", broken);

        LoadResult result = loader("JSON 'auto'").load(1, List.of(file));

        assertThat(result.rows()).isEqualTo(1);
        assertThat(result.rejectedRows()).isEqualTo(1);
    }

    private WarehouseLoader loader(String copyOptions) {
        String password = POSTGRES.password();
        return new WarehouseLoader(
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(WarehouseDialect.named("postgres"))
                                        .targetTable(schema + ".Events")
                                        .columns(COLUMNS)
                                        .copyOptions(copyOptions)
                                        .build())
                        .ledger(
                                LedgerOptions.builder()
                                        .manifestBasePath(
                                                directory.resolve("manifests").toUri().toString())
                                        .ledgerSchema(schema)
                                        .build())
                        .connectionProvider(
                                new DriverManagerConnectionProvider(
                                        POSTGRES.jdbcUrl(), POSTGRES.user(), () -> password))
                        .build());
    }

    private List<List<String>> rows() throws SQLException {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT "
                                        + String.join(",", COLUMNS)
                                        + ", untouched FROM "
                                        + schema
                                        + ".events ORDER BY id")) {
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

    private void execute(String sql) throws SQLException {
        try (Connection connection = POSTGRES.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
