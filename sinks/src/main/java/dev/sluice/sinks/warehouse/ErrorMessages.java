package dev.sluice.sinks.warehouse;

import java.util.regex.Pattern;

/**
 * Makes warehouse error messages safe to log and to write to the errors prefix: PostgreSQL quotes
 * the offending input value ({@code invalid input syntax for type integer: "abc"}), and that value
 * may be personal data.
 */
final class ErrorMessages {

    private static final Pattern QUOTED_VALUE = Pattern.compile(":\\s*\"(?:[^\"\\\\]|\\\\.)*\"");

    private ErrorMessages() {}

    /** The message with every {@code : "…"} value replaced by {@code : "<value>"}. */
    static String withoutValues(String message) {
        if (message == null) {
            return "";
        }
        return QUOTED_VALUE.matcher(message).replaceAll(": \"<value>\"");
    }
}
