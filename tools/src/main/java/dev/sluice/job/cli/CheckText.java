package dev.sluice.job.cli;

import dev.sluice.job.preflight.CheckResult;

import java.sql.SQLException;

/** How {@code ./sluice check} shows a failure's message: one line, the warehouse's own words. */
final class CheckText {

    private CheckText() {}

    /** {@code (SQLState) message} for a warehouse error, else {@code Class: message}. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return "(" + sql.getSQLState() + ") " + CheckResult.oneLine(e.getMessage());
            }
        }
        return e.getClass().getSimpleName() + ": " + CheckResult.oneLine(e.getMessage());
    }
}
