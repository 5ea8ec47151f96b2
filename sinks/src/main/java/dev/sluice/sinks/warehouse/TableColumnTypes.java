package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.format.ColumnType;
import dev.sluice.sinks.s3.format.ColumnTypes;
import dev.sluice.sinks.s3.format.ColumnTypesSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Reads the target table's column types from the warehouse's catalog for type-aware staging: {@code
 * information_schema.columns} on PostgreSQL, {@code SVV_COLUMNS} on Redshift (whose {@code
 * information_schema} shows only what the user owns, while {@code SVV_COLUMNS} shows every local
 * table's columns to every user). Both have the same columns, and Redshift's {@code
 * character_maximum_length} counts bytes, PostgreSQL's characters.
 *
 * <p>It runs when the encoding function opens, one short query per task start, on a connection of
 * its own. A missing table or configured column fails that start with one line saying which.
 */
public final class TableColumnTypes implements ColumnTypesSource {

    private static final long serialVersionUID = 1L;

    static final String COLUMNS =
            "SELECT column_name, data_type, character_maximum_length, numeric_precision,"
                    + " numeric_scale FROM ";

    static final String IN_SCHEMA = " WHERE table_schema = ? AND table_name = ?";
    static final String IN_CURRENT_SCHEMA =
            " WHERE table_schema = current_schema() AND table_name = ?";
    static final String ORDER = " ORDER BY ordinal_position";

    private final JdbcConnectionProvider connections;
    private final CopyTarget target;

    public TableColumnTypes(JdbcConnectionProvider connections, CopyTarget target) {
        this.connections = checkNotNull(connections, "connections");
        this.target = checkNotNull(target, "target");
    }

    /** The catalog query for a dialect and table, exactly as sent; for tests to pin. */
    static String query(WarehouseDialect dialect, TableName table) {
        String catalog =
                dialect == WarehouseDialect.REDSHIFT ? "svv_columns" : "information_schema.columns";
        return COLUMNS + catalog + (table.schema() == null ? IN_CURRENT_SCHEMA : IN_SCHEMA) + ORDER;
    }

    @Override
    public ColumnTypes read() {
        TableName table = target.table();
        Map<String, ColumnType> columns;
        try (Connection connection = connections.open()) {
            columns = read(connection, target.dialect(), table);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot read the column types of "
                            + table
                            + " from the warehouse (SQLState "
                            + e.getSQLState()
                            + "): "
                            + firstLine(e.getMessage()),
                    e);
        }
        return forTarget(target, columns);
    }

    /** Every column of {@code table} by name, in table order; empty if there is no such table. */
    static Map<String, ColumnType> read(
            Connection connection, WarehouseDialect dialect, TableName table) throws SQLException {
        boolean bytes = dialect == WarehouseDialect.REDSHIFT;
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(query(dialect, table))) {
            int p = 1;
            if (table.schema() != null) {
                statement.setString(p++, table.schema());
            }
            statement.setString(p, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    columns.put(
                            name,
                            ColumnType.fromCatalog(
                                    name,
                                    rows.getString(2),
                                    (Integer) rows.getObject(3, Integer.class),
                                    (Integer) rows.getObject(4, Integer.class),
                                    (Integer) rows.getObject(5, Integer.class),
                                    bytes));
                }
            }
        }
        return columns;
    }

    /**
     * The COPY's columns with their types and the options that change how values fit.
     *
     * @throws IllegalStateException if the table has no columns (it does not exist, or the user
     *     cannot see it) or lacks a configured column
     */
    static ColumnTypes forTarget(CopyTarget target, Map<String, ColumnType> tableColumns) {
        if (tableColumns.isEmpty()) {
            throw new IllegalStateException(
                    "Table "
                            + target.table()
                            + " does not exist in the warehouse, or its user cannot see it;"
                            + " create it before the job starts");
        }
        List<ColumnType> copyColumns = new ArrayList<>();
        if (target.columns().isEmpty()) {
            copyColumns.addAll(tableColumns.values());
        } else {
            for (String name : target.columns()) {
                ColumnType column = tableColumns.get(name);
                if (column == null) {
                    throw new IllegalStateException(
                            "Column "
                                    + SqlIdentifiers.describe(name)
                                    + " of the column list is not in table "
                                    + target.table()
                                    + "; add it to the table or remove it from the list");
                }
                copyColumns.add(column);
            }
        }
        CopyOptions options = target.copyOptions();
        return new ColumnTypes(
                copyColumns,
                options.jsonIgnoreCase(),
                options.hasKeyword("TRUNCATECOLUMNS"),
                !epochTimeFormat(options));
    }

    /** {@code TIMEFORMAT [AS] 'epochsecs'|'epochmillisecs'}: Redshift reads epochs itself. */
    static boolean epochTimeFormat(CopyOptions options) {
        List<CopyOptions.Token> tokens = options.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            if ("TIMEFORMAT".equals(tokens.get(i).keyword())) {
                int next = i + 1;
                if (next < tokens.size() && "AS".equals(tokens.get(next).keyword())) {
                    next++;
                }
                if (next < tokens.size()
                        && tokens.get(next).kind() == CopyOptions.Token.Kind.LITERAL) {
                    String format = tokens.get(next).text().trim().toLowerCase(Locale.ROOT);
                    return format.equals("epochsecs") || format.equals("epochmillisecs");
                }
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
