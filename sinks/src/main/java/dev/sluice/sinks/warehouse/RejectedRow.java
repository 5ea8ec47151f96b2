package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * One staged line the warehouse refused while the rest of its load went in: where it was, why, and
 * the line itself, for the {@code errors/load-rejected/} envelope written by {@link
 * RejectedRowsWriter}.
 *
 * @param fileUrl the staged file
 * @param line the 1-based line within the (decompressed) file
 * @param column the target column the warehouse named, when it named one
 * @param code the warehouse's error code (SQLState)
 * @param message the warehouse's reason, with any quoted input value removed
 * @param rawLine the staged line's bytes, exactly as staged
 */
public record RejectedRow(
        String fileUrl,
        long line,
        @Nullable String column,
        @Nullable String code,
        String message,
        byte[] rawLine) {

    public RejectedRow {
        Objects.requireNonNull(fileUrl, "fileUrl");
        Objects.requireNonNull(rawLine, "rawLine");
        message = message == null ? "" : message;
    }
}
