package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code redshift} dialect's isolation after its COPY, run for real against PostgreSQL: only
 * the COPY statement is played by a stand-in. The stand-in does what Redshift documents a COPY with
 * {@code MAXERROR} does (loads the rows it accepts, logs each rejected line to {@code
 * stl_load_errors} under a new query id that {@code pg_last_copy_id()} then returns, outside the
 * transaction, and fails the statement with "Check 'stl_load_errors'" once MAXERROR lines are
 * rejected); the stand-in's {@code stl_load_errors} table and {@code pg_last_copy_id()} function
 * live in a schema on the loader's search path. Everything after that is {@link
 * RedshiftDialect#isolate}, {@link LoadErrorQueries} and {@link WarehouseLoader} as they run on
 * Redshift: reading this COPY's lines back, the budget, the envelopes, the ledger count.
 */
class RedshiftRejectedRowIsolationTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path directory;

    private StagedFiles staged;
    private EventsTable table;
    private String standIn;

    @BeforeEach
    void createTableAndRedshiftStandIns() throws SQLException {
        staged = new StagedFiles(directory.resolve("data"));
        table = EventsTable.create(POSTGRES, "rsiso");
        standIn = table.schema() + "_redshift";
        POSTGRES.execute("CREATE SCHEMA " + standIn);
        // The columns the loader reads, with Redshift's types (Developer Guide, STL_LOAD_ERRORS).
        POSTGRES.execute(
                "CREATE TABLE "
                        + standIn
                        + ".stl_load_errors (query integer, filename char(256), line_number"
                        + " bigint, colname char(127), err_code integer, err_reason char(100),"
                        + " raw_line char(1024))");
        POSTGRES.execute("CREATE TABLE " + standIn + ".last_copy (id integer)");
        POSTGRES.execute("INSERT INTO " + standIn + ".last_copy VALUES (-1)");
        POSTGRES.execute(
                "CREATE FUNCTION "
                        + standIn
                        + ".pg_last_copy_id() RETURNS integer LANGUAGE sql AS"
                        + " 'SELECT id FROM "
                        + standIn
                        + ".last_copy'");
        // An earlier COPY's rejected line: not this COPY's, so never read back.
        logRejected(
                standIn, 7, "s3://elsewhere/old.json.gz", 1, "id", 1207, "Invalid digit", "old");
    }

    @Test
    void theLinesThisCopyRejectedBecomeEnvelopesAndTheRestCommitsWithTheirCount() throws Exception {
        StagedFile a = staged.gzip("a.json.gz", good(1), bad(2), good(3));
        StagedFile b = staged.gzip("b.json.gz", bad(4), good(5));

        LoadResult result = loader(10, 0).load(1, List.of(a, b));

        assertThat(result.rows()).isEqualTo(3);
        assertThat(result.rejectedRows()).isEqualTo(2);
        assertThat(ids()).containsExactly(1L, 3L, 5L);
        assertThat(ledgerRejectedCounts()).containsExactly(2L);
        List<JsonNode> rejected = rejectedEnvelopes();
        assertThat(rejected)
                .extracting(
                        n ->
                                n.path("stagedFile").asText()
                                        + ":"
                                        + n.path("line").asLong()
                                        + ":"
                                        + n.path("column").asText()
                                        + ":"
                                        + n.path("sqlState").asText())
                .containsExactlyInAnyOrder(a.url() + ":2:id:1207", b.url() + ":1:id:1207");
        assertThat(rejected).extracting(n -> raw(n)).containsExactlyInAnyOrder(bad(2), bad(4));
        assertThat(rejected)
                .allSatisfy(
                        n -> {
                            assertThat(n.path("errorCode").asText()).isEqualTo("LoadRejected");
                            assertThat(n.path("errorMessage").asText()).startsWith("column id: ");
                        });
        assertThat(Files.exists(directory.resolve("errors/load-failed"))).isFalse();
    }

    @Test
    void aLineLongerThanTheErrorTableKeepsIsWrittenAsTheTableHoldsIt() throws Exception {
        String longBad = "{\"id\":\"x\",\"name\":\"" + "n".repeat(2000) + "\"}";
        StagedFile a = staged.gzip("a.json.gz", good(1), longBad);

        loader(10, 0).load(1, List.of(a));

        List<JsonNode> rejected = rejectedEnvelopes();
        assertThat(rejected).hasSize(1);
        assertThat(raw(rejected.get(0))).hasSize(1024).isEqualTo(longBad.substring(0, 1024));
    }

    @Test
    void moreRejectedLinesThanTheBudgetFailTheCopyAndWriteTheLoadOffWhole() throws Exception {
        StagedFile a = staged.gzip("a.json.gz", bad(1), good(2), bad(3), bad(4));

        assertThatThrownBy(() -> loader(2, 0).load(1, List.of(a)))
                .isInstanceOf(LoadRejectedException.class)
                .hasMessageContaining("More than 2 rows of this load were rejected")
                .hasMessageContaining("MAXERROR 3")
                .satisfies(
                        e -> {
                            assertThat(LoadFailureClassifier.classify(e))
                                    .isEqualTo(LoadFailureClassifier.Kind.DATA);
                            assertThat(((LoadRejectedException) e).details())
                                    .extracting(LoadErrorDetail::line)
                                    .containsExactly(1L, 3L, 4L);
                        });
        assertThat(ids()).isEmpty();
        assertThat(ledgerRejectedCounts()).isEmpty();
        assertThat(rejectedEnvelopes()).isEmpty();
    }

    @Test
    void aCopyReportingMoreRejectedRowsThanTheTablesHoldIsNotCommitted() throws Exception {
        StagedFile a = staged.gzip("a.json.gz", good(1), bad(2));

        assertThatThrownBy(() -> loader(10, 1).load(1, List.of(a)))
                .hasMessageContaining("The COPY reported 2 rejected rows")
                .hasMessageContaining("hold 1");
        assertThat(ids()).isEmpty();
        assertThat(ledgerRejectedCounts()).isEmpty();
    }

    @Test
    void aCrashBeforeTheCommitWritesTheRejectedLinesOnceWhenTheLoadIsRetried() throws Exception {
        StagedFile a = staged.gzip("a.json.gz", good(1), bad(2), good(3));
        WarehouseLoader loader = loader(10, 0);

        assertThatThrownBy(
                        () ->
                                loader.load(
                                        LoadMetadata.of(1),
                                        List.of(a),
                                        step -> {
                                            if (step == LoadStep.COMMIT) {
                                                throw new IllegalStateException("Injected crash");
                                            }
                                        }))
                .hasMessageContaining("Injected");
        assertThat(ids()).isEmpty();
        assertThat(rejectedEnvelopes()).as("written before the commit").hasSize(1);

        LoadResult again = loader.load(2, List.of(a));
        LoadResult once = loader.load(3, List.of(a));

        assertThat(again.rejectedRows()).isEqualTo(1);
        assertThat(once.loaded()).isFalse();
        assertThat(ids()).containsExactly(1L, 3L);
        assertThat(rejectedEnvelopes()).hasSize(1);
        assertThat(ledgerRejectedCounts()).containsExactly(1L);
    }

    @Test
    void aBudgetOfZeroSendsNoMaxErrorAndReadsNothingBack() throws Exception {
        StagedFile a = staged.gzip("a.json.gz", good(1), good(2));

        LoadResult result = loader(0, 0).load(1, List.of(a));

        assertThat(result.rejectedRows()).isZero();
        assertThat(ids()).containsExactly(1L, 2L);
        assertThat(ledgerRejectedCounts()).containsExactly(0L);
    }

    private static String good(int id) {
        return "{\"id\":" + id + ",\"name\":\"row-" + id + "\"}";
    }

    private static String bad(int id) {
        return "{\"id\":\"bad-" + id + "\",\"name\":\"row-" + id + "\"}";
    }

    /**
     * A loader whose COPY is the stand-in: Redshift's own steps before and after it are the real
     * {@link RedshiftDialect} code.
     *
     * @param overReport rows the stand-in's COPY notice claims beyond those it logged
     */
    private WarehouseLoader loader(int budget, int overReport) {
        StandInRedshift dialect = new StandInRedshift(standIn, overReport);
        JdbcConnectionProvider postgres =
                new DriverManagerConnectionProvider(
                        POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password);
        String searchPath = standIn + ", public";
        JdbcConnectionProvider withStandIns =
                () -> {
                    Connection c = postgres.open();
                    try (Statement st = c.createStatement()) {
                        st.execute("SET search_path = " + searchPath);
                    }
                    return c;
                };
        return new WarehouseLoader(
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(dialect)
                                        .targetTable(table.table())
                                        .columns(List.of("id", "name"))
                                        .maxRejectedRows(budget)
                                        .build())
                        .ledger(table.ledger(directory.resolve("manifests")).build())
                        .connectionProvider(withStandIns)
                        .build());
    }

    /**
     * PostgreSQL's dialect for everything but the COPY, which plays Redshift's: the postgres
     * isolation finds which lines the table refuses and loads the others, and the stand-in logs
     * those lines as Redshift would, then hands over to {@link RedshiftDialect#isolate}.
     */
    private static final class StandInRedshift implements WarehouseDialect {
        private static final long serialVersionUID = 1L;
        private final String standIn;
        private final int overReport;

        StandInRedshift(String standIn, int overReport) {
            this.standIn = standIn;
            this.overReport = overReport;
        }

        @Override
        public String name() {
            return "redshift-stand-in";
        }

        @Override
        public int maxIdentifierBytes() {
            return POSTGRES_DIALECT.maxIdentifierBytes();
        }

        @Override
        public void validate(CopyTarget target) {}

        @Override
        public String lockStatement(String quotedLockTable) {
            return POSTGRES_DIALECT.lockStatement(quotedLockTable);
        }

        @Override
        public boolean declaresPrimaryKeys() {
            return true;
        }

        @Override
        public String warehouseUrl(String url) {
            return url;
        }

        @Override
        public long copy(Connection c, CopyTarget t, Manifest m, String url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyResult copyIsolatingRejects(
                Connection connection,
                CopyTarget target,
                Manifest manifest,
                String manifestUrl,
                int maxRejectedRows)
                throws SQLException {
            return RedshiftDialect.isolate(
                    connection,
                    target,
                    maxRejectedRows,
                    () -> copy(connection, target, manifest, manifestUrl, maxRejectedRows));
        }

        @Override
        public List<LoadErrorDetail> loadErrors(Connection connection) {
            return LoadErrorQueries.redshift(connection);
        }

        /** What Redshift's COPY … MAXERROR (budget + 1) does, as documented. */
        private RedshiftDialect.Copied copy(
                Connection connection,
                CopyTarget target,
                Manifest manifest,
                String manifestUrl,
                int maxRejectedRows)
                throws SQLException {
            CopyResult loaded;
            try {
                loaded =
                        POSTGRES_DIALECT.copyIsolatingRejects(
                                connection, target, manifest, manifestUrl, 1_000);
            } catch (IOException e) {
                throw new SQLException(e);
            }
            int query = nextQueryId();
            for (RejectedRow row : loaded.rejected()) {
                logRejected(
                        standIn,
                        query,
                        row.fileUrl(),
                        row.line(),
                        row.column(),
                        1207,
                        "Invalid digit, Value 'b', Pos 0, Type: Long",
                        new String(row.rawLine(), StandardCharsets.UTF_8));
            }
            if (maxRejectedRows == 0 && !loaded.rejected().isEmpty()
                    || loaded.rejected().size() >= maxRejectedRows + 1) {
                throw new SQLException(
                        "Load into table 'events' failed.  Check 'stl_load_errors' system table"
                                + " for details.",
                        "XX000");
            }
            return new RedshiftDialect.Copied(loaded.rows(), loaded.rejected().size() + overReport);
        }

        /** A query id, set as the last COPY's outside the load's transaction, as Redshift does. */
        private int nextQueryId() throws SQLException {
            try (Connection c = RedshiftRejectedRowIsolationTest.POSTGRES.connect();
                    Statement st = c.createStatement()) {
                st.execute("UPDATE " + standIn + ".last_copy SET id = id + 100");
                try (ResultSet rs = st.executeQuery("SELECT id FROM " + standIn + ".last_copy")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }
    }

    private static final WarehouseDialect POSTGRES_DIALECT = WarehouseDialect.POSTGRES;

    /** A row of the stand-in's stl_load_errors, committed on its own connection like a log. */
    static void logRejected(
            String standIn,
            int query,
            String file,
            long line,
            String column,
            int code,
            String reason,
            String raw)
            throws SQLException {
        try (Connection c = POSTGRES.connect();
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO "
                                        + standIn
                                        + ".stl_load_errors VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setInt(1, query);
            insert.setString(2, file);
            insert.setLong(3, line);
            insert.setString(4, column);
            insert.setInt(5, code);
            insert.setString(6, reason.length() > 100 ? reason.substring(0, 100) : reason);
            insert.setString(7, raw.length() > 1024 ? raw.substring(0, 1024) : raw);
            insert.executeUpdate();
        }
    }

    private List<Long> ledgerRejectedCounts() throws SQLException {
        List<Long> counts = new ArrayList<>();
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT rejected_row_count FROM "
                                        + table.schema()
                                        + ".sluice_load_ledger ORDER BY checkpoint_id")) {
            while (rs.next()) {
                counts.add(rs.getLong(1));
            }
        }
        return counts;
    }

    private List<Long> ids() throws SQLException {
        return table.ids();
    }

    private static String raw(JsonNode envelope) {
        return RejectedEnvelopes.raw(envelope);
    }

    private List<JsonNode> rejectedEnvelopes() throws IOException {
        return RejectedEnvelopes.under(directory);
    }
}
