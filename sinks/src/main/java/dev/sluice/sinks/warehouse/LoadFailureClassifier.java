package dev.sluice.sinks.warehouse;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Decides whether a failed load is worth retrying.
 *
 * <ul>
 *   <li>{@link Kind#DATA}: the input or the table is wrong, and the same COPY would fail the same
 *       way (SQLState classes {@code 22} data exception and {@code 42} syntax error or access rule
 *       violation: bad column, type mismatch, missing table, no privilege; {@code 23} integrity;
 *       Redshift's "Load into table … failed. Check 'stl_load_errors'", which comes as the
 *       catch-all {@code XX000}; a {@link MalformedRecordException}). Retrying would only delay
 *       delivery by the whole retry window.
 *   <li>{@link Kind#PERMANENT}: the warehouse refused the credentials (SQLState class {@code 28},
 *       invalid authorization: {@code 28P01} wrong password, {@code 28000}) or S3 denied access (an
 *       {@link AccessDeniedException}, S3's {@code AccessDenied} error code, HTTP 403). No retry
 *       window fixes these and no replay would either; they fail the task, and Flink's restart
 *       strategy bounds how often the job tries again.
 *   <li>{@link Kind#TRANSIENT}: everything else, notably classes {@code 08} (connection), {@code
 *       53} (insufficient resources), {@code 57P0x} (server shutting down), {@code 40001}/{@code
 *       40P01} (serialization failure, deadlock), socket errors and timeouts, S3 read errors.
 * </ul>
 *
 * <p>Unknown failures count as transient on purpose: a wrong "transient" costs one retry window and
 * then the load still goes to {@code errors/load-failed/}; a wrong "data" would send a good load
 * there after one glitch and need a manual replay.
 *
 * <p>The whole cause chain is inspected, outermost first, because drivers and the loader wrap
 * (pgjdbc reports COPY errors as IOExceptions around a PSQLException, for one).
 */
final class LoadFailureClassifier {

    /** What to do about a failure. */
    public enum Kind {
        /** Retry with backoff until the retry window closes. */
        TRANSIENT,
        /** Give up now: write the load to errors/load-failed/ and continue. */
        DATA,
        /** Not the load's fault and not an outage: fail the task with the cause. */
        PERMANENT
    }

    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "42");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "40", "57", "58");

    private LoadFailureClassifier() {}

    public static Kind classify(Throwable failure) {
        if (isPermanent(failure)) {
            return Kind.PERMANENT;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedRecordException) {
                return Kind.DATA;
            }
            if (t instanceof SQLException) {
                if (isRedshiftLoadError(t.getMessage())) {
                    return Kind.DATA;
                }
                Kind kind = bySqlState(((SQLException) t).getSQLState());
                if (kind != null) {
                    return kind;
                }
                if (t instanceof SQLTransientException
                        || t instanceof SQLRecoverableException
                        || t instanceof SQLNonTransientConnectionException) {
                    return Kind.TRANSIENT;
                }
            }
            if (t instanceof SocketException
                    || t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.TRANSIENT;
    }

    /** Authentication refused by the warehouse, or access denied by S3, anywhere in the chain. */
    static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && state.startsWith("28")) {
                    return true;
                }
            }
            if (t instanceof AccessDeniedException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null
                    && (message.contains("AccessDenied")
                            || message.contains("Status Code: 403")
                            || message.contains("403 Forbidden"))) {
                return true;
            }
        }
        return false;
    }

    /** Redshift's COPY reports rejected input with this pointer to its load error tables. */
    static boolean isRedshiftLoadError(String message) {
        return message != null
                && (message.contains("stl_load_errors")
                        || message.contains("sys_load_error_detail"));
    }

    /** The kind a SQLState implies, or null when it says nothing useful. */
    static Kind bySqlState(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return null;
        }
        String sqlClass = sqlState.substring(0, 2).toUpperCase(java.util.Locale.ROOT);
        if (TRANSIENT_CLASSES.contains(sqlClass)) {
            return Kind.TRANSIENT;
        }
        if (DATA_CLASSES.contains(sqlClass)) {
            return Kind.DATA;
        }
        return null;
    }
}
