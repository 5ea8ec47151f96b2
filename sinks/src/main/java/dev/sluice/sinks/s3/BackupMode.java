package dev.sluice.sinks.s3;

/** Which source records are copied to {@code <root>backup/} (Firehose: {@code S3BackupMode}). */
public enum BackupMode {
    /** No backup. */
    NONE,
    /** Every record read from Kinesis, as read, before any transform. */
    ALL,
    /**
     * Only the source records the transform stage did not pass on: processing-failed and
     * late-to-errors. (Format-conversion failures keep the transformed payload in their own error
     * directory; it is not a source record.)
     */
    FAILED_ONLY
}
