package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;
import dev.sluice.sinks.warehouse.FaultInjectingConnectionProvider.Fault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Source positions in the ledger, against a real PostgreSQL: written in the load's transaction (so
 * they commit or vanish with its rows), never moved back, read per stream by {@link
 * LedgerResumePositions}, shown by the {@code sluice_ledger_positions} view.
 */
class LoadLedgerPositionsTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final String SEQ_99 = "99";
    private static final String SEQ_LONG =
            "49590338271490256608559692538361571095921575989136588802";
    private static final StreamShard A = new StreamShard("events", "shardId-000000000000");
    private static final StreamShard B = new StreamShard("events", "shardId-000000000001");
    private static final StreamShard OTHER = new StreamShard("other", "shardId-000000000000");

    @TempDir Path tempDir;

    private EventsTable table;
    private StagedFiles staged;

    @BeforeEach
    void createTable() throws Exception {
        table = EventsTable.create(POSTGRES, "positions");
        staged = new StagedFiles(tempDir.resolve("data"));
    }

    @Test
    void positionsAreWrittenWithTheLoadAndNeverMoveBack() throws Exception {
        WarehouseLoader loader = loader(table.loaderConfig(tempDir.resolve("m")).build());
        loader.load(
                metadata(1, Map.of(A, pos("100", 0), B, pos("7", 2))),
                List.of(staged.rows("a.json.gz", 0, 3)));
        loader.load(
                metadata(2, Map.of(A, pos(SEQ_99, 5), B, pos("7", 3), OTHER, pos(SEQ_LONG, 0))),
                List.of(staged.rows("b.json.gz", 3, 2)));

        SourcePositions events =
                new LedgerResumePositions(table.loaderConfig(tempDir.resolve("m")).build())
                        .read("events");
        assertThat(events.asMap())
                .as("A stays at 100 (99 is behind it as a number); B moves to its next user record")
                .containsExactly(Map.entry(A, pos("100", 0)), Map.entry(B, pos("7", 3)));
        assertThat(viewRows())
                .containsExactly(
                        "events/shardId-000000000000 100.0 checkpoint 1",
                        "events/shardId-000000000001 7.3 checkpoint 2",
                        "other/shardId-000000000000 " + SEQ_LONG + ".0 checkpoint 2");
    }

    @Test
    void aLoadThatDoesNotCommitLeavesNoPositionAndItsRetryWritesThem() throws Exception {
        FaultInjectingConnectionProvider failing =
                new FaultInjectingConnectionProvider(
                        table.loaderConfig(tempDir.resolve("m")).build().connectionProvider(),
                        Fault.BEFORE_COMMIT);
        WarehouseLoader loader =
                loader(
                        table.loaderConfig(tempDir.resolve("m"))
                                .connectionProvider(failing)
                                .build());
        List<StagedFile> files = List.of(staged.rows("a.json.gz", 0, 3));
        LoadMetadata metadata = metadata(1, Map.of(A, pos("100", 0)));

        assertThatThrownBy(() -> loader.load(metadata, files)).hasMessageContaining("Injected");
        assertThat(viewRows()).isEmpty();

        loader.load(metadata, files);
        assertThat(viewRows()).containsExactly("events/shardId-000000000000 100.0 checkpoint 1");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + table.table())).isEqualTo(3);
    }

    @Test
    void aLoadWhoseFilesAreAllLoadedAlreadyWritesNoPosition() throws Exception {
        WarehouseLoader loader = loader(table.loaderConfig(tempDir.resolve("m")).build());
        List<StagedFile> files = List.of(staged.rows("a.json.gz", 0, 3));
        loader.load(metadata(1, Map.of(A, pos("100", 0))), files);

        LoadResult replay = loader.load(metadata(1, Map.of(A, pos("200", 0))), files);

        assertThat(replay.loaded()).isFalse();
        assertThat(viewRows()).containsExactly("events/shardId-000000000000 100.0 checkpoint 1");
    }

    @Test
    void aLedgerWithoutThePositionsTableKnowsNoPositionsAndGetsItOnTheNextLoad() throws Exception {
        WarehouseLoaderConfig config = table.loaderConfig(tempDir.resolve("m")).build();
        assertThat(new LedgerResumePositions(config).read("events").isEmpty()).isTrue();
        WarehouseLoader loader = loader(config);
        loader.load(LoadMetadata.of(1), List.of(staged.rows("a.json.gz", 0, 1)));
        POSTGRES.execute(
                "DROP VIEW "
                        + table.schema()
                        + "."
                        + LoadLedger.POSITIONS_VIEW
                        + ";"
                        + " DROP TABLE "
                        + table.schema()
                        + "."
                        + LoadLedger.POSITIONS_TABLE);

        loader(config).load(metadata(2, Map.of(A, pos("5", 0))), List.of(staged.rows("b", 1, 1)));

        assertThat(new LedgerResumePositions(config).read("events").asMap())
                .containsExactly(Map.entry(A, pos("5", 0)));
    }

    private static WarehouseLoader loader(WarehouseLoaderConfig config) {
        return new WarehouseLoader(config);
    }

    private static SourcePosition pos(String sequenceNumber, long sub) {
        return new SourcePosition(sequenceNumber, sub, 1_764_560_000_000L);
    }

    private static LoadMetadata metadata(long checkpoint, Map<StreamShard, SourcePosition> map) {
        return new LoadMetadata(checkpoint, "job", null, new SourcePositions(map));
    }

    private List<String> viewRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT stream_name, shard_id, loaded_through_sequence_number,"
                                        + " sub_sequence_number, checkpoint_id,"
                                        + " loaded_through_arrival FROM "
                                        + table.schema()
                                        + "."
                                        + LoadLedger.POSITIONS_VIEW
                                        + " ORDER BY stream_name, shard_id")) {
            while (rs.next()) {
                assertThat(rs.getTimestamp(6)).isNotNull();
                rows.add(
                        rs.getString(1)
                                + "/"
                                + rs.getString(2)
                                + " "
                                + rs.getString(3)
                                + "."
                                + rs.getLong(4)
                                + " checkpoint "
                                + rs.getLong(5));
            }
        } catch (org.postgresql.util.PSQLException e) {
            if (e.getMessage().contains("does not exist")) {
                return rows;
            }
            throw e;
        }
        return rows;
    }
}
