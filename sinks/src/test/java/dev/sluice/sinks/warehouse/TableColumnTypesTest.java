package dev.sluice.sinks.warehouse;

import dev.sluice.localstack.PostgresExtension;
import dev.sluice.sinks.s3.format.ColumnType;
import dev.sluice.sinks.s3.format.ColumnTypes;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.JsonLineEncoder;
import dev.sluice.sinks.s3.format.RecordEncoder;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the target table's column types from a real PostgreSQL catalog, the Redshift query as
 * text, and values made to fit by those types actually loading.
 */
class TableColumnTypesTest {

    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path directory;

    private EventsTable table;

    @BeforeEach
    void createTable() throws SQLException {
        table = EventsTable.create(POSTGRES, "types");
        POSTGRES.execute(
                "ALTER TABLE "
                        + table.table()
                        + " ADD COLUMN label varchar(16), ADD COLUMN at timestamp,"
                        + " ADD COLUMN price numeric(6,2), ADD COLUMN clicks integer");
    }

    private JdbcConnectionProvider connections() {
        return new DriverManagerConnectionProvider(
                POSTGRES.jdbcUrl(), POSTGRES.user(), POSTGRES::password);
    }

    private CopyTarget target(List<String> columns, String copyOptions) {
        return table.target().columns(columns).copyOptions(copyOptions).build();
    }

    @Test
    void theCatalogQueriesArePinned() {
        assertThat(TableColumnTypes.query(WarehouseDialect.POSTGRES, new TableName("s", "events")))
                .isEqualTo(
                        "SELECT column_name, data_type, character_maximum_length,"
                                + " numeric_precision, numeric_scale FROM"
                                + " information_schema.columns WHERE table_schema = ? AND"
                                + " table_name = ? ORDER BY ordinal_position");
        assertThat(TableColumnTypes.query(WarehouseDialect.REDSHIFT, new TableName(null, "events")))
                .isEqualTo(
                        "SELECT column_name, data_type, character_maximum_length,"
                                + " numeric_precision, numeric_scale FROM svv_columns WHERE"
                                + " table_schema = current_schema() AND table_name = ? ORDER BY"
                                + " ordinal_position");
    }

    @Test
    void theCopyColumnsAreReadInListOrderWithTheirLimits() {
        ColumnTypes types =
                new TableColumnTypes(
                                connections(),
                                target(
                                        List.of("clicks", "label", "at", "price", "id"),
                                        "JSON 'auto ignorecase' TRUNCATECOLUMNS"))
                        .read();
        assertThat(types.columns())
                .extracting(ColumnType::name, ColumnType::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("clicks", ColumnType.Kind.INTEGER),
                        org.assertj.core.groups.Tuple.tuple("label", ColumnType.Kind.TEXT),
                        org.assertj.core.groups.Tuple.tuple("at", ColumnType.Kind.TIMESTAMP),
                        org.assertj.core.groups.Tuple.tuple("price", ColumnType.Kind.NUMERIC),
                        org.assertj.core.groups.Tuple.tuple("id", ColumnType.Kind.BIGINT));
        assertThat(types.columns().get(1).maxLength()).isEqualTo(16);
        assertThat(types.columns().get(1).lengthInBytes()).isFalse();
        assertThat(types.columns().get(3).describe()).isEqualTo("numeric(6,2)");
        assertThat(types.ignoreCase()).isTrue();
        assertThat(types.truncateColumns()).isTrue();
        assertThat(types.epochsAsTimestamps()).isTrue();
    }

    @Test
    void aMissingTableOrColumnIsOneLineSayingWhich() throws SQLException {
        assertThatThrownBy(
                        () ->
                                new TableColumnTypes(
                                                connections(),
                                                target(List.of("id", "nope"), "JSON 'auto'"))
                                        .read())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Column \"nope\" of the column list is not in table "
                                + table.table()
                                + "; add it to the table or remove it from the list");
        POSTGRES.execute("DROP TABLE " + table.table());
        assertThatThrownBy(
                        () ->
                                new TableColumnTypes(
                                                connections(), target(List.of("id"), "JSON 'auto'"))
                                        .read())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "Table "
                                + table.table()
                                + " does not exist in the warehouse, or its user cannot see it;"
                                + " create it before the job starts");
    }

    @Test
    void anEpochTimeformatLeavesEpochNumbersToTheWarehouse() {
        assertThat(TableColumnTypes.epochTimeFormat(CopyOptions.parse("JSON 'auto' GZIP")))
                .isFalse();
        assertThat(
                        TableColumnTypes.epochTimeFormat(
                                CopyOptions.parse("JSON 'auto' TIMEFORMAT AS 'epochmillisecs'")))
                .isTrue();
        assertThat(
                        TableColumnTypes.epochTimeFormat(
                                CopyOptions.parse("JSON 'auto' TIMEFORMAT 'epochsecs'")))
                .isTrue();
        assertThat(
                        TableColumnTypes.epochTimeFormat(
                                CopyOptions.parse("JSON 'auto' TIMEFORMAT 'auto'")))
                .isFalse();
    }

    @Test
    void valuesMadeToFitLoadAndRefusedOnesNeverReachTheTable() throws Exception {
        CopyTarget target =
                target(List.of("id", "name", "label", "at", "price", "clicks"), "JSON 'auto'");
        RecordEncoder encoder =
                new JsonLineEncoder().typed(new TableColumnTypes(connections(), target).read());
        List<String> staged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String line :
                List.of(
                        "{\"id\":1,\"at\":1763719800000,\"price\":12.345,\"clicks\":\"7\"}",
                        "{\"id\":2,\"at\":1763719800}",
                        "{\"id\":3,\"label\":\"" + "x".repeat(17) + "\"}",
                        "{\"id\":4,\"clicks\":1e400}",
                        "{\"id\":5,\"at\":\"2026-13-45T25:61:00Z\"}",
                        "{\"id\":6,\"name\":\"ok\",\"label\":\"exactly-sixteen!\"}")) {
            try {
                staged.add(
                        new String(
                                encoder.encode(line.getBytes(StandardCharsets.UTF_8)),
                                StandardCharsets.UTF_8));
            } catch (FormatConversionException e) {
                refused.add(e.getMessage());
            }
        }
        assertThat(refused)
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).contains("'label'"))
                .anySatisfy(m -> assertThat(m).contains("'clicks'"))
                .anySatisfy(m -> assertThat(m).contains("'at'"));

        StagedFiles files = new StagedFiles(directory.resolve("data"));
        StagedFile file = files.gzip("typed.json.gz", staged.toArray(new String[0]));
        WarehouseLoaderConfig config =
                table.loaderConfig(directory.resolve("manifests")).target(target).build();
        try (WarehouseLoader loader = new WarehouseLoader(config)) {
            LoadResult result = loader.load(1, List.of(file));
            assertThat(result.rows()).isEqualTo(3);
            assertThat(result.rejectedRows()).isZero();
        }
        assertThat(
                        POSTGRES.query(
                                "SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI:SS'), price, clicks"
                                        + " FROM "
                                        + table.table()
                                        + " ORDER BY id"))
                .containsExactly(
                        List.of("1", "2025-11-21 10:10:00", "12.35", "7"),
                        java.util.Arrays.asList("2", "2025-11-21 10:10:00", null, null),
                        java.util.Arrays.asList("6", null, null, null));
    }
}
