package dev.sluice.sinks.s3;

/** Which source records are copied to {@code <root>backup/} (Firehose: {@code S3BackupMode}). */
public enum BackupMode {
    /** No backup. */
    NONE,
    /** Every record read from Kinesis, as read, before any transform. */
    ALL,
    /**
     * Only the records that did not reach the data: processing-failed, format-conversion-failed
     * and late-to-errors.
     */
    FAILED_ONLY
}
