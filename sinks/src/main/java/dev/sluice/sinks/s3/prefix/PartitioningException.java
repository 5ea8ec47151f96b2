package dev.sluice.sinks.s3.prefix;

/**
 * A record that cannot be placed in a partition of its output: a partition key the prefix needs is
 * missing or unusable, or placing it would open more partitions than the output allows. The record
 * goes to {@code errors/partitioning-failed/} with {@link #errorCode()}.
 *
 * <p>Messages name the key and the problem, never the payload or the value, which may hold personal
 * data.
 */
public class PartitioningException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Firehose's code for a partition key that could not be extracted from a record. */
    public static final String METADATA_EXTRACTION_FAILED =
            "DynamicPartitioning.MetadataExtractionFailed";

    /** A record that would open one partition more than the output's limit. */
    public static final String PARTITION_LIMIT_EXCEEDED =
            "DynamicPartitioning.PartitionLimitExceeded";

    private final String errorCode;

    public PartitioningException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The code written to the error envelope, e.g. {@link #METADATA_EXTRACTION_FAILED}. */
    public String errorCode() {
        return errorCode;
    }
}
