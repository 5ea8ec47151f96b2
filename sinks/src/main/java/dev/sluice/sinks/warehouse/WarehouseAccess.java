package dev.sluice.sinks.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Asks the warehouse, before any load, whether a load could go through: the target table and each
 * configured column exist, the user may COPY into the table, and may create or write the ledger.
 * Read-only: it creates, locks and inserts nothing, so it may run beside a running job.
 *
 * <p>Both dialects answer the same SQL: {@code information_schema.columns}, {@code
 * current_schema()} and the {@code has_*_privilege} functions exist in PostgreSQL and in Redshift
 * (Developer Guide, "HAS_TABLE_PRIVILEGE": SELECT, INSERT, UPDATE, DELETE, DROP, REFERENCES;
 * "HAS_SCHEMA_PRIVILEGE"; "HAS_DATABASE_PRIVILEGE"). COPY needs INSERT on the table (Developer
 * Guide, "COPY": "to use COPY, you must have INSERT privilege"); {@code information_schema.columns}
 * lists only columns the user has some privilege on, so a table the user may not see at all reads
 * as missing, and the finding says so.
 */
public final class WarehouseAccess {

    /** What a {@link Finding} is about; the caller maps it to its configuration key. */
    public enum Subject {
        TABLE,
        COLUMNS,
        INSERT_PRIVILEGE,
        LEDGER
    }

    /**
     * One problem found.
     *
     * @param subject what it is about
     * @param problem what is wrong, one sentence without values of secrets
     * @param remedy what to do about it
     */
    public record Finding(Subject subject, String problem, String remedy) {}

    /** The columns of a table; the schema argument may be null for the search path's first. */
    static final String COLUMNS_SQL =
            "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = COALESCE(?, current_schema()) AND table_name = ?";

    static final String TABLE_PRIVILEGE_SQL = "SELECT has_table_privilege(?, ?)";

    static final String SCHEMA_PRIVILEGE_SQL = "SELECT has_schema_privilege(?, 'CREATE')";

    static final String DATABASE_PRIVILEGE_SQL =
            "SELECT has_database_privilege(current_database(), 'CREATE')";

    private final CopyTarget target;
    private final LoadLedger ledger;

    public WarehouseAccess(CopyTarget target, LoadLedger ledger) {
        this.target = Objects.requireNonNull(target, "target");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Everything a load needs that is missing; empty when a load could go through. */
    public List<Finding> check(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        TableName table = target.table();
        Set<String> present = columns(connection, table);
        if (present.isEmpty()) {
            findings.add(
                    new Finding(
                            Subject.TABLE,
                            "table "
                                    + table
                                    + " does not exist, or this user has no privilege on it",
                            "create it, or grant INSERT on it to this user"));
        } else {
            List<String> missing = new ArrayList<>();
            for (String column : target.columns()) {
                if (!present.contains(column)) {
                    missing.add(column);
                }
            }
            if (!missing.isEmpty()) {
                findings.add(
                        new Finding(
                                Subject.COLUMNS,
                                "table "
                                        + table
                                        + " has no column"
                                        + (missing.size() > 1 ? "s " : " ")
                                        + String.join(", ", missing),
                                "add "
                                        + (missing.size() > 1 ? "them" : "it")
                                        + " to the table or remove "
                                        + (missing.size() > 1 ? "them" : "it")
                                        + " from the list"));
            }
            if (!tablePrivilege(connection, table.quoted(), "INSERT")) {
                findings.add(
                        new Finding(
                                Subject.INSERT_PRIVILEGE,
                                "this user may not INSERT into " + table + ", which COPY needs",
                                "GRANT INSERT ON " + table.quoted() + " TO the loader's user"));
            }
        }
        findings.addAll(ledgerFindings(connection));
        return findings;
    }

    /**
     * The ledger tables must be readable and writable where they exist, and creatable where not, as
     * must the target's lock table, which {@link LoadLedger#ensureLockTable} creates on the first
     * load.
     */
    private List<Finding> ledgerFindings(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<String> toCreate = new ArrayList<>();
        for (String name : List.of(LoadLedger.LEDGER_TABLE, LoadLedger.FILES_TABLE)) {
            if (!ledger.tableExists(connection, name)) {
                toCreate.add(name);
                continue;
            }
            String quoted =
                    SqlIdentifiers.quote(ledger.schema()) + '.' + SqlIdentifiers.quote(name);
            for (String privilege : List.of("SELECT", "INSERT")) {
                if (!tablePrivilege(connection, quoted, privilege)) {
                    findings.add(
                            new Finding(
                                    Subject.LEDGER,
                                    "this user may not "
                                            + privilege
                                            + " on the ledger table "
                                            + quoted,
                                    "GRANT SELECT, INSERT ON " + quoted + " TO the loader's user"));
                }
            }
        }
        if (!ledger.tableExists(connection, LoadLedger.lockTableName(target.table()))) {
            toCreate.add(LoadLedger.lockTableName(target.table()));
        }
        if (!toCreate.isEmpty()) {
            boolean schemaExists = ledger.schemaExists(connection);
            boolean mayCreate =
                    schemaExists
                            ? schemaPrivilege(connection, ledger.schema())
                            : databasePrivilege(connection);
            if (!mayCreate) {
                findings.add(
                        new Finding(
                                Subject.LEDGER,
                                "the first load creates "
                                        + String.join(", ", toCreate)
                                        + " in schema "
                                        + ledger.schema()
                                        + (schemaExists ? "" : " (which does not exist)")
                                        + ", but this user may not create "
                                        + (schemaExists ? "tables there" : "schemas"),
                                "grant CREATE on "
                                        + (schemaExists ? "that schema" : "the database")
                                        + ", or have an administrator create them ahead"
                                        + " (LoadLedger.createStatements, createLockTable)"));
            }
        }
        return findings;
    }

    private static Set<String> columns(Connection connection, TableName table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (PreparedStatement query = connection.prepareStatement(COLUMNS_SQL)) {
            if (table.schema() == null) {
                query.setNull(1, Types.VARCHAR);
            } else {
                query.setString(1, table.schema());
            }
            query.setString(2, table.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }

    private static boolean tablePrivilege(
            Connection connection, String quotedTable, String privilege) throws SQLException {
        return bool(connection, TABLE_PRIVILEGE_SQL, quotedTable, privilege);
    }

    private static boolean schemaPrivilege(Connection connection, String schema)
            throws SQLException {
        return bool(connection, SCHEMA_PRIVILEGE_SQL, schema);
    }

    private static boolean databasePrivilege(Connection connection) throws SQLException {
        return bool(connection, DATABASE_PRIVILEGE_SQL);
    }

    private static boolean bool(Connection connection, String sql, String... arguments)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                query.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
