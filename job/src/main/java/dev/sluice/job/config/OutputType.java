package dev.sluice.job.config;

/** What an {@code Output.<name>} group delivers to. */
public enum OutputType {
    /** Files in S3, written exactly once (the default). */
    S3,
    /** An existing Firehose delivery stream, at least once. */
    FIREHOSE
}
