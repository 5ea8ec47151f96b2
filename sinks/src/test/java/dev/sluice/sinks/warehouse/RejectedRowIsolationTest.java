package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.warehouse.FaultInjectingConnectionProvider.Fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Load-time isolation against a real PostgreSQL: rows the table refuses go to {@code
 * errors/load-rejected/} with their file, line and column, every other row of the load goes in
 * once, in the same ledger transaction, and nothing reaches {@code errors/load-failed/}.
 */
class RejectedRowIsolationTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path directory;

    private StagedFiles staged;
    private EventsTable table;
    private String schema;

    @BeforeEach
    void createTargetTable() throws SQLException {
        staged = new StagedFiles(directory.resolve("data"));
        table = EventsTable.create(POSTGRES, "rejects");
        schema = table.schema();
        POSTGRES.execute("ALTER TABLE " + table.table() + " ADD COLUMN at timestamp");
    }

    @Test
    void poisonValuesAmongGoodRowsAreRejectedAloneAndEveryGoodRowLoadsOnce() throws Exception {
        StagedFile a =
                staged.gzip(
                        "a.json.gz",
                        good(1),
                        "{\"id\":2,\"name\":\"epoch-millis\",\"at\":1763719800000}",
                        good(3),
                        "",
                        "{\"id\":\"12abc\",\"name\":\"not-a-number\"}",
                        good(5));
        StagedFile b =
                staged.gzip(
                        "b.json.gz",
                        "{\"id\":1e400,\"name\":\"too-big\"}",
                        good(7),
                        "{\"id\":8,\"name\":\"nul\\u0000byte\"}",
                        "{\"id\":{\"nested\":1},\"name\":\"object\"}",
                        "not json at all",
                        "{\"id\":11,\"name\":\"bad-date\",\"at\":\"2026-13-45T25:61:00Z\"}",
                        good(12));

        LoadResult result = loader().load(1, List.of(a, b));

        assertThat(result.loaded()).isTrue();
        assertThat(result.rows()).isEqualTo(5);
        assertThat(result.rejectedRows()).isEqualTo(7);
        assertThat(ids()).containsExactly(1L, 3L, 5L, 7L, 12L);
        assertThat(count(LoadLedger.FILES_TABLE)).as("both files recorded").isEqualTo(2);

        List<JsonNode> rejected = rejectedEnvelopes();
        assertThat(rejected)
                .extracting(
                        n ->
                                n.path("stagedFile").asText()
                                        + ":"
                                        + n.path("line").asLong()
                                        + ":"
                                        + n.path("column").asText(null))
                .containsExactlyInAnyOrder(
                        a.url() + ":2:at",
                        a.url() + ":5:id",
                        b.url() + ":1:id",
                        // PostgreSQL rejects a NUL byte while reading the row, before any column.
                        b.url() + ":3:null",
                        b.url() + ":4:id",
                        // Not JSON: refused by the transcoder, which has no column to name.
                        b.url() + ":5:null",
                        b.url() + ":6:at");
        for (JsonNode n : rejected) {
            assertThat(n.path("errorCode").asText()).isEqualTo("LoadRejected");
            assertThat(n.path("errorMessage").asText()).isNotBlank();
            assertThat(n.path("table").asText()).isEqualTo(table.table());
        }
        assertThat(rawLines(rejected))
                .as("the raw staged line is kept for replay")
                .contains(
                        "{\"id\":2,\"name\":\"epoch-millis\",\"at\":1763719800000}",
                        "not json at all");
        assertThat(Files.exists(directory.resolve("errors/load-failed"))).isFalse();
    }

    @Test
    void tenThousandGoodRowsLoadOnceAroundPoisonRowsSpreadThroughTwoFiles() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int id = 1; id <= 10_000; id++) {
            (id <= 5_000 ? first : second).add(good(id));
            if (id % 1_500 == 0) {
                (id <= 5_000 ? first : second)
                        .add("{\"id\":" + (100_000 + id) + ",\"at\":" + (1763719800L + id) + "}");
            }
        }
        StagedFile a = staged.gzip("a.json.gz", first.toArray(new String[0]));
        StagedFile b = staged.gzip("b.json.gz", second.toArray(new String[0]));

        LoadResult result = loader().load(1, List.of(a, b));

        assertThat(result.rows()).isEqualTo(10_000);
        assertThat(result.rejectedRows()).isEqualTo(6);
        assertThat(ids()).hasSize(10_000).doesNotHaveDuplicates().allMatch(id -> id <= 10_000);
        assertThat(rejectedEnvelopes())
                .hasSize(6)
                .allSatisfy(n -> assertThat(n.path("column").asText()).isEqualTo("at"));
    }

    @Test
    void aCrashBetweenWritingTheRejectedRowsAndTheCommitWritesThemOnce() throws Exception {
        List<StagedFile> files =
                List.of(
                        staged.gzip("a.json.gz", good(1), "{\"id\":\"x\"}", good(3)),
                        staged.gzip("b.json.gz", "{\"id\":\"y\"}", good(5)));
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(postgres(), Fault.BEFORE_COMMIT);
        WarehouseLoader loader = loader(failing);

        assertThatThrownBy(() -> loader.load(1, files)).hasMessageContaining("Injected");
        assertThat(failing.fired()).isTrue();
        assertThat(ids()).isEmpty();
        assertThat(rejectedEnvelopes()).as("written before the commit").hasSize(2);

        // Regrouped, as a restore may hand them over: b alone, then both.
        loader.load(2, List.of(files.get(1)));
        LoadResult again = loader.load(2, files);
        LoadResult once = loader.load(3, files);

        assertThat(again.rejectedRows()).isEqualTo(1);
        assertThat(once.loaded()).isFalse();
        assertThat(ids()).containsExactly(1L, 3L, 5L);
        assertThat(rejectedEnvelopes())
                .extracting(n -> n.path("stagedFile").asText() + ":" + n.path("line").asLong())
                .containsExactlyInAnyOrder(files.get(0).url() + ":2", files.get(1).url() + ":1");
    }

    @Test
    void aLoadWithMoreRejectedRowsThanTheLimitIsWrittenOffWhole() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= WarehouseLoader.MAX_REJECTED_ROWS; i++) {
            lines.add("{\"id\":\"bad-" + i + "\"}");
        }
        lines.add(good(1));
        StagedFile bad = staged.gzip("bad.json.gz", lines.toArray(new String[0]));

        assertThatThrownBy(() -> loader().load(1, List.of(bad)))
                .isInstanceOf(LoadRejectedException.class)
                .hasMessageContaining("More than " + WarehouseLoader.MAX_REJECTED_ROWS + " rows")
                .satisfies(
                        e ->
                                assertThat(LoadFailureClassifier.classify(e))
                                        .isEqualTo(LoadFailureClassifier.Kind.DATA));
        assertThat(ids()).isEmpty();
        assertThat(rejectedEnvelopes()).isEmpty();
    }

    private static String good(int id) {
        return "{\"id\":" + id + ",\"name\":\"row-" + id + "\",\"at\":\"2026-11-21T10:00:00Z\"}";
    }

    private WarehouseLoader loader() {
        return loader(postgres());
    }

    private WarehouseLoader loader(JdbcConnectionProvider provider) {
        return new WarehouseLoader(
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(WarehouseDialect.named("postgres"))
                                        .targetTable(table.table())
                                        .columns(List.of("id", "name", "at"))
                                        .build())
                        .ledger(table.ledger(directory.resolve("manifests")).build())
                        .connectionProvider(provider)
                        .build());
    }

    private static JdbcConnectionProvider postgres() {
        return new DriverManagerConnectionProvider(
                POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password);
    }

    /** Every line of every object under errors/load-rejected/, also read as error envelopes. */
    private List<JsonNode> rejectedEnvelopes() throws IOException {
        return RejectedEnvelopes.under(directory);
    }

    private static List<String> rawLines(List<JsonNode> envelopes) {
        return envelopes.stream().map(RejectedEnvelopes::raw).collect(Collectors.toList());
    }

    private List<Long> ids() throws SQLException {
        return table.ids();
    }

    private long count(String ledgerTable) throws SQLException {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT count(*) FROM " + schema + "." + ledgerTable)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
