package dev.sluice.job.cli;

import java.sql.SQLException;

/** How {@code ./sluice check} shows a failure's message: one line, the warehouse's own words. */
final class CheckText {

    private CheckText() {}

    /** The first line of a message, trimmed; empty for none. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** {@code (SQLState) message} for a warehouse error, else {@code Class: message}. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return "(" + sql.getSQLState() + ") " + oneLine(e.getMessage());
            }
        }
        return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
    }
}
