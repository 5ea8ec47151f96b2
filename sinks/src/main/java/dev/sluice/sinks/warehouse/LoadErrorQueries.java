package dev.sluice.sinks.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks Redshift why a COPY failed, from the same session, after the failed transaction was rolled
 * back (the load error tables are logs and keep their rows through the rollback).
 *
 * <p>{@code stl_load_errors} is asked first, for the rows of exactly the COPY that failed: {@code
 * pg_last_copy_id()} is "updated when the COPY command begins the load process", including when it
 * "fails because of invalid load data", precisely so that it can filter {@code stl_load_errors}
 * (Developer Guide, "PG_LAST_COPY_ID"); it is -1, matching nothing, when no COPY started. A backend
 * PID would not do: PIDs are reused and STL keeps days of rows. When that returns nothing or fails
 * (Redshift Serverless has no STL tables), {@code sys_load_error_detail} is asked; its query ids
 * are not the STL ones, so it is filtered by this session (the loader opens a fresh connection per
 * load) and, against a reused PID, to the last day, longer than any statement may run ({@code
 * statement.timeout.s} ≤ 86400). Neither query reads the raw line or field value, which may hold
 * personal data: these details end up in logs and the load-failed document.
 *
 * <p>After a COPY that succeeded under {@code MAXERROR}, {@link #rejectedLines} reads that COPY's
 * rejected lines, raw line included, for the {@code errors/load-rejected/} envelopes (which hold
 * the raw line anyway, as PostgreSQL's do).
 */
final class LoadErrorQueries {

    private static final Logger LOG = LoggerFactory.getLogger(LoadErrorQueries.class);

    /** Enough to see the pattern; the rest is in the warehouse for whoever needs it. */
    static final int MAX_ROWS = 100;

    static final String STL_LOAD_ERRORS =
            "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason)"
                    + " FROM stl_load_errors WHERE query = pg_last_copy_id()"
                    + " ORDER BY filename, line_number LIMIT "
                    + MAX_ROWS;

    static final String SYS_LOAD_ERROR_DETAIL =
            "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                    + " TRIM(error_message) FROM sys_load_error_detail"
                    + " WHERE session_id = pg_backend_pid()"
                    + " AND start_time >= DATEADD(day, -1, GETDATE())"
                    + " ORDER BY start_time DESC, file_name, line_number LIMIT "
                    + MAX_ROWS;

    /** Asked in this order; the first that answers with rows wins. */
    static final List<String> QUERIES = List.of(STL_LOAD_ERRORS, SYS_LOAD_ERROR_DETAIL);

    /**
     * Whether this warehouse lists {@code stl_load_errors}: a provisioned cluster does; Redshift
     * Serverless keeps its load errors in {@code sys_load_error_detail} only (Developer Guide,
     * "STL_LOAD_ERRORS": it "doesn't contain queries run on … serverless namespaces"). Asked from
     * the catalog because the rejected lines are read inside the load's transaction, where a failed
     * query would abort the transaction and Redshift has no savepoint to return to.
     */
    static final String STL_LOAD_ERRORS_LISTED =
            "SELECT COUNT(*) FROM pg_catalog.pg_class WHERE relname = 'stl_load_errors'";

    /**
     * The lines the COPY that just succeeded in this session rejected, raw line included: {@code
     * raw_line} is {@code char(1024)}, so longer lines come back truncated, with multibyte
     * characters replaced by periods (Developer Guide, "STL_LOAD_ERRORS"); {@code err_reason} is
     * {@code char(100)}.
     */
    static String stlRejectedLines(int limit) {
        return "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason),"
                + " RTRIM(raw_line) FROM stl_load_errors WHERE query = pg_last_copy_id()"
                + " ORDER BY filename, line_number LIMIT "
                + limit;
    }

    /**
     * As {@link #stlRejectedLines} where there is no {@code stl_load_errors}: this session's errors
     * of the last day ({@code sys_load_error_detail} has no raw line, so the envelopes carry none).
     */
    static String sysRejectedLines(int limit) {
        return "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                + " TRIM(error_message), NULL FROM sys_load_error_detail"
                + " WHERE session_id = pg_backend_pid()"
                + " AND start_time >= DATEADD(day, -1, GETDATE())"
                + " ORDER BY file_name, line_number LIMIT "
                + limit;
    }

    private LoadErrorQueries() {}

    /**
     * The lines rejected by the COPY that just succeeded on this connection, one per staged file
     * and line, at most {@code limit}; read in the load's transaction, before its commit.
     *
     * @throws SQLException if the load error tables cannot be read: the load must then not commit,
     *     because its rejected rows would be in neither the table nor {@code errors/}
     */
    static List<RejectedRow> rejectedLines(Connection connection, int limit) throws SQLException {
        boolean stl;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(STL_LOAD_ERRORS_LISTED)) {
            stl = rows.next() && rows.getLong(1) > 0;
        }
        String sql = stl ? stlRejectedLines(limit) : sysRejectedLines(limit);
        Map<String, RejectedRow> byFileAndLine = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String file = String.valueOf(rows.getString(1));
                long line = rows.getLong(2);
                String raw = rows.getString(6);
                byFileAndLine.putIfAbsent(
                        file + '\n' + line,
                        new RejectedRow(
                                file,
                                line,
                                blankToNull(rows.getString(3)),
                                rows.getString(4),
                                ErrorMessages.withoutValues(String.valueOf(rows.getString(5))),
                                raw == null ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (SQLException e) {
            throw new SQLException(
                    "Cannot read the rows this COPY rejected from "
                            + (stl ? "stl_load_errors" : "sys_load_error_detail")
                            + "; the load is not committed: "
                            + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
        return new ArrayList<>(byFileAndLine.values());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The failed COPY's load errors; empty if no source answers with any. */
    static List<LoadErrorDetail> redshift(Connection connection) {
        for (String sql : QUERIES) {
            try {
                List<LoadErrorDetail> details = query(connection, sql);
                if (!details.isEmpty()) {
                    return details;
                }
            } catch (SQLException e) {
                LOG.debug("Cannot read load errors with {}", sql, e);
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // The next query will say whether the session is still usable.
                }
            }
        }
        return List.of();
    }

    static List<LoadErrorDetail> query(Connection connection, String sql) throws SQLException {
        List<LoadErrorDetail> details = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                details.add(
                        new LoadErrorDetail(
                                rows.getString(1),
                                rows.getLong(2),
                                rows.getString(3),
                                rows.getString(4),
                                String.valueOf(rows.getString(5))));
            }
        }
        return details;
    }
}
