package dev.sluice.sinks.warehouse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The error document of a load that gave up, written beside its manifest as {@code
 * <load-id>.error.json}: what was tried, why it stopped, and where the warehouse says the data is
 * wrong. {@code ./sluice replay} reads it back for the checkpoint id.
 *
 * @param loadId the load's id, also the manifest's file name
 * @param targetTable the table the rows were meant for
 * @param checkpointId the checkpoint whose files these are
 * @param reason {@code DATA_ERROR} (not retried) or {@code RETRIES_EXHAUSTED}
 * @param attempts how many times the load was tried
 * @param firstAttemptAt ISO-8601 UTC
 * @param failedAt ISO-8601 UTC, when the loader gave up
 * @param sqlState the last failure's SQLState, if any
 * @param message the last failure's messages, outermost first, without input values
 * @param errors what the warehouse said about rejected lines (file, line, column)
 * @param fileCount files in the manifest
 * @param byteCount their total size
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailedLoad(
        String loadId,
        String targetTable,
        long checkpointId,
        String reason,
        int attempts,
        String firstAttemptAt,
        String failedAt,
        @Nullable String sqlState,
        String message,
        List<LoadErrorDetail> errors,
        int fileCount,
        long byteCount) {

    public static final String DATA_ERROR = "DATA_ERROR";
    public static final String RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public FailedLoad {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public byte[] toJsonBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a failed load as JSON", e);
        }
    }

    public static FailedLoad parse(byte[] json) throws IOException {
        try {
            return JSON.readValue(json, FailedLoad.class);
        } catch (IOException e) {
            throw new IOException(
                    "Not a Sluice load-failed error document: "
                            + new String(
                                    json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8),
                    e);
        }
    }
}
