package dev.sluice.sinks.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks Redshift why a COPY failed, from the same session, after the failed transaction was rolled
 * back (the load error tables are logs and keep their rows through the rollback).
 *
 * <p>The loader opens a fresh connection for every load, so "this session's load errors" are
 * exactly this load's: the queries filter on {@code pg_backend_pid()} rather than on {@code
 * pg_last_copy_id()}, because the SYS views number queries differently from the STL tables.
 * {@code sys_load_error_detail} is asked first (it is what Redshift Serverless has); provisioned
 * clusters without it answer from {@code stl_load_errors}. Neither query reads the raw line or
 * field value, which may hold personal data.
 */
final class LoadErrorQueries {

    private static final Logger LOG = LoggerFactory.getLogger(LoadErrorQueries.class);

    /** Enough to see the pattern; the rest is in the warehouse for whoever needs it. */
    static final int MAX_ROWS = 100;

    static final String SYS_LOAD_ERROR_DETAIL =
            "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                    + " TRIM(error_message) FROM sys_load_error_detail"
                    + " WHERE session_id = pg_backend_pid()"
                    + " ORDER BY start_time DESC, file_name, line_number LIMIT "
                    + MAX_ROWS;

    static final String STL_LOAD_ERRORS =
            "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason)"
                    + " FROM stl_load_errors WHERE session = pg_backend_pid()"
                    + " ORDER BY starttime DESC, filename, line_number LIMIT "
                    + MAX_ROWS;

    private LoadErrorQueries() {}

    /** The load errors of this session; empty if neither source answers. */
    static List<LoadErrorDetail> redshift(Connection connection) {
        for (String sql : List.of(SYS_LOAD_ERROR_DETAIL, STL_LOAD_ERRORS)) {
            try {
                return query(connection, sql);
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
