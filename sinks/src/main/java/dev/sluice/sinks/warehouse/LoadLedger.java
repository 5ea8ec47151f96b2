package dev.sluice.sinks.warehouse;

import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;

/**
 * The warehouse-side record of what has been loaded, written in the same transaction as the rows it
 * describes, so the rows and the record commit or vanish together.
 *
 * <p>Two tables in a configurable schema (default {@code public}):
 *
 * <pre>
 * sluice_load_ledger   one row per load: load_id, target_table, manifest_url, checkpoint_id,
 *                      file_count, row_count, byte_count, loaded_at (UTC), and, nullable:
 *                      job_id, started_at (UTC), event_time_watermark (UTC), rejected_row_count
 * sluice_loaded_files  one row per file: target_table, file_url, load_id, size_bytes
 * sluice_completeness  a view: per target table, the event time it is complete through
 * sluice_source_positions  one row per target table, stream and shard: the source position through
 *                      which that shard is loaded (see {@link #recordPositions})
 * sluice_ledger_positions  a view of it for people: where loading stands per shard
 * </pre>
 *
 * <p>The nullable columns came after the first release of the ledger: {@link #ensureTables} adds
 * them to a ledger created without them.
 *
 * <p>Files are keyed per target table, so the same file may be loaded once into each of several
 * tables. Redshift neither enforces unique keys nor has {@code ON CONFLICT}, so correctness comes
 * from the protocol: {@link #lock} the target table's lock table, check {@link #alreadyLoaded},
 * load, {@link #record}, commit. On PostgreSQL the tables also get primary keys, a second guard
 * that turns a protocol bug into a failed load instead of a duplicate. On Redshift exactly-once
 * rests on the lock alone: under SNAPSHOT isolation, the default for new provisioned clusters and
 * Serverless workgroups, two transactions that both read the ledger and insert into it do not
 * conflict, so no serializable isolation error would catch a second load (Amazon Redshift Database
 * Developer Guide, "Isolation levels in Amazon Redshift").
 *
 * <h2>Why a lock table per target table</h2>
 *
 * <p>Redshift has table-level locks only, and {@code LOCK} takes them in ACCESS EXCLUSIVE mode,
 * which blocks readers too (Developer Guide, "LOCK"; Knowledge Center, "table locks blocking my
 * queries": "Amazon Redshift uses table-level locks"); its SELECT has no {@code FOR UPDATE}.
 * Locking the ledger itself would block every reader of the ledger and of {@code
 * sluice_completeness} during each COPY, and would make loads into different tables wait for each
 * other. So each target table gets an empty table of its own, {@code sluice_lock_<hash>} ({@link
 * #lockTable}), that nothing reads, and the loader locks only that one. The lock is the first
 * statement of the load's transaction: Redshift takes a transaction's snapshot at its first SELECT
 * or DML statement, not at {@code LOCK} (same page), so the ledger check after the lock sees every
 * load committed before the lock was granted.
 *
 * <p>{@link #ensureTables} creates only what is missing and checks first, so a database user with
 * no CREATE privilege works against tables an administrator created from {@link
 * #createStatements()}.
 */
public final class LoadLedger {

    private static final Logger LOG = LoggerFactory.getLogger(LoadLedger.class);

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    public static final String LEDGER_TABLE = "sluice_load_ledger";
    public static final String FILES_TABLE = "sluice_loaded_files";
    public static final String POSITIONS_TABLE = "sluice_source_positions";
    public static final String POSITIONS_VIEW = "sluice_ledger_positions";

    /**
     * Kinesis sequence numbers have up to 129 digits (API Reference, {@code Record.SequenceNumber}:
     * {@code 0|([1-9]\d{0,128})}), beyond Redshift's DECIMAL(38): they are stored as text and
     * compared as numbers in Java, under the lock.
     */
    static final int MAX_SEQUENCE_NUMBER_LENGTH = 160;

    /** The lock tables' names start with this; {@link #lockTable} adds a hash of the target. */
    public static final String LOCK_TABLE_PREFIX = "sluice_lock_";

    /** Wide enough for any S3 url: 5 + 63 (bucket) + 1 + 1024 (key) bytes, with room to spare. */
    static final int MAX_URL_LENGTH = 2048;

    /** Urls per {@code IN (…)} query and rows per multi-row INSERT: well under driver limits. */
    private static final int BATCH = 500;

    private final String schema;
    private final WarehouseDialect dialect;

    /**
     * Whether the ledger has the completeness columns; false only for an old ledger that could not
     * be upgraded, whose loads are then recorded without them.
     */
    private volatile boolean completenessColumns = true;

    /**
     * @param schema the ledger's schema, a plain identifier
     */
    public LoadLedger(String schema, WarehouseDialect dialect) {
        this.schema = SqlIdentifiers.identifier("ledger schema", schema);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** {@code "schema"."sluice_load_ledger"}. */
    public String ledgerTable() {
        return SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(LEDGER_TABLE);
    }

    /** {@code "schema"."sluice_loaded_files"}. */
    public String filesTable() {
        return SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(FILES_TABLE);
    }

    /** The DDL of both tables for this dialect, e.g. for an administrator to run ahead. */
    public List<String> createStatements() {
        return List.of(
                createLedgerTable(),
                createFilesTable(),
                createCompletenessView(),
                createPositionsTable(),
                createPositionsView());
    }

    /** {@code "schema"."sluice_source_positions"}. */
    public String positionsTable() {
        return SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(POSITIONS_TABLE);
    }

    /** {@code "schema"."sluice_ledger_positions"}. */
    public String positionsView() {
        return SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(POSITIONS_VIEW);
    }

    String createPositionsTable() {
        return "CREATE TABLE IF NOT EXISTS "
                + positionsTable()
                + " (target_table varchar(300) NOT NULL, stream_name varchar(128) NOT NULL,"
                + " shard_id varchar(128) NOT NULL, sequence_number varchar("
                + MAX_SEQUENCE_NUMBER_LENGTH
                + ") NOT NULL, sub_sequence_number bigint NOT NULL, arrival_time timestamp,"
                + " checkpoint_id bigint NOT NULL, load_id varchar("
                + LoadId.LENGTH
                + ") NOT NULL, job_id varchar(64), updated_at timestamp NOT NULL"
                + (dialect.declaresPrimaryKeys()
                        ? ", PRIMARY KEY (target_table, stream_name, shard_id)"
                        : "")
                + ")"
                + dialect.sortKeyClause("target_table, stream_name, shard_id");
    }

    /**
     * Where loading stands per shard, for people: the table's columns under names that say what
     * they mean. {@code loaded_through_arrival} is the approximate arrival time of the last loaded
     * record, so {@code updated_at - loaded_through_arrival} is roughly how far behind the stream
     * the table was at that load.
     */
    String createPositionsView() {
        return "CREATE OR REPLACE VIEW "
                + positionsView()
                + " AS SELECT target_table, stream_name, shard_id,"
                + " sequence_number AS loaded_through_sequence_number, sub_sequence_number,"
                + " arrival_time AS loaded_through_arrival, updated_at, checkpoint_id, load_id,"
                + " job_id FROM "
                + positionsTable();
    }

    public static final String COMPLETENESS_VIEW = "sluice_completeness";

    /** Columns added to the ledger after its first version, with their types. */
    static final List<String[]> ADDED_LEDGER_COLUMNS =
            List.of(
                    new String[] {"job_id", "varchar(64)"},
                    new String[] {"started_at", "timestamp"},
                    new String[] {"event_time_watermark", "timestamp"},
                    new String[] {"rejected_row_count", "bigint"});

    /** {@code "schema"."sluice_completeness"}. */
    public String completenessView() {
        return SqlIdentifiers.quote(schema) + '.' + SqlIdentifiers.quote(COMPLETENESS_VIEW);
    }

    /**
     * The view answering "through which event time is this table complete?".
     *
     * <p>Loads run in checkpoint order and a checkpoint's watermark promises that every record with
     * an earlier event time was read before it, so the largest watermark among the loads that went
     * in is a time the table is complete through, provided no earlier load is waiting in {@code
     * errors/load-failed/} for a replay. Loads without a watermark (from a pipeline without event
     * time, or replays) do not move it.
     */
    String createCompletenessView() {
        return "CREATE OR REPLACE VIEW "
                + completenessView()
                + " AS SELECT target_table, max(event_time_watermark) AS complete_through,"
                + " max(loaded_at) AS last_loaded_at, max(checkpoint_id) AS last_checkpoint_id,"
                + " count(*) AS loads, sum(row_count) AS row_count, sum(byte_count) AS byte_count,"
                + " sum(rejected_row_count) AS rejected_row_count FROM "
                + ledgerTable()
                + " GROUP BY target_table";
    }

    String createLedgerTable() {
        return "CREATE TABLE IF NOT EXISTS "
                + ledgerTable()
                + " (load_id varchar("
                + LoadId.LENGTH
                + ") NOT NULL, target_table varchar(300) NOT NULL, manifest_url varchar("
                + MAX_URL_LENGTH
                + ") NOT NULL, checkpoint_id bigint NOT NULL, file_count integer NOT NULL,"
                + " row_count bigint NOT NULL, byte_count bigint NOT NULL,"
                + " loaded_at timestamp NOT NULL, job_id varchar(64), started_at timestamp,"
                + " event_time_watermark timestamp, rejected_row_count bigint"
                + (dialect.declaresPrimaryKeys() ? ", PRIMARY KEY (target_table, load_id)" : "")
                + ")"
                + dialect.sortKeyClause("target_table, checkpoint_id");
    }

    String createFilesTable() {
        return "CREATE TABLE IF NOT EXISTS "
                + filesTable()
                + " (target_table varchar(300) NOT NULL, file_url varchar("
                + MAX_URL_LENGTH
                + ") NOT NULL, load_id varchar("
                + LoadId.LENGTH
                + ") NOT NULL, size_bytes bigint NOT NULL"
                + (dialect.declaresPrimaryKeys() ? ", PRIMARY KEY (target_table, file_url)" : "")
                + ")"
                + dialect.sortKeyClause("target_table, file_url");
    }

    /**
     * Creates the schema and tables that do not exist yet, and commits. Safe to race with another
     * loader doing the same: if creating fails but the tables exist afterwards, all is well.
     * Expects auto-commit to be off.
     */
    public void ensureTables(Connection connection) throws SQLException {
        if (exists(connection)) {
            connection.commit();
            ensureAddedColumns(connection);
            ensurePositionsTable(connection);
            return;
        }
        try (Statement statement = connection.createStatement()) {
            if (!schemaExists(connection)) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
            }
            statement.execute(createLedgerTable());
            statement.execute(createFilesTable());
            statement.execute(createCompletenessView());
            connection.commit();
            LOG.info("Created the load ledger tables {} and {}", ledgerTable(), filesTable());
        } catch (SQLException e) {
            connection.rollback();
            if (!exists(connection)) {
                throw e;
            }
            connection.commit();
        }
        ensurePositionsTable(connection);
    }

    /**
     * Creates the positions table and its view if absent (a ledger of an older Sluice has neither),
     * and commits; a concurrent loader doing the same is tolerated.
     */
    private void ensurePositionsTable(Connection connection) throws SQLException {
        if (createIfAbsent(
                connection, POSITIONS_TABLE, createPositionsTable(), createPositionsView())) {
            LOG.info("Created the source positions table {}", positionsTable());
        }
    }

    /**
     * Adds the columns a ledger from an older Sluice lacks, and the view that reads them; each step
     * commits on its own, and a concurrent loader doing the same is tolerated.
     */
    private void ensureAddedColumns(Connection connection) throws SQLException {
        Set<String> present = new HashSet<>();
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT column_name FROM information_schema.columns"
                                + " WHERE table_schema = ? AND table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, LEDGER_TABLE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
        }
        connection.commit();
        boolean added = false;
        boolean complete = true;
        for (String[] column : ADDED_LEDGER_COLUMNS) {
            if (!present.contains(column[0])) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(
                            "ALTER TABLE "
                                    + ledgerTable()
                                    + " ADD COLUMN "
                                    + column[0]
                                    + " "
                                    + column[1]);
                    connection.commit();
                    added = true;
                } catch (SQLException e) {
                    connection.rollback();
                    complete = false;
                    LOG.warn(
                            "Could not add column {} to {}; loads are recorded without the"
                                    + " completeness columns until an administrator adds them",
                            column[0],
                            ledgerTable(),
                            e);
                }
            }
        }
        completenessColumns = complete;
        if (added) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(createCompletenessView());
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                LOG.warn("Could not create the view {}", completenessView(), e);
            }
            LOG.info(
                    "Upgraded the load ledger {} with the columns it lacked of {}",
                    ledgerTable(),
                    ADDED_LEDGER_COLUMNS.stream().map(c -> c[0]).toList());
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        return tableExists(connection, LEDGER_TABLE) && tableExists(connection, FILES_TABLE);
    }

    /** The ledger's schema, unquoted. */
    String schema() {
        return schema;
    }

    boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement(
                        "SELECT 1 FROM pg_catalog.pg_tables"
                                + " WHERE schemaname = ? AND tablename = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * {@code "schema"."sluice_lock_<hash>"}: the lock table of one target table, named by the first
     * 16 hex digits of the SHA-256 of its {@code schema.table} name, so any target name fits in an
     * identifier.
     */
    public String lockTable(TableName targetTable) {
        return SqlIdentifiers.quote(schema)
                + '.'
                + SqlIdentifiers.quote(lockTableName(targetTable));
    }

    static String lockTableName(TableName targetTable) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(
                                    targetTable
                                            .toString()
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return LOCK_TABLE_PREFIX + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** The DDL of a target table's lock table, e.g. for an administrator to run ahead. */
    public String createLockTable(TableName targetTable) {
        return "CREATE TABLE IF NOT EXISTS "
                + lockTable(targetTable)
                + " (target_table varchar(300) NOT NULL)";
    }

    /**
     * Creates the target table's lock table if it does not exist, and commits; like {@link
     * #ensureTables}, it checks first and tolerates a concurrent loader creating it too.
     */
    public void ensureLockTable(Connection connection, TableName targetTable) throws SQLException {
        if (createIfAbsent(connection, lockTableName(targetTable), createLockTable(targetTable))) {
            LOG.info("Created the load lock table {} for {}", lockTable(targetTable), targetTable);
        }
    }

    /**
     * Runs {@code ddl} unless {@code table} exists, and commits; tolerates a concurrent loader
     * creating it too (the DDL fails, and the table exists afterwards).
     *
     * @return whether this call created it
     */
    private boolean createIfAbsent(Connection connection, String table, String... ddl)
            throws SQLException {
        if (tableExists(connection, table)) {
            connection.commit();
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (!tableExists(connection, table)) {
                throw e;
            }
            connection.commit();
            return false;
        }
    }

    /**
     * Takes the target table's load lock until the transaction ends; every loader of that table
     * takes it before its authoritative {@link #alreadyLoaded} check, so two loads of the same file
     * cannot both pass it. It must be the transaction's first statement (see the class comment).
     * Readers of the ledger, of the view and of the target table are not blocked.
     */
    public void lock(Connection connection, TableName targetTable) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.lockStatement(lockTable(targetTable)));
        }
    }

    /** Which of these urls the ledger already holds for the target table. */
    public Set<String> alreadyLoaded(
            Connection connection, TableName targetTable, Collection<String> urls)
            throws SQLException {
        Set<String> loaded = new HashSet<>();
        List<String> all = new ArrayList<>(urls);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + BATCH));
            String sql =
                    "SELECT file_url FROM "
                            + filesTable()
                            + " WHERE target_table = ? AND file_url IN ("
                            + placeholders(chunk.size())
                            + ")";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, targetTable.toString());
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        loaded.add(rows.getString(1));
                    }
                }
            }
        }
        return loaded;
    }

    /**
     * Records a load and each of its files; call after the COPY and before the commit, under {@link
     * #lock}.
     */
    public void record(
            Connection connection,
            TableName targetTable,
            LoadResult load,
            LoadMetadata metadata,
            Instant startedAt,
            Instant loadedAt)
            throws SQLException {
        if (!load.loaded()) {
            throw new IllegalArgumentException("Only a completed load can be recorded: " + load);
        }
        boolean withCompleteness = completenessColumns;
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + ledgerTable()
                                + " (load_id, target_table, manifest_url, checkpoint_id,"
                                + " file_count, row_count, byte_count, loaded_at"
                                + (withCompleteness
                                        ? ", job_id, started_at, event_time_watermark,"
                                                + " rejected_row_count)"
                                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        : ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))) {
            insert.setString(1, load.loadId());
            insert.setString(2, targetTable.toString());
            insert.setString(3, load.manifestUrl());
            insert.setLong(4, load.checkpointId());
            insert.setInt(5, load.files().size());
            insert.setLong(6, load.rows());
            insert.setLong(7, load.bytes());
            insert.setTimestamp(8, Timestamp.from(loadedAt), Calendar.getInstance(UTC));
            if (withCompleteness) {
                insert.setString(9, metadata.jobId());
                insert.setTimestamp(10, Timestamp.from(startedAt), Calendar.getInstance(UTC));
                if (metadata.eventTimeWatermark() == null) {
                    insert.setNull(11, Types.TIMESTAMP);
                } else {
                    insert.setTimestamp(
                            11,
                            Timestamp.from(metadata.eventTimeWatermark()),
                            Calendar.getInstance(UTC));
                }
                insert.setLong(12, load.rejectedRows());
            }
            insert.executeUpdate();
        }
        recordFiles(connection, targetTable, load);
        recordPositions(connection, targetTable, load.loadId(), metadata, loadedAt);
    }

    /**
     * Moves the target table's source positions forward to those of {@code metadata}; a shard's
     * position never moves back. Call under {@link #lock}, in the load's transaction, so that a
     * position is committed exactly when the rows it claims are.
     *
     * <p>Neither dialect needs an upsert: Redshift has no {@code ON CONFLICT} and does not enforce
     * keys, and sequence numbers are too long for a numeric column, so {@code GREATEST} cannot
     * compare them in SQL. Under the lock no other loader of the table writes, so reading the rows,
     * comparing in Java ({@link SourcePosition}) and then updating the rows that move and inserting
     * the shards that are new is as safe as an upsert, and the same SQL on both dialects.
     */
    void recordPositions(
            Connection connection,
            TableName targetTable,
            String loadId,
            LoadMetadata metadata,
            Instant loadedAt)
            throws SQLException {
        SourcePositions positions = metadata.positions();
        if (positions.isEmpty()) {
            return;
        }
        SourcePositions before = readPositions(connection, targetTable, null);
        List<Map.Entry<StreamShard, SourcePosition>> updates = new ArrayList<>();
        List<Map.Entry<StreamShard, SourcePosition>> inserts = new ArrayList<>();
        for (Map.Entry<StreamShard, SourcePosition> entry : positions.asMap().entrySet()) {
            SourcePosition known = before.get(entry.getKey());
            if (known == null) {
                inserts.add(entry);
            } else if (entry.getValue().compareTo(known) > 0) {
                updates.add(entry);
            }
        }
        Timestamp now = Timestamp.from(loadedAt);
        if (!updates.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement(updatePositionSql())) {
                for (Map.Entry<StreamShard, SourcePosition> entry : updates) {
                    int p = setPosition(update, 1, entry.getValue(), metadata, loadId, now);
                    update.setString(p++, targetTable.toString());
                    update.setString(p++, entry.getKey().stream());
                    update.setString(p, entry.getKey().shardId());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(insertPositionSql())) {
                for (Map.Entry<StreamShard, SourcePosition> entry : inserts) {
                    insert.setString(1, targetTable.toString());
                    insert.setString(2, entry.getKey().stream());
                    insert.setString(3, entry.getKey().shardId());
                    setPosition(insert, 4, entry.getValue(), metadata, loadId, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** Sets the position columns from {@code first} on; returns the next parameter index. */
    private static int setPosition(
            PreparedStatement statement,
            int first,
            SourcePosition position,
            LoadMetadata metadata,
            String loadId,
            Timestamp now)
            throws SQLException {
        int p = first;
        statement.setString(p++, position.sequenceNumber());
        statement.setLong(p++, position.subSequenceNumber());
        statement.setTimestamp(
                p++, new Timestamp(position.arrivalMillis()), Calendar.getInstance(UTC));
        statement.setLong(p++, metadata.checkpointId());
        statement.setString(p++, loadId);
        statement.setString(p++, metadata.jobId());
        statement.setTimestamp(p++, now, Calendar.getInstance(UTC));
        return p;
    }

    String updatePositionSql() {
        return "UPDATE "
                + positionsTable()
                + " SET sequence_number = ?, sub_sequence_number = ?, arrival_time = ?,"
                + " checkpoint_id = ?, load_id = ?, job_id = ?, updated_at = ?"
                + " WHERE target_table = ? AND stream_name = ? AND shard_id = ?";
    }

    String insertPositionSql() {
        return "INSERT INTO "
                + positionsTable()
                + " (target_table, stream_name, shard_id, sequence_number, sub_sequence_number,"
                + " arrival_time, checkpoint_id, load_id, job_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    String selectPositionsSql(boolean oneStream) {
        return "SELECT stream_name, shard_id, sequence_number, sub_sequence_number, arrival_time"
                + " FROM "
                + positionsTable()
                + " WHERE target_table = ?"
                + (oneStream ? " AND stream_name = ?" : "");
    }

    /**
     * The source positions through which the target table is loaded, per shard; the positions table
     * must exist.
     *
     * @param stream only this stream's shards; null for every stream
     */
    public SourcePositions readPositions(
            Connection connection, TableName targetTable, @Nullable String stream)
            throws SQLException {
        SourcePositions positions = new SourcePositions();
        try (PreparedStatement query =
                connection.prepareStatement(selectPositionsSql(stream != null))) {
            query.setString(1, targetTable.toString());
            if (stream != null) {
                query.setString(2, stream);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Timestamp arrival = rows.getTimestamp(5, Calendar.getInstance(UTC));
                    positions.advance(
                            new StreamShard(rows.getString(1), rows.getString(2)),
                            new SourcePosition(
                                    rows.getString(3),
                                    rows.getLong(4),
                                    arrival == null ? 0 : arrival.getTime()));
                }
            }
        }
        return positions;
    }

    /** Whether the positions table exists (a ledger no load has touched since an upgrade). */
    public boolean hasPositionsTable(Connection connection) throws SQLException {
        return tableExists(connection, POSITIONS_TABLE);
    }

    private void recordFiles(Connection connection, TableName targetTable, LoadResult load)
            throws SQLException {
        List<StagedFile> files = load.files();
        for (int from = 0; from < files.size(); from += BATCH) {
            List<StagedFile> chunk = files.subList(from, Math.min(files.size(), from + BATCH));
            StringBuilder sql =
                    new StringBuilder("INSERT INTO ")
                            .append(filesTable())
                            .append(" (target_table, file_url, load_id, size_bytes) VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
            }
            try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                int parameter = 1;
                for (StagedFile file : chunk) {
                    insert.setString(parameter++, targetTable.toString());
                    insert.setString(parameter++, file.url());
                    insert.setString(parameter++, load.loadId());
                    insert.setLong(parameter++, file.sizeBytes());
                }
                insert.executeUpdate();
            }
        }
    }

    private static String placeholders(int count) {
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < count; i++) {
            marks.append(i == 0 ? "?" : ", ?");
        }
        return marks.toString();
    }

    @Override
    public String toString() {
        return "LoadLedger{" + ledgerTable() + ", " + filesTable() + ", " + dialect.name() + '}';
    }
}
