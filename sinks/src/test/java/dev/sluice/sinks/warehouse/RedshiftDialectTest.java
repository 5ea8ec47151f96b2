package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No Redshift is reachable here, so the SQL text the dialect sends is pinned exactly. */
class RedshiftDialectTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/sluice-copy";

    @Test
    void copyStatementListsColumnsReadsTheManifestWithTheRoleAndAppendsCopyOptionsVerbatim() {
        String sql =
                RedshiftDialect.copyStatement(
                        SqlIdentifiers.table("target table", "Analytics.Events"),
                        SqlIdentifiers.columns("column", List.of("event_id", "user", "payload")),
                        "s3://bucket/sluice/manifests/abc.manifest",
                        ROLE,
                        "JSON 'auto' GZIP TIMEFORMAT 'auto'");

        assertThat(sql)
                .isEqualTo(
                        "COPY \"analytics\".\"events\" (\"event_id\",\"user\",\"payload\")"
                                + " FROM 's3://bucket/sluice/manifests/abc.manifest'"
                                + " IAM_ROLE 'arn:aws:iam::123456789012:role/sluice-copy'"
                                + " MANIFEST JSON 'auto' GZIP TIMEFORMAT 'auto'");
    }

    @Test
    void theCopyCarriesMaxErrorOfTheBudgetPlusOneAfterTheConfiguredOptions() {
        CopyTarget.Builder target =
                CopyTarget.builder()
                        .dialect(WarehouseDialect.REDSHIFT)
                        .targetTable("analytics.events")
                        .columns(List.of("id"))
                        .iamRole(ROLE)
                        .copyOptions("JSON 'auto' GZIP TIMEFORMAT 'auto'");
        String prefix =
                "COPY \"analytics\".\"events\" (\"id\") FROM 's3://b/m.manifest'"
                        + " IAM_ROLE 'arn:aws:iam::123456789012:role/sluice-copy' MANIFEST";

        assertThat(RedshiftDialect.copyStatement(target.build(), "s3://b/m.manifest"))
                .as("the default budget, 100")
                .isEqualTo(prefix + " JSON 'auto' GZIP TIMEFORMAT 'auto' MAXERROR 101");
        assertThat(
                        RedshiftDialect.copyStatement(
                                target.maxRejectedRows(0).build(), "s3://b/m.manifest"))
                .as("budget 0: Redshift's own default, fail on the first error")
                .isEqualTo(prefix + " JSON 'auto' GZIP TIMEFORMAT 'auto'");
        assertThat(
                        RedshiftDialect.copyStatement(
                                target.maxRejectedRows(100)
                                        .copyOptions(null)
                                        .stagingFormat(
                                                dev.sluice.sinks.s3.format.FileFormat.parquet(
                                                        "{\"type\":\"record\",\"name\":\"E\","
                                                                + "\"fields\":[{\"name\":\"id\","
                                                                + "\"type\":\"long\"}]}",
                                                        dev.sluice.sinks.s3.format.Compression
                                                                .SNAPPY))
                                        .build(),
                                "s3://b/m.manifest"))
                .as("Redshift takes no MAXERROR for columnar files")
                .doesNotContain("MAXERROR");
        assertThatThrownBy(() -> target.maxRejectedRows(100_000).build())
                .hasMessage("The rejected-row budget must be between 0 and 99999, but is 100000");
    }

    @Test
    void quotesAndBackslashesInLiteralsAreEscaped() {
        String sql =
                RedshiftDialect.copyStatement(
                        SqlIdentifiers.table("target table", "events"),
                        List.of(),
                        "s3://bucket/it's\\here/x.manifest",
                        "arn:aws:iam::123456789012:role/o'brien",
                        "");

        assertThat(sql)
                .isEqualTo(
                        "COPY \"events\" FROM 's3://bucket/it''s\\\\here/x.manifest'"
                                + " IAM_ROLE 'arn:aws:iam::123456789012:role/o''brien' MANIFEST");
    }

    @Test
    void defaultRoleIsWrittenAsTheKeywordNotALiteral() {
        assertThat(
                        RedshiftDialect.copyStatement(
                                SqlIdentifiers.table("target table", "s.t"),
                                List.of("a"),
                                "s3://b/m.manifest",
                                "DEFAULT",
                                "JSON 'auto'"))
                .isEqualTo(
                        "COPY \"s\".\"t\" (\"a\") FROM 's3://b/m.manifest' IAM_ROLE default"
                                + " MANIFEST JSON 'auto'");
    }

    @Test
    void lockTakesTheTargetsOwnLockTableNotTheLedgerAndLedgerTablesGetSortKeys() {
        LoadLedger ledger = new LoadLedger("ops", WarehouseDialect.REDSHIFT);
        TableName events = SqlIdentifiers.table("t", "analytics.events");

        String lockTable = ledger.lockTable(events);
        assertThat(lockTable).matches("\"ops\"\\.\"sluice_lock_[0-9a-f]{16}\"");
        assertThat(lockTable)
                .isEqualTo(new LoadLedger("ops", WarehouseDialect.POSTGRES).lockTable(events))
                .isNotEqualTo(ledger.lockTable(SqlIdentifiers.table("t", "analytics.orders")));
        assertThat(WarehouseDialect.REDSHIFT.lockStatement(lockTable))
                .isEqualTo("LOCK " + lockTable)
                .doesNotContain(LoadLedger.LEDGER_TABLE);
        assertThat(ledger.createLockTable(events))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS "
                                + lockTable
                                + " (target_table varchar(300) NOT NULL)");
        assertThat(ledger.createStatements())
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS \"ops\".\"sluice_load_ledger\" (load_id"
                                + " varchar(64) NOT NULL, target_table varchar(300) NOT NULL,"
                                + " manifest_url varchar(2048) NOT NULL, checkpoint_id bigint"
                                + " NOT NULL, file_count integer NOT NULL, row_count bigint NOT"
                                + " NULL, byte_count bigint NOT NULL, loaded_at timestamp NOT"
                                + " NULL, job_id varchar(64), started_at timestamp,"
                                + " event_time_watermark timestamp, rejected_row_count bigint)"
                                + " SORTKEY (target_table, checkpoint_id)",
                        "CREATE TABLE IF NOT EXISTS \"ops\".\"sluice_loaded_files\" (target_table"
                                + " varchar(300) NOT NULL, file_url varchar(2048) NOT NULL,"
                                + " load_id varchar(64) NOT NULL, size_bytes bigint NOT NULL)"
                                + " SORTKEY (target_table, file_url)",
                        "CREATE OR REPLACE VIEW \"ops\".\"sluice_completeness\" AS SELECT"
                                + " target_table, max(event_time_watermark) AS complete_through,"
                                + " max(loaded_at) AS last_loaded_at, max(checkpoint_id) AS"
                                + " last_checkpoint_id, count(*) AS loads, sum(row_count) AS"
                                + " row_count, sum(byte_count) AS byte_count,"
                                + " sum(rejected_row_count) AS rejected_row_count FROM"
                                + " \"ops\".\"sluice_load_ledger\" GROUP BY target_table",
                        "CREATE TABLE IF NOT EXISTS \"ops\".\"sluice_source_positions\""
                                + " (target_table varchar(300) NOT NULL, stream_name varchar(128)"
                                + " NOT NULL, shard_id varchar(128) NOT NULL, sequence_number"
                                + " varchar(160) NOT NULL, sub_sequence_number bigint NOT NULL,"
                                + " arrival_time timestamp, checkpoint_id bigint NOT NULL,"
                                + " load_id varchar(64) NOT NULL, job_id varchar(64),"
                                + " updated_at timestamp NOT NULL)"
                                + " SORTKEY (target_table, stream_name, shard_id)",
                        "CREATE OR REPLACE VIEW \"ops\".\"sluice_ledger_positions\" AS SELECT"
                                + " target_table, stream_name, shard_id, sequence_number AS"
                                + " loaded_through_sequence_number, sub_sequence_number,"
                                + " arrival_time AS loaded_through_arrival, updated_at,"
                                + " checkpoint_id, load_id, job_id FROM"
                                + " \"ops\".\"sluice_source_positions\"");
    }

    /**
     * Both dialects move positions with the same plain UPDATE and INSERT, under the target's lock:
     * no {@code ON CONFLICT} (Redshift has none) and no {@code GREATEST} over sequence numbers (too
     * long for a Redshift DECIMAL; they are compared in Java).
     */
    @Test
    void positionsAreMovedByAPlainUpdateAndInsertOnBothDialects() {
        for (WarehouseDialect dialect :
                List.of(WarehouseDialect.REDSHIFT, WarehouseDialect.POSTGRES)) {
            LoadLedger ledger = new LoadLedger("ops", dialect);
            assertThat(ledger.updatePositionSql())
                    .isEqualTo(
                            "UPDATE \"ops\".\"sluice_source_positions\" SET sequence_number = ?,"
                                    + " sub_sequence_number = ?, arrival_time = ?, checkpoint_id ="
                                    + " ?, load_id = ?, job_id = ?, updated_at = ? WHERE"
                                    + " target_table = ? AND stream_name = ? AND shard_id = ?");
            assertThat(ledger.insertPositionSql())
                    .isEqualTo(
                            "INSERT INTO \"ops\".\"sluice_source_positions\" (target_table,"
                                    + " stream_name, shard_id, sequence_number,"
                                    + " sub_sequence_number, arrival_time, checkpoint_id, load_id,"
                                    + " job_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            assertThat(ledger.selectPositionsSql(true))
                    .isEqualTo(
                            "SELECT stream_name, shard_id, sequence_number,"
                                    + " sub_sequence_number, arrival_time FROM"
                                    + " \"ops\".\"sluice_source_positions\" WHERE target_table ="
                                    + " ? AND stream_name = ?");
            assertThat(ledger.updatePositionSql() + ledger.insertPositionSql())
                    .doesNotContain("ON CONFLICT")
                    .doesNotContain("GREATEST");
        }
        assertThat(new LoadLedger("ops", WarehouseDialect.POSTGRES).createPositionsTable())
                .endsWith(
                        "updated_at timestamp NOT NULL,"
                                + " PRIMARY KEY (target_table, stream_name, shard_id))");
    }

    @Test
    void postgresLocksInExclusiveModeAndDeclaresPrimaryKeys() {
        LoadLedger ledger = new LoadLedger("public", WarehouseDialect.POSTGRES);

        TableName events = SqlIdentifiers.table("t", "public.events");
        assertThat(WarehouseDialect.POSTGRES.lockStatement(ledger.lockTable(events)))
                .isEqualTo("LOCK TABLE " + ledger.lockTable(events) + " IN EXCLUSIVE MODE");
        assertThat(ledger.createStatements().get(0))
                .endsWith(
                        "event_time_watermark timestamp, rejected_row_count bigint,"
                                + " PRIMARY KEY (target_table, load_id))");
        assertThat(ledger.createStatements().get(1))
                .endsWith("size_bytes bigint NOT NULL, PRIMARY KEY (target_table, file_url))");
        assertThat(
                        PostgresDialect.copyStatement(
                                SqlIdentifiers.table("t", "s.events"), List.of("id", "user")))
                .isEqualTo(
                        "COPY \"s\".\"events\" (\"id\",\"user\") FROM STDIN WITH (FORMAT csv, NULL E'\\\\N')");
    }

    @Test
    void flinkS3SchemesAreRewrittenToTheS3SchemeRedshiftReads() {
        assertThat(WarehouseDialect.REDSHIFT.warehouseUrl("s3a://bucket/k/part-0.gz"))
                .isEqualTo("s3://bucket/k/part-0.gz");
        assertThat(WarehouseDialect.REDSHIFT.warehouseUrl("s3p://bucket/k"))
                .isEqualTo("s3://bucket/k");
        assertThat(WarehouseDialect.REDSHIFT.warehouseUrl("s3://bucket/k"))
                .isEqualTo("s3://bucket/k");
        assertThatThrownBy(() -> WarehouseDialect.REDSHIFT.warehouseUrl("file:///tmp/x"))
                .hasMessage(
                        "Redshift COPY reads only from S3, but got \"file:///tmp/x\"; use an s3://"
                                + " path");
    }

    @Test
    void dialectsAreChosenByNameAndUnknownNamesAreRejected() {
        assertThat(WarehouseDialect.named(" Redshift ")).isSameAs(WarehouseDialect.REDSHIFT);
        assertThat(WarehouseDialect.named("postgres")).isSameAs(WarehouseDialect.POSTGRES);
        assertThatThrownBy(() -> WarehouseDialect.named("snowflake"))
                .hasMessage(
                        "Unknown warehouse dialect \"snowflake\": expected postgres or redshift");
    }
}
